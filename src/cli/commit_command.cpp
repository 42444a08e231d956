// `omnigraph commit list [--branch B] [URI]` and `commit show <ID>` (data-plane §5).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "engine/commit_output.h"
#include "engine/graph.h"
#include "engine/vc/commit_log.h"

namespace omnigraph::cli {

namespace {
struct CommitCliOptions {
  std::string uri;        // positional (list) or --uri
  std::string branch = "main";
  std::string id;
  bool json = false;
};

std::string or_null(const nlohmann::json& v) { return v.is_null() ? "null" : v.get<std::string>(); }

// Human rendering: the CommitOutput fields, one `key: value` per line; branch null prints main.
void print_commit(std::ostream& out, const storage::GraphCommit& c) {
  auto j = engine::commit_output(c);
  out << "graph_commit_id: " << c.id << "\n"
      << "graph_branch: " << c.branch << "\n"
      << "graph_manifest_version: " << c.sequence << "\n"
      << "parent_commit_id: " << or_null(j["parent_commit_id"]) << "\n"
      << "merged_parent_commit_id: " << or_null(j["merged_parent_commit_id"]) << "\n"
      << "actor_id: " << or_null(j["actor_id"]) << "\n"
      << "created_at: " << c.created_at_us << "\n";
}
}  // namespace

CommandSpec add_commit_command(CLI::App& parent, Io io) {
  CommandSpec spec{"commit", Capability::kAny};
  spec.app = parent.add_subcommand("commit", "List and show graph commits");
  spec.app->require_subcommand(1);
  auto list = std::make_shared<CommitCliOptions>();
  auto show = std::make_shared<CommitCliOptions>();

  auto* list_app = spec.app->add_subcommand("list", "Commits of a branch, newest first");
  list_app->add_option("uri", list->uri, "Graph URI");
  list_app->add_option("--uri", list->uri, "Graph URI");
  list_app->add_option("--branch", list->branch, "Branch (default main)");
  list_app->add_flag("--json", list->json, "Print JSON");
  auto* show_app = spec.app->add_subcommand("show", "One commit, resolved across live branches");
  show_app->add_option("id", show->id, "Commit id")->required();
  show_app->add_option("--uri", show->uri, "Graph URI");
  show_app->add_flag("--json", show->json, "Print JSON");

  spec.run = [io, list, show, list_app] {
    auto config = load_operator_config(io.err);
    if (list_app->parsed()) {
      auto target = resolve_graph("commit list", list->uri, config);
      auto graph = engine::Graph::open(target.uri);
      auto commits = engine::vc::list_commits(*graph, list->branch);
      if (list->json) {
        nlohmann::json arr = nlohmann::json::array();
        for (const auto& c : commits) arr.push_back(engine::commit_output(c));
        io.out << nlohmann::json{{"commits", arr}}.dump() << "\n";
      } else {
        for (const auto& c : commits)
          io.out << c.id << "  v" << c.sequence << "  " << c.branch << "  " << c.actor.value_or("-") << "  "
                 << c.created_at_us << "\n";
      }
      return 0;
    }
    auto target = resolve_graph("commit show", show->uri, config);
    auto graph = engine::Graph::open(target.uri);
    auto c = engine::vc::show_commit(*graph, show->id);
    if (show->json)
      io.out << engine::commit_output(c).dump() << "\n";
    else
      print_commit(io.out, c);
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
