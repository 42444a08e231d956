// The substring (trigram) segment of one fragment's String column: for every 3-byte sequence,
// the physical rows whose value contains it. Narrows `contains` to candidate rows; in memory
// only (built on first use and cached by fragment key; not a persisted segment kind).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "storage/column_types.h"

namespace omnigraph::engine::index {

// Immutable once built; const access is thread-safe.
class SubstringSegment {
 public:
  // Patterns shorter than this have no trigram: the segment cannot narrow them.
  static constexpr size_t kGram = 3;
  // Columns whose values average more bytes than this get no segment: postings grow with the
  // text (one entry per distinct trigram per row), so long text is left to the scan.
  static constexpr size_t kMaxAverageBytes = 32;

  // Builds the segment of a String or Enum `column` (all physical rows of one fragment; nulls
  // and values shorter than 3 bytes get no postings), or nullptr when its non-null values
  // average more than kMaxAverageBytes. Throws Error(bad_request) naming the type for any
  // other column kind.
  static std::shared_ptr<const SubstringSegment> build(const storage::Column& column);

  // Ascending physical rows whose value contains every trigram of `pattern` — a superset of
  // the rows containing `pattern` (the caller re-checks). Requires pattern.size() >= kGram.
  std::vector<uint32_t> candidates(std::string_view pattern) const;
  // An upper bound of candidates(pattern).size(): the shortest posting list among the
  // pattern's trigrams (0 when one is absent). Requires pattern.size() >= kGram.
  size_t estimate(std::string_view pattern) const;

 private:
  std::span<const uint32_t> postings(uint32_t gram) const;

  std::vector<uint32_t> grams_;    // distinct trigrams, ascending (3 bytes, big-endian in 24 bits)
  std::vector<uint64_t> offsets_;  // grams_.size() + 1 offsets into rows_
  std::vector<uint32_t> rows_;     // per trigram: ascending physical rows
};

}  // namespace omnigraph::engine::index
