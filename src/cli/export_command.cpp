// `omnigraph export [--branch B] [--type T]… [URI]`: NDJSON of a branch head on stdout (data-plane §9).
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "engine/export.h"
#include "engine/graph.h"

namespace omnigraph::cli {

namespace {
struct ExportCliOptions {
  std::string uri;
  std::string branch = "main";
  std::vector<std::string> types;
  bool jsonl = false;
};
}  // namespace

CommandSpec add_export_command(CLI::App& parent, Io io) {
  CommandSpec spec{"export", Capability::kAny};
  auto options = std::make_shared<ExportCliOptions>();
  spec.app = parent.add_subcommand("export", "Export a branch head as load-format NDJSON on stdout");
  spec.app->add_option("uri", options->uri, "Graph URI");
  spec.app->add_option("--branch", options->branch, "Branch (default main)");
  spec.app->add_option("--type", options->types, "Only this node/edge type (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  spec.app->add_flag("--jsonl", options->jsonl, "Deprecated no-op (export is always JSONL)")->group("");
  spec.run = [io, options] {
    if (options->jsonl) io.err << "warning: `--jsonl` is deprecated; export always writes JSONL\n";
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("export", options->uri, config);
    auto graph = engine::Graph::open(target.uri);
    auto snap = graph->snapshot({.branch = options->branch});
    engine::export_ndjson(*snap, graph->store(), options->types, io.out);
    io.out.flush();
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
