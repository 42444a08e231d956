// Per-execution state shared by the operators of one query: the pinned snapshot, the bound
// parameters as Values, and the single now() instant (languages.md §6.10). Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "compiler/ir.h"
#include "engine/graph_snapshot.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

struct RowBatch;

struct ExecContext {
  const GraphSnapshot& snapshot;
  std::map<std::string, Value> params;
  int64_t now_ms = 0;  // evaluated once per query
  // Set once the match pipeline has run (null before): the complete match rows and the plan,
  // which a projected rrf() score ranks its arms over (languages §6.11).
  const RowBatch* match_rows = nullptr;
  const compiler::ir::ReadPlan* plan = nullptr;
};

}  // namespace omnigraph::engine::exec
