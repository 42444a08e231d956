// Physical column types, in-memory columns, statistics and blob descriptors.
#include "storage/column_types.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "common/error.h"
#include "storage/byte_io.h"

namespace omnigraph::storage {
namespace {

constexpr std::array<std::string_view, 15> kKindNames = {"?",      "Bool", "I32",  "I64",  "U32",
                                                         "U64",    "F32",  "F64",  "Date", "DateTime",
                                                         "String", "Enum", "Blob", "List", "Vector"};

bool is_list_element(TypeKind k) {
  return k >= TypeKind::kBool && k <= TypeKind::kEnum;
}

template <class T>
void fixed_min_max(const Column& c, ColumnStats& stats) {
  auto vals = c.values<T>();
  bool any = false;
  T lo{}, hi{};
  for (uint64_t i = 0; i < c.length; ++i) {
    if (c.is_null(i)) continue;
    T v = vals[i];
    if constexpr (std::is_floating_point_v<T>) {
      if (std::isnan(v)) continue;
    }
    if (!any) {
      lo = hi = v;
      any = true;
    } else {
      lo = std::min(lo, v);
      hi = std::max(hi, v);
    }
  }
  if (!any) return;
  stats.min = std::string(reinterpret_cast<const char*>(&lo), sizeof(T));
  stats.max = std::string(reinterpret_cast<const char*>(&hi), sizeof(T));
}

void bytes_min_max(const Column& c, ColumnStats& stats) {
  bool any = false;
  std::string_view lo, hi;
  for (uint64_t i = 0; i < c.length; ++i) {
    if (c.is_null(i)) continue;
    std::string_view v = c.bytes_at(i);
    if (!any) {
      lo = hi = v;
      any = true;
    } else {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!any) return;
  stats.min = std::string(lo.substr(0, kMaxStatBytes));
  if (hi.size() <= kMaxStatBytes) stats.max = std::string(hi);
}

}  // namespace

std::string_view type_kind_name(TypeKind kind) {
  auto i = static_cast<size_t>(kind);
  return i < kKindNames.size() ? kKindNames[i] : "?";
}

size_t scalar_width(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
      return 1;
    case TypeKind::kI32:
    case TypeKind::kU32:
    case TypeKind::kF32:
    case TypeKind::kDate:
      return 4;
    case TypeKind::kI64:
    case TypeKind::kU64:
    case TypeKind::kF64:
    case TypeKind::kDateTime:
      return 8;
    default:
      return 0;
  }
}

ColumnType ColumnType::list(TypeKind element) {
  if (!is_list_element(element))
    throw Error::bad_request("list element type must be a scalar, got " +
                             std::string(type_kind_name(element)));
  return {TypeKind::kList, element, 0};
}

ColumnType ColumnType::vector(uint32_t dimension) {
  if (dimension == 0) throw Error::bad_request("vector dimension must be at least 1");
  return {TypeKind::kVector, TypeKind::kBool, dimension};
}

Layout ColumnType::layout() const {
  switch (kind) {
    case TypeKind::kString:
    case TypeKind::kEnum:
    case TypeKind::kBlob:
      return Layout::kVariable;
    case TypeKind::kList:
      return scalar_width(element) ? Layout::kListFixed : Layout::kListVariable;
    default:
      return Layout::kFixed;
  }
}

size_t ColumnType::width() const {
  if (kind == TypeKind::kVector) return size_t{4} * dimension;
  if (kind == TypeKind::kList) return scalar_width(element);
  return scalar_width(kind);
}

bool ColumnType::has_ordering() const {
  return kind != TypeKind::kList && kind != TypeKind::kVector && kind != TypeKind::kBlob;
}

std::string ColumnType::to_string() const {
  if (kind == TypeKind::kList) return "List<" + std::string(type_kind_name(element)) + ">";
  if (kind == TypeKind::kVector) return "Vector(" + std::to_string(dimension) + ")";
  return std::string(type_kind_name(kind));
}

std::optional<ColumnType> ColumnType::parse(std::string_view text) {
  auto kind_of = [](std::string_view name) -> std::optional<TypeKind> {
    for (size_t i = 1; i <= static_cast<size_t>(TypeKind::kBlob); ++i)
      if (kKindNames[i] == name) return static_cast<TypeKind>(i);
    return std::nullopt;
  };
  if (text.starts_with("List<") && text.ends_with(">")) {
    auto el = kind_of(text.substr(5, text.size() - 6));
    if (!el || !is_list_element(*el)) return std::nullopt;
    return ColumnType{TypeKind::kList, *el, 0};
  }
  if (text.starts_with("Vector(") && text.ends_with(")")) {
    std::string_view digits = text.substr(7, text.size() - 8);
    if (digits.empty() || digits.size() > 9) return std::nullopt;
    uint32_t dim = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return std::nullopt;
      dim = dim * 10 + static_cast<uint32_t>(c - '0');
    }
    if (dim == 0) return std::nullopt;
    return ColumnType{TypeKind::kVector, TypeKind::kBool, dim};
  }
  auto k = kind_of(text);
  if (!k) return std::nullopt;
  return ColumnType::scalar(*k);
}

