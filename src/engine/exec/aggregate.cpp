// Aggregate: implicit grouping on the non-aggregate columns; count/sum/avg/min/max (§6.7).
#include <memory>
#include <optional>
#include <unordered_map>

#include "common/error.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/result_operators.h"
#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;

namespace {

struct Accumulator {
  int64_t count = 0;  // non-null inputs
  double sum = 0;
  Value best;  // min / max
};

double as_double(const Value& v) {
  if (const auto* i = std::get_if<int64_t>(&v.v)) return static_cast<double>(*i);
  if (const auto* u = std::get_if<uint64_t>(&v.v)) return static_cast<double>(*u);
  if (const auto* d = std::get_if<double>(&v.v)) return *d;
  return 0;
}

}  // namespace

std::vector<std::vector<Value>> aggregate(const compiler::ir::ReadPlan& plan, const RowBatch& rows,
                                          const Layout& layout, const ExecContext& ctx) {
  const size_t nc = plan.columns.size();
  std::vector<std::unique_ptr<CompiledExpr>> inputs(nc);  // group key expr, or aggregate argument
  std::vector<bool> is_agg(nc, false);
  std::vector<size_t> key_cols;
  std::vector<bool> count_rows(nc, false);
  for (size_t c = 0; c < nc; ++c) {
    const Expr& e = plan.columns[c].expr;
    if (e.kind == Expr::Kind::kAggregate) {
      is_agg[c] = true;
      if (e.args.empty()) throw Error::bad_request("aggregate " + e.name + "() needs an argument");
      inputs[c] = std::make_unique<CompiledExpr>(e.args[0], layout, ctx);
      count_rows[c] = e.name == "count" && e.args[0].kind == Expr::Kind::kPhysical;
    } else {
      key_cols.push_back(c);
      inputs[c] = std::make_unique<CompiledExpr>(e, layout, ctx);
    }
  }
  struct Group {
    std::vector<Value> keys;
    std::vector<Accumulator> acc;
  };
  std::vector<Group> groups;
  std::unordered_map<std::string, size_t> index;
  std::string key;
  for (size_t i = 0; i < rows.count; ++i) {
    const uint32_t* row = rows.row(i);
    key.clear();
    std::vector<Value> key_values;
    key_values.reserve(key_cols.size());
    for (size_t c : key_cols) {
      key_values.push_back(inputs[c]->eval(row));
      append_group_key(key_values.back(), key);
    }
    auto [it, fresh] = index.try_emplace(key, groups.size());
    if (fresh) groups.push_back(Group{std::move(key_values), std::vector<Accumulator>(nc)});
    Group& g = groups[it->second];
    for (size_t c = 0; c < nc; ++c) {
      if (!is_agg[c]) continue;
      if (count_rows[c]) {  // count of an id: never null, no need to read it
        ++g.acc[c].count;
        continue;
      }
      Value v = inputs[c]->eval(row);
      if (v.is_null()) continue;
      Accumulator& a = g.acc[c];
      ++a.count;
      const std::string& fn = plan.columns[c].expr.name;
      if (fn == "sum" || fn == "avg") {
        a.sum += as_double(v);
      } else if (fn == "min") {
        if (a.best.is_null() || order_compare(v, a.best) < 0) a.best = std::move(v);
      } else if (fn == "max") {
        if (a.best.is_null() || order_compare(v, a.best) > 0) a.best = std::move(v);
      }
    }
  }
  if (groups.empty() && key_cols.empty()) groups.push_back(Group{{}, std::vector<Accumulator>(nc)});

  std::vector<std::vector<Value>> out;
  out.reserve(groups.size());
  for (auto& g : groups) {
    std::vector<Value> row(nc);
    size_t k = 0;
    for (size_t c = 0; c < nc; ++c) {
      if (!is_agg[c]) {
        row[c] = std::move(g.keys[k++]);
        continue;
      }
      const Accumulator& a = g.acc[c];
      const std::string& fn = plan.columns[c].expr.name;
      if (fn == "count")
        row[c] = Value{a.count};
      else if (a.count == 0)
        row[c] = Value{};
      else if (fn == "sum")
        row[c] = Value{a.sum};
      else if (fn == "avg")
        row[c] = Value{a.sum / static_cast<double>(a.count)};
      else
        row[c] = a.best;
    }
    out.push_back(std::move(row));
  }
  return out;
}

}  // namespace omnigraph::engine::exec
