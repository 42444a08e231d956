// Index probes for node scans: which pushed filters a scalar (BTREE) index answers or a
// substring (trigram) index narrows (used by the planner), and the candidate rows the
// per-fragment segments give (node_scan).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog.h"
#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/exec/physical_plan.h"

namespace omnigraph::engine::exec {

// Probe-vs-scan rule: a filter is answered through the index when its estimated match count
// (exact count of segment entries in its key range, deleted rows included) times this is at
// most the table's live row count, i.e. it selects at most 1/10 of the rows.
inline constexpr uint64_t kScalarProbeFraction = 10;

// Positions in `filters` of comparisons a scalar index answers: `=`, `<`, `<=`, `>`, `>=`
// between a property of `var` whose Property::index is kScalar and a constant / parameter /
// now() (either side), and `starts_with` with such a property on the left; plus `contains`
// with a String property of full-text index kind (String @index/@key) on the left. Pure.
std::vector<size_t> scalar_index_filters(const std::vector<compiler::ir::Expr>& filters,
                                         const std::string& var, const compiler::TypeDef& type);

// EXPLAIN text of a scan's index filters and the probe rule, e.g.
// `btree[age >=, mood starts_with] probe-if-est<=1/10`.
std::string explain_scalar_index(const PhysicalStep& step);

struct ScalarProbe {
  // Ascending live rows: exactly those satisfying every filter in `used`, narrowed further by
  // any probed `contains` (a superset for it: it is not in `used` and must still be tested).
  std::vector<uint32_t> rows;
  std::vector<size_t> used;  // positions in step.filters that `rows` answers exactly
};

// Looks up step.index_filters in the scalar segments of `table`'s fragments (persisted ones, or
// built in memory and cached graph-wide by fragment key) and, for `contains` patterns of 3+
// bytes, the in-memory trigram segments; returns the rows of the filters that pass the probe
// rule (trigram estimate = sum of each fragment's shortest posting list), intersected; nullopt when no filter
// passes it (scan instead), the table has no data or no shared segment cache. Throws what segment decoding
// throws (IntegrityError for a corrupt persisted segment). Not thread-safe (per query).
std::optional<ScalarProbe> probe_scalar_index(const PhysicalStep& step, const TableData& table,
                                              const ExecContext& ctx);

}  // namespace omnigraph::engine::exec
