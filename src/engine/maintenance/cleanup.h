// `cleanup` (data-plane §11.2): reclaims old versions of each type's stored data under a
// retention policy, and the storage of deleted branches and crashed writes. Destructive:
// reads, time travel and change diffs of reclaimed versions then fail with 410.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph.h"

namespace omnigraph::engine::maintenance {

struct CleanupOptions {
  std::optional<uint64_t> keep_versions;  // keep the newest max(N, 1) versions per type
  std::optional<int64_t> older_than_ms;   // keep versions younger than this
  // Unreferenced objects younger than this may belong to a write in flight and are kept.
  int64_t grace_ms = 60 * 60 * 1000;
};

struct CleanupDataset {
  std::string type_key;  // "node:T" / "edge:E"; "table:<id>" for a type no longer in the schema
  uint64_t bytes_removed = 0;
  uint64_t old_versions_removed = 0;
  std::optional<std::string> error;  // this type failed alone; rerunning converges
};

struct CleanupReport {
  std::vector<CleanupDataset> datasets;  // types with something reclaimed or failed, by type key
  uint64_t versions_removed() const;
  uint64_t bytes_removed() const;
};

// Applies the policy (at least one criterion must be set: else bad_request "cleanup requires at
// least one of --keep or --older-than"). Versions current on a live branch head, commit metadata
// and objects younger than the grace period that nothing references are never removed.
CleanupReport cleanup(Graph& graph, const CleanupOptions& options);

}  // namespace omnigraph::engine::maintenance
