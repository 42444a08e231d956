// The `snapshot` report (data-plane §10): per-type entity counts, data versions and owning
// branch at a branch head.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph.h"

namespace omnigraph::engine {

struct DatasetInfo {
  std::string entity_kind;  // "node" | "edge"
  std::string type_name;
  std::string dataset_path;  // opaque stable locator ("tables/<table id>")
  uint64_t published_dataset_version = 0;
  std::optional<std::string> native_dataset_branch;  // branch that wrote the current data; nullopt = main
  uint64_t entity_count = 0;
};

struct SnapshotInfo {
  std::string graph_branch;
  uint64_t graph_manifest_version = 0;
  int internal_schema_version = 0;
  std::vector<DatasetInfo> datasets;  // sorted by type key (edges first, then by name)
};

// Describes the head of `branch`. Throws not_found for a missing branch.
SnapshotInfo describe_snapshot(Graph& graph, const std::string& branch);

// {"graph_branch", "graph_manifest_version", "internal_schema_version", "datasets":[…]} (pretty, as `--json` prints it).
std::string snapshot_info_json(const SnapshotInfo& info);
// The human form, one line per field/type, newline-terminated.
std::string snapshot_info_human(const SnapshotInfo& info);

}  // namespace omnigraph::engine
