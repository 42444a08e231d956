// Vectorised pushed-down filters: `property op constant` over a whole column without
// materialising Values (the common scan filter). Used by node_scan. Not thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/graph_snapshot.h"

namespace omnigraph::engine::exec {

class ColumnPredicate {
 public:
  // A predicate for `filter` on rows of `table` bound to `var`, or nullopt when the filter is
  // not a comparison (=, !=, <, <=, >, >=, starts_with, contains on String) of one scalar
  // property of `var` with a constant / parameter / now().
  static std::optional<ColumnPredicate> make(const compiler::ir::Expr& filter, const std::string& var,
                                             const TableData& table, const ExecContext& ctx);

  bool is_equality() const { return op_ == compiler::CompareOp::kEq; }
  // Keeps the rows of `rows` (ascending row numbers) that satisfy the predicate.
  void apply(std::vector<uint32_t>& rows) const;
  // Fills `rows` with every row of the table that satisfies the predicate.
  void scan(uint64_t row_count, std::vector<uint32_t>& rows) const;

 private:
  const storage::Column* column_ = nullptr;
  compiler::CompareOp op_ = compiler::CompareOp::kEq;
  Value constant_;
  bool test(uint64_t row) const;
};

}  // namespace omnigraph::engine::exec
