// libFuzzer target for the `.gq` parser, typechecker and lowering, against a fixed
// schema that exercises every property kind. Compile errors are valid outcomes; any
// other exception, sanitizer report or crash is a bug.
#include <cstddef>
#include <cstdint>
#include <string_view>

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
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto& catalog = fuzz_catalog();
  omnigraph::compiler::QueryFile file;
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
  }
  return 0;
}
