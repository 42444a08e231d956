// Scalar (BTREE) segment: build from a fragment column, lookup keys, persisted encoding.
#include "engine/index/scalar_segment.h"

#include <xxhash.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <numeric>

#include "common/error.h"
#include "storage/byte_io.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::index {

using storage::TypeKind;

namespace {

constexpr std::string_view kMagic = "OGSCALAR";
constexpr uint32_t kVersion = 1;
const std::string kWhat = "scalar index segment";

template <class T>
T fixed_at(const storage::Column& c, uint64_t i) {
  T v;
  std::memcpy(&v, c.data.data() + i * sizeof(T), sizeof(T));
  return v;
}

[[noreturn]] void corrupt(const std::string& what) {
  throw storage::IntegrityError(kWhat + ": " + what);
}

}  // namespace

bool ScalarSegment::supports(TypeKind kind) {
  switch (kind) {
    case TypeKind::kBool:
    case TypeKind::kI32:
    case TypeKind::kI64:
    case TypeKind::kU32:
    case TypeKind::kU64:
    case TypeKind::kF32:
    case TypeKind::kF64:
    case TypeKind::kDate:
    case TypeKind::kDateTime:
    case TypeKind::kString:
    case TypeKind::kEnum:
      return true;
    default:
      return false;
  }
}

ScalarSegment::Keys ScalarSegment::keys_of(TypeKind kind) {
  switch (kind) {
    case TypeKind::kI32:
    case TypeKind::kI64:
    case TypeKind::kDate:
    case TypeKind::kDateTime:
      return Keys::kSigned;
    case TypeKind::kF32:
    case TypeKind::kF64:
      return Keys::kFloat;
    case TypeKind::kString:
    case TypeKind::kEnum:
      return Keys::kBytes;
    default:
      return Keys::kUnsigned;  // Bool, U32, U64
  }
}

std::shared_ptr<const ScalarSegment> ScalarSegment::build(const storage::Column& column) {
  const TypeKind kind = column.type.kind;
  if (!supports(kind))
    throw Error::bad_request("a scalar index cannot be built on a " + column.type.to_string() + " column");
  auto seg = std::make_shared<ScalarSegment>();
  seg->kind_ = kind;
  seg->fragment_rows_ = column.length;
  const uint64_t n = column.length;
  const Keys keys = keys_of(kind);

  // Per-row keys of the non-null (and non-NaN) rows, then one stable sort by key.
  std::vector<uint32_t> rows;
  rows.reserve(n);
  std::vector<uint64_t> fixed(keys == Keys::kBytes ? 0 : n);
  for (uint64_t r = 0; r < n; ++r) {
    if (column.is_null(r)) continue;
    switch (kind) {
      case TypeKind::kBool:
        fixed[r] = column.data[r] != 0 ? 1 : 0;
        break;
      case TypeKind::kI32:
      case TypeKind::kDate:
        fixed[r] = static_cast<uint64_t>(static_cast<int64_t>(fixed_at<int32_t>(column, r)));
        break;
      case TypeKind::kI64:
      case TypeKind::kDateTime:
        fixed[r] = static_cast<uint64_t>(fixed_at<int64_t>(column, r));
        break;
      case TypeKind::kU32:
        fixed[r] = fixed_at<uint32_t>(column, r);
        break;
      case TypeKind::kU64:
        fixed[r] = fixed_at<uint64_t>(column, r);
        break;
      case TypeKind::kF32:
      case TypeKind::kF64: {
        double d = kind == TypeKind::kF32 ? static_cast<double>(fixed_at<float>(column, r))
                                          : fixed_at<double>(column, r);
        if (std::isnan(d)) continue;
        if (d == 0) d = 0.0;  // -0.0 and +0.0 are one key
        fixed[r] = std::bit_cast<uint64_t>(d);
        break;
      }
      default:
        break;
    }
    rows.push_back(static_cast<uint32_t>(r));
  }
  auto by_key = [&](auto less) {
    std::stable_sort(rows.begin(), rows.end(), less);  // rows start ascending: ties keep row order
  };
  switch (keys) {
    case Keys::kSigned:
      by_key([&](uint32_t a, uint32_t b) {
        return static_cast<int64_t>(fixed[a]) < static_cast<int64_t>(fixed[b]);
      });
      break;
    case Keys::kUnsigned:
      by_key([&](uint32_t a, uint32_t b) { return fixed[a] < fixed[b]; });
      break;
    case Keys::kFloat:
      by_key([&](uint32_t a, uint32_t b) {
        return std::bit_cast<double>(fixed[a]) < std::bit_cast<double>(fixed[b]);
      });
      break;
    case Keys::kBytes:
      by_key([&](uint32_t a, uint32_t b) { return column.bytes_at(a) < column.bytes_at(b); });
      break;
  }
  if (keys == Keys::kBytes) {
    seg->offsets_.reserve(rows.size() + 1);
    seg->offsets_.push_back(0);
    for (uint32_t r : rows) {
      seg->bytes_.append(column.bytes_at(r));
      seg->offsets_.push_back(seg->bytes_.size());
    }
  } else {
    seg->fixed_.reserve(rows.size());
    for (uint32_t r : rows) seg->fixed_.push_back(fixed[r]);
  }
  seg->rows_ = std::move(rows);
  return seg;
}

