// The operators after the match pipeline: aggregate (aggregate.cpp), order + top-k
// (top_k.cpp) and project (project.cpp). Not thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/exec/read_result.h"
#include "engine/exec/row_batch.h"

namespace omnigraph::engine::exec {

// Implicit grouping on the non-aggregate columns (null equals null), groups in
// first-appearance order; no group keys ⇒ exactly one row. Returns the result rows (unordered,
// unlimited).
std::vector<std::vector<Value>> aggregate(const compiler::ir::ReadPlan& plan, const RowBatch& rows,
                                          const Layout& layout, const ExecContext& ctx);

// Orders match rows by the plan's keys then the total id tie-break (§6.8) and keeps the
// first `limit` (partial sort when limited). Returns row indices into `rows`.
std::vector<size_t> order_rows(const compiler::ir::ReadPlan& plan, const RowBatch& rows, const Layout& layout,
                               const ExecContext& ctx);

// Orders aggregate result rows by result-column keys (no tie-break) and applies the limit.
void order_result_rows(const compiler::ir::ReadPlan& plan, std::vector<std::vector<Value>>& rows);

// Evaluates the projection columns (aliases see earlier columns) for the selected rows.
std::vector<std::vector<Value>> project(const compiler::ir::ReadPlan& plan, const RowBatch& rows,
                                        const std::vector<size_t>& selected, const Layout& layout,
                                        const ExecContext& ctx);

}  // namespace omnigraph::engine::exec
