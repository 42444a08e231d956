// CommitOutput JSON of a graph commit.
#include "engine/commit_output.h"

namespace omnigraph::engine {

nlohmann::ordered_json commit_output(const storage::GraphCommit& commit) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["graph_commit_id"] = commit.id;
  j["graph_branch"] = commit.branch == "main" ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(commit.branch);
  j["graph_manifest_version"] = commit.sequence;
  j["parent_commit_id"] = commit.parents.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(commit.parents[0]);
  j["merged_parent_commit_id"] = commit.parents.size() > 1 ? nlohmann::ordered_json(commit.parents[1]) : nlohmann::ordered_json(nullptr);
  j["actor_id"] = commit.actor ? nlohmann::ordered_json(*commit.actor) : nlohmann::ordered_json(nullptr);
  j["created_at"] = commit.created_at_us;
  return j;
}

}  // namespace omnigraph::engine
