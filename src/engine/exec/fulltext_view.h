// The table-level full-text view of one String property: each fragment's inverted segment
// (persisted "fts" segment or built in memory, index/fragment_segment.h) mapped onto the
// table's dense live rows, with exact BM25 corpus statistics over the live non-null rows.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "compiler/catalog.h"
#include "engine/graph_snapshot.h"
#include "engine/search/inverted_segment.h"

namespace omnigraph::engine::exec {

// Immutable; all members thread-safe. Dense rows are the table's live rows (TableData row
// numbers); postings of deleted rows never surface.
class FullTextView {
 public:
  // The view of `property` of the node/edge table `table` (of type `type`), built once per
  // table and cached on it (TableDataImpl::derived). nullptr when the property is not a
  // String/Enum property or `table` is not a TableDataImpl (the caller then evaluates per row). Throws what reading or
  // decoding a fragment's segment throws (IntegrityError for a corrupt persisted segment).
  static std::shared_ptr<const FullTextView> of(const TableData& table, const compiler::TypeDef& type,
                                                std::string_view property);

  // Built from parts; use of(). `parts` are (segment, first dense row, dense row per
  // physical row or empty when the fragment has no deletions; UINT32_MAX = deleted).
  struct Part {
    std::shared_ptr<const search::InvertedSegment> segment;
    uint64_t first_row = 0;
    std::vector<uint32_t> dense_of;  // empty: dense = first_row + physical
    std::vector<uint32_t> live;      // with deletions: live physical rows in dense order
  };
  FullTextView(std::vector<Part> parts, uint64_t rows);

  // BM25 corpus: live non-null rows and their average analysed length (0 when none).
  uint64_t docs() const { return docs_; }
  double avgdl() const { return avgdl_; }
  uint64_t row_count() const { return rows_; }
  bool is_null(uint64_t row) const;
  uint32_t doc_length(uint64_t row) const;
  // Live rows holding `term` (analysed), each with its term frequency, ascending dense row.
  std::vector<std::pair<uint32_t, uint32_t>> postings(std::string_view term) const;
  // Live rows holding `term` (document frequency).
  uint64_t df(std::string_view term) const;
  // Frequency of `term` in dense row `row` (0 when absent).
  uint32_t tf(std::string_view term, uint64_t row) const;

  // Okapi BM25 (search/scoring.h) of every live row matching some analysed query token:
  // (dense row, score) ascending by row. Each distinct token counts once, contributions are
  // summed in first-appearance order (bit-identical to Bm25Corpus::score over the live column).
  std::vector<std::pair<uint32_t, double>> bm25(const std::vector<std::string>& query) const;
  // Sets hit[row] = 1 for every live row holding a token of `query` (search/match_text), or —
  // with `max_edits` — a token within that many edits of a query token (fuzzy; the edit
  // distance runs once per dictionary term). `hit` must have row_count() entries.
  void mark_matches(const std::vector<std::string>& query, std::optional<uint64_t> max_edits,
                    std::vector<uint8_t>& hit) const;

 private:
  // (part index, physical row) of dense row `row`.
  std::pair<size_t, uint32_t> locate(uint64_t row) const;
  template <class F>
  void for_each_live(size_t part, uint32_t term, F&& f) const;

  std::vector<Part> parts_;
  uint64_t rows_ = 0;
  uint64_t docs_ = 0;
  double avgdl_ = 0.0;
};

}  // namespace omnigraph::engine::exec
