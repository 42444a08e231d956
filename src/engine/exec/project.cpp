// Project: evaluates the return columns for the selected match rows.
#include <memory>

#include "engine/exec/expr_eval.h"
#include "engine/exec/result_operators.h"

namespace omnigraph::engine::exec {

std::vector<std::vector<Value>> project(const compiler::ir::ReadPlan& plan, const RowBatch& rows,
                                        const std::vector<size_t>& selected, const Layout& layout,
                                        const ExecContext& ctx) {
  std::vector<std::unique_ptr<CompiledExpr>> exprs;
  std::vector<std::pair<std::string, const CompiledExpr*>> scope;
  for (const auto& c : plan.columns) {
    exprs.push_back(std::make_unique<CompiledExpr>(c.expr, layout, ctx, &scope));
    scope.emplace_back(c.name, exprs.back().get());
  }
  std::vector<std::vector<Value>> out;
  out.reserve(selected.size());
  for (size_t i : selected) {
    const uint32_t* row = rows.row(i);
    std::vector<Value> values;
    values.reserve(exprs.size());
    for (const auto& e : exprs) values.push_back(e->eval(row));
    out.push_back(std::move(values));
  }
  return out;
}

}  // namespace omnigraph::engine::exec
