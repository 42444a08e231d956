// `optimize` (data-plane.md §11.1, §11.3): compacts the stored data of every type on main and
// persists the missing per-fragment index segments, publishing at most one maintenance commit.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/graph.h"
#include "engine/index/segment_writer.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine::maintenance {

// An index optimize could not build yet (§11.3): a Vector property without any vector.
struct PendingIndex {
  std::string property;  // the property's name
  std::string reason;
};

// What optimize did to one type (one "dataset" of §11.1).
struct DatasetOptimize {
  std::string type_key;            // "node:<Type>" / "edge:<Type>"
  uint64_t fragments_removed = 0;  // fragments rewritten away by compaction
  uint64_t fragments_added = 0;    // fragments compaction produced
  uint64_t segments_added = 0;     // index segments persisted
  bool committed = false;          // the type's stored data changed in the published commit
  std::vector<PendingIndex> pending_indexes;
};

struct OptimizeReport {
  std::vector<DatasetOptimize> datasets;       // every type with a table, sorted by type key (edges first)
  std::optional<storage::GraphCommit> commit;  // the published maintenance commit; nullopt = steady state
  uint32_t attempts = 0;                       // planning rounds (> 1 when main moved during optimize)
};

// Compaction policy (docs/engine.md "Optimize"). A fragment is a *candidate* when it holds
// fewer live rows than `target_fragment_rows` or when at least `materialize_deletions_ratio` of
// its rows are deleted. Maximal runs of adjacent candidates are rewritten when the run has two or
// more fragments, or one fragment with deletions over the ratio. A rewrite copies the run's live
// rows, in order, into fragments of at most `target_fragment_rows` rows.
struct OptimizeOptions {
  uint64_t target_fragment_rows = 0;         // 0 = the engine's write size (kMaxFragmentRows)
  double materialize_deletions_ratio = 0.1;  // fraction of deleted rows that forces a rewrite
};

// Optimizes branch main of `graph`:
// - compaction per the policy above; every entity keeps its id, endpoints and values bit for bit
//   (a row reads exactly as it read before); kept fragments keep their index segments;
// - for every node property whose Property::index is served by a writer in `writers` (matched on
//   SegmentWriter::serves), every fragment without a segment of that writer's kind on the
//   property's column gets one: `encode` over all physical rows of the fragment's column, stored
//   at storage::index_key(table, kind) and listed as an IndexEntry covering that one fragment. A
//   Vector property whose live rows hold no vector yet is reported pending instead.
// Publishes one commit on main (actor null, GraphCommit::maintenance = true, no entity changed)
// when any type changed, none otherwise (a second run is a no-op). If main moves before the
// publish, re-plans from the new head (tables whose snapshot did not change reuse the work
// already written) and retries, up to 32 rounds, then throws conflict. A crash leaves main at
// its previous commit plus unreferenced objects. Throws storage errors and what `encode` throws.
// Thread-safe with respect to concurrent writers (they never fail because of it; graph.h).
OptimizeReport optimize(Graph& graph, const std::vector<index::SegmentWriter>& writers,
                        const OptimizeOptions& options = {});

}  // namespace omnigraph::engine::maintenance
