// Persisted-segment lookup and per-fragment column access for index segments.
#include "engine/index/fragment_segment.h"

namespace omnigraph::engine::index {

const storage::IndexEntry* find_segment_entry(const storage::TableSnapshot& snapshot, size_t fragment,
                                              std::string_view kind, std::string_view column) {
  const std::string& key = snapshot.fragments[fragment].fragment.key;
  for (const auto& e : snapshot.indexes)
    if (e.kind == kind && e.column == column && e.covered_fragments.size() == 1 && e.covered_fragments[0] == key)
      return &e;
  return nullptr;
}

std::shared_ptr<const storage::Column> fragment_column(const TableDataImpl& table, size_t fragment,
                                                       const std::string& column, const storage::ColumnType& type) {
  storage::TableReader& reader = *table.reader();
  if (reader.has_column(fragment, column)) {
    auto stored = reader.column(fragment, column);
    if (stored->type == type) return stored;  // else: as TableDataImpl reads it, all null
  }
  auto nulls = std::make_shared<storage::Column>(type);
  uint64_t rows = table.table_snapshot()->fragments[fragment].fragment.row_count;
  nulls->reserve(rows);
  for (uint64_t r = 0; r < rows; ++r) nulls->append_null();
  return nulls;
}

}  // namespace omnigraph::engine::index
