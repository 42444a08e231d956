// `omnigraph branch create|list|delete|merge` (cli-and-cluster §A12.1, data-plane §4, §7).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/merge.h"

namespace omnigraph::cli {

namespace {
struct BranchCliOptions {
  std::string uri;
  std::string name;
  std::string from = "main";
  std::string into = "main";
  bool delete_branch = false;
  bool json = false;
};

nlohmann::json actor_json(const std::optional<std::string>& actor) {
  return actor ? nlohmann::json(*actor) : nlohmann::json(nullptr);
}

CLI::App* add_sub(CLI::App& parent, const char* name, const char* description, BranchCliOptions& o) {
  auto* app = parent.add_subcommand(name, description);
  app->add_option("--uri", o.uri, "Graph URI");
  app->add_flag("--json", o.json, "Print JSON");
  return app;
}
}  // namespace

CommandSpec add_branch_command(CLI::App& parent, Io io) {
  CommandSpec spec{"branch", Capability::kAny};
  spec.app = parent.add_subcommand("branch", "Create, list or delete branches");
  spec.app->require_subcommand(1);
  auto create = std::make_shared<BranchCliOptions>();
  auto list = std::make_shared<BranchCliOptions>();
  auto del = std::make_shared<BranchCliOptions>();
  auto merge = std::make_shared<BranchCliOptions>();

  auto* create_app = add_sub(*spec.app, "create",
                             "Create a branch from a branch head or a commit (copies no data)", *create);
  create_app->add_option("name", create->name, "New branch name")->required();
  create_app->add_option("--from", create->from, "Source branch or commit id (default main)");
  auto* list_app = add_sub(*spec.app, "list", "List live branches (byte order)", *list);
  auto* delete_app = add_sub(*spec.app, "delete", "Delete a branch", *del);
  delete_app->add_option("name", del->name, "Branch to delete")->required();
  auto* merge_app =
      add_sub(*spec.app, "merge", "Three-way merge of a branch into another (default main)", *merge);
  merge_app->add_option("source", merge->name, "Source branch")->required();
  merge_app->add_option("--into", merge->into, "Target branch (default main)");
  merge_app->add_flag("--delete-branch", merge->delete_branch, "Delete the source after a successful merge");

  spec.run = [io, create, list, del, merge, create_app, list_app, merge_app] {
    auto config = load_operator_config(io.err);
    auto actor = resolve_actor(config);
    if (merge_app->parsed()) {
      auto target = resolve_graph("branch merge", merge->uri, config);
      auto graph = engine::Graph::open(target.uri);
      echo_write_target(io.err, "branch merge", target);
      engine::vc::MergeResult r;
      try {
        r = engine::vc::merge_branches(*graph, merge->name, merge->into, actor);
      } catch (const Error& e) {
        if (!merge->json) throw;
        // --json: the ErrorOutput body (server.md §8.1: merge_conflicts[], read_set_conflict…)
        // on stdout, the message on stderr, the usual exit code.
        io.out << nlohmann::ordered_json::parse(e.to_json()).dump(2) << "\n";
        io.err << "error: " << e.message() << "\n";
        return e.cli_exit_code();
      }
      nlohmann::ordered_json j;
      j["source"] = r.source;
      j["target"] = r.target;
      j["outcome"] = std::string(engine::vc::merge_outcome_name(r.outcome));
      j["actor_id"] = actor ? nlohmann::ordered_json(*actor) : nlohmann::ordered_json(nullptr);
      if (!merge->json)
        io.out << "merged " << r.source << " into " << r.target << ": "
               << engine::vc::merge_outcome_name(r.outcome) << "\n";
      if (merge->delete_branch) {
        try {
          engine::vc::delete_branch(*graph, r.source, actor);
          j["branch_deleted"] = true;
          if (!merge->json) io.out << "deleted branch " << r.source << "\n";
        } catch (const Error& e) {
          j["branch_deleted"] = false;
          j["branch_delete_error"] = e.message();
          io.err << "warning: merged, but could not delete branch '" << r.source << "': " << e.message()
                 << "\n";
        }
      }
      if (merge->json) io.out << j.dump(2) << "\n";
      return 0;
    }
    if (create_app->parsed()) {
      auto target = resolve_graph("branch create", create->uri, config);
      auto graph = engine::Graph::open(target.uri);
      echo_write_target(io.err, "branch create", target);
      auto r = engine::vc::create_branch(*graph, create->name, create->from, actor);
      if (create->json)
        io.out << nlohmann::json{{"uri", target.uri},
                                 {"from", r.from},
                                 {"name", r.name},
                                 {"actor_id", actor_json(actor)}}
                      .dump()
               << "\n";
      else
        io.out << "created branch " << r.name << " from " << r.from << "\n";
      return 0;
    }
    if (list_app->parsed()) {
      auto target = resolve_graph("branch list", list->uri, config);
      auto graph = engine::Graph::open(target.uri);
      auto names = engine::vc::list_branches(*graph);
      if (list->json) {
        io.out << nlohmann::json{{"branches", names}}.dump() << "\n";
      } else {
        for (const auto& n : names) io.out << n << "\n";
      }
      return 0;
    }
    auto target = resolve_graph("branch delete", del->uri, config);
    confirm_destructive(io.err, "branch delete", target, del->json);
    auto graph = engine::Graph::open(target.uri);
    echo_write_target(io.err, "branch delete", target);
    engine::vc::delete_branch(*graph, del->name, actor);
    if (del->json)
      io.out
          << nlohmann::json{{"uri", target.uri}, {"name", del->name}, {"actor_id", actor_json(actor)}}.dump()
          << "\n";
    else
      io.out << "deleted branch " << del->name << "\n";
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
