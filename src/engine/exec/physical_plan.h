// The physical plan of a read query's match pipeline, built by the planner (planner.h) from
// the logical IR and run by the executor. Each step names the operator file that runs it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/ir.h"

namespace omnigraph::engine::exec {

struct PhysicalStep {
  enum class Kind { kNodeScan, kExpand, kFilter, kAntiJoin };
  Kind kind = Kind::kNodeScan;
  // kNodeScan: binds `var` over `type_name`. `lookup` (an expression of constants/params/now)
  // gives the entity id to probe through TableData::find instead of scanning; `filters` are
  // the predicates pushed into the scan (they reference only `var`).
  std::string var;
  std::string type_name;
  std::optional<compiler::ir::Expr> lookup;
  std::vector<compiler::ir::Expr> filters;
  // Positions in `filters` a scalar (BTREE) index can answer (scalar_index_probe.h); when
  // non-empty and no `lookup` is set, node_scan probes the per-fragment segments instead of
  // scanning if the estimated match count is small enough (kScalarProbeFraction).
  std::vector<size_t> index_filters;
  // kExpand: the logical operator (direction, hops, edge binding, bound target).
  compiler::ir::Op expand;
  // kFilter: predicate.
  compiler::ir::Expr predicate;
  // kAntiJoin: the correlated inner pipeline.
  std::vector<PhysicalStep> inner;
};

// EXPLAIN-style rendering (one step per line), for tests and docs.
std::string explain_physical(const std::vector<PhysicalStep>& steps, int indent = 0);

}  // namespace omnigraph::engine::exec
