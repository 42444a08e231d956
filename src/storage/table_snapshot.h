// Immutable table snapshots: the complete list of a table's fragments, their deletion vectors,
// row counts, column statistics and index files at one version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/column_types.h"
#include "storage/fragment_writer.h"
#include "storage/object_store.h"

namespace omnigraph::storage {

struct FragmentEntry {
  FragmentSummary fragment;                        // key, rows, bytes, per-column stats
  std::optional<std::string> deletion_vector_key;  // absent = no deleted rows
  uint64_t deleted_rows = 0;
  uint64_t live_rows() const { return fragment.row_count - deleted_rows; }
  bool operator==(const FragmentEntry&) const = default;
};

// A persisted, derived index. Fragments not in `covered_fragments` must be scanned.
// Engine convention (docs/storage-format.md §2.5): one segment per fragment — kind "btree",
// "fts" or "hnsw", `column` the physical column name, `covered_fragments` = {that fragment's
// key}; deleted rows of the fragment are filtered when the segment is read.
struct IndexEntry {
  std::string kind;  // e.g. "btree", "fts", "hnsw" — interpreted by the engine
  std::string column;
  std::string key;  // object key of the index file
  std::vector<std::string> covered_fragments;
  bool operator==(const IndexEntry&) const = default;
};

struct TableColumn {
  std::string name;
  ColumnType type;
  bool operator==(const TableColumn&) const = default;
};

struct TableSnapshot {
  std::string table_id;  // stable across renames; a key segment ([A-Za-z0-9._-])
  uint64_t version = 0;  // this table's data version; +1 for every snapshot derived from the last
  std::vector<TableColumn> columns;
  std::vector<FragmentEntry> fragments;
  std::vector<IndexEntry> indexes;

  uint64_t live_rows() const;
  bool operator==(const TableSnapshot&) const = default;
};

// Appends to `next` the index segments of `base` that stay valid in it: those whose column is
// still in next.columns and whose covered fragments are all still in next.fragments (deleted
// rows are filtered when a segment is read, so new deletion vectors do not invalidate it).
void carry_index_segments(const TableSnapshot& base, TableSnapshot& next);

// Object-key helpers so every writer names things the same way (docs/storage-format.md §2).
std::string fragment_key(const std::string& table_id);         // tables/<id>/frag/<ulid>.ogf
std::string deletion_vector_key(const std::string& table_id);  // tables/<id>/dv/<ulid>.dv
std::string snapshot_key(const TableSnapshot& snapshot);       // tables/<id>/snap/<version>-<ulid>
std::string index_key(const std::string& table_id, std::string_view kind);  // tables/<id>/idx/<ulid>.<kind>

// Validates (bad_request naming the field), stores with create_if_absent and returns the new key.
std::string write_table_snapshot(ObjectStore& store, const TableSnapshot& snapshot);
// Throws not_found / IntegrityError.
TableSnapshot read_table_snapshot(ObjectStore& store, const std::string& key);

// Serialisation used by the functions above (exposed for tests and tools).
std::string encode_table_snapshot(const TableSnapshot& snapshot);
TableSnapshot decode_table_snapshot(std::string_view payload, const std::string& what);

}  // namespace omnigraph::storage