Column::Column(ColumnType t) : type(t) {
  if (type.layout() != Layout::kFixed) offsets.push_back(0);
  if (type.layout() == Layout::kListVariable) child_offsets.push_back(0);
}

uint64_t Column::null_count() const {
  if (!has_nulls()) return 0;
  uint64_t valid = 0;
  uint64_t full = length / 8;
  for (uint64_t i = 0; i < full; ++i) valid += static_cast<uint64_t>(__builtin_popcount(validity[i]));
  for (uint64_t r = full * 8; r < length; ++r) valid += (validity[r >> 3] >> (r & 7)) & 1;
  return length - valid;
}

uint64_t Column::memory_bytes() const {
  return validity.capacity() + offsets.capacity() * 8 + child_offsets.capacity() * 8 + data.capacity() +
         sizeof(Column);
}

void Column::reserve(uint64_t rows, uint64_t data_bytes) {
  if (type.layout() != Layout::kFixed) offsets.reserve(rows + 1);
  data.reserve(type.layout() == Layout::kFixed ? rows * type.width() : data_bytes);
}

void Column::mark_valid() {
  if (validity.empty()) return;
  uint64_t row = length;
  if ((row >> 3) >= validity.size()) validity.push_back(0);
  validity[row >> 3] |= static_cast<uint8_t>(1u << (row & 7));
}

void Column::append_null() {
  if (validity.empty()) validity.assign((length + 8) / 8 + 1, 0xff);  // all earlier rows valid
  uint64_t row = length;
  if ((row >> 3) >= validity.size()) validity.push_back(0);
  validity[row >> 3] &= static_cast<uint8_t>(~(1u << (row & 7)));
  switch (type.layout()) {
    case Layout::kFixed:
      data.resize(data.size() + type.width(), 0);
      break;
    case Layout::kVariable:
    case Layout::kListFixed:
    case Layout::kListVariable:
      offsets.push_back(offsets.back());
      break;
  }
  ++length;
  // Keep bits past the end zero so the bitmap is canonical.
  validity.resize((length + 7) / 8);
  if (length % 8) validity.back() &= static_cast<uint8_t>((1u << (length % 8)) - 1);
}

void Column::append_fixed(const void* value, size_t width) {
  if (type.layout() != Layout::kFixed || width != type.width())
    throw Error::internal("append of " + std::to_string(width) + "-byte value to " + type.to_string() +
                          " column");
  mark_valid();
  const auto* p = static_cast<const uint8_t*>(value);
  data.insert(data.end(), p, p + width);
  ++length;
  if (!validity.empty()) validity.resize((length + 7) / 8);
}

void Column::append_vector(std::span<const float> lanes) {
  if (type.kind != TypeKind::kVector || lanes.size() != type.dimension)
    throw Error::internal("vector of " + std::to_string(lanes.size()) + " lanes appended to " +
                          type.to_string());
  append_fixed(lanes.data(), lanes.size_bytes());
}

void Column::append_bytes(std::string_view bytes) {
  if (type.layout() != Layout::kVariable)
    throw Error::internal("append_bytes on " + type.to_string() + " column");
  mark_valid();
  data.insert(data.end(), bytes.begin(), bytes.end());
  offsets.push_back(data.size());
  ++length;
  if (!validity.empty()) validity.resize((length + 7) / 8);
}

void Column::append_list_fixed(const void* elements, size_t count) {
  if (type.layout() != Layout::kListFixed) throw Error::internal("append_list_fixed on " + type.to_string());
  mark_valid();
  const auto* p = static_cast<const uint8_t*>(elements);
  data.insert(data.end(), p, p + count * type.width());
  offsets.push_back(offsets.back() + count);
  ++length;
  if (!validity.empty()) validity.resize((length + 7) / 8);
}

void Column::append_list_strings(std::span<const std::string_view> elements) {
  if (type.layout() != Layout::kListVariable)
    throw Error::internal("append_list_strings on " + type.to_string());
  mark_valid();
  for (std::string_view e : elements) {
    data.insert(data.end(), e.begin(), e.end());
    child_offsets.push_back(data.size());
  }
  offsets.push_back(offsets.back() + elements.size());
  ++length;
  if (!validity.empty()) validity.resize((length + 7) / 8);
}

