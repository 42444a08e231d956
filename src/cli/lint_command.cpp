// `omnigraph lint` (offline form): lint a `.gq` file against a `.pg` schema
// (languages.md §8, cli-and-cluster.md A12.2). Exit 1 iff the lint status is error.
#include <CLI/CLI.hpp>
#include <fstream>
#include <ostream>
#include <sstream>

#include "cli/command.h"
#include "common/error.h"
#include "compiler/catalog.h"
#include "compiler/lint.h"

namespace omnigraph::cli {

namespace {

std::string read_text_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::bad_request("cannot read " + std::string(what) + " '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

struct LintOptions {
  std::string uri;
  std::string query_path;
  std::string schema_path;
  bool json = false;
};

}  // namespace

CommandSpec add_lint_command(CLI::App& parent, Io io) {
  CommandSpec spec{"lint", Capability::kDirect};
  auto options = std::make_shared<LintOptions>();
  spec.app = parent.add_subcommand("lint", "Typecheck a .gq file against a schema and report lint findings");
  spec.app->add_option("uri", options->uri, "Graph URI (ignored with --schema)");
  spec.app->add_option("--query", options->query_path, "Path of the .gq query file")->required();
  spec.app->add_option("--schema", options->schema_path, "Path of a .pg schema (offline lint)");
  spec.app->add_flag("--json", options->json, "Print the lint report as JSON");
  spec.run = [io, options] {
    if (options->schema_path.empty()) {
      throw Error::bad_request(
          "lint requires --schema <schema.pg> (offline) or a graph target (--store <uri> / --cluster <dir> --graph <id>)");
    }
    std::string schema_text = read_text_file(options->schema_path, "schema file");
    // A schema that fails to parse/build is a command error, not lint output (§8.1).
    compiler::Catalog catalog = compiler::compile_schema(schema_text);
    std::string query_text = read_text_file(options->query_path, "query file");
    compiler::LintSchemaSource source;
    source.kind = "file";
    source.path = options->schema_path;
    compiler::LintReport report = compiler::lint_queries(catalog, query_text, source, options->query_path);
    if (options->json) {
      io.out << compiler::lint_report_json(report) << "\n";
    } else {
      io.out << compiler::lint_report_human(report);
    }
    return report.has_errors() ? 1 : 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
