// Native JSON rendering of result cells (languages.md §9.1): full-precision integers,
// shortest round-trip floats with the spec's exponent rules, Date/DateTime strings,
// lists and vectors as arrays. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "compiler/types.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

// Compact JSON text of one cell of static type `type`.
std::string render_cell_json(const Value& value, const compiler::ValueType& type);
// A double per §9.1: "30.0", "0.1", "1e16", "1.5e-7"; NaN/±Inf as the strings "NaN",
// "Infinity", "-Infinity" (quoted) unless `null_for_nonfinite` (vector lanes → null).
std::string render_double_json(double d, bool null_for_nonfinite = false);
// JSON string literal (quotes and escapes; non-ASCII raw UTF-8).
std::string json_quote(std::string_view s);

}  // namespace omnigraph::engine::exec
