// Compilation and evaluation of IR expressions over executor rows.
#include "engine/exec/expr_eval.h"

#include "common/error.h"
#include "engine/exec/search_eval.h"
#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;

void reject_unsupported(const Expr& expr) {
  if (expr.kind == Expr::Kind::kCall && expr.name == "rrf")
    throw Error::bad_request("rrf() is only supported as the first `order` entry or in `return`");
  for (const auto& a : expr.args) reject_unsupported(a);
}

CompiledExpr::CompiledExpr(const Expr& expr, const Layout& layout, const ExecContext& ctx,
                           const std::vector<std::pair<std::string, const CompiledExpr*>>* columns) {
  switch (expr.kind) {
    case Expr::Kind::kConst:
      constant_ = literal_value(expr.constant);
      break;
    case Expr::Kind::kParam: {
      auto it = ctx.params.find(expr.name);
      if (it == ctx.params.end()) throw Error::bad_request("parameter '" + expr.name + "' not provided");
      constant_ = it->second;
      break;
    }
    case Expr::Kind::kNow:
      constant_ = Value{ctx.now_ms};
      break;
    case Expr::Kind::kProperty:
    case Expr::Kind::kPhysical: {
      kind_ = Kind::kColumn;
      slot_ = layout.find(expr.var);
      if (slot_ < 0) throw Error::bad_request("variable `$" + expr.var + "` is not bound");
      property_ = expr.property;
      column_ = &layout.slots[static_cast<size_t>(slot_)].table->column(expr.property);
      break;
    }
    case Expr::Kind::kColumnRef: {
      if (columns) {
        for (const auto& [name, compiled] : *columns) {
          if (name == expr.name) {
            kind_ = Kind::kAlias;
            alias_ = compiled;
          }
        }
      }
      if (!alias_) throw Error::bad_request("column '" + expr.name + "' not found");
      break;
    }
    case Expr::Kind::kCompare:
      kind_ = Kind::kCompare;
      op_ = expr.op;
      for (const auto& a : expr.args) args_.emplace_back(a, layout, ctx, columns);
      break;
    case Expr::Kind::kCall:
      kind_ = Kind::kSearch;
      if (expr.name == "rrf")
        rrf_ = std::make_shared<const RrfScore>(expr, layout, ctx);
      else
        search_ = std::make_shared<const SearchCall>(expr, layout, ctx);
      break;
    case Expr::Kind::kAggregate:
      throw Error::bad_request("aggregate " + expr.name + "() is not allowed here");
  }
}

Value CompiledExpr::eval(const uint32_t* row) const {
  switch (kind_) {
    case Kind::kConstant:
      return constant_;
    case Kind::kColumn:
      return cell_value(*column_, row[slot_]);
    case Kind::kAlias:
      return alias_->eval(row);
    case Kind::kCompare:
      return Value{apply_compare(op_, args_[0].eval(row), args_[1].eval(row))};
    case Kind::kSearch:
      return search_ ? search_->eval(row) : rrf_->eval(row);
  }
  return {};
}

bool CompiledExpr::test(const uint32_t* row) const {
  Value v = eval(row);
  const bool* b = std::get_if<bool>(&v.v);
  return b && *b;
}

}  // namespace omnigraph::engine::exec
