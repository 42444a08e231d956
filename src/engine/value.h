// Runtime values of the engine: one cell of a property, parameter, literal or result.
// A Value does not carry its logical type; the catalog / IR type says how to read it
// (Date = epoch days in kInt, DateTime = epoch ms in kInt, enum = kString,
// Blob = kString holding the encoded storage::BlobDescriptor).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace omnigraph::engine {

struct Value;
using ValueList = std::vector<Value>;

struct Value {
  // Alternatives, in index order: null, Bool, signed ints (I32/I64/Date/DateTime),
  // unsigned ints (U32/U64), floats (F32 widened/F64), String/enum/Blob, list, Vector(N).
  using Storage = std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, ValueList,
                               std::vector<float>>;
  Storage v;

  Value() = default;
  template <class T>
  Value(T x) : v(std::move(x)) {}  // NOLINT: implicit on purpose, values are built everywhere

  bool is_null() const { return std::holds_alternative<std::monostate>(v); }
  bool operator==(const Value&) const = default;
};

}  // namespace omnigraph::engine
