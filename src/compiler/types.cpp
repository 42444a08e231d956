// Value-type names, rendering and the §7.2 compatibility relation.
#include "compiler/types.h"

namespace omnigraph::compiler {

std::string_view scalar_name(ScalarKind kind) {
  switch (kind) {
    case ScalarKind::kString: return "String";
    case ScalarKind::kBlob: return "Blob";
    case ScalarKind::kBool: return "Bool";
    case ScalarKind::kI32: return "I32";
    case ScalarKind::kI64: return "I64";
    case ScalarKind::kU32: return "U32";
    case ScalarKind::kU64: return "U64";
    case ScalarKind::kF32: return "F32";
    case ScalarKind::kF64: return "F64";
    case ScalarKind::kDateTime: return "DateTime";
    case ScalarKind::kDate: return "Date";
    case ScalarKind::kVector: return "Vector";
  }
  return "String";
}

std::optional<ScalarKind> parse_scalar_name(std::string_view name) {
  static constexpr ScalarKind kAll[] = {ScalarKind::kString, ScalarKind::kBlob, ScalarKind::kBool,
                                        ScalarKind::kI32,    ScalarKind::kI64,  ScalarKind::kU32,
                                        ScalarKind::kU64,    ScalarKind::kF32,  ScalarKind::kF64,
                                        ScalarKind::kDateTime, ScalarKind::kDate};
  for (auto k : kAll)
    if (scalar_name(k) == name) return k;
  return std::nullopt;
}

bool is_integer(ScalarKind k) {
  return k == ScalarKind::kI32 || k == ScalarKind::kI64 || k == ScalarKind::kU32 || k == ScalarKind::kU64;
}
bool is_float(ScalarKind k) { return k == ScalarKind::kF32 || k == ScalarKind::kF64; }
bool is_numeric(ScalarKind k) { return is_integer(k) || is_float(k); }
bool is_orderable(ScalarKind k) {
  return is_numeric(k) || k == ScalarKind::kBool || k == ScalarKind::kDate || k == ScalarKind::kDateTime ||
         k == ScalarKind::kString;
}

namespace {
std::string element_text(const ValueType& t, bool plan_style) {
  if (t.is_enum()) {
    std::string s = plan_style ? "Enum(" : "enum(";
    for (size_t i = 0; i < t.enum_values.size(); ++i) {
      if (i) s += plan_style ? "|" : ", ";
      s += t.enum_values[i];
    }
    return s + ")";
  }
  if (t.scalar == ScalarKind::kVector) return "Vector(" + std::to_string(t.vector_dim) + ")";
  return std::string(scalar_name(t.scalar));
}
}  // namespace

std::string render_type_plain(const ValueType& t) {
  std::string s = element_text(t, false);
  return t.list ? "[" + s + "]" : s;
}

std::string render_type(const ValueType& t) { return render_type_plain(t) + (t.nullable ? "?" : ""); }

std::string render_prop_type(const ValueType& t) {
  std::string s = element_text(t, true);
  if (t.list) s = "[" + s + "]";
  return s + (t.nullable ? "?" : "");
}

bool types_compatible(const ValueType& a, const ValueType& b) {
  if (a.list != b.list) return false;
  if (a.scalar == b.scalar) {
    if (a.scalar == ScalarKind::kVector) return a.vector_dim == b.vector_dim;
    return true;
  }
  return is_numeric(a.scalar) && is_numeric(b.scalar);
}

}  // namespace omnigraph::compiler