void Column::append_rows(const Column& other, uint64_t begin, uint64_t end) {
  if (!(other.type == type) || begin > end || end > other.length)
    throw Error::internal("append_rows: incompatible column or range");
  uint64_t n = end - begin;
  if (n == 0) return;
  // Validity: copy bit by bit only when either side has nulls.
  if (other.has_nulls() || has_nulls()) {
    if (validity.empty()) validity.assign((length + 7) / 8, 0xff);
    if (length % 8 && !validity.empty()) validity.back() &= static_cast<uint8_t>((1u << (length % 8)) - 1);
    validity.resize((length + n + 7) / 8, 0);
    for (uint64_t i = 0; i < n; ++i) {
      uint64_t dst = length + i;
      bool valid = !other.is_null(begin + i);
      if (valid) validity[dst >> 3] |= static_cast<uint8_t>(1u << (dst & 7));
    }
  }
  switch (type.layout()) {
    case Layout::kFixed: {
      size_t w = type.width();
      data.insert(data.end(), other.data.begin() + static_cast<ptrdiff_t>(begin * w),
                  other.data.begin() + static_cast<ptrdiff_t>(end * w));
      break;
    }
    case Layout::kVariable: {
      uint64_t base = offsets.back(), from = other.offsets[begin];
      for (uint64_t i = begin + 1; i <= end; ++i) offsets.push_back(base + other.offsets[i] - from);
      data.insert(data.end(), other.data.begin() + static_cast<ptrdiff_t>(from),
                  other.data.begin() + static_cast<ptrdiff_t>(other.offsets[end]));
      break;
    }
    case Layout::kListFixed: {
      uint64_t base = offsets.back(), from = other.offsets[begin];
      for (uint64_t i = begin + 1; i <= end; ++i) offsets.push_back(base + other.offsets[i] - from);
      size_t w = type.width();
      data.insert(data.end(), other.data.begin() + static_cast<ptrdiff_t>(from * w),
                  other.data.begin() + static_cast<ptrdiff_t>(other.offsets[end] * w));
      break;
    }
    case Layout::kListVariable: {
      uint64_t base = offsets.back(), from = other.offsets[begin], to = other.offsets[end];
      for (uint64_t i = begin + 1; i <= end; ++i) offsets.push_back(base + other.offsets[i] - from);
      uint64_t byte_base = child_offsets.back(), byte_from = other.child_offsets[from];
      for (uint64_t e = from + 1; e <= to; ++e)
        child_offsets.push_back(byte_base + other.child_offsets[e] - byte_from);
      data.insert(data.end(), other.data.begin() + static_cast<ptrdiff_t>(byte_from),
                  other.data.begin() + static_cast<ptrdiff_t>(other.child_offsets[to]));
      break;
    }
  }
  length += n;
}

ColumnStats compute_stats(const Column& c) {
  ColumnStats stats;
  stats.null_count = c.null_count();
  if (!c.type.has_ordering()) return stats;
  switch (c.type.kind) {
    case TypeKind::kBool:
      fixed_min_max<uint8_t>(c, stats);
      break;
    case TypeKind::kI32:
    case TypeKind::kDate:
      fixed_min_max<int32_t>(c, stats);
      break;
    case TypeKind::kI64:
    case TypeKind::kDateTime:
      fixed_min_max<int64_t>(c, stats);
      break;
    case TypeKind::kU32:
      fixed_min_max<uint32_t>(c, stats);
      break;
    case TypeKind::kU64:
      fixed_min_max<uint64_t>(c, stats);
      break;
    case TypeKind::kF32:
      fixed_min_max<float>(c, stats);
      break;
    case TypeKind::kF64:
      fixed_min_max<double>(c, stats);
      break;
    case TypeKind::kString:
    case TypeKind::kEnum:
      bytes_min_max(c, stats);
      break;
    default:
      break;
  }
  return stats;
}

std::string encode_blob_descriptor(const BlobDescriptor& blob) {
  std::string out;
  ByteWriter w(out);
  w.u8(1);  // descriptor layout version
  w.str(blob.uri);
  w.u64(blob.size);
  w.str(blob.media_type);
  w.str(blob.sha256_hex);
  return out;
}

BlobDescriptor decode_blob_descriptor(std::string_view bytes) {
  ByteReader r(bytes, "blob descriptor");
  if (r.u8() != 1) throw IntegrityError("blob descriptor: unknown layout version");
  BlobDescriptor b;
  b.uri = r.str();
  b.size = r.u64();
  b.media_type = r.str();
  b.sha256_hex = r.str();
  if (!r.done()) throw IntegrityError("blob descriptor: trailing bytes");
  return b;
}

}  // namespace omnigraph::storage
