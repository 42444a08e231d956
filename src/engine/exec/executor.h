// The read-query executor: plans the match pipeline (planner.h), runs it over a pinned
// snapshot, then aggregates / orders / limits / projects into a typed ReadResult.
// Search predicates and nearest/bm25 scores are evaluated per row (search_eval.h); an
// `order { nearest | bm25 | rrf }` ranking goes through rank_rows, except a single-scan
// `order { bm25 } limit k`, which takes the Bm25TopK fast path (operators.h).
// Thread-safe as long as each call uses its own arguments (snapshots are shareable).
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "compiler/ir.h"
#include "engine/exec/read_result.h"
#include "engine/graph_snapshot.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

// Executes `plan` against `snapshot` with bound parameter values and the query's now()
// instant (epoch ms). Throws Error(bad_request) for unsupported functions.
ReadResult execute_read(const GraphSnapshot& snapshot, const compiler::ir::ReadPlan& plan,
                        const std::map<std::string, Value>& params, int64_t now_ms);

// Binds JSON parameters (languages.md §5.3) to Values for `declared`. Throws the binding's
// bad_request errors.
std::map<std::string, Value> bind_param_values(const std::vector<compiler::ir::ParamDecl>& declared,
                                               const nlohmann::json& params);

// Compile (parse → typecheck → lower against the snapshot's catalog), bind, execute.
// `name` selects the query in `source` (empty: the only one). Throws CompileError /
// Error(bad_request) — also when the selected query is a mutation.
ReadResult run_read_query(const GraphSnapshot& snapshot, std::string_view source, std::string_view name,
                          const nlohmann::json& params, std::string* query_name = nullptr);

}  // namespace omnigraph::engine::exec
