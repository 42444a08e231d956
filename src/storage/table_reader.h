// Reads a table snapshot: opens its fragments lazily, serves columns through the decoded-column
// cache, and exposes each fragment's deletion vector, so a scan touches only what it asks for.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

#include "storage/column_cache.h"
#include "storage/deletion_vector.h"
#include "storage/fragment_reader.h"
#include "storage/object_store.h"
#include "storage/table_snapshot.h"

namespace omnigraph::storage {

// Bound to one immutable snapshot. Thread-safe: fragment footers and deletion vectors are
// loaded once under a lock. Does not own the store or the cache; both must outlive it.
class TableReader {
 public:
  // cache may be null (every column read then decodes from the store).
  TableReader(ObjectStore& store, TableSnapshot snapshot, ColumnCache* cache = nullptr);
  TableReader(const TableReader&) = delete;
  TableReader& operator=(const TableReader&) = delete;

  const TableSnapshot& snapshot() const { return snapshot_; }
  size_t fragment_count() const { return snapshot_.fragments.size(); }
  uint64_t live_rows() const { return snapshot_.live_rows(); }

  // Whether fragment i stores the named column (fragments written before a column was added
  // do not; the engine decides what such rows read as).
  bool has_column(size_t fragment, std::string_view name);
  // All physical rows of the column in fragment i, deleted ones included (filter them with
  // deletions(i) or keep_mask). Throws bad_request for an unknown column, IntegrityError,
  // not_found if a referenced object is missing (e.g. reclaimed by cleanup).
  std::shared_ptr<const Column> column(size_t fragment, std::string_view name);
  // Rows [begin, end) of the column in fragment i.
  std::shared_ptr<const Column> column(size_t fragment, std::string_view name, uint64_t begin, uint64_t end);
  // Deleted rows of fragment i (empty vector when it has none).
  std::shared_ptr<const DeletionVector> deletions(size_t fragment);
  // keep[r] = 1 for live rows of fragment i, 0 for deleted ones; size = fragment rows.
  std::vector<uint8_t> keep_mask(size_t fragment);

 private:
  const FragmentReader& fragment(size_t i);

  ObjectStore& store_;
  TableSnapshot snapshot_;
  ColumnCache* cache_;
  std::mutex mu_;
  std::vector<std::unique_ptr<FragmentReader>> readers_;
  std::vector<std::shared_ptr<const DeletionVector>> deletions_;
};

}  // namespace omnigraph::storage
