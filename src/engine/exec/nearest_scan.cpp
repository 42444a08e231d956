// NearestScan: candidate rows of an unfiltered scan ranked by nearest, from hnsw segments.
#include "engine/exec/nearest_scan.h"

#include <string>

#include "engine/column_mapping.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/search_eval.h"
#include "engine/exec/vector_topk.h"

namespace omnigraph::engine::exec {

std::optional<RowBatch> nearest_scan(const std::vector<PhysicalStep>& steps,
                                     const compiler::ir::ReadPlan& plan, Layout& layout,
                                     const ExecContext& ctx) {
  if (steps.size() != 1 || !plan.ranking || !plan.limit || plan.aggregate || !layout.slots.empty())
    return std::nullopt;
  const PhysicalStep& scan = steps[0];
  const auto& ranking = *plan.ranking;
  if (scan.kind != PhysicalStep::Kind::kNodeScan || scan.lookup || !scan.filters.empty()) return std::nullopt;
  if (ranking.kind != compiler::ir::Ranking::Kind::kNearest || ranking.expr.args.size() < 2)
    return std::nullopt;
  const compiler::ir::Expr& field = ranking.expr.args[0];
  if (field.var != scan.var) return std::nullopt;
  const compiler::TypeDef* type = ctx.snapshot.catalog().find_node(scan.type_name);
  if (!type) return std::nullopt;
  const compiler::Property* prop = type->find_property(field.property);
  if (!prop) return std::nullopt;
  const auto& table = static_cast<const TableDataImpl&>(ctx.snapshot.table(*type));
  if (!table.table_snapshot() || table.table_snapshot()->indexes.empty() || *plan.limit >= table.row_count())
    return std::nullopt;

  Layout bound;
  bound.slots.push_back(Slot{scan.var, type, &table, false});
  {
    // A String query is embedded by SearchCall; leave it to the normal path (embed once).
    CompiledExpr query(ranking.expr.args[1], bound, ctx);
    if (!query.is_constant() || std::holds_alternative<std::string>(query.constant().v)) return std::nullopt;
  }
  SearchCall call(ranking.expr, bound, ctx);
  std::vector<uint8_t> all(table.row_count(), 1);
  auto candidates = nearest_candidates(table, property_column(*prop), *call.nearest_query(),
                                       static_cast<size_t>(*plan.limit), all);
  if (!candidates) return std::nullopt;
  RowBatch out;
  out.width = 1;
  for (uint64_t r = 0; r < candidates->keep.size(); ++r)
    if (candidates->keep[r]) out.cells.push_back(static_cast<uint32_t>(r));
  out.count = out.cells.size();
  layout = std::move(bound);
  return out;
}

}  // namespace omnigraph::engine::exec
