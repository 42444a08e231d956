// Schema evolution (languages.md §3.8, cli-and-cluster §A12.1): plan a migration from the
// accepted schema to a desired `.pg` source, and apply it as exactly one commit on main.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/migration_planner.h"
#include "engine/graph.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine::vc {

// Compiles `desired_source` (CompileError on a bad schema) and plans accepted(main head) → desired.
compiler::MigrationPlan plan_schema(Graph& graph, std::string_view desired_source, bool allow_data_loss);

struct SchemaApplyResult {
  compiler::MigrationPlan plan;
  bool applied = false;                        // false when the plan has no steps
  std::optional<storage::GraphCommit> commit;  // the schema commit when applied
  uint64_t graph_manifest_version = 0;         // main's version after the call
};

// Applies the plan as one commit on main (no data copied: renames keep the stable table and
// column ids; new types start empty; soft drops keep the table reachable from older commits;
// hard drops (allow_data_loss) also leave the dropped type's table out of the new commit and
// rewrite the fragments that store a dropped property's column without it, so the new head
// references no dropped value; older commits keep reading theirs until cleanup).
// Refuses: non-main branches exist (bad_request "schema apply requires a graph with only main;
// found non-main branches: a, b"), an unsupported plan (bad_request with the planner's
// message), main moved during the apply (conflict read_set_conflict).
SchemaApplyResult apply_schema(Graph& graph, std::string_view desired_source, bool allow_data_loss,
                               std::optional<std::string> actor);

}  // namespace omnigraph::engine::vc
