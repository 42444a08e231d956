// Mutation execution (languages.md §6.9, data-plane.md §3): compiles a mutation query,
// stages its statements in order (read-your-writes) inside one Graph::write, and reports
// the affected counts and the published commit (nullopt for a no-op).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/ir.h"
#include "engine/graph.h"
#include "engine/value.h"
#include "engine/write_txn.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine::mutation {

struct MutationOptions {
  std::string branch = "main";
  std::optional<std::string> actor;          // --as / operator config
  std::optional<std::string> expected_head;  // --if-commit
  // Per-query limit on entities written or matched (data-plane.md §3.2); more → 413
  // resource_limit{"mutation_entities", limit, actual} before any effect.
  uint64_t max_entities = 1'000'000;
  // Runs at the start of every prepare attempt (tests use it to move the head concurrently).
  std::function<void()> on_prepare;
};

struct MutationOutcome {
  std::string query_name;
  std::string branch;
  uint64_t affected_nodes = 0;
  uint64_t affected_edges = 0;
  std::optional<std::string> actor;
  std::optional<storage::GraphCommit> commit;  // nullopt: nothing changed, no commit
};

struct StatementCounts {
  uint64_t nodes = 0;
  uint64_t edges = 0;
};

// Stages every statement of `plan` into `txn` in order, with bound `params` and the
// query's single now() instant. Throws Error(bad_request) for execution-time value errors
// (`missing required property 'p'`, `integer value N exceeds Int32 range`, `cannot update
// @key property 'p' — …`). Does not validate constraints (Graph::write does).
StatementCounts stage_mutation(const compiler::ir::QueryPlan& plan,
                               const std::map<std::string, Value>& params, int64_t now_ms, WriteTxn& txn,
                               uint64_t max_entities = 1'000'000);

// Compile → mixing rule → bind → one Graph::write on options.branch. All-insert queries are
// re-prepared when the head moves; others fail with conflict/read_set_conflict; an
// expected_head mismatch fails with precondition_failure (also for a no-op). Throws
// CompileError / Error.
MutationOutcome run_mutation(Graph& graph, std::string_view source, std::string_view name,
                             const nlohmann::json& params, const MutationOptions& options);

}  // namespace omnigraph::engine::mutation
