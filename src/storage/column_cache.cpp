// Byte-budgeted LRU of decoded columns.
#include "storage/column_cache.h"

#include "storage/fragment_reader.h"

namespace omnigraph::storage {

std::shared_ptr<const Column> ColumnCache::get(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  ++stats_.hits;
  lru_.splice(lru_.begin(), lru_, it->second);
  return it->second->column;
}

std::shared_ptr<const Column> ColumnCache::insert(const std::string& key, Column column) {
  uint64_t charge = column.memory_bytes() + key.size() + sizeof(Entry);
  auto value = std::make_shared<const Column>(std::move(column));
  std::lock_guard lock(mu_);
  if (auto it = index_.find(key); it != index_.end()) {
    used_ -= it->second->charge;
    lru_.erase(it->second);
    index_.erase(it);
  }
  if (charge > budget_) return value;
  evict_to(budget_ - charge);
  lru_.push_front(Entry{key, value, charge});
  index_[key] = lru_.begin();
  used_ += charge;
  return value;
}

std::shared_ptr<const Column> ColumnCache::get_or_load(const std::string& key,
                                                       const std::function<Column()>& load) {
  if (auto hit = get(key)) return hit;
  return insert(key, load());
}

void ColumnCache::erase(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = index_.find(key);
  if (it == index_.end()) return;
  used_ -= it->second->charge;
  lru_.erase(it->second);
  index_.erase(it);
}

void ColumnCache::clear() {
  std::lock_guard lock(mu_);
  lru_.clear();
  index_.clear();
  used_ = 0;
}

void ColumnCache::set_budget(uint64_t budget_bytes) {
  std::lock_guard lock(mu_);
  budget_ = budget_bytes;
  evict_to(budget_);
}

uint64_t ColumnCache::budget() const {
  std::lock_guard lock(mu_);
  return budget_;
}

ColumnCacheStats ColumnCache::stats() const {
  std::lock_guard lock(mu_);
  ColumnCacheStats s = stats_;
  s.used_bytes = used_;
  s.entries = index_.size();
  return s;
}

void ColumnCache::evict_to(uint64_t budget) {
  while (used_ > budget && !lru_.empty()) {
    Entry& victim = lru_.back();
    used_ -= victim.charge;
    index_.erase(victim.key);
    lru_.pop_back();
    ++stats_.evictions;
  }
}

std::string column_cache_key(const std::string& fragment_key, std::string_view column, uint64_t begin,
                             uint64_t end) {
  return fragment_key + "#" + std::string(column) + "#" + std::to_string(begin) + "-" + std::to_string(end);
}

std::shared_ptr<const Column> read_column_cached(ColumnCache& cache, const FragmentReader& reader,
                                                 std::string_view column, uint64_t begin, uint64_t end) {
  return cache.get_or_load(column_cache_key(reader.key(), column, begin, end),
                           [&] { return reader.read_column(column, begin, end); });
}

std::shared_ptr<const Column> read_column_cached(ColumnCache& cache, const FragmentReader& reader,
                                                 std::string_view column) {
  return read_column_cached(cache, reader, column, 0, reader.row_count());
}

}  // namespace omnigraph::storage
