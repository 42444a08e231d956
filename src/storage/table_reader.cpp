// Lazy, cached reads of one table snapshot.
#include "storage/table_reader.h"

#include "common/error.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {

TableReader::TableReader(ObjectStore& store, TableSnapshot snapshot, ColumnCache* cache)
    : store_(store), snapshot_(std::move(snapshot)), cache_(cache) {
  readers_.resize(snapshot_.fragments.size());
  deletions_.resize(snapshot_.fragments.size());
}

const FragmentReader& TableReader::fragment(size_t i) {
  if (i >= snapshot_.fragments.size())
    throw Error::bad_request("table '" + snapshot_.table_id + "' has no fragment #" + std::to_string(i));
  std::lock_guard lock(mu_);
  if (!readers_[i])
    readers_[i] =
        std::make_unique<FragmentReader>(FragmentReader::open(store_, snapshot_.fragments[i].fragment.key));
  return *readers_[i];
}

bool TableReader::has_column(size_t i, std::string_view name) {
  return fragment(i).find_column(name).has_value();
}

std::shared_ptr<const Column> TableReader::column(size_t i, std::string_view name) {
  const FragmentReader& r = fragment(i);
  return column(i, name, 0, r.row_count());
}

std::shared_ptr<const Column> TableReader::column(size_t i, std::string_view name, uint64_t begin,
                                                  uint64_t end) {
  const FragmentReader& r = fragment(i);
  if (cache_) return read_column_cached(*cache_, r, name, begin, end);
  return std::make_shared<const Column>(r.read_column(name, begin, end));
}

std::shared_ptr<const DeletionVector> TableReader::deletions(size_t i) {
  if (i >= snapshot_.fragments.size())
    throw Error::bad_request("table '" + snapshot_.table_id + "' has no fragment #" + std::to_string(i));
  {
    std::lock_guard lock(mu_);
    if (deletions_[i]) return deletions_[i];
  }
  const FragmentEntry& f = snapshot_.fragments[i];
  auto dv = std::make_shared<const DeletionVector>(
      f.deletion_vector_key ? read_deletion_vector(store_, *f.deletion_vector_key) : DeletionVector());
  if (dv->cardinality() != f.deleted_rows)
    throw IntegrityError("deletion vector of fragment '" + f.fragment.key + "' holds " +
                         std::to_string(dv->cardinality()) + " rows, snapshot says " +
                         std::to_string(f.deleted_rows));
  std::lock_guard lock(mu_);
  if (!deletions_[i]) deletions_[i] = std::move(dv);
  return deletions_[i];
}

std::vector<uint8_t> TableReader::keep_mask(size_t i) {
  if (i >= snapshot_.fragments.size())
    throw Error::bad_request("table '" + snapshot_.table_id + "' has no fragment #" + std::to_string(i));
  uint64_t rows = snapshot_.fragments[i].fragment.row_count;
  std::vector<uint8_t> keep(rows);
  deletions(i)->fill_keep_mask(0, static_cast<uint32_t>(rows), keep.data());
  return keep;
}

}  // namespace omnigraph::storage
