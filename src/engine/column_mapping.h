// How catalog types map onto storage: stable table ids, physical column names and types,
// and conversion of one cell between engine::Value and a storage::Column.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/catalog.h"
#include "engine/value.h"
#include "storage/column_types.h"

namespace omnigraph::engine {

// Stable table id of a node/edge type: "t<type id>" (a rename keeps the id, so the data).
std::string table_id(const compiler::TypeDef& type);

// Type key used in maintenance reports (data-plane §11): "node:<Name>" / "edge:<Name>".
std::string type_key(const compiler::TypeDef& type);

// Physical column holding a property: "p<property id>" (a rename keeps the column).
// System columns are stored under their own names: "id", "src", "dst".
std::string property_column(const compiler::Property& property);

// Storage type of a property's values. Date → kDate (i32 days), DateTime → kDateTime (i64 ms),
// enum → kEnum, [T] → List<T>, Vector(N) → Vector(N).
storage::ColumnType column_type(const compiler::ValueType& type);

// Appends `value` (null allowed) to `column`, converting per the logical type. Throws
// internal on a Value of the wrong alternative (a caller bug: values are type-checked first).
void append_value(storage::Column& column, const Value& value, const compiler::ValueType& type);

// Reads one cell back as a Value (null when the row is null).
Value value_at(const storage::Column& column, uint64_t row, const compiler::ValueType& type);

}  // namespace omnigraph::engine
