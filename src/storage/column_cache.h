// A byte-budgeted LRU cache of decoded columns keyed by immutable object ids, so a warm reader
// answers from memory and a cold one decodes each column once.
#pragma once

#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "storage/column_types.h"

namespace omnigraph::storage {

class FragmentReader;

struct ColumnCacheStats {
  uint64_t hits = 0;
  uint64_t misses = 0;
  uint64_t evictions = 0;
  uint64_t used_bytes = 0;
  uint64_t entries = 0;
};

// Keys name immutable data (fragment object key + column + row range), so entries never go
// stale; eviction is purely by budget, least recently used first. Each entry is charged
// Column::memory_bytes() plus its key. Values are shared: an evicted column stays alive while a
// reader holds it (and is then no longer charged). Thread-safe; loaders run outside the lock, so
// two threads missing on one key may both load it (the second insert wins harmlessly).
class ColumnCache {
 public:
  static constexpr uint64_t kDefaultBudgetBytes = uint64_t{256} << 20;  // 256 MiB

  explicit ColumnCache(uint64_t budget_bytes = kDefaultBudgetBytes) : budget_(budget_bytes) {}
  ColumnCache(const ColumnCache&) = delete;
  ColumnCache& operator=(const ColumnCache&) = delete;

  // The cached column, marked most recently used; nullptr on a miss.
  std::shared_ptr<const Column> get(const std::string& key);
  // Caches column (evicting as needed) and returns it. A column larger than the whole budget is
  // returned uncached.
  std::shared_ptr<const Column> insert(const std::string& key, Column column);
  // get, else load() + insert. Exceptions from load() propagate and cache nothing.
  std::shared_ptr<const Column> get_or_load(const std::string& key, const std::function<Column()>& load);

  void erase(const std::string& key);
  void clear();
  // Shrinking the budget evicts immediately.
  void set_budget(uint64_t budget_bytes);
  uint64_t budget() const;
  ColumnCacheStats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Column> column;
    uint64_t charge = 0;
  };
  void evict_to(uint64_t budget);  // requires mu_

  mutable std::mutex mu_;
  uint64_t budget_;
  uint64_t used_ = 0;
  std::list<Entry> lru_;  // front = most recent
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
  ColumnCacheStats stats_;
};

// "<fragment key>#<column>#<begin>-<end>": the identity of a decoded column range.
std::string column_cache_key(const std::string& fragment_key, std::string_view column, uint64_t begin,
                             uint64_t end);

// Reads rows [begin, end) of a fragment column through the cache.
std::shared_ptr<const Column> read_column_cached(ColumnCache& cache, const FragmentReader& reader,
                                                 std::string_view column, uint64_t begin, uint64_t end);
std::shared_ptr<const Column> read_column_cached(ColumnCache& cache, const FragmentReader& reader,
                                                 std::string_view column);

}  // namespace omnigraph::storage
