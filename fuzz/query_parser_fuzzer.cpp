// libFuzzer target for the `.gq` parser, typechecker and lowering, against a fixed
// schema that exercises every property kind plus every fixture schema (so the seed
// queries reach deep into the typechecker). Compile errors are valid outcomes; any
// other exception, sanitizer report or crash is a bug.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "compiler/catalog.h"
#include "compiler/lowering.h"
#include "compiler/query_ast.h"
#include "compiler/typechecker.h"

namespace {
const omnigraph::compiler::Catalog& fuzz_catalog() {
  static const omnigraph::compiler::Catalog catalog = omnigraph::compiler::compile_schema(R"(
node Person { name: String @key  age: I32?  tags: [String]?  score: F64?  born: Date?  seen: DateTime?
              photo: Blob?  emb: Vector(3)?  status: enum(open, closed)?  n: U64? }
node Company { name: String @key }
node Doc { slug: String @key  title: String @index  body: String?  emb: Vector(4) @embed("title") }
edge Knows: Person -> Person { since: Date?  weight: F32? }
edge WorksAt: Person -> Company { role: String? }
)");
  return catalog;
}

std::vector<omnigraph::compiler::Catalog> load_catalogs() {
  std::vector<omnigraph::compiler::Catalog> out{fuzz_catalog()};
  std::error_code ec;
  std::filesystem::path root = OMNIGRAPH_FUZZ_SHARED_DIR;
  for (auto it = std::filesystem::recursive_directory_iterator(root / "fixtures", ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".pg") continue;
    std::ifstream in(it->path());
    std::stringstream ss;
    ss << in.rdbuf();
    try {
      out.push_back(omnigraph::compiler::compile_schema(ss.str()));
    } catch (const omnigraph::Error&) {
    }
  }
  return out;
}

const std::vector<omnigraph::compiler::Catalog>& catalogs() {
  static const std::vector<omnigraph::compiler::Catalog> all = load_catalogs();
  return all;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& catalog : catalogs()) {
    omnigraph::compiler::QueryFile file;  // typechecking annotates the AST: parse per catalog
    try {
      file = omnigraph::compiler::parse_queries(text);
    } catch (const omnigraph::Error&) {
      return 0;
    }
    for (auto& q : file.queries) {
      try {
        omnigraph::compiler::typecheck_query(q, catalog, text);
      } catch (const omnigraph::Error&) {
        continue;
      }
      auto plan = omnigraph::compiler::lower_query(q, catalog);
      (void)omnigraph::compiler::ir::explain(plan);
      try {
        omnigraph::compiler::check_mutation_mixing(plan);
      } catch (const omnigraph::Error&) {
      }
    }
  }
  return 0;
}
