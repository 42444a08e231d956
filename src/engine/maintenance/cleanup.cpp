// Version retention over the storage garbage collector, reported per type.
#include "engine/maintenance/cleanup.h"

#include <algorithm>
#include <map>

#include "common/error.h"
#include "engine/column_mapping.h"
#include "engine/graph_snapshot.h"
#include "storage/garbage_collector.h"

namespace omnigraph::engine::maintenance {

uint64_t CleanupReport::versions_removed() const {
  uint64_t n = 0;
  for (const auto& d : datasets) n += d.old_versions_removed;
  return n;
}

uint64_t CleanupReport::bytes_removed() const {
  uint64_t n = 0;
  for (const auto& d : datasets) n += d.bytes_removed;
  return n;
}

CleanupReport cleanup(Graph& graph, const CleanupOptions& options) {
  if (!options.keep_versions && !options.older_than_ms)
    throw Error::bad_request("cleanup requires at least one of --keep or --older-than");
  storage::GcOptions gc;
  gc.grace_ms = options.grace_ms;
  gc.retention = storage::RetentionPolicy{options.keep_versions, options.older_than_ms};
  storage::GcReport r = storage::collect_garbage(graph.store(), gc);

  // Name tables by the current schema of main (a rename keeps the table id).
  std::map<std::string, std::string> names;
  const compiler::Catalog& catalog = graph.snapshot()->catalog();
  for (const auto* list : {&catalog.nodes, &catalog.edges})
    for (const auto& t : *list) names[table_id(t)] = type_key(t);
  CleanupReport report;
  for (const auto& [table, stats] : r.tables) {
    auto it = names.find(table);
    report.datasets.push_back({it != names.end() ? it->second : "table:" + table, stats.bytes_removed,
                               stats.versions_removed, stats.error});
  }
  std::sort(report.datasets.begin(), report.datasets.end(),
            [](const CleanupDataset& a, const CleanupDataset& b) { return a.type_key < b.type_key; });
  return report;
}

}  // namespace omnigraph::engine::maintenance
