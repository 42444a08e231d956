// What every CLI subcommand declares: its name and capability (§A2). The help
// legend "COMMANDS BY CAPABILITY" is generated from these, so it lists only
// commands that exist.
#pragma once

#include <functional>
#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace omnigraph::cli {

enum class Capability { kAny, kServed, kDirect, kControl, kLocal };

// Phrase used in messages: any→"data", direct→"direct (storage-native)", ...
std::string_view capability_phrase(Capability capability);

// Streams a command writes to.
struct Io {
  std::ostream& out;
  std::ostream& err;
};

struct CommandSpec {
  std::string name;
  Capability capability;
  CLI::App* app = nullptr;        // the CLI11 subcommand
  std::function<int()> run;       // called when the subcommand was selected; returns exit code
};

// Each command file exposes one `add_<name>_command(CLI::App&, Io)` returning its spec.
CommandSpec add_version_command(CLI::App& parent, Io io);
CommandSpec add_lint_command(CLI::App& parent, Io io);
CommandSpec add_init_command(CLI::App& parent, Io io);
CommandSpec add_optimize_command(CLI::App& parent, Io io);
CommandSpec add_load_command(CLI::App& parent, Io io);
CommandSpec add_snapshot_command(CLI::App& parent, Io io);
CommandSpec add_export_command(CLI::App& parent, Io io);
CommandSpec add_schema_command(CLI::App& parent, Io io);
CommandSpec add_query_command(CLI::App& parent, Io io);
CommandSpec add_mutate_command(CLI::App& parent, Io io);
CommandSpec add_branch_command(CLI::App& parent, Io io);
CommandSpec add_commit_command(CLI::App& parent, Io io);
CommandSpec add_changes_command(CLI::App& parent, Io io);
CommandSpec add_embed_command(CLI::App& parent, Io io);
CommandSpec add_cleanup_command(CLI::App& parent, Io io);

}  // namespace omnigraph::cli
