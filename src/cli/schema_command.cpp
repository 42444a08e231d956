// `omnigraph schema show` (alias `get`): print the graph's accepted schema source.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"

namespace omnigraph::cli {

namespace {
struct SchemaShowOptions {
  std::string uri;
  bool json = false;
};
}  // namespace

CommandSpec add_schema_command(CLI::App& parent, Io io) {
  CommandSpec spec{"schema", Capability::kAny};
  auto options = std::make_shared<SchemaShowOptions>();
  spec.app = parent.add_subcommand("schema", "Show the graph's schema");
  spec.app->require_subcommand(1);
  CLI::App* show = spec.app->add_subcommand("show", "Print the accepted schema source");
  show->alias("get");
  show->add_option("uri", options->uri, "Graph URI");
  show->add_flag("--json", options->json, "Print {\"schema_source\": …}");
  spec.run = [io, options, show] {
    if (!show->parsed()) throw UsageError("schema: unknown subcommand");
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("schema show", options->uri, config);
    auto graph = engine::Graph::open(target.uri);
    auto snap = graph->snapshot();
    if (options->json) {
      io.out << nlohmann::json{{"schema_source", snap->schema_source()}}.dump(2) << "\n";
    } else {
      io.out << snap->schema_source();
      if (!snap->schema_source().empty() && snap->schema_source().back() != '\n') io.out << "\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
