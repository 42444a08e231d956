// Catalog type ↔ storage column mapping and per-cell Value conversion.
#include "engine/column_mapping.h"

#include <cstring>
#include <variant>

#include "common/error.h"

namespace omnigraph::engine {

using compiler::ScalarKind;
using storage::ColumnType;
using storage::TypeKind;

std::string table_id(const compiler::TypeDef& type) {
  std::string out = std::to_string(type.id);
  out.insert(out.begin(), 't');
  return out;
}

std::string type_key(const compiler::TypeDef& type) {
  return (type.kind == compiler::DeclKind::kEdge ? "edge:" : "node:") + type.name;
}

std::string property_column(const compiler::Property& property) {
  std::string out = std::to_string(property.id);
  out.insert(out.begin(), 'p');
  return out;
}

namespace {

TypeKind scalar_kind(const compiler::ValueType& type) {
  if (type.is_enum()) return TypeKind::kEnum;
  switch (type.scalar) {
    case ScalarKind::kString: return TypeKind::kString;
    case ScalarKind::kBlob: return TypeKind::kBlob;
    case ScalarKind::kBool: return TypeKind::kBool;
    case ScalarKind::kI32: return TypeKind::kI32;
    case ScalarKind::kI64: return TypeKind::kI64;
    case ScalarKind::kU32: return TypeKind::kU32;
    case ScalarKind::kU64: return TypeKind::kU64;
    case ScalarKind::kF32: return TypeKind::kF32;
    case ScalarKind::kF64: return TypeKind::kF64;
    case ScalarKind::kDateTime: return TypeKind::kDateTime;
    case ScalarKind::kDate: return TypeKind::kDate;
    case ScalarKind::kVector: return TypeKind::kVector;
  }
  return TypeKind::kString;
}

[[noreturn]] void mismatch(const compiler::ValueType& type) {
  std::string message = "engine: value does not match column type ";
  message += compiler::render_type(type);
  throw Error(ErrorCode::kInternal, std::move(message));
}

int64_t as_int(const Value& v, const compiler::ValueType& t) {
  if (auto* i = std::get_if<int64_t>(&v.v)) return *i;
  if (auto* u = std::get_if<uint64_t>(&v.v)) return static_cast<int64_t>(*u);
  mismatch(t);
}
uint64_t as_uint(const Value& v, const compiler::ValueType& t) {
  if (auto* u = std::get_if<uint64_t>(&v.v)) return *u;
  if (auto* i = std::get_if<int64_t>(&v.v)) return static_cast<uint64_t>(*i);
  mismatch(t);
}
double as_double(const Value& v, const compiler::ValueType& t) {
  if (auto* d = std::get_if<double>(&v.v)) return *d;
  if (auto* i = std::get_if<int64_t>(&v.v)) return static_cast<double>(*i);
  if (auto* u = std::get_if<uint64_t>(&v.v)) return static_cast<double>(*u);
  mismatch(t);
}

// Appends one fixed-width scalar of `kind` to a raw byte buffer (list elements).
template <class Sink>
void put_scalar(TypeKind kind, const Value& v, const compiler::ValueType& t, Sink&& sink) {
  switch (kind) {
    case TypeKind::kBool: {
      auto* b = std::get_if<bool>(&v.v);
      if (!b) mismatch(t);
      uint8_t x = *b ? 1 : 0;
      sink(&x, 1);
      return;
    }
    case TypeKind::kI32:
    case TypeKind::kDate: {
      int32_t x = static_cast<int32_t>(as_int(v, t));
      sink(&x, 4);
      return;
    }
    case TypeKind::kI64:
    case TypeKind::kDateTime: {
      int64_t x = as_int(v, t);
      sink(&x, 8);
      return;
    }
    case TypeKind::kU32: {
      uint32_t x = static_cast<uint32_t>(as_uint(v, t));
      sink(&x, 4);
      return;
    }
    case TypeKind::kU64: {
      uint64_t x = as_uint(v, t);
      sink(&x, 8);
      return;
    }
    case TypeKind::kF32: {
      float x = static_cast<float>(as_double(v, t));
      sink(&x, 4);
      return;
    }
    case TypeKind::kF64: {
      double x = as_double(v, t);
      sink(&x, 8);
      return;
    }
    default: mismatch(t);
  }
}

Value scalar_from(TypeKind kind, const uint8_t* p) {
  switch (kind) {
    case TypeKind::kBool: return Value(*p != 0);
    case TypeKind::kI32:
    case TypeKind::kDate: {
      int32_t x;
      std::memcpy(&x, p, 4);
      return Value(int64_t{x});
    }
    case TypeKind::kI64:
    case TypeKind::kDateTime: {
      int64_t x;
      std::memcpy(&x, p, 8);
      return Value(x);
    }
    case TypeKind::kU32: {
      uint32_t x;
      std::memcpy(&x, p, 4);
      return Value(uint64_t{x});
    }
    case TypeKind::kU64: {
      uint64_t x;
      std::memcpy(&x, p, 8);
      return Value(x);
    }
    case TypeKind::kF32: {
      float x;
      std::memcpy(&x, p, 4);
      return Value(static_cast<double>(x));
    }
    case TypeKind::kF64: {
      double x;
      std::memcpy(&x, p, 8);
      return Value(x);
    }
    default: return Value();
  }
}

}  // namespace

ColumnType column_type(const compiler::ValueType& type) {
  if (type.scalar == ScalarKind::kVector) return ColumnType::vector(type.vector_dim);
  TypeKind kind = scalar_kind(type);
  if (type.list) return ColumnType::list(kind);
  return ColumnType::scalar(kind);
}

void append_value(storage::Column& column, const Value& value, const compiler::ValueType& type) {
  if (value.is_null()) {
    column.append_null();
    return;
  }
  const ColumnType& ct = column.type;
  switch (ct.kind) {
    case TypeKind::kString:
    case TypeKind::kEnum:
    case TypeKind::kBlob: {
      auto* s = std::get_if<std::string>(&value.v);
      if (!s) mismatch(type);
      column.append_bytes(*s);
      return;
    }
    case TypeKind::kVector: {
      auto* f = std::get_if<std::vector<float>>(&value.v);
      if (!f) mismatch(type);
      column.append_vector(*f);
      return;
    }
    case TypeKind::kList: {
      auto* l = std::get_if<ValueList>(&value.v);
      if (!l) mismatch(type);
      if (ct.layout() == storage::Layout::kListVariable) {
        std::vector<std::string_view> parts;
        parts.reserve(l->size());
        for (const auto& e : *l) {
          auto* s = std::get_if<std::string>(&e.v);
          if (!s) mismatch(type);
          parts.emplace_back(*s);
        }
        column.append_list_strings(parts);
      } else {
        std::string buf;
        for (const auto& e : *l)
          put_scalar(ct.element, e, type, [&](const void* p, size_t n) { buf.append(static_cast<const char*>(p), n); });
        column.append_list_fixed(buf.data(), l->size());
      }
      return;
    }
    default:
      put_scalar(ct.kind, value, type, [&](const void* p, size_t n) { column.append_fixed(p, n); });
  }
}

Value value_at(const storage::Column& column, uint64_t row, const compiler::ValueType& type) {
  (void)type;
  if (column.is_null(row)) return Value();
  const ColumnType& ct = column.type;
  switch (ct.kind) {
    case TypeKind::kString:
    case TypeKind::kEnum:
    case TypeKind::kBlob: return Value(std::string(column.bytes_at(row)));
    case TypeKind::kVector: {
      auto lanes = column.vector_at(row);
      return Value(std::vector<float>(lanes.begin(), lanes.end()));
    }
    case TypeKind::kList: {
      auto [b, e] = column.list_range(row);
      ValueList out;
      out.reserve(e - b);
      if (ct.layout() == storage::Layout::kListVariable) {
        for (uint64_t i = b; i < e; ++i) out.emplace_back(std::string(column.list_element_bytes(i)));
      } else {
        size_t w = storage::scalar_width(ct.element);
        for (uint64_t i = b; i < e; ++i) out.push_back(scalar_from(ct.element, column.data.data() + i * w));
      }
      return Value(std::move(out));
    }
    default: return scalar_from(ct.kind, column.data.data() + row * ct.width());
  }
}

}  // namespace omnigraph::engine
