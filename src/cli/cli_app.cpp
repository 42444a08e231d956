// Top-level argument parsing and dispatch for `omnigraph`.
#include "cli/cli_app.h"

#include <CLI/CLI.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "common/logging.h"
#include "common/version.h"

namespace omnigraph::cli {

std::string_view capability_phrase(Capability capability) {
  switch (capability) {
    case Capability::kAny: return "data";
    case Capability::kServed: return "served";
    case Capability::kDirect: return "direct (storage-native)";
    case Capability::kControl: return "cluster control";
    case Capability::kLocal: return "local";
  }
  return "local";
}

namespace {

std::string capability_legend(const std::vector<CommandSpec>& commands) {
  static constexpr Capability kOrder[] = {Capability::kAny, Capability::kServed, Capability::kDirect,
                                          Capability::kControl, Capability::kLocal};
  static constexpr const char* kName[] = {"any", "served", "direct", "control", "local"};
  std::string legend = "COMMANDS BY CAPABILITY:\n";
  for (size_t i = 0; i < std::size(kOrder); ++i) {
    std::string names;
    for (const auto& c : commands) {
      if (c.capability != kOrder[i]) continue;
      if (!names.empty()) names += ", ";
      names += c.name;
    }
    if (names.empty()) continue;
    legend += "  " + std::string(kName[i]) + " (" + std::string(capability_phrase(kOrder[i])) + "): " + names + "\n";
  }
  return legend;
}

}  // namespace

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  logging::init();
  CLI::App app{"Omnigraph: a typed property-graph database with Git-style branches", "omnigraph"};
  app.require_subcommand(0, 1);
  app.set_version_flag("-v,--version", std::string("omnigraph ") + kReleaseVersion);

  Io io{out, err};
  add_global_flags(app);
  std::vector<CommandSpec> commands;
  commands.push_back(add_query_command(app, io));
  commands.push_back(add_mutate_command(app, io));
  commands.push_back(add_load_command(app, io));
  commands.push_back(add_branch_command(app, io));
  commands.push_back(add_snapshot_command(app, io));
  commands.push_back(add_export_command(app, io));
  commands.push_back(add_commit_command(app, io));
  commands.push_back(add_changes_command(app, io));
  commands.push_back(add_schema_command(app, io));
  commands.push_back(add_init_command(app, io));
  commands.push_back(add_optimize_command(app, io));
  commands.push_back(add_lint_command(app, io));
  commands.push_back(add_version_command(app, io));
  commands.push_back(add_embed_command(app, io));
  commands.push_back(add_cleanup_command(app, io));
  app.footer(capability_legend(commands));

  // Deprecated-compat argv rewrites (cli-and-cluster.md A13): they inspect only argv[1]
  // (and argv[2] for `query lint|check`) before parsing.
  std::vector<std::string> argv = args;
  if (!argv.empty() && argv[0] == "check") {
    err << "warning: `omnigraph check` is deprecated; use `omnigraph lint` instead\n";
    argv[0] = "lint";
  } else if (!argv.empty() && argv[0] == "read") {
    err << "warning: `omnigraph read` is deprecated; use `omnigraph query` instead\n";
    argv[0] = "query";
  } else if (!argv.empty() && argv[0] == "change") {
    err << "warning: `omnigraph change` is deprecated; use `omnigraph mutate` instead\n";
    argv[0] = "mutate";
  } else if (argv.size() >= 2 && argv[0] == "query" && (argv[1] == "lint" || argv[1] == "check")) {
    err << "warning: `omnigraph query <lint|check>` is deprecated; use `omnigraph lint` instead\n";
    argv.erase(argv.begin());
    argv[0] = "lint";
  }
  std::vector<std::string> reversed(argv.rbegin(), argv.rend());  // CLI11 consumes from the back
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    return 0;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "error: " << e.what() << "\n" << "Run 'omnigraph --help' for usage.\n";
    return 2;
  }

  for (const auto& c : commands) {
    if (!c.app->parsed()) continue;
    try {
      return c.run();
    } catch (const UsageError& e) {
      err << "error: " << e.what() << "\n";
      return 2;
    } catch (const Error& e) {
      err << "error: " << e.message() << "\n";
      return e.cli_exit_code();
    } catch (const std::exception& e) {
      err << "error: " << e.what() << "\n";
      return 1;
    }
  }
  // No subcommand: show usage, as `git` does.
  out << app.help();
  return 0;
}

}  // namespace omnigraph::cli
