// `omnigraph commit list [--branch B] [URI]` and `commit show <ID>` (data-plane §5).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>
#include <tuple>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "engine/commit_output.h"
#include "engine/graph.h"
#include "engine/vc/commit_changes.h"
#include "engine/vc/commit_log.h"

namespace omnigraph::cli {

namespace {
struct CommitCliOptions {
  std::string uri;  // positional (list) or --uri
  std::string branch = "main";
  std::string id;
  bool json = false;
  uint64_t limit = engine::vc::kDefaultChangePageLimit;
  std::string page_token;
  std::vector<std::string> kinds, types, ops;
};

void print_changes_human(std::ostream& out, const nlohmann::json& changes) {
  for (const auto& c : changes)
    out << c["op"].get<std::string>() << " " << c["kind"].get<std::string>() << " "
        << c["type"]["name"].get<std::string>() << " " << c["id"].get<std::string>() << "\n";
}

std::string or_null(const nlohmann::ordered_json& v) {
  return v.is_null() ? "null" : v.get<std::string>();
}

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

  auto changes = std::make_shared<CommitCliOptions>();
  auto* changes_app = spec.app->add_subcommand("changes", "Entity changes of a commit vs its first parent");
  changes_app->add_option("id", changes->id, "Commit id")->required();
  changes_app->add_option("--uri", changes->uri, "Graph URI");
  changes_app->add_option("--limit", changes->limit, "Changes per page (default 1000, max 8192)");
  changes_app->add_option("--page-token", changes->page_token, "Fetch exactly this page");
  for (auto [flag, target, help] : {std::tuple{"--kind", &changes->kinds, "node|edge (repeatable)"},
                                    std::tuple{"--type", &changes->types, "Type name (repeatable)"},
                                    std::tuple{"--op", &changes->ops, "insert|update|delete (repeatable)"}})
    changes_app->add_option(flag, *target, help)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
  changes_app->add_flag("--json", changes->json, "Print JSON");

  spec.run = [io, list, show, changes, list_app, changes_app] {
    auto config = load_operator_config(io.err);
    if (list_app->parsed()) {
      auto target = resolve_graph("commit list", list->uri, config);
      auto graph = engine::Graph::open(target.uri);
      auto commits = engine::vc::list_commits(*graph, list->branch);
      if (list->json) {
        nlohmann::ordered_json arr = nlohmann::ordered_json::array();
        for (const auto& c : commits) arr.push_back(engine::commit_output(c));
        io.out << nlohmann::ordered_json{{"commits", arr}}.dump() << "\n";
      } else {
        for (const auto& c : commits)
          io.out << c.id << "  v" << c.sequence << "  " << c.branch << "  " << c.actor.value_or("-") << "  "
                 << c.created_at_us << "\n";
      }
      return 0;
    }
    if (changes_app->parsed()) {
      auto target = resolve_graph("commit changes", changes->uri, config);
      auto graph = engine::Graph::open(target.uri);
      engine::vc::ChangeFilter filter;
      filter.kinds.insert(changes->kinds.begin(), changes->kinds.end());
      filter.types.insert(changes->types.begin(), changes->types.end());
      filter.ops.insert(changes->ops.begin(), changes->ops.end());
      std::optional<std::string> token;
      if (!changes->page_token.empty()) token = changes->page_token;
      auto page = engine::vc::commit_changes_page(*graph, changes->id, filter, changes->limit, token);
      if (token) {  // exactly one page
        if (changes->json)
          io.out << page.dump() << "\n";
        else
          print_changes_human(io.out, page["changes"]);
        return 0;
      }
      // All pages: human output streams each page; JSON collects one object.
      nlohmann::json all{{"cause", page["cause"]}, {"changes", nlohmann::json::array()}};
      while (true) {
        if (changes->json)
          for (auto& c : page["changes"]) all["changes"].push_back(std::move(c));
        else
          print_changes_human(io.out, page["changes"]);
        io.out.flush();
        if (!page.contains("next_page_token")) break;
        page = engine::vc::commit_changes_page(*graph, changes->id, filter, changes->limit,
                                               page["next_page_token"].get<std::string>());
      }
      if (changes->json) io.out << all.dump() << "\n";
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
