// The approximate side of `nearest` ranking (languages.md §6.11, docs/search.md "HNSW"): which
// rows can be among the k nearest, using persisted "hnsw" segments of covered fragments and
// keeping every allowed row of the other fragments for the exact kernel.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/search/hnsw_segment.h"
#include "engine/table_data_impl.h"

namespace omnigraph::engine::exec {

// A covered fragment is searched through its segment only when its allowed rows are at least
// this fraction of its rows; a more selective filter makes the graph walk visit most of the
// graph for few results, so the exact kernel over the allowed rows is used instead.
inline constexpr double kAnnMinAllowedFraction = 0.10;
// ... and only when it has more than this many allowed rows per requested result (else exact).
inline constexpr uint64_t kAnnMinRowsPerResult = 8;

// The persisted "hnsw" segment of physical column `column` for fragment `fragment`, decoded
// once and cached graph-wide (table.segments()); nullptr when the table snapshot lists none.
// Never builds one. Throws IntegrityError-coded Error on a corrupt or mismatched segment.
std::shared_ptr<const search::HnswSegment> persisted_hnsw_segment(const TableDataImpl& table, size_t fragment,
                                                                  const std::string& column);

struct NearestCandidates {
  std::vector<uint8_t> keep;   // per dense row of the table: 1 = may be among the k nearest
  size_t ann_fragments = 0;    // fragments answered through their segment
  size_t exact_fragments = 0;  // fragments whose allowed rows are all kept (exact kernel)
};

// Rows of `table` that may rank among the `k` nearest to `query` on physical Vector column
// `column`, among the dense rows flagged in `allowed` (size row_count(); the match's rows, so
// deleted rows are never there). Per fragment: its segment's filtered top-k when it has a
// persisted segment and the allowed rows pass the thresholds above, else all its allowed rows.
// nullopt when no fragment used a segment (the caller ranks exactly, unchanged). Thread-safe.
std::optional<NearestCandidates> nearest_candidates(const TableDataImpl& table, const std::string& column,
                                                    const std::vector<float>& query, size_t k,
                                                    const std::vector<uint8_t>& allowed);

}  // namespace omnigraph::engine::exec
