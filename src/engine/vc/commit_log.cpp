// Commit list (newest first along a branch lineage) and commit show across live branches.
#include "engine/vc/commit_log.h"

#include <algorithm>
#include <tuple>

#include "common/error.h"
#include "engine/vc/branch_ops.h"

namespace omnigraph::engine::vc {

std::vector<storage::GraphCommit> list_commits(Graph& graph, std::string_view branch) {
  auto head = graph.refs().head(branch);
  auto commits = storage::commit_lineage(graph.store(), head.commit_id);
  std::stable_sort(commits.begin(), commits.end(), [](const auto& a, const auto& b) {
    return std::tie(a.sequence, a.created_at_us, a.id) > std::tie(b.sequence, b.created_at_us, b.id);
  });
  return commits;
}

storage::GraphCommit show_commit(Graph& graph, const std::string& id) {
  auto commit = storage::read_commit(graph.store(), id);  // not_found for unknown/malformed ids
  for (const auto& branch : list_branches(graph)) {
    auto tail = graph.refs().tail(branch);
    if (!tail || !tail->live()) continue;
    // Along a first-parent lineage sequences drop by exactly one per step, so only the
    // commits newer than `commit` are walked.
    std::string cur = tail->commit_id;
    while (true) {
      if (cur == commit.id) return commit;
      auto c = storage::read_commit(graph.store(), cur);
      if (c.sequence <= commit.sequence || c.parents.empty()) break;
      cur = c.parents.front();
    }
  }
  throw Error::not_found("commit '" + id + "' not found");
}

storage::GraphCommit commit_at_version(Graph& graph, std::string_view branch, uint64_t version) {
  auto head = graph.refs().head(branch);
  std::string cur = head.commit_id;
  while (true) {
    auto c = storage::read_commit(graph.store(), cur);
    if (c.sequence == version) return c;
    if (c.sequence < version || c.parents.empty()) break;
    cur = c.parents.front();
  }
  throw Error::not_found("branch '" + std::string(branch) + "' has no version " + std::to_string(version));
}

std::shared_ptr<const GraphSnapshot> snapshot_at_version(Graph& graph, std::string_view branch,
                                                         uint64_t version) {
  return graph.snapshot({.snapshot = commit_at_version(graph, branch, version).id});
}

}  // namespace omnigraph::engine::vc
