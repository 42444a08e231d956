// Little-endian encoding helpers for storage metadata (footers, envelopes). Internal to storage.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "storage/storage_error.h"

namespace omnigraph::storage {

// Appends fixed-width little-endian integers and length-prefixed strings to a byte string.
class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}
  void u8(uint8_t v) { out_.push_back(static_cast<char>(v)); }
  void u32(uint32_t v) { raw(&v, 4); }
  void u64(uint64_t v) { raw(&v, 8); }
  void str(std::string_view s) {
    u32(static_cast<uint32_t>(s.size()));
    out_.append(s);
  }
  void raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }

 private:
  std::string& out_;  // x86-64/aarch64 are little-endian; the format is little-endian.
};

// Bounds-checked reader; any overrun throws IntegrityError naming `what` (the object being parsed).
class ByteReader {
 public:
  ByteReader(std::string_view data, std::string what) : data_(data), what_(std::move(what)) {}
  uint8_t u8() { return static_cast<uint8_t>(take(1)[0]); }
  uint32_t u32() {
    uint32_t v;
    std::memcpy(&v, take(4).data(), 4);
    return v;
  }
  uint64_t u64() {
    uint64_t v;
    std::memcpy(&v, take(8).data(), 8);
    return v;
  }
  std::string str() {
    uint32_t n = u32();
    return std::string(take(n));
  }
  std::string_view take(size_t n) {
    if (n > data_.size() - pos_) throw IntegrityError(what_ + ": truncated at byte " + std::to_string(pos_));
    std::string_view v = data_.substr(pos_, n);
    pos_ += n;
    return v;
  }
  bool done() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }

 private:
  std::string_view data_;
  std::string what_;
  size_t pos_ = 0;
};

}  // namespace omnigraph::storage
