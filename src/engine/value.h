// Runtime values of the engine: one cell of a property, parameter, literal or result.
// A Value does not carry its logical type; the catalog / IR type says how to read it
// (Date = epoch days in kInt, DateTime = epoch ms in kInt, enum = kString,
// Blob = kString holding the encoded storage::BlobDescriptor).
#pragma once

#include <cstdint>
#include <cstring>
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

// Whether two values are the same stored value: like ==, but floats compare by bits, so a NaN
// equals itself (a rewrite that copies a NaN is not a change) and -0.0 differs from +0.0.
inline bool identical(const Value& a, const Value& b) {
  if (a.v.index() != b.v.index()) return false;
  if (const auto* x = std::get_if<double>(&a.v)) return std::memcmp(x, &std::get<double>(b.v), sizeof(double)) == 0;
  if (const auto* x = std::get_if<std::vector<float>>(&a.v)) {
    const auto& y = std::get<std::vector<float>>(b.v);
    return x->size() == y.size() && (x->empty() || std::memcmp(x->data(), y.data(), x->size() * sizeof(float)) == 0);
  }
  if (const auto* x = std::get_if<ValueList>(&a.v)) {
    const auto& y = std::get<ValueList>(b.v);
    if (x->size() != y.size()) return false;
    for (size_t i = 0; i < x->size(); ++i)
      if (!identical((*x)[i], y[i])) return false;
    return true;
  }
  return a == b;
}

}  // namespace omnigraph::engine
