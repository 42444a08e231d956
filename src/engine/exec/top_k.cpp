// Order + limit: user keys, then the total id tie-break; a partial sort when limited.
#include <algorithm>
#include <memory>
#include <numeric>

#include "common/error.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/result_operators.h"
#include "engine/exec/search_eval.h"
#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {

std::vector<size_t> order_rows(const compiler::ir::ReadPlan& plan, const RowBatch& rows, const Layout& layout,
                               const ExecContext& ctx) {
  if (plan.ranking) return rank_rows(plan, rows, layout, ctx);
  std::vector<size_t> idx(rows.count);
  std::iota(idx.begin(), idx.end(), size_t{0});
  size_t keep = plan.limit ? std::min<uint64_t>(*plan.limit, rows.count) : rows.count;
  if (plan.order.empty()) {
    idx.resize(keep);
    return idx;
  }
  // Aliases used as keys evaluate their column's expression.
  std::vector<std::unique_ptr<CompiledExpr>> columns;
  std::vector<std::pair<std::string, const CompiledExpr*>> scope;
  for (const auto& c : plan.columns) {
    columns.push_back(std::make_unique<CompiledExpr>(c.expr, layout, ctx, &scope));
    scope.emplace_back(c.name, columns.back().get());
  }
  std::vector<CompiledExpr> keys;
  for (const auto& k : plan.order) keys.emplace_back(k.expr, layout, ctx, &scope);
  std::vector<const storage::Column*> ids;
  std::vector<int> id_slots;
  for (const auto& v : plan.tie_break_vars) {
    int s = layout.find(v);
    if (s < 0) continue;
    id_slots.push_back(s);
    ids.push_back(&layout.slots[static_cast<size_t>(s)].table->column("id"));
  }
  // Materialise the key values once per row.
  const size_t nk = keys.size();
  std::vector<Value> vals(rows.count * nk);
  for (size_t i = 0; i < rows.count; ++i)
    for (size_t k = 0; k < nk; ++k) vals[i * nk + k] = keys[k].eval(rows.row(i));
  auto less = [&](size_t a, size_t b) {
    for (size_t k = 0; k < nk; ++k) {
      int c = order_compare(vals[a * nk + k], vals[b * nk + k]);
      if (c != 0) return plan.order[k].descending ? c > 0 : c < 0;
    }
    for (size_t t = 0; t < ids.size(); ++t) {
      auto x = ids[t]->bytes_at(rows.row(a)[id_slots[t]]);
      auto y = ids[t]->bytes_at(rows.row(b)[id_slots[t]]);
      if (x != y) return x < y;
    }
    return false;
  };
  if (keep < idx.size()) {
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(), less);
    idx.resize(keep);
  } else {
    std::stable_sort(idx.begin(), idx.end(), less);
  }
  return idx;
}

void order_result_rows(const compiler::ir::ReadPlan& plan, std::vector<std::vector<Value>>& rows) {
  std::vector<std::pair<size_t, bool>> keys;  // (column index, descending)
  for (const auto& k : plan.order) {
    size_t col = plan.columns.size();
    for (size_t c = 0; c < plan.columns.size(); ++c)
      if (plan.columns[c].name == k.expr.name) col = c;
    if (col == plan.columns.size())
      throw Error::bad_request("ordering column '" + k.expr.name + "' not found");
    keys.emplace_back(col, k.descending);
  }
  if (!keys.empty()) {
    std::stable_sort(rows.begin(), rows.end(), [&](const auto& a, const auto& b) {
      for (const auto& [c, desc] : keys) {
        int r = order_compare(a[c], b[c]);
        if (r != 0) return desc ? r > 0 : r < 0;
      }
      return false;
    });
  }
  if (plan.limit && rows.size() > *plan.limit) rows.resize(*plan.limit);
}

}  // namespace omnigraph::engine::exec
