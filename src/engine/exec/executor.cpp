// Read execution: planning, the match pipeline, and the result stages.
#include "engine/exec/executor.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/time_util.h"
#include "compiler/lowering.h"
#include "compiler/param_binding.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/nearest_scan.h"
#include "engine/exec/operators.h"
#include "engine/exec/planner.h"
#include "engine/exec/result_operators.h"
#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;
using compiler::ir::Op;

RowBatch run_pipeline(const std::vector<PhysicalStep>& steps, RowBatch in, Layout& layout,
                      const ExecContext& ctx) {
  RowBatch cur = std::move(in);
  for (const auto& step : steps) {
    if (cur.count == 0) {
      // Still extend the layout so later expressions resolve, without doing any work.
      if (step.kind == PhysicalStep::Kind::kNodeScan) {
        const auto* t = ctx.snapshot.catalog().find_node(step.type_name);
        if (t) layout.slots.push_back(Slot{step.var, t, &ctx.snapshot.table(*t), false});
        cur.width = layout.width();
        continue;
      }
      if (step.kind == PhysicalStep::Kind::kExpand) {
        cur = expand(step.expand, cur, layout, ctx);
        continue;
      }
      continue;
    }
    switch (step.kind) {
      case PhysicalStep::Kind::kNodeScan:
        cur = node_scan(step, cur, layout, ctx);
        break;
      case PhysicalStep::Kind::kExpand:
        cur = expand(step.expand, cur, layout, ctx);
        break;
      case PhysicalStep::Kind::kFilter: {
        CompiledExpr pred(step.predicate, layout, ctx);
        cur = filter(pred, cur);
        break;
      }
      case PhysicalStep::Kind::kAntiJoin:
        cur = anti_join(step.inner, cur, layout, ctx);
        break;
    }
  }
  return cur;
}

namespace {

bool contains_call(const Expr& expr, std::string_view name) {
  if (expr.kind == Expr::Kind::kCall && expr.name == name) return true;
  for (const auto& a : expr.args)
    if (contains_call(a, name)) return true;
  return false;
}

void reject_unsupported_ops(const std::vector<Op>& ops) {
  for (const auto& op : ops) {
    if (op.kind == Op::Kind::kFilter) reject_unsupported(op.predicate);
    if (op.kind == Op::Kind::kAntiJoin) reject_unsupported_ops(op.inner);
  }
}

}  // namespace

ReadResult execute_read(const GraphSnapshot& snapshot, const compiler::ir::ReadPlan& plan,
                        const std::map<std::string, Value>& params, int64_t now_ms) {
  reject_unsupported_ops(plan.match);
  for (const auto& k : plan.order) reject_unsupported(k.expr);

  ExecContext ctx{snapshot, params, now_ms};
  std::vector<PhysicalStep> steps = plan_match(plan.match, snapshot.catalog());
  Layout layout;
  ReadResult result;
  for (const auto& c : plan.columns) result.columns.push_back({c.name, c.expr.type});
  // The fast paths bind only candidate rows; a projected rrf() ranks over the complete match.
  bool projects_rrf = false;
  for (const auto& c : plan.columns) projects_rrf = projects_rrf || contains_call(c.expr, "rrf");
  if (auto ranked = projects_rrf ? std::nullopt : bm25_top_k(plan, steps, layout, ctx)) {  // ranked and limited
    std::vector<size_t> selected(ranked->count);
    for (size_t i = 0; i < selected.size(); ++i) selected[i] = i;
    result.rows = project(plan, *ranked, selected, layout, ctx);
    return result;
  }
  RowBatch seed;
  seed.width = 0;
  seed.count = 1;  // one empty row: the identity of the cross product
  std::optional<RowBatch> fast = projects_rrf ? std::nullopt : nearest_scan(steps, plan, layout, ctx);
  RowBatch rows = fast ? std::move(*fast) : run_pipeline(steps, std::move(seed), layout, ctx);
  ctx.match_rows = &rows;
  ctx.plan = &plan;

  if (plan.aggregate) {
    result.rows = aggregate(plan, rows, layout, ctx);
    order_result_rows(plan, result.rows);
  } else {
    std::vector<size_t> selected = order_rows(plan, rows, layout, ctx);
    result.rows = project(plan, rows, selected, layout, ctx);
  }
  return result;
}

std::map<std::string, Value> bind_param_values(const std::vector<compiler::ir::ParamDecl>& declared,
                                               const nlohmann::json& params) {
  std::map<std::string, Value> out;
  for (const auto& [name, bound] : compiler::bind_params(declared, params)) out[name] = param_value(bound);
  return out;
}

ReadResult run_read_query(const GraphSnapshot& snapshot, std::string_view source, std::string_view name,
                          const nlohmann::json& params, std::string* query_name) {
  compiler::CompiledQuery q = compiler::compile_query(source, snapshot.catalog(), name);
  if (q.plan.is_mutation)
    throw Error::bad_request("query '" + q.plan.name + "' is a mutation; use `omnigraph mutate`");
  if (query_name) *query_name = q.plan.name;
  return execute_read(snapshot, q.plan.read, bind_param_values(q.plan.params, params), now_epoch_ms());
}

}  // namespace omnigraph::engine::exec
