// Writes immutable columnar fragment files: paged, zstd-compressed, xxhash-checksummed buffers
// with null bitmaps and per-column statistics in a checksummed footer.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "storage/column_types.h"
#include "storage/object_store.h"

namespace omnigraph::storage {

struct FragmentWriteOptions {
  uint32_t max_page_rows = 65536;         // a page never holds more rows
  uint64_t target_page_bytes = 1u << 20;  // a page is cut once its data reaches this size
  int zstd_level = 1;                     // 1 = fast; buffers that do not shrink are stored raw
};

struct NamedColumn {
  std::string name;
  const Column* column = nullptr;  // not owned; must outlive the call
};

struct ColumnSummary {
  std::string name;
  ColumnType type;
  ColumnStats stats;
  bool operator==(const ColumnSummary&) const = default;
};

// What a table snapshot records about a fragment it references.
struct FragmentSummary {
  std::string key;
  uint64_t row_count = 0;
  uint64_t size_bytes = 0;
  std::vector<ColumnSummary> columns;
  bool operator==(const FragmentSummary&) const = default;
};

// Encodes columns (equal lengths < 2^32 rows, unique non-empty names) as fragment file bytes.
// Throws bad_request naming the column for unequal lengths, duplicate or empty names, and for
// too many rows. Thread-safe.
std::string encode_fragment(std::span<const NamedColumn> columns, const FragmentWriteOptions& options = {},
                            std::vector<ColumnSummary>* summaries = nullptr);

// Encodes and stores a fragment with create_if_absent (fragments are immutable; an existing key
// is an internal error). Returns its summary. Thread-safe if the store is.
FragmentSummary write_fragment(ObjectStore& store, const std::string& key,
                               std::span<const NamedColumn> columns,
                               const FragmentWriteOptions& options = {});

}  // namespace omnigraph::storage
