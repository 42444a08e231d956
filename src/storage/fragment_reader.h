// Reads fragment files: verifies the footer on open, then fetches and decodes only the requested
// columns and row ranges (one ranged get per column), verifying every buffer's checksum.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "storage/column_types.h"
#include "storage/fragment_format.h"
#include "storage/object_store.h"

namespace omnigraph::storage {

// An open fragment. Holds the parsed footer only; column bytes are fetched per read. Immutable
// after open, so const methods may be called from several threads at once. Does not own the
// store, which must outlive the reader.
class FragmentReader {
 public:
  // Reads and verifies the trailer and footer (head + one ranged get, two for huge footers).
  // Throws not_found if absent, IntegrityError if the bytes are damaged, FormatVersionError if
  // the file was written by a newer format.
  static FragmentReader open(ObjectStore& store, std::string key);

  const std::string& key() const { return key_; }
  uint64_t row_count() const { return footer_.row_count; }
  uint64_t size_bytes() const { return size_; }
  const std::vector<ColumnMeta>& columns() const { return footer_.columns; }
  // Index of the named column, or nullopt.
  std::optional<size_t> find_column(std::string_view name) const;

  // Decodes rows [row_begin, row_end) of the named column. Throws bad_request for an unknown
  // column or a range outside [0, row_count], IntegrityError for damaged bytes.
  Column read_column(std::string_view name, uint64_t row_begin, uint64_t row_end) const;
  Column read_column(std::string_view name) const { return read_column(name, 0, row_count()); }
  // Several columns over one row range, in the order asked.
  std::vector<Column> read(std::span<const std::string> names, uint64_t row_begin, uint64_t row_end) const;

 private:
  FragmentReader(ObjectStore& store, std::string key, uint64_t size, FragmentFooter footer)
      : store_(&store), key_(std::move(key)), size_(size), footer_(std::move(footer)) {}

  // Fast path for raw, null-free, contiguous fixed-width pages; false if it does not apply.
  bool read_fixed_direct(const ColumnMeta& meta, size_t p0, size_t p1, uint64_t row_begin, uint64_t row_end,
                         Column& out) const;

  ObjectStore* store_;
  std::string key_;
  uint64_t size_ = 0;
  FragmentFooter footer_;
};

}  // namespace omnigraph::storage