Value ScalarSegment::key(size_t i) const {
  switch (kind_) {
    case TypeKind::kBool:
      return Value{fixed_[i] != 0};
    case TypeKind::kI32:
    case TypeKind::kI64:
    case TypeKind::kDate:
    case TypeKind::kDateTime:
      return Value{static_cast<int64_t>(fixed_[i])};
    case TypeKind::kU32:
    case TypeKind::kU64:
      return Value{fixed_[i]};
    case TypeKind::kF32:
    case TypeKind::kF64:
      return Value{std::bit_cast<double>(fixed_[i])};
    default:
      return Value{std::string(key_bytes(i))};
  }
}

std::string ScalarSegment::encode() const {
  std::string out;
  out.reserve(37 + rows_.size() * 12 + bytes_.size() + offsets_.size() * 8);
  storage::ByteWriter w(out);
  w.raw(kMagic.data(), kMagic.size());
  w.u32(kVersion);
  w.u8(static_cast<uint8_t>(kind_));
  w.u64(rows_.size());
  w.u64(fragment_rows_);
  w.raw(rows_.data(), rows_.size() * sizeof(uint32_t));
  if (keys_of(kind_) == Keys::kBytes) {
    w.raw(offsets_.data(), offsets_.size() * sizeof(uint64_t));
    w.raw(bytes_.data(), bytes_.size());
  } else {
    w.raw(fixed_.data(), fixed_.size() * sizeof(uint64_t));
  }
  w.u64(XXH3_64bits(out.data(), out.size()));
  return out;
}

std::shared_ptr<const ScalarSegment> ScalarSegment::decode(std::string_view bytes) {
  constexpr size_t kHeader = 8 + 4 + 1 + 8 + 8;
  if (bytes.size() < kHeader + 8) corrupt("truncated (" + std::to_string(bytes.size()) + " bytes)");
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  uint64_t stored_sum;
  std::memcpy(&stored_sum, bytes.data() + body.size(), 8);
  storage::ByteReader r(body, kWhat);
  if (r.take(kMagic.size()) != kMagic) corrupt("bad magic");
  uint32_t version = r.u32();
  if (version != kVersion) corrupt("unsupported version " + std::to_string(version));
  if (XXH3_64bits(body.data(), body.size()) != stored_sum) corrupt("checksum mismatch");
  uint8_t kind = r.u8();
  if (kind < static_cast<uint8_t>(TypeKind::kBool) || kind > static_cast<uint8_t>(TypeKind::kVector) ||
      !supports(static_cast<TypeKind>(kind)))
    corrupt("unsupported column kind " + std::to_string(kind));
  auto seg = std::make_shared<ScalarSegment>();
  seg->kind_ = static_cast<TypeKind>(kind);
  uint64_t entries = r.u64();
  seg->fragment_rows_ = r.u64();
  const size_t remaining = body.size() - r.position();
  if (entries > seg->fragment_rows_ || entries > remaining / 4)
    corrupt("entry count " + std::to_string(entries) + " exceeds the payload");
  seg->rows_.resize(entries);
  std::memcpy(seg->rows_.data(), r.take(entries * 4).data(), entries * 4);
  for (uint32_t row : seg->rows_)
    if (row >= seg->fragment_rows_) corrupt("row " + std::to_string(row) + " outside the fragment");
  const Keys keys = keys_of(seg->kind_);
  if (keys == Keys::kBytes) {
    if (entries + 1 > (body.size() - r.position()) / 8) corrupt("offsets exceed the payload");
    seg->offsets_.resize(entries + 1);
    std::memcpy(seg->offsets_.data(), r.take((entries + 1) * 8).data(), (entries + 1) * 8);
    if (seg->offsets_[0] != 0) corrupt("first offset is not 0");
    for (size_t i = 0; i < entries; ++i)
      if (seg->offsets_[i + 1] < seg->offsets_[i]) corrupt("offsets decrease at entry " + std::to_string(i));
    if (seg->offsets_.back() != body.size() - r.position()) corrupt("key bytes length mismatch");
    seg->bytes_ = std::string(r.take(seg->offsets_.back()));
    for (size_t i = 1; i < entries; ++i)
      if (seg->key_bytes(i) < seg->key_bytes(i - 1))
        corrupt("keys out of order at entry " + std::to_string(i));
  } else {
    if (entries * 8 != body.size() - r.position()) corrupt("key length mismatch");
    seg->fixed_.resize(entries);
    std::memcpy(seg->fixed_.data(), r.take(entries * 8).data(), entries * 8);
    for (size_t i = 1; i < entries; ++i) {
      bool ordered = true;
      uint64_t a = seg->fixed_[i - 1], b = seg->fixed_[i];
      switch (keys) {
        case Keys::kSigned:
          ordered = static_cast<int64_t>(a) <= static_cast<int64_t>(b);
          break;
        case Keys::kFloat:
          ordered = std::bit_cast<double>(a) <= std::bit_cast<double>(b);  // false for NaN
          break;
        default:
          ordered = a <= b;
          break;
      }
      if (!ordered) corrupt("keys out of order at entry " + std::to_string(i));
    }
    if (keys == Keys::kFloat && entries == 1 && std::isnan(std::bit_cast<double>(seg->fixed_[0])))
      corrupt("NaN key at entry 0");
  }
  if (!r.done()) corrupt("trailing bytes");
  return seg;
}

}  // namespace omnigraph::engine::index
