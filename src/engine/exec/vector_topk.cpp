// Candidate rows for an ANN-backed nearest ranking: persisted HNSW segments, exact elsewhere.
#include "engine/exec/vector_topk.h"

#include <string_view>

#include "engine/index/fragment_segment.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::exec {

std::shared_ptr<const search::HnswSegment> persisted_hnsw_segment(const TableDataImpl& table, size_t fragment,
                                                                  const std::string& column) {
  const auto& snap = table.table_snapshot();
  if (!snap) return nullptr;
  const storage::IndexEntry* entry = index::find_segment_entry(*snap, fragment, "hnsw", column);
  if (!entry) return nullptr;
  const std::string key = entry->key;
  std::function<std::shared_ptr<const search::HnswSegment>()> load = [&table, key] {
    try {
      return search::HnswSegment::decode(table.store().get(key));
    } catch (const storage::IntegrityError& e) {  // name the object the bytes came from
      std::string_view m = e.message();
      if (m.rfind("integrity error: ", 0) == 0) m.remove_prefix(17);
      throw storage::IntegrityError(key + ": " + std::string(m));
    }
  };
  if (!table.segments()) return load();
  return table.segments()->get_or_build<search::HnswSegment>(
      "hnsw|" + column + "|" + snap->fragments[fragment].fragment.key, load);
}

std::optional<NearestCandidates> nearest_candidates(const TableDataImpl& table, const std::string& column,
                                                    const std::vector<float>& query, size_t k,
                                                    const std::vector<uint8_t>& allowed) {
  const auto& snap = table.table_snapshot();
  if (!snap || k == 0) return std::nullopt;
  NearestCandidates out;
  out.keep.assign(table.row_count(), 0);
  for (size_t f = 0; f < snap->fragments.size(); ++f) {
    const uint64_t begin = table.first_row(f);
    const uint64_t end = table.first_row(f + 1);
    uint64_t n_allowed = 0;
    for (uint64_t r = begin; r < end; ++r) n_allowed += allowed[r] != 0;
    if (n_allowed == 0) continue;
    auto segment = persisted_hnsw_segment(table, f, column);
    if (segment && segment->dimension() != query.size())
      throw storage::IntegrityError("hnsw segment of column " + column + " has dimension " +
                                    std::to_string(segment->dimension()) + ", the column " +
                                    std::to_string(query.size()));
    const bool use_ann =
        segment &&
        static_cast<double>(n_allowed) >= kAnnMinAllowedFraction * static_cast<double>(segment->size()) &&
        n_allowed > kAnnMinRowsPerResult * k;
    if (!use_ann) {
      for (uint64_t r = begin; r < end; ++r) out.keep[r] = allowed[r];
      ++out.exact_fragments;
      continue;
    }
    ++out.ann_fragments;
    const bool no_deletions = snap->fragments[f].deleted_rows == 0;
    const uint64_t physical_rows = snap->fragments[f].fragment.row_count;
    const bool all = n_allowed == end - begin && no_deletions;
    std::function<bool(uint32_t)> allow;
    if (!all) {
      allow = [&](uint32_t physical) {
        if (physical >= physical_rows) return false;
        if (no_deletions) return allowed[begin + physical] != 0;
        auto dense = table.dense_row(f, physical);
        return dense.has_value() && allowed[*dense] != 0;
      };
    }
    for (const auto& hit : segment->search(query.data(), k, allow)) {
      if (hit.label >= physical_rows)
        throw storage::IntegrityError("hnsw segment of column " + column + " names row " +
                                      std::to_string(hit.label) + " of a fragment with " +
                                      std::to_string(physical_rows) + " rows");
      auto dense = table.dense_row(f, hit.label);
      if (dense) out.keep[*dense] = 1;
    }
  }
  if (out.ann_fragments == 0) return std::nullopt;
  return out;
}

}  // namespace omnigraph::engine::exec
