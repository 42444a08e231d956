// `omnigraph init --schema <pg> [--force] <URI>`: create a graph (cli-and-cluster §A12.2).
#include <CLI/CLI.hpp>
#include <filesystem>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"

namespace omnigraph::cli {

namespace {
struct InitOptions {
  std::string uri;
  std::string schema_path;
  bool force = false;
};

// §A3.7: `<root>/graphs/<id>.omni` with `<root>/__cluster/state.json` is cluster-managed.
void refuse_cluster_managed(const std::string& uri) {
  std::string path = uri.rfind("file://", 0) == 0 ? uri.substr(7) : uri;
  std::filesystem::path p(path);
  if (p.extension() != ".omni" || p.parent_path().filename() != "graphs") return;
  auto root = p.parent_path().parent_path();
  std::error_code ec;
  if (std::filesystem::exists(root / "__cluster" / "state.json", ec))
    throw Error::bad_request("graph root '" + uri + "' is inside cluster '" + root.string() +
                             "'; cluster-managed graphs are created by `omnigraph cluster apply`");
}
}  // namespace

CommandSpec add_init_command(CLI::App& parent, Io io) {
  CommandSpec spec{"init", Capability::kDirect};
  auto options = std::make_shared<InitOptions>();
  spec.app = parent.add_subcommand("init", "Create a new graph from a .pg schema");
  spec.app->add_option("uri", options->uri, "Storage URI of the new graph (path or file://)")->required();
  spec.app->add_option("--schema", options->schema_path, "Path of the .pg schema")->required();
  spec.app->add_flag("--force", options->force, "Replace orphan schema artifacts of an unfinished init");
  spec.run = [io, options] {
    const auto& flags = global_flags();
    if (!flags.store.empty()) reject_flag("init", "direct (storage-native)", "--store", " Pass a storage URI.");
    if (!flags.as.empty()) reject_flag("init", "direct (storage-native)", "--as", " Pass a storage URI.");
    refuse_cluster_managed(options->uri);
    std::string schema = read_text_file(options->schema_path, "schema file");
    engine::Graph::init(options->uri, schema, options->force);
    io.out << "initialized " << options->uri << "\n";
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
