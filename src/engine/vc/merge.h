// Three-way, entity-level branch merge (data-plane §7): merge base from the commit graph,
// outcome selection, the §7.3 truth table, validation of the merged result (§7.4) and one
// two-parent commit on the target — all or nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/graph.h"
#include "engine/vc/table_delta.h"

namespace omnigraph::engine::vc {

// Common ancestor of two commits (walking every parent link) with the smallest sum of
// distances; ties → higher graph_manifest_version, then larger id. nullopt if none.
std::optional<std::string> merge_base(storage::ObjectStore& store, const std::string& a,
                                      const std::string& b);

// At most this many conflict records are reported (the summary says when the list stopped).
constexpr size_t kMaxMergeConflicts = 1000;

enum class MergeOutcome { kAlreadyUpToDate, kFastForward, kMerged };
std::string_view merge_outcome_name(MergeOutcome outcome);

struct MergeResult {
  std::string source, target;
  MergeOutcome outcome = MergeOutcome::kAlreadyUpToDate;
  std::optional<storage::GraphCommit> commit;  // the published commit; nullopt when up to date
  FragmentReadStats reads;                     // fragments/deletion vectors decoded by the diff
};

// Merges branch `source` into `target`. The source is never modified. Throws bad_request
// (same branch, internal refs, source and target on different schemas), not_found (missing
// branch), conflict with MergeConflictsDetail (§7.3 conflicts alone, sorted by kind, type,
// id; else every §7.4 violation of the merged delta in §2.7 evaluation order; at most
// kMaxMergeConflicts records; the target untouched), conflict with read_set_conflict when
// the target moved during the merge.
MergeResult merge_branches(Graph& graph, std::string_view source, std::string_view target,
                           std::optional<std::string> actor);

}  // namespace omnigraph::engine::vc
