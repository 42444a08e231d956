// `omnigraph cleanup [URI] [--keep N] [--older-than D] --confirm [--json]` (data-plane §11.2,
// cli-and-cluster A12.2): destructive version retention, direct storage only.
#include <CLI/CLI.hpp>
#include <cctype>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"
#include "engine/maintenance/cleanup.h"

namespace omnigraph::cli {

namespace {

struct CleanupFlags {
  std::string uri;
  std::optional<uint64_t> keep;
  std::string older_than;
  bool confirm = false;
  bool json = false;
};

// "<integer><s|m|h|d|w>" (no unit = seconds) → seconds, at most 10^12 s (≈ 31,700 years) so
// the value in milliseconds cannot overflow.
int64_t parse_duration_secs(const std::string& text) {
  size_t digits = 0;
  while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0 || digits > 12) throw UsageError("invalid duration '" + text + "': expected <integer>[s|m|h|d|w]");
  const int64_t n = std::stoll(text.substr(0, digits));
  const std::string unit = text.substr(digits);
  int64_t scale = 0;
  if (unit.empty() || unit == "s") scale = 1;
  else if (unit == "m") scale = 60;
  else if (unit == "h") scale = 3600;
  else if (unit == "d") scale = 86400;
  else if (unit == "w") scale = 604800;
  else throw UsageError("unknown duration unit '" + unit + "'. Supported: s, m, h, d, w");
  constexpr int64_t kMaxSecs = 1'000'000'000'000;
  if (n > kMaxSecs / scale) throw UsageError("duration '" + text + "' is too large");
  return n * scale;
}

std::string policy_text(const CleanupFlags& f) {
  std::string out;
  if (f.keep) out = "keep newest " + std::to_string(std::max<uint64_t>(*f.keep, 1)) + " versions per type";
  if (!f.older_than.empty()) {
    if (!out.empty()) out += ", ";
    out += "keep versions younger than " + f.older_than;
  }
  return out;
}

}  // namespace

CommandSpec add_cleanup_command(CLI::App& parent, Io io) {
  CommandSpec spec{"cleanup", Capability::kDirect};
  auto f = std::make_shared<CleanupFlags>();
  spec.app = parent.add_subcommand("cleanup",
                                   "Reclaim old versions of each type's data (destructive; needs --confirm). A version is "
                                   "removed only if it fails every given criterion; current versions, commit metadata "
                                   "and data of in-flight writes are always kept");
  spec.app->add_option("uri", f->uri, "Graph URI (else --store / defaults.store)");
  spec.app->add_option("--keep", f->keep, "Keep the newest max(N,1) versions of each type");
  spec.app->add_option("--older-than", f->older_than, "Keep versions younger than D (integer + s|m|h|d|w; bare = seconds)");
  spec.app->add_flag("--confirm", f->confirm, "Actually reclaim (without it, only print the policy)");
  spec.app->add_flag("--json", f->json, "Print the report as JSON");
  spec.run = [io, f] {
    if (!global_flags().as.empty())
      reject_flag("cleanup", "direct (storage-native)", "--as", " Pass a storage URI, or --cluster <dir> --graph <id>.");
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("cleanup", f->uri, config);
    std::optional<int64_t> older_than_secs;
    if (!f->older_than.empty()) older_than_secs = parse_duration_secs(f->older_than);
    if (!f->keep && !older_than_secs) throw Error::bad_request("cleanup requires at least one of --keep or --older-than");
    echo_write_target(io.err, "cleanup", target);
    if (!f->confirm) {
      io.err << "cleanup is destructive — rerun with --confirm. Policy for " << target.uri << ": " << policy_text(*f)
             << "\n";
      return 0;
    }
    confirm_destructive(io.err, "cleanup", target, f->json);
    auto graph = engine::Graph::open(target.uri);
    engine::maintenance::CleanupOptions options;
    options.keep_versions = f->keep;
    if (older_than_secs) options.older_than_ms = *older_than_secs * 1000;
    auto report = engine::maintenance::cleanup(*graph, options);
    if (f->json) {
      nlohmann::ordered_json doc;
      doc["uri"] = target.uri;
      doc["keep_versions"] = f->keep ? nlohmann::ordered_json(*f->keep) : nlohmann::ordered_json(nullptr);
      doc["older_than_secs"] = older_than_secs ? nlohmann::ordered_json(*older_than_secs) : nlohmann::ordered_json(nullptr);
      auto& arr = doc["datasets"] = nlohmann::ordered_json::array();
      for (const auto& d : report.datasets)
        arr.push_back({{"type_key", d.type_key},
                       {"bytes_removed", d.bytes_removed},
                       {"old_versions_removed", d.old_versions_removed},
                       {"error", d.error ? nlohmann::ordered_json(*d.error) : nlohmann::ordered_json(nullptr)}});
      io.out << doc.dump(2) << "\n";
    } else {
      io.out << "cleanup " << target.uri << " (" << policy_text(*f) << ") — removed " << report.versions_removed()
             << " versions (" << report.bytes_removed() << " bytes) across " << report.datasets.size() << " datasets\n";
      for (const auto& d : report.datasets)
        if (d.error) io.out << "  " << d.type_key << ": error: " << *d.error << "\n";
    }
    for (const auto& d : report.datasets)
      if (d.error) return 1;
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
