// The value-type model shared by schema, catalog, queries and the IR (languages.md §3.2):
// base scalars, lists, Vector(N), enums (a restricted String) and nullability.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::compiler {

enum class ScalarKind { kString, kBlob, kBool, kI32, kI64, kU32, kU64, kF32, kF64, kDateTime, kDate, kVector };

// Spelling as in the languages ("String", "I32", …; "Vector" for kVector).
std::string_view scalar_name(ScalarKind kind);
// Parses a base type name (not Vector); nullopt when unknown.
std::optional<ScalarKind> parse_scalar_name(std::string_view name);

bool is_numeric(ScalarKind kind);
bool is_integer(ScalarKind kind);
bool is_float(ScalarKind kind);
// Bool, integers, floats, Date, DateTime, String (§3.2).
bool is_orderable(ScalarKind kind);

// A property / parameter / expression value type. Value type; cheap to copy.
struct ValueType {
  ScalarKind scalar = ScalarKind::kString;
  bool list = false;                     // [T]
  bool nullable = false;                 // T?
  uint32_t vector_dim = 0;               // N when scalar == kVector
  std::vector<std::string> enum_values;  // sorted, deduplicated; non-empty ⇒ enum (scalar String)

  bool is_enum() const { return !enum_values.empty(); }
  bool is_vector() const { return scalar == ScalarKind::kVector && !list; }
  bool operator==(const ValueType&) const = default;
};

// `String?`, `[I32]`, `enum(a, b)`, `Vector(4)?` — the .pg spelling.
std::string render_type(const ValueType& type);
// The migration plan's human spelling (§3.8): `String?`, `[I32]`, `Enum(a|b)`, `Vector(4)`.
std::string render_prop_type(const ValueType& type);
// Type spelling used in type errors: like render_type but without `?`.
std::string render_type_plain(const ValueType& type);

// §7.2: both lists or both non-lists, element types equal or both numeric; enum = String;
// nullability ignored.
bool types_compatible(const ValueType& a, const ValueType& b);

}  // namespace omnigraph::compiler
