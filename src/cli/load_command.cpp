// `omnigraph load --data <file> --mode M [--branch B] [--from BASE] [--json] [URI]`:
// strict NDJSON bulk load as one commit (data-plane §2, cli-and-cluster §A12.1).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/commit_output.h"
#include "engine/graph.h"
#include "engine/load/loader.h"

namespace omnigraph::cli {

namespace {
struct LoadCliOptions {
  std::string uri;
  std::string data_path;
  std::string mode;
  std::string branch = "main";
  std::string from;
  bool json = false;
};

nlohmann::json type_counts(const std::vector<engine::LoadTypeCount>& counts) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& c : counts) a.push_back({{"name", c.name}, {"entities_loaded", c.entities_loaded}});
  return a;
}
}  // namespace

CommandSpec add_load_command(CLI::App& parent, Io io) {
  CommandSpec spec{"load", Capability::kAny};
  auto options = std::make_shared<LoadCliOptions>();
  spec.app = parent.add_subcommand("load", "Load strict graph NDJSON as one commit");
  spec.app->add_option("uri", options->uri, "Graph URI");
  spec.app->add_option("--data", options->data_path, "NDJSON file to load")->required();
  spec.app->add_option("--mode", options->mode, "overwrite | append | merge")
      ->required()
      ->check(CLI::IsMember({"overwrite", "append", "merge"}));
  spec.app->add_option("--branch", options->branch, "Target branch (default main)");
  spec.app->add_option("--from", options->from, "Create a missing --branch from this branch first");
  spec.app->add_flag("--json", options->json, "Print the load result as JSON");
  spec.run = [io, options] {
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("load", options->uri, config);
    auto mode = *engine::parse_load_mode(options->mode);
    if (mode == engine::LoadMode::kOverwrite) confirm_destructive(io.err, "load --mode overwrite", target, options->json);
    echo_write_target(io.err, "load", target);
    auto graph = engine::Graph::open(target.uri);

    engine::LoadOptions lo;
    lo.mode = mode;
    lo.branch = options->branch;
    if (!options->from.empty()) lo.from = options->from;
    lo.actor = resolve_actor(config);
    bool tty = isatty(STDERR_FILENO) && !global_flags().quiet;
    auto started = std::chrono::steady_clock::now();
    if (tty) {
      lo.progress = [&io, started](uint64_t done, uint64_t total) {
        auto elapsed = std::chrono::steady_clock::now() - started;
        if (elapsed < std::chrono::seconds(1) && done < total) return;
        io.err << "\rloading: " << (total ? done * 100 / total : 100) << "% (" << (done >> 20) << " / " << (total >> 20)
               << " MiB)" << (done >= total ? "\n" : "") << std::flush;
      };
    }
    engine::LoadResult r = engine::load_ndjson_file(*graph, options->data_path, lo);
    if (options->json) {
      nlohmann::json j;
      j["uri"] = target.uri;
      j["branch"] = r.branch;
      j["mode"] = std::string(engine::load_mode_name(r.mode));
      if (r.base_branch) j["base_branch"] = *r.base_branch;
      j["branch_created"] = r.branch_created;
      j["nodes"] = type_counts(r.nodes);
      j["edges"] = type_counts(r.edges);
      j["total_entities"] = r.total_entities;
      j["commit"] = engine::commit_output(r.commit);
      io.out << j.dump(2) << "\n";
    } else {
      io.out << "loaded " << target.uri << " on branch " << r.branch << " with " << engine::load_mode_name(r.mode)
             << ": " << r.total_entities << " entities across " << r.nodes.size() << " node types and "
             << r.edges.size() << " edge types\n";
      if (r.branch_created) io.out << "branch " << r.branch << " created from " << *r.base_branch << "\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
