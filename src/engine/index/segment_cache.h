// A graph-wide cache of derived per-fragment index segments (full-text, vector, scalar).
// Fragments are immutable, so a segment derived from one never goes stale: the cache is keyed
// by an id naming (kind, column, fragment key) and is shared by every table snapshot — on every
// branch — that still holds the fragment.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace omnigraph::engine::index {

// Thread-safe. Entries are immutable once inserted. Bounded by entry count: when full it is
// cleared (segments live on in the table views that hold them).
class SegmentCache {
 public:
  explicit SegmentCache(size_t max_entries = 4096) : max_entries_(max_entries) {}

  // The segment cached under `id`, or the result of `build()` (run outside the lock; if two
  // threads race, both build and the first insert wins). `build` may throw; nothing is cached.
  template <class T>
  std::shared_ptr<const T> get_or_build(const std::string& id, const std::function<std::shared_ptr<const T>()>& build) {
    {
      std::lock_guard lock(mu_);
      auto it = entries_.find(id);
      if (it != entries_.end()) return std::static_pointer_cast<const T>(it->second);
    }
    std::shared_ptr<const T> built = build();
    std::lock_guard lock(mu_);
    if (entries_.size() >= max_entries_) entries_.clear();
    auto [it, inserted] = entries_.emplace(id, built);
    return std::static_pointer_cast<const T>(it->second);
  }

 private:
  size_t max_entries_;
  std::mutex mu_;
  std::unordered_map<std::string, std::shared_ptr<const void>> entries_;
};

}  // namespace omnigraph::engine::index
