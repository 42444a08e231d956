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

class RrfScore;
class SearchCall;

class CompiledExpr {
 public:
  // Compiles `expr` for rows of `layout`. `columns` resolves kColumnRef (alias) names to
  // already-compiled projection expressions (may be null when aliases are not in scope).
  // Search calls (search/fuzzy/match_text/nearest/bm25) compile to a SearchCall, rrf to an
  // RrfScore over ctx.match_rows (search_eval.h). Throws Error(bad_request) for references to
  // unknown variables/properties, and for rrf before the match has run.
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
  enum class Kind { kConstant, kColumn, kCompare, kAlias, kSearch };
  Kind kind_ = Kind::kConstant;
  Value constant_;
  int slot_ = -1;
  std::string property_;
  const storage::Column* column_ = nullptr;
  compiler::CompareOp op_ = compiler::CompareOp::kEq;
  std::vector<CompiledExpr> args_;
  const CompiledExpr* alias_ = nullptr;
  std::shared_ptr<const SearchCall> search_;
  std::shared_ptr<const RrfScore> rrf_;
};

// Throws bad_request when `expr` contains rrf(), which is only usable as the first `order`
// entry or in `return` (filters and secondary order keys call this).
void reject_unsupported(const compiler::ir::Expr& expr);

}  // namespace omnigraph::engine::exec
