// The physical planner: turns a logical match pipeline into PhysicalSteps.
//  - filters move to right after the step that binds the last variable they read, and a
//    filter reading only a scanned variable is pushed into that scan;
//  - a scan whose pushed filters pin the entity id (an equality on the single @key property,
//    or on the id) becomes an index probe, and such probes run first (cross products
//    commute, so this never changes the result bag);
//  - otherwise the pushed comparisons a scalar (BTREE) or trigram index can serve are listed
//    on the scan (PhysicalStep::index_filters); node_scan decides probe vs scan at run time
//    (scalar_index_probe.h);
//  - expands keep their logical form and run over the cached CSR/CSC adjacency.
// Pure; thread-safe.
#pragma once

#include <vector>

#include "compiler/catalog.h"
#include "compiler/ir.h"
#include "engine/exec/physical_plan.h"

namespace omnigraph::engine::exec {

std::vector<PhysicalStep> plan_match(const std::vector<compiler::ir::Op>& match,
                                     const compiler::Catalog& catalog,
                                     const std::vector<std::string>& outer_vars = {});

}  // namespace omnigraph::engine::exec
