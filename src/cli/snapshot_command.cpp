// `omnigraph snapshot [--branch B] [--json] [URI]`: per-type counts and versions (data-plane §10).
#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "engine/graph.h"
#include "engine/snapshot_info.h"

namespace omnigraph::cli {

namespace {
struct SnapshotCliOptions {
  std::string uri;
  std::string branch = "main";
  bool json = false;
};
}  // namespace

CommandSpec add_snapshot_command(CLI::App& parent, Io io) {
  CommandSpec spec{"snapshot", Capability::kAny};
  auto options = std::make_shared<SnapshotCliOptions>();
  spec.app = parent.add_subcommand("snapshot", "Show per-type entity counts and data versions of a branch head");
  spec.app->add_option("uri", options->uri, "Graph URI");
  spec.app->add_option("--branch", options->branch, "Branch (default main)");
  spec.app->add_flag("--json", options->json, "Print the snapshot as JSON");
  spec.run = [io, options] {
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("snapshot", options->uri, config);
    auto graph = engine::Graph::open(target.uri);
    auto info = engine::describe_snapshot(*graph, options->branch);
    io.out << (options->json ? engine::snapshot_info_json(info) + "\n" : engine::snapshot_info_human(info));
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
