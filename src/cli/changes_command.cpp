// `omnigraph changes poll|baseline` (data-plane §8.3, §8.4): the change feed of a branch.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"
#include "engine/vc/change_feed.h"

namespace omnigraph::cli {

namespace {
struct ChangesCliOptions {
  std::string uri;
  std::string branch = "main";
  std::string cursor, start, page_token, out;
  uint64_t limit = engine::vc::kDefaultChangePageLimit;
  std::vector<std::string> kinds, types, ops;
  bool json = false;
};

void add_filters(CLI::App* app, ChangesCliOptions& o) {
  for (auto [flag, target, help] : {std::tuple{"--kind", &o.kinds, "node|edge (repeatable)"},
                                    std::tuple{"--type", &o.types, "Type name (repeatable)"},
                                    std::tuple{"--op", &o.ops, "insert|update|delete (repeatable)"}})
    app->add_option(flag, *target, help)
        ->expected(1)
        ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
        ->allow_extra_args(false);
  app->add_option("--uri", o.uri, "Graph URI");
  app->add_option("--branch", o.branch, "Branch (default main)");
}

engine::vc::ChangeFilter filter_of(const ChangesCliOptions& o) {
  engine::vc::ChangeFilter f;
  f.kinds.insert(o.kinds.begin(), o.kinds.end());
  f.types.insert(o.types.begin(), o.types.end());
  f.ops.insert(o.ops.begin(), o.ops.end());
  return f;
}

void fsync_path(const std::string& path, int flags) {
  int fd = ::open(path.c_str(), flags);
  if (fd < 0) throw Error::internal("cannot open '" + path + "' for fsync");
  ::fsync(fd);
  ::close(fd);
}
}  // namespace

CommandSpec add_changes_command(CLI::App& parent, Io io) {
  CommandSpec spec{"changes", Capability::kAny};
  spec.app = parent.add_subcommand("changes", "Change feed of a branch: poll blocks, write a baseline");
  spec.app->require_subcommand(1);
  auto poll = std::make_shared<ChangesCliOptions>();
  auto base = std::make_shared<ChangesCliOptions>();
  auto* poll_app =
      spec.app->add_subcommand("poll", "Blocks of changes after a position (default: start now)");
  add_filters(poll_app, *poll);
  auto* cursor = poll_app->add_option("--cursor", poll->cursor, "Durable cursor from an earlier poll");
  poll_app->add_option("--start", poll->start, "now | beginning | after:<commit_id> (default now)")
      ->excludes(cursor);
  poll_app->add_option("--limit", poll->limit, "Changes per page (default 1000, max 8192)");
  poll_app->add_option("--page-token", poll->page_token, "Fetch exactly this page");
  poll_app->add_flag("--json", poll->json, "Print JSON");
  auto* base_app = spec.app->add_subcommand("baseline", "Export the branch at one head plus a resume cursor");
  add_filters(base_app, *base);
  base_app->add_option("--out", base->out, "Output file (written atomically)")->required();
  base_app->add_flag("--json", base->json, "Print JSON");

  spec.run = [io, poll, base, poll_app] {
    auto config = load_operator_config(io.err);
    if (poll_app->parsed()) {
      auto target = resolve_graph("changes poll", poll->uri, config);
      auto graph = engine::Graph::open(target.uri);
      engine::vc::FeedPosition pos;
      if (!poll->cursor.empty()) pos.cursor = poll->cursor;
      if (!poll->start.empty()) pos.start = poll->start;
      if (!poll->page_token.empty()) pos.page_token = poll->page_token;
      auto filter = filter_of(*poll);
      nlohmann::json all{{"blocks", nlohmann::json::array()}};
      auto page = engine::vc::poll_changes(*graph, poll->branch, pos, filter, poll->limit);
      bool single = pos.page_token.has_value();
      while (true) {
        for (auto& b : page["blocks"]) {
          if (!poll->json) {
            io.out << "commit " << b["cause"]["graph_commit_id"].get<std::string>() << " ("
                   << b["changes"].size() << " changes)\n";
            for (const auto& c : b["changes"])
              io.out << "  " << c["op"].get<std::string>() << " " << c["kind"].get<std::string>() << " "
                     << c["type"]["name"].get<std::string>() << " " << c["id"].get<std::string>() << "\n";
          }
          all["blocks"].push_back(std::move(b));
        }
        io.out.flush();
        if (single || !page.contains("next_page_token")) break;
        engine::vc::FeedPosition next;
        next.page_token = page["next_page_token"].get<std::string>();
        page = engine::vc::poll_changes(*graph, poll->branch, next, filter, poll->limit);
      }
      // The cursor is printed only with the terminal page.
      for (const char* k : {"next_page_token", "cursor", "caught_up"})
        if (page.contains(k)) all[k] = page[k];
      if (poll->json) {
        io.out << all.dump() << "\n";
      } else {
        if (all.contains("next_page_token"))
          io.out << "next_page_token: " << all["next_page_token"].get<std::string>() << "\n";
        if (all.contains("cursor")) io.out << "cursor: " << all["cursor"].get<std::string>() << "\n";
        if (all.contains("caught_up"))
          io.out << "caught_up: " << (all["caught_up"].get<bool>() ? "true" : "false") << "\n";
      }
      return 0;
    }
    auto target = resolve_graph("changes baseline", base->uri, config);
    auto graph = engine::Graph::open(target.uri);
    std::string lock_path = base->out + ".lock";
    int lock_fd = ::open(lock_path.c_str(), O_CREAT | O_RDWR, 0644);
    if (lock_fd < 0 || ::flock(lock_fd, LOCK_EX) != 0)
      throw Error::bad_request("cannot lock '" + lock_path + "'");
    std::string tmp = base->out + ".tmp." + std::to_string(::getpid());
    nlohmann::json info;
    {
      std::ofstream file(tmp, std::ios::binary | std::ios::trunc);
      if (!file) throw Error::bad_request("cannot write '" + tmp + "'");
      info = engine::vc::write_baseline(*graph, base->branch, filter_of(*base), file);
      file.flush();
      if (!file) throw Error::bad_request("cannot write '" + tmp + "'");
    }
    fsync_path(tmp, O_RDONLY);
    std::filesystem::rename(tmp, base->out);
    auto dir = std::filesystem::absolute(base->out).parent_path().string();
    fsync_path(dir, O_RDONLY | O_DIRECTORY);
    ::flock(lock_fd, LOCK_UN);
    ::close(lock_fd);
    if (base->json) {
      io.out << info.dump() << "\n";
    } else {
      io.out << "snapshot: " << base->out << "\n"
             << "snapshot_commit_id: " << info["snapshot_commit_id"].get<std::string>() << "\n"
             << "resume_cursor: " << info["resume_cursor"].get<std::string>() << "\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
