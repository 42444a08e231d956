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
#include "storage/storage_error.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::index {

// The persisted segment entry of `kind` on `column` for fragment `fragment`, or nullptr.
const storage::IndexEntry* find_segment_entry(const storage::TableSnapshot& snapshot, size_t fragment,
                                              std::string_view kind, std::string_view column);

// All physical rows (deleted ones included) of physical column `column` in fragment `fragment`;
// rows of a fragment written before the column existed, or under another physical type, read as
// null (exactly as the table's own column reads them).
std::shared_ptr<const storage::Column> fragment_column(const TableDataImpl& table, size_t fragment,
                                                       const std::string& column, const storage::ColumnType& type);

// The segment of `kind` for fragment `fragment` of `table` (which must have data): `decode`
// parses a persisted segment's bytes, `build` derives one from fragment_column(). A decoded
// segment whose row_count() (when T has one) differs from the fragment's rows is an
// IntegrityError. Thread-safe. Throws what the store, decode or build throw; nothing is cached then.
template <class T>
std::shared_ptr<const T> fragment_segment(const TableDataImpl& table, size_t fragment, std::string_view kind,
                                          const std::string& column, const storage::ColumnType& type,
                                          const std::function<std::shared_ptr<const T>(std::string_view)>& decode,
                                          const std::function<std::shared_ptr<const T>(const storage::Column&)>& build) {
  const storage::TableSnapshot& snap = *table.table_snapshot();
  const storage::IndexEntry* entry = find_segment_entry(snap, fragment, kind, column);
  auto make = [&]() -> std::shared_ptr<const T> {
    if (!entry) return build(*fragment_column(table, fragment, column, type));
    std::shared_ptr<const T> segment = decode(table.store().get(entry->key));
    // A segment is self-consistent after decode; it must also describe exactly this fragment's
    // rows, or readers would index past the fragment (rows are used as offsets).
    if constexpr (requires(const T& s) { s.row_count(); }) {
      if (segment && segment->row_count() != snap.fragments[fragment].fragment.row_count)
        throw storage::IntegrityError("index segment '" + entry->key + "' describes " +
                                      std::to_string(segment->row_count()) + " rows, its fragment has " +
                                      std::to_string(snap.fragments[fragment].fragment.row_count));
    }
    return segment;
  };
  if (!table.segments()) return make();
  std::string id = std::string(kind) + "|" + column + "|" + snap.fragments[fragment].fragment.key;
  return table.segments()->get_or_build<T>(id, make);
}

}  // namespace omnigraph::engine::index
