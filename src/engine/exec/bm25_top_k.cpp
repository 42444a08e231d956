// Bm25TopK: `match { $v: T [filters on $v] } order { bm25($v.p, const) } limit k` straight from
// the postings — only the rows holding a query term are scored, filtered and ranked.
#include <algorithm>

#include "engine/exec/fulltext_view.h"
#include "engine/exec/operators.h"
#include "engine/search/text_analyzer.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;

std::optional<RowBatch> bm25_top_k(const compiler::ir::ReadPlan& plan, const std::vector<PhysicalStep>& steps,
                                   Layout& layout, const ExecContext& ctx) {
  if (!plan.ranking || plan.ranking->kind != compiler::ir::Ranking::Kind::kBm25 || !plan.limit || plan.aggregate ||
      steps.size() != 1 || layout.width() != 0)
    return std::nullopt;
  const PhysicalStep& scan = steps[0];
  if (scan.kind != PhysicalStep::Kind::kNodeScan || scan.lookup) return std::nullopt;
  const Expr& call = plan.ranking->expr;
  if (call.args.size() != 2 || call.args[0].kind != Expr::Kind::kProperty || call.args[0].var != scan.var)
    return std::nullopt;
  const compiler::TypeDef* type = ctx.snapshot.catalog().find_node(scan.type_name);
  if (!type) return std::nullopt;
  const TableData& table = ctx.snapshot.table(*type);
  Layout scratch_layout;
  scratch_layout.slots.push_back(Slot{scan.var, type, &table, false});
  CompiledExpr query(call.args[1], scratch_layout, ctx);
  if (!query.is_constant()) return std::nullopt;
  auto view = FullTextView::of(table, *type, call.args[0].property);
  if (!view) return std::nullopt;

  // Score the rows holding a query term, keep those passing the pushed filters.
  std::vector<std::string> tokens;
  if (const auto* text = std::get_if<std::string>(&query.constant().v)) tokens = search::TextAnalyzer().analyze(*text);
  std::vector<std::pair<uint32_t, double>> hits = view->bm25(tokens);
  if (!scan.filters.empty()) {
    std::vector<CompiledExpr> filters;
    for (const auto& f : scan.filters) filters.emplace_back(f, scratch_layout, ctx);
    std::erase_if(hits, [&](const std::pair<uint32_t, double>& h) {
      for (const auto& f : filters)
        if (!f.test(&h.first)) return true;
      return false;
    });
  }
  // Score descending, then the §6.8 id tie-break (the only bound variable), then row order —
  // exactly rank_rows' order over a full scan.
  const bool tie_on_id = std::find(plan.tie_break_vars.begin(), plan.tie_break_vars.end(), scan.var) !=
                         plan.tie_break_vars.end();
  const storage::Column* ids = tie_on_id ? &table.column("id") : nullptr;
  auto better = [&](const std::pair<uint32_t, double>& a, const std::pair<uint32_t, double>& b) {
    if (a.second != b.second) return a.second > b.second;
    if (ids) {
      auto x = ids->bytes_at(a.first), y = ids->bytes_at(b.first);
      if (x != y) return x < y;
    }
    return a.first < b.first;
  };
  const size_t keep = std::min<uint64_t>(*plan.limit, hits.size());
  std::partial_sort(hits.begin(), hits.begin() + static_cast<std::ptrdiff_t>(keep), hits.end(), better);

  layout = std::move(scratch_layout);
  RowBatch out;
  out.width = 1;
  for (size_t i = 0; i < keep; ++i) out.push(&hits[i].first);
  return out;
}

}  // namespace omnigraph::engine::exec
