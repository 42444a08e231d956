// The physical operators of the match pipeline, one per file (node_scan.cpp, expand.cpp,
// filter.cpp, anti_join.cpp, bm25_top_k.cpp). Each consumes a RowBatch laid out by `layout` and returns the
// next batch; operators that bind a variable append its slot to `layout`. Not thread-safe.
#pragma once

#include <optional>
#include <vector>

#include "engine/exec/exec_context.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/physical_plan.h"
#include "engine/exec/row_batch.h"

namespace omnigraph::engine::exec {

// Binds step.var to every live node of step.type_name that passes the pushed filters (or
// the node whose id the lookup expression names), crossed with every input row.
RowBatch node_scan(const PhysicalStep& step, const RowBatch& in, Layout& layout, const ExecContext& ctx);

// Traversal with languages.md §6.3 semantics (BFS set semantics, self-loops, undirected,
// edge-bound single hop, bound targets as a semi-join, anonymous targets as existence).
RowBatch expand(const compiler::ir::Op& op, const RowBatch& in, Layout& layout, const ExecContext& ctx);

// Keeps the rows where `predicate` is true.
RowBatch filter(const CompiledExpr& predicate, const RowBatch& in);

// Keeps the rows for which `inner`, evaluated with the row's bindings, yields nothing.
RowBatch anti_join(const std::vector<PhysicalStep>& inner, const RowBatch& in, const Layout& layout,
                   const ExecContext& ctx);

// Fast path for `match { $v: T [filters on $v] } order { bm25($v.p, <constant>) } limit k`
// (bm25_top_k.cpp): when `steps` is that single unprobed scan and `layout` is empty, ranks only
// the rows holding a query term (full-text view postings), applies the pushed filters to them
// and returns the top k rows in ranking order (same order and ties as rank_rows), binding the
// scan's slot in `layout`. nullopt (layout untouched) when the plan has another shape.
std::optional<RowBatch> bm25_top_k(const compiler::ir::ReadPlan& plan, const std::vector<PhysicalStep>& steps,
                                   Layout& layout, const ExecContext& ctx);

// Runs a whole pipeline from `in` (the executor and anti_join use it).
RowBatch run_pipeline(const std::vector<PhysicalStep>& steps, RowBatch in, Layout& layout,
                      const ExecContext& ctx);

}  // namespace omnigraph::engine::exec
