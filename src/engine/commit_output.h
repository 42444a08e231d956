// CommitOutput JSON (data-plane §5.1) of a graph commit; shared by load, mutate, merge and
// the server. Include only where JSON is produced (pulls in nlohmann/json).
#pragma once

#include <nlohmann/json.hpp>

#include "storage/graph_commit.h"

namespace omnigraph::engine {

// {graph_commit_id, graph_branch (null for main), graph_manifest_version, parent_commit_id,
//  merged_parent_commit_id, actor_id, created_at (epoch µs)} in that order; nulls emitted.
nlohmann::ordered_json commit_output(const storage::GraphCommit& commit);

}  // namespace omnigraph::engine
