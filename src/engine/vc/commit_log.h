// Commit listing and lookup of data-plane §5.3: a branch's lineage newest first, and a commit id
// resolved across the live branches' histories.
#pragma once

#include <string>
#include <vector>

#include "engine/graph.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine::vc {

// The branch's own lineage (first parents from its head back to genesis), ordered by
// (graph_manifest_version, created_at, id) descending. Throws not_found for an unknown branch.
std::vector<storage::GraphCommit> list_commits(Graph& graph, std::string_view branch = "main");

// The commit `id` if it lies on the first-parent lineage of some live branch; otherwise throws
// not_found "commit '<id>' not found" (also for commits only reachable from deleted branches).
// Cost: one commit read plus, per live branch, the commits newer than `id` on its lineage.
storage::GraphCommit show_commit(Graph& graph, const std::string& id);

// Time travel by version (§6 embedded API): the commit of `branch`'s lineage whose
// graph_manifest_version is `version`. Throws not_found "branch '<b>' has no version <v>".
storage::GraphCommit commit_at_version(Graph& graph, std::string_view branch, uint64_t version);

// A read snapshot of `branch` at `version` (see commit_at_version).
std::shared_ptr<const GraphSnapshot> snapshot_at_version(Graph& graph, std::string_view branch,
                                                         uint64_t version);

}  // namespace omnigraph::engine::vc
