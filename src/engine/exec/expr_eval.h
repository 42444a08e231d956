// Expressions compiled against a Layout: property and id reads resolve their column once,
// constants/params/now() are folded to Values. Used by filter, order, project and aggregate.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/exec/row_batch.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

class CompiledExpr {
 public:
  // Compiles `expr` for rows of `layout`. `columns` resolves kColumnRef (alias) names to
  // already-compiled projection expressions (may be null when aliases are not in scope).
  // Throws Error(bad_request) for search/ranking calls ("… is not supported yet") and for
  // references to unknown variables/properties.
  CompiledExpr(const compiler::ir::Expr& expr, const Layout& layout, const ExecContext& ctx,
               const std::vector<std::pair<std::string, const CompiledExpr*>>* columns = nullptr);

  // The value for one row.
  Value eval(const uint32_t* row) const;
  // Predicate truth (null / non-bool ⇒ false).
  bool test(const uint32_t* row) const;

  // Introspection for the planner's index lookups.
  bool is_constant() const { return kind_ == Kind::kConstant; }
  const Value& constant() const { return constant_; }
  int slot() const { return slot_; }
  const std::string& property() const { return property_; }
  bool is_column_read() const { return kind_ == Kind::kColumn; }

 private:
  enum class Kind { kConstant, kColumn, kCompare, kAlias };
  Kind kind_ = Kind::kConstant;
  Value constant_;
  int slot_ = -1;
  std::string property_;
  const storage::Column* column_ = nullptr;
  compiler::CompareOp op_ = compiler::CompareOp::kEq;
  std::vector<CompiledExpr> args_;
  const CompiledExpr* alias_ = nullptr;
};

// Throws bad_request "<name>() is not supported yet" when `expr` contains a search or
// ranking call (nearest, bm25, search, fuzzy, match_text, rrf).
void reject_unsupported(const compiler::ir::Expr& expr);

}  // namespace omnigraph::engine::exec
