// NodeScan / IndexLookup: binds a node variable, applying the filters pushed into the scan.
#include <algorithm>

#include "common/error.h"
#include "engine/exec/column_predicate.h"
#include "engine/exec/operators.h"
#include "engine/exec/scalar_index_probe.h"

namespace omnigraph::engine::exec {

namespace {

// The id text a key value renders to (data-plane.md §1.1), or nullopt when the value kind
// cannot be probed (the scan then falls back to filtering every row).
std::optional<std::string> probe_id(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v.v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&v.v)) return std::to_string(*i);
  if (const auto* u = std::get_if<uint64_t>(&v.v)) return std::to_string(*u);
  if (const auto* b = std::get_if<bool>(&v.v)) return std::string(*b ? "true" : "false");
  return std::nullopt;
}

}  // namespace

RowBatch node_scan(const PhysicalStep& step, const RowBatch& in, Layout& layout, const ExecContext& ctx) {
  const compiler::TypeDef* type = ctx.snapshot.catalog().find_node(step.type_name);
  if (!type) throw Error::bad_request("unknown node type `" + step.type_name + "`");
  const TableData& table = ctx.snapshot.table(*type);
  layout.slots.push_back(Slot{step.var, type, &table, false});
  const size_t slot = layout.width() - 1;

  // Column-at-a-time predicates first (most selective-by-construction: they never
  // materialise Values), then the general per-row filters.
  // A scalar-index probe (when the planner found indexable filters and the estimate is
  // selective enough) answers some filters exactly; the rest run on its rows only.
  std::optional<ScalarProbe> indexed;
  if (!step.lookup && !step.index_filters.empty()) indexed = probe_scalar_index(step, table, ctx);
  std::vector<ColumnPredicate> vectorised;
  std::vector<CompiledExpr> filters;
  for (size_t i = 0; i < step.filters.size(); ++i) {
    const auto& f = step.filters[i];
    if (indexed && std::find(indexed->used.begin(), indexed->used.end(), i) != indexed->used.end()) continue;
    if (auto p = ColumnPredicate::make(f, step.var, table, ctx))
      vectorised.push_back(std::move(*p));
    else
      filters.emplace_back(f, layout, ctx);
  }

  // Candidate rows of the table, each tested with a scratch row that has only this slot set
  // (pushed filters read only this variable).
  std::vector<uint32_t> scratch(layout.width(), 0);
  std::vector<uint32_t> matches;
  auto consider = [&](uint64_t r) {
    scratch[slot] = static_cast<uint32_t>(r);
    for (const auto& f : filters)
      if (!f.test(scratch.data())) return;
    matches.push_back(static_cast<uint32_t>(r));
  };
  bool probed = false;
  if (step.lookup) {
    CompiledExpr key(*step.lookup, layout, ctx);
    Value v = key.eval(scratch.data());
    if (v.is_null()) {
      probed = true;
    } else if (auto id = probe_id(v)) {
      probed = true;
      if (auto r = table.find(*id)) consider(*r);
    }
  }
  // Equalities first: they are usually the most selective.
  std::stable_partition(vectorised.begin(), vectorised.end(),
                        [](const ColumnPredicate& p) { return p.is_equality(); });
  if (probed) {
    for (const auto& p : vectorised) p.apply(matches);
  } else if (indexed) {
    for (const auto& p : vectorised) p.apply(indexed->rows);
    for (uint32_t r : indexed->rows) consider(r);
  } else if (!vectorised.empty()) {
    std::vector<uint32_t> candidates;
    vectorised[0].scan(table.row_count(), candidates);
    for (size_t i = 1; i < vectorised.size(); ++i) vectorised[i].apply(candidates);
    for (uint32_t r : candidates) consider(r);
  } else {
    const uint64_t n = table.row_count();
    matches.reserve(filters.empty() ? n : 0);
    for (uint64_t r = 0; r < n; ++r) consider(r);
  }

  RowBatch out;
  out.width = layout.width();
  out.cells.reserve(in.count * matches.size() * out.width);
  for (size_t i = 0; i < in.count; ++i) {
    const uint32_t* base = in.row(i);
    for (uint32_t m : matches) {
      out.cells.insert(out.cells.end(), base, base + in.width);
      out.cells.push_back(m);
      ++out.count;
    }
  }
  return out;
}

}  // namespace omnigraph::engine::exec
