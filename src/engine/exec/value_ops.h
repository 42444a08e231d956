// Value semantics shared by every operator: literal/parameter conversion, reading a cell out
// of a storage column, the filter comparison rules (languages.md §6.4) and the ordering total
// order (§6.8). Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "compiler/ir.h"
#include "compiler/param_binding.h"
#include "engine/value.h"
#include "storage/column_types.h"

namespace omnigraph::engine::exec {

// A typed IR literal as a runtime Value (Date = epoch days, DateTime = epoch ms as int64).
Value literal_value(const compiler::Literal& literal);
// A bound parameter as a Value (null when unbound-nullable).
Value param_value(const compiler::BoundParam& param);
// One cell of a decoded column (any physical kind; lists become ValueList, vectors
// std::vector<float>). Row must be < column.length.
Value cell_value(const storage::Column& column, uint64_t row);

// Three-valued comparison for filters: nullopt when either side is null or the values are
// not comparable (NaN); otherwise <0, 0, >0. Numbers compare by exact mathematical value
// across signed/unsigned/float; strings bytewise; bools false < true.
std::optional<int> compare_values(const Value& a, const Value& b);
// Applies `op` (=, !=, <, <=, >, >=, contains, starts_with) with the null rules of §6.4.
bool apply_compare(compiler::CompareOp op, const Value& left, const Value& right);
// Total order for `order`: null smallest, numbers by value (NaN after +inf), strings bytewise,
// lists lexicographic. Returns <0, 0, >0.
int order_compare(const Value& a, const Value& b);
// A byte key that is equal iff the values are equal for grouping (null == null; 1 == 1.0).
void append_group_key(const Value& v, std::string& out);

}  // namespace omnigraph::engine::exec
