// Access to one fragment's index segment of a given kind (docs/storage-format.md §5.5): the
// persisted segment when the table snapshot lists one, otherwise one built in memory from the
// fragment's column. Either way it is cached graph-wide under (kind, column, fragment key).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "engine/table_data_impl.h"
#include "storage/column_types.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::index {

// The persisted segment entry of `kind` on `column` for fragment `fragment`, or nullptr.
const storage::IndexEntry* find_segment_entry(const storage::TableSnapshot& snapshot, size_t fragment,
                                              std::string_view kind, std::string_view column);

// All physical rows (deleted ones included) of physical column `column` in fragment `fragment`;
// rows of a fragment written before the column existed read as null.
std::shared_ptr<const storage::Column> fragment_column(const TableDataImpl& table, size_t fragment,
                                                       const std::string& column, const storage::ColumnType& type);

// The segment of `kind` for fragment `fragment` of `table` (which must have data): `decode`
// parses a persisted segment's bytes, `build` derives one from fragment_column(). Thread-safe.
// Throws what the store, decode or build throw; nothing is cached then.
template <class T>
std::shared_ptr<const T> fragment_segment(const TableDataImpl& table, size_t fragment, std::string_view kind,
                                          const std::string& column, const storage::ColumnType& type,
                                          const std::function<std::shared_ptr<const T>(std::string_view)>& decode,
                                          const std::function<std::shared_ptr<const T>(const storage::Column&)>& build) {
  const storage::TableSnapshot& snap = *table.table_snapshot();
  const storage::IndexEntry* entry = find_segment_entry(snap, fragment, kind, column);
  auto make = [&]() -> std::shared_ptr<const T> {
    if (entry) return decode(table.store().get(entry->key));
    return build(*fragment_column(table, fragment, column, type));
  };
  if (!table.segments()) return make();
  std::string id = std::string(kind) + "|" + column + "|" + snap.fragments[fragment].fragment.key;
  return table.segments()->get_or_build<T>(id, make);
}

}  // namespace omnigraph::engine::index
