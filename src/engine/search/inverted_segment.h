// The full-text inverted index of ONE fragment's String column (docs/storage-format.md §5.5,
// kind "fts"): sorted term dictionary, postings per term, per-row analysed length and null flag.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine::search {

// Immutable once built or decoded; every const member is thread-safe.
//
// Rows are the fragment's PHYSICAL rows 0..row_count()-1 (deleted rows included: readers filter
// them through the deletion vector). Terms are the analysed tokens of TextAnalyzer::analyze
// (stop words dropped, stemmed), sorted bytewise, each listed once. A term's postings are its
// rows in ascending order with the term's frequency in that row (≥ 1). doc_length(row) is the
// number of analysed tokens of the row (0 for a null row and for text without tokens).
class InvertedSegment {
 public:
  // The text of physical row `row`, nullopt for a null value.
  using RowText = std::function<std::optional<std::string_view>(uint32_t row)>;

  // Analyses rows 0..rows-1 with the same analysis as TextAnalyzer::analyze (a private
  // analyzer instance: safe to call from several threads at once).
  static InvertedSegment build(uint32_t rows, const RowText& text);

  // The persisted form (docs/storage-format.md §5.5): "OMNIFTS\0" | u32 version | u32 rows |
  // u32 terms | u64 term bytes | u64 postings | u64 posting bytes | null bitmap ⌈rows/8⌉
  // (bit set = null) | u32 term offsets × (terms+1) | term bytes | per term: varint count,
  // then per posting varint row delta (the first: the row) and varint frequency | u64 XXH3-64
  // of all preceding bytes. Integers little-endian; lengths are recomputed from the postings.
  std::string encode() const;
  // Verifies and parses encode()'s output. Throws storage::IntegrityError naming `what` and the
  // failing part (checksum, magic, version, truncation, unsorted terms or rows, bad offsets).
  static InvertedSegment decode(std::string_view bytes, const std::string& what = "fts segment");

  uint32_t row_count() const { return rows_; }
  bool is_null(uint32_t row) const { return (nulls_[row >> 3] >> (row & 7)) & 1; }
  uint32_t doc_length(uint32_t row) const { return doc_len_[row]; }
  // Non-null rows and the sum of their lengths (all physical rows, deleted ones included).
  uint64_t non_null_rows() const { return non_null_; }
  uint64_t total_length() const { return total_len_; }

  size_t term_count() const { return term_off_.size() - 1; }
  std::string_view term(uint32_t id) const {
    return {term_bytes_.data() + term_off_[id], term_off_[id + 1] - term_off_[id]};
  }
  // The id of `term` in the dictionary (binary search), nullopt when absent.
  std::optional<uint32_t> find(std::string_view term) const;
  // Postings of term `id`: ascending physical rows and the parallel term frequencies.
  std::span<const uint32_t> rows(uint32_t id) const {
    return {post_rows_.data() + post_off_[id], post_off_[id + 1] - post_off_[id]};
  }
  std::span<const uint32_t> freqs(uint32_t id) const {
    return {post_tf_.data() + post_off_[id], post_off_[id + 1] - post_off_[id]};
  }
  // Frequency of term `id` in physical row `row` (0 when absent; binary search).
  uint32_t tf(uint32_t id, uint32_t row) const;

  static constexpr uint32_t kFormatVersion = 1;

 private:
  void finish_stats();

  uint32_t rows_ = 0;
  std::vector<uint8_t> nulls_;     // bit set = null
  std::vector<uint32_t> doc_len_;  // per row
  std::vector<uint32_t> term_off_{0};
  std::string term_bytes_;
  std::vector<uint32_t> post_off_{0};
  std::vector<uint32_t> post_rows_;
  std::vector<uint32_t> post_tf_;
  uint64_t non_null_ = 0;
  uint64_t total_len_ = 0;
};

}  // namespace omnigraph::engine::search
