// NearestScan: the fast path of "match { $v: T } order { nearest($v.p, q) } limit k" — binds $v
// only to the rows that can rank among the k nearest, without materialising every row first.
#pragma once

#include <optional>
#include <vector>

#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/exec/physical_plan.h"
#include "engine/exec/row_batch.h"

namespace omnigraph::engine::exec {

// When `steps` is one node scan without pushed filters or key lookup, `plan` ranks that
// variable by nearest with a vector (not String) query and a limit, and some fragment of the
// table has a persisted "hnsw" segment: extends `layout` with the scan's slot and returns the
// candidate rows (nearest_candidates over every live row; ranking them exactly gives the
// answer). Otherwise nullopt and `layout` is untouched. Throws what SearchCall and
// nearest_candidates throw.
std::optional<RowBatch> nearest_scan(const std::vector<PhysicalStep>& steps,
                                     const compiler::ir::ReadPlan& plan, Layout& layout,
                                     const ExecContext& ctx);

}  // namespace omnigraph::engine::exec
