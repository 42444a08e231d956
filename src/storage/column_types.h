// The storage's physical column types and the in-memory column they decode into. The engine
// maps catalog types onto these; storage knows nothing about schemas.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace omnigraph::storage {

// Numeric values are on-disk tags (docs/storage-format.md §3); never renumber.
enum class TypeKind : uint8_t {
  kBool = 1,  // 1 byte per value, 0 or 1
  kI32 = 2,
  kI64 = 3,
  kU32 = 4,
  kU64 = 5,
  kF32 = 6,
  kF64 = 7,
  kDate = 8,      // i32 days since 1970-01-01
  kDateTime = 9,  // i64 milliseconds since the epoch, UTC
  kString = 10,   // UTF-8 bytes (not validated by storage)
  kEnum = 11,     // the variant's name as bytes, stored exactly like String
  kBlob = 12,     // an encoded BlobDescriptor per row
  kList = 13,     // list of one scalar element kind (Bool..Enum)
  kVector = 14,   // fixed-size float32 vector of `dimension` lanes
};

// How a type's values are laid out in memory and on disk.
enum class Layout {
  kFixed,         // data only: width bytes per row
  kVariable,      // offsets (rows+1) into data bytes
  kListFixed,     // offsets (rows+1, element indices) + data (element width each)
  kListVariable,  // offsets (rows+1, element indices) + child_offsets (elements+1) + data bytes
};

struct ColumnType {
  TypeKind kind = TypeKind::kI64;
  TypeKind element = TypeKind::kBool;  // meaningful for kList only
  uint32_t dimension = 0;              // meaningful for kVector only (>= 1)

  static ColumnType scalar(TypeKind kind) { return {kind, TypeKind::kBool, 0}; }
  // Throws bad_request unless element is a scalar kind (Bool..Enum).
  static ColumnType list(TypeKind element);
  // Throws bad_request for dimension 0.
  static ColumnType vector(uint32_t dimension);

  Layout layout() const;
  // Bytes per row (kFixed) or per element (kListFixed); 0 for variable layouts.
  size_t width() const;
  // "I64", "String", "List<I32>", "Vector(128)", ...
  std::string to_string() const;
  // Inverse of to_string; nullopt if malformed.
  static std::optional<ColumnType> parse(std::string_view text);
  // True when min/max statistics are kept (every scalar; not lists, vectors or blobs).
  bool has_ordering() const;

  bool operator==(const ColumnType&) const = default;
};

// A scalar kind's byte width (1, 4 or 8); 0 for String/Enum/Blob/List/Vector.
size_t scalar_width(TypeKind kind);
std::string_view type_kind_name(TypeKind kind);

// A column's values for a run of rows, decoded. Buffers follow Arrow's shape so scans can run
// over plain arrays. Offsets are absolute within this column and start at 0.
//
// A Column is a value type: copyable, movable, not thread-safe for concurrent mutation; const
// access from several threads is safe. Appends are amortised O(1) and never throw except on
// allocation failure or a type mismatch (a programming error, reported as internal).
struct Column {
  ColumnType type;
  uint64_t length = 0;
  // Bit i (LSB-first) set = row i is valid. Empty = no nulls (materialised on the first null).
  std::vector<uint8_t> validity;
  // kVariable: rows+1 byte offsets; kList*: rows+1 element indices. Empty for kFixed.
  std::vector<uint64_t> offsets;
  // kListVariable only: elements+1 byte offsets into data.
  std::vector<uint64_t> child_offsets;
  // Values: fixed-width little-endian values, or bytes.
  std::vector<uint8_t> data;

  explicit Column(ColumnType t = {});

  bool has_nulls() const { return !validity.empty(); }
  bool is_null(uint64_t row) const { return has_nulls() && !((validity[row >> 3] >> (row & 7)) & 1); }
  uint64_t null_count() const;
  // Heap bytes held by the buffers (what a cache charges).
  uint64_t memory_bytes() const;

  // ---- building ----
  void reserve(uint64_t rows, uint64_t data_bytes = 0);
  void append_null();
  // Fixed scalars; T must match the kind's width (bool/uint8_t for Bool, float for F32, ...).
  template <class T>
  void append(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    append_fixed(&value, sizeof(T));
  }
  void append_fixed(const void* value, size_t width);
  void append_vector(std::span<const float> lanes);                      // kVector; size must equal dimension
  void append_bytes(std::string_view bytes);                             // String, Enum, Blob
  void append_list_fixed(const void* elements, size_t count);            // kListFixed
  void append_list_strings(std::span<const std::string_view> elements);  // kListVariable

  // ---- reading ----
  // Fixed-layout values (also list-fixed elements). T's size must equal width().
  template <class T>
  std::span<const T> values() const {
    return {reinterpret_cast<const T*>(data.data()), data.size() / sizeof(T)};
  }
  std::string_view bytes_at(uint64_t row) const {
    return {reinterpret_cast<const char*>(data.data()) + offsets[row], offsets[row + 1] - offsets[row]};
  }
  std::span<const float> vector_at(uint64_t row) const {
    return {reinterpret_cast<const float*>(data.data()) + row * type.dimension, type.dimension};
  }
  // Element index range [first, second) of a list row.
  std::pair<uint64_t, uint64_t> list_range(uint64_t row) const { return {offsets[row], offsets[row + 1]}; }
  std::string_view list_element_bytes(uint64_t element) const {
    return {reinterpret_cast<const char*>(data.data()) + child_offsets[element],
            child_offsets[element + 1] - child_offsets[element]};
  }

  // Appends rows [begin, end) of other (same type). Used to stitch pages and slice ranges.
  void append_rows(const Column& other, uint64_t begin, uint64_t end);

 private:
  void mark_valid();
};

// Per-column statistics. min/max hold the value's little-endian bytes for fixed scalars, the raw
// bytes for String/Enum. String min is a prefix of at most kMaxStatBytes (still a lower bound);
// a String max longer than that is omitted. NaN is ignored; all-null columns have neither.
struct ColumnStats {
  uint64_t null_count = 0;
  std::optional<std::string> min;
  std::optional<std::string> max;
  bool operator==(const ColumnStats&) const = default;
};
inline constexpr size_t kMaxStatBytes = 64;

// Computes stats over a whole column.
ColumnStats compute_stats(const Column& column);

// What a Blob cell stores: where the bytes live and what they are. Inline blobs are objects
// under the graph root (uri "omni:<object key>"); external ones are URIs the engine validated.
struct BlobDescriptor {
  std::string uri;
  uint64_t size = 0;
  std::string media_type;  // may be empty
  std::string sha256_hex;  // may be empty (external blobs)
  bool operator==(const BlobDescriptor&) const = default;
};
std::string encode_blob_descriptor(const BlobDescriptor& blob);
// Throws IntegrityError if the bytes are not a descriptor.
BlobDescriptor decode_blob_descriptor(std::string_view bytes);

}  // namespace omnigraph::storage
