// `omnigraph optimize [URI] [--json]`: compaction and index persistence on main (data-plane §11.1;
// cli-and-cluster §A12.2). Direct-storage only: rejects --server, --as and http(s) targets.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "engine/graph.h"
#include "engine/index/segment_writer.h"
#include "engine/maintenance/optimize.h"

namespace omnigraph::cli {

namespace {
struct OptimizeCliOptions {
  std::string uri;
  std::string server;
  bool json = false;
};

constexpr std::string_view kLabel = "optimize";
constexpr std::string_view kRemedy = " Pass a storage URI, or --cluster <dir> --graph <id>.";

bool is_http(const std::string& uri) {
  return uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0;
}

nlohmann::ordered_json report_json(const std::string& uri, const engine::maintenance::OptimizeReport& report) {
  nlohmann::ordered_json datasets = nlohmann::ordered_json::array();
  for (const auto& d : report.datasets) {
    nlohmann::ordered_json pending = nlohmann::ordered_json::array();
    for (const auto& p : d.pending_indexes)
      pending.push_back({{"property", p.property}, {"reason", p.reason}});
    datasets.push_back({{"type_key", d.type_key},
                        {"fragments_removed", d.fragments_removed},
                        {"fragments_added", d.fragments_added},
                        {"committed", d.committed},
                        {"skipped", nullptr},
                        {"published_dataset_version", nullptr},
                        {"lance_head_version", nullptr},
                        {"pending_indexes", std::move(pending)}});
  }
  nlohmann::ordered_json doc;  // the spec's key order
  doc["uri"] = uri;
  doc["datasets"] = std::move(datasets);
  return doc;
}

void print_human(std::ostream& out, const std::string& uri,
                 const engine::maintenance::OptimizeReport& report) {
  out << "optimize " << uri << " \u2014 " << report.datasets.size() << " datasets\n";
  for (const auto& d : report.datasets) {
    out << "  " << d.type_key << ": ";
    if (d.committed) {
      out << "frags " << d.fragments_removed << " \u2192 " << d.fragments_added << " \u2713";
      if (d.segments_added) out << " (+" << d.segments_added << " index segments)";
      out << "\n";
    } else {
      out << "no-op\n";
    }
    for (const auto& p : d.pending_indexes)
      out << "    \u21b3 index pending on property '" << p.property << "': " << p.reason << "\n";
  }
}
}  // namespace

CommandSpec add_optimize_command(CLI::App& parent, Io io) {
  CommandSpec spec{"optimize", Capability::kDirect};
  auto options = std::make_shared<OptimizeCliOptions>();
  spec.app = parent.add_subcommand("optimize", "Compact stored data and build missing indexes on main");
  spec.app->add_option("uri", options->uri, "Storage URI of the graph (path or file://)");
  spec.app->add_flag("--json", options->json, "Print the report as JSON");
  // Accepted only to be refused with the §A3.4 message (maintenance never goes through a server).
  spec.app->add_option("--server", options->server, "Not accepted: optimize works on storage directly")
      ->group("");
  spec.run = [io, options] {
    const auto& flags = global_flags();
    std::string_view phrase = capability_phrase(Capability::kDirect);
    if (!options->server.empty()) reject_flag(kLabel, phrase, "--server", kRemedy);
    if (!flags.as.empty()) reject_flag(kLabel, phrase, "--as", kRemedy);
    auto config = load_operator_config(io.err);
    std::string addressed = !options->uri.empty() ? options->uri : flags.store;
    if (addressed.empty() && config.store) addressed = *config.store;
    if (is_http(addressed))
      throw UsageError(
          "`optimize` is a direct (storage-native) command and needs direct storage access; the resolved "
          "target is a remote server (" +
          addressed + "). Pass the graph's file:// or s3:// URI.");
    auto target = resolve_graph(kLabel, options->uri, config);
    echo_write_target(io.err, kLabel, target);
    auto graph = engine::Graph::open(target.uri);
    auto report = engine::maintenance::optimize(*graph, engine::index::segment_writers());
    if (options->json)
      io.out << report_json(target.uri, report).dump() << "\n";
    else
      print_human(io.out, target.uri, report);
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
