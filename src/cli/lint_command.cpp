// `omnigraph lint`: lint a `.gq` file against a `.pg` schema (offline, `--schema`) or against the
// schema of a graph's `main` head (languages.md §8, cli-and-cluster.md A12.2). Exit 1 iff the
// lint status is error.
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "compiler/catalog.h"
#include "compiler/lint.h"
#include "engine/graph.h"
#include "engine/graph_snapshot.h"

namespace omnigraph::cli {

namespace {

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
  spec.app->add_option("uri", options->uri, "Graph URI whose main schema is linted against (ignored with --schema)");
  spec.app->add_option("--query", options->query_path, "Path of the .gq query file")->required();
  spec.app->add_option("--schema", options->schema_path, "Path of a .pg schema (offline lint)");
  spec.app->add_flag("--json", options->json, "Print the lint report as JSON");
  spec.run = [io, options] {
    compiler::Catalog catalog;
    compiler::LintSchemaSource source;
    if (options->schema_path.empty()) {
      auto config = load_operator_config(io.err);
      if (options->uri.empty() && global_flags().store.empty() && !config.store)
        throw Error::bad_request(
            "lint requires --schema <schema.pg> (offline) or a graph target (--store <uri> / --cluster <dir> --graph "
            "<id>)");
      auto target = resolve_graph("lint", options->uri, config);
      catalog = engine::Graph::open(target.uri)->snapshot()->catalog();
      source.kind = "graph";
      source.uri = target.uri;
    } else {
      // A schema that fails to parse/build is a command error, not lint output (§8.1).
      catalog = compiler::compile_schema(read_text_file(options->schema_path, "schema file"));
      source.kind = "file";
      source.path = options->schema_path;
    }
    std::string query_text = read_text_file(options->query_path, "query file");
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
