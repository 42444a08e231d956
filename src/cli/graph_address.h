// Shared CLI plumbing for commands that address one graph in embedded (direct-store) mode:
// the global flags (--store, --as, --quiet, --yes), the operator config
// (~/.omnigraph/config.yaml, cli-and-cluster §A8), scope resolution (§A3.2 for store scopes),
// the actor chain (§A4), the write-target echo and the destructive-write gate (§A5).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace omnigraph::cli {

// A command-line usage error: printed as `error: <message>` and exits with code 2 (§A6).
class UsageError : public std::runtime_error {
 public:
  explicit UsageError(const std::string& message) : std::runtime_error(message) {}
};

// Values of the global flags for this invocation (filled by the parser).
struct GlobalFlags {
  std::string store;  // --store <URI>
  std::string as;     // --as <ACTOR>
  bool quiet = false;  // --quiet
  bool yes = false;    // --yes
};

// Registers the global flags on the root app (accepted before or after the subcommand) and
// resets the process-wide values. Call once per parse, before adding subcommands.
void add_global_flags(CLI::App& app);
// The parsed global flags. Not thread-safe (one CLI invocation per process at a time).
const GlobalFlags& global_flags();

// The parts of the operator config embedded commands use. Absent file = all empty.
struct OperatorConfig {
  std::string path;                    // the file consulted ("" when no home is resolvable)
  std::optional<std::string> actor;    // operator.actor
  std::optional<std::string> output;   // defaults.output (table|kv|csv|jsonl|json)
  uint32_t table_max_column_width = 80;  // defaults.table_max_column_width
  std::string table_cell_layout = "truncate";  // defaults.table_cell_layout (truncate|wrap)
  std::optional<std::string> store;    // defaults.store
  std::optional<std::string> server;   // defaults.server
  std::optional<std::string> default_graph;  // defaults.default_graph
};

// Reads $OMNIGRAPH_HOME/config.yaml (else ~/.omnigraph/config.yaml). Unknown keys produce a
// warning on `err`; malformed YAML or invalid values throw Error(bad_request)
// "could not parse operator config '<path>': …"; the §A8 load-time checks apply.
OperatorConfig load_operator_config(std::ostream& err);

struct ResolvedGraph {
  std::string uri;
  bool local = true;  // no "://" or file:// (§A5)
};

// Resolves the graph an `any`/`direct` command addresses in embedded mode: positional URI
// (`positional`) or --store (mutually exclusive), else defaults.store. Throws UsageError
// "no graph addressed — …" when nothing resolves, Error(bad_request) for http(s) URIs and for
// a served default scope (not available in embedded mode). `label` names the command.
ResolvedGraph resolve_graph(std::string_view label, const std::string& positional, const OperatorConfig& config);

// Actor chain (§A4): --as, else operator.actor, else none.
std::optional<std::string> resolve_actor(const OperatorConfig& config);

// §A3.4 guard for a flag the verb cannot consume: throws UsageError with the spec's message.
// `capability_phrase` e.g. "direct (storage-native)"; `remedy` e.g. " Pass a storage URI.".
void reject_flag(std::string_view label, std::string_view capability_phrase, std::string_view flag,
                 std::string_view remedy);

// Write-target echo to stderr (§A5) unless --quiet: "omnigraph <label> → <uri> (direct, local)".
void echo_write_target(std::ostream& err, std::string_view label, const ResolvedGraph& graph);

// Destructive-write gate (§A5): local or --yes proceeds; otherwise refuses (json or no TTY)
// or prompts on stderr and reads stdin. Throws Error(bad_request) when refused.
void confirm_destructive(std::ostream& err, std::string_view gate_label, const ResolvedGraph& graph, bool json);

// Reads a whole file; throws Error(bad_request) "cannot read <what> '<path>'".
std::string read_text_file(const std::string& path, std::string_view what);

}  // namespace omnigraph::cli
