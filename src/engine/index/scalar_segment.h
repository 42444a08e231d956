// The scalar (BTREE) index segment of one fragment column (languages.md §3.6): the column's
// non-null, non-NaN values sorted ascending with their physical rows, and its persisted form.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/value.h"
#include "storage/column_types.h"

namespace omnigraph::engine::index {

// Immutable once built; const access is thread-safe.
//
// Order (languages.md §6.4): signed kinds (I32, I64, Date, DateTime) and unsigned kinds (U32,
// U64) by integer value, floats (F32 widened to double, F64) by value with -0.0 == +0.0, Bool
// false < true, Enum/String bytewise. Equal keys keep ascending physical row order. Nulls and
// NaN are left out: no comparison ever matches them (§6.4), so a lookup never needs them.
class ScalarSegment {
 public:
  // Whether a column of `kind` can be indexed (Bool, integers, floats, Date, DateTime, Enum,
  // String).
  static bool supports(storage::TypeKind kind);

  // Builds the segment of `column` (all physical rows of one fragment, deleted ones included).
  // Throws Error(bad_request) naming the type for an unsupported column kind.
  static std::shared_ptr<const ScalarSegment> build(const storage::Column& column);

  // Persisted form: "OGSCALAR" | u32 version | u8 column kind | u64 entries | u64 fragment rows
  // | u32 rows[entries] | keys (8-byte little-endian values, or u64 offsets[entries+1] + bytes)
  // | u64 XXH3-64 of everything before it.
  std::string encode() const;
  // Parses encode()'s output. Throws IntegrityError("scalar index segment: <what>") for a bad
  // magic, unknown version or column kind, truncated or oversized payload, checksum mismatch,
  // rows outside the fragment or keys out of order.
  static std::shared_ptr<const ScalarSegment> decode(std::string_view bytes);

  storage::TypeKind column_kind() const { return kind_; }
  // Physical rows of the fragment the segment was built from (an upper bound of row()).
  uint64_t fragment_rows() const { return fragment_rows_; }
  uint64_t row_count() const { return fragment_rows_; }  // what fragment_segment checks
  // Number of indexed (non-null, non-NaN) values.
  size_t size() const { return rows_.size(); }
  // The physical row of the i-th smallest key.
  uint32_t row(size_t i) const { return rows_[i]; }
  // The i-th key as the Value a scan reads for that cell (cell_value's representation:
  // int64 for signed kinds, uint64 for unsigned, double for floats, bool, string).
  Value key(size_t i) const;
  // Enum/String segments only: the i-th key's bytes.
  std::string_view key_bytes(size_t i) const {
    return std::string_view(bytes_).substr(offsets_[i], offsets_[i + 1] - offsets_[i]);
  }
  bool has_bytes_keys() const { return !offsets_.empty(); }

 private:
  enum class Keys { kSigned, kUnsigned, kFloat, kBytes };
  static Keys keys_of(storage::TypeKind kind);

  storage::TypeKind kind_ = storage::TypeKind::kI64;
  uint64_t fragment_rows_ = 0;
  std::vector<uint32_t> rows_;
  std::vector<uint64_t> fixed_;    // signed/unsigned/float keys as their 8-byte bit patterns
  std::vector<uint64_t> offsets_;  // bytes keys: entries + 1 offsets into bytes_
  std::string bytes_;
};

}  // namespace omnigraph::engine::index
