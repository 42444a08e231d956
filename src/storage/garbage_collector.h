// Reclaims objects no live branch can reach: leftovers of crashed or lost writes and the data of
// deleted branches. Version retention (keep N versions per table) is the engine's policy on top.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storage/object_store.h"

namespace omnigraph::storage {

struct GcOptions {
  // Objects whose ULID time is younger than this are kept even when unreachable: they may
  // belong to a write in flight that has not published yet. Must exceed the longest time a
  // writer spends between writing its first object and publishing.
  int64_t grace_ms = 60 * 60 * 1000;
  int64_t now_ms = 0;    // 0 = the current time
  bool dry_run = false;  // report what would be removed, remove nothing
};

struct GcReport {
  uint64_t reachable_commits = 0;
  uint64_t objects_removed = 0;  // or that would be, in a dry run
  uint64_t bytes_removed = 0;
  std::vector<std::string> removed_keys;
};

// Marks every commit reachable from a live branch head (all parents), every table snapshot they
// name and every fragment, deletion vector and index file those snapshots list; then removes
// unmarked objects under commits/ and tables/ older than the grace period. Branch logs and the
// format marker are never touched. Safe to run while other processes write (see grace_ms);
// rerunning converges. Throws on an unreadable reachable object without removing anything.
GcReport collect_garbage(ObjectStore& store, const GcOptions& options = {});

}  // namespace omnigraph::storage
