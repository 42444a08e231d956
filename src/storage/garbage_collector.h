// Reclaims objects no live branch can reach (leftovers of crashed or lost writes, the data of
// deleted branches) and, under a retention policy, old table versions (cleanup, data-plane §11.2).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/object_store.h"

namespace omnigraph::storage {

// Version retention per table (data-plane §11.2). A table version is one table snapshot
// reachable from a live branch's history. Versions that are current on a live branch head, or
// were named by a commit created within the grace period (a reader may have pinned them), are
// always kept; any other version is reclaimed iff it fails every criterion given.
struct RetentionPolicy {
  std::optional<uint64_t> keep_versions;  // keep the newest max(N, 1) versions of each table
  std::optional<int64_t> older_than_ms;   // keep versions created less than this long ago
};

struct GcOptions {
  // Objects whose ULID time is younger than this are kept even when unreachable: they may
  // belong to a write in flight that has not published yet. Must exceed the longest time a
  // writer spends between writing its first object and publishing.
  int64_t grace_ms = 60 * 60 * 1000;
  int64_t now_ms = 0;    // 0 = the current time
  bool dry_run = false;  // report what would be removed, remove nothing
  // nullopt = keep all history (only unreachable objects go). With a policy, reclaimed versions
  // and the objects only they reference are removed at once (they were published, so no write
  // is in flight on them); commit objects are never removed for retention.
  std::optional<RetentionPolicy> retention;
};

struct TableGcStats {
  uint64_t versions_removed = 0;  // table snapshots reclaimed by retention
  uint64_t bytes_removed = 0;     // every removed object under tables/<id>/
  std::optional<std::string> error;  // this table failed; the others went ahead
};

struct GcReport {
  uint64_t reachable_commits = 0;
  uint64_t objects_removed = 0;  // or that would be, in a dry run
  uint64_t bytes_removed = 0;
  std::vector<std::string> removed_keys;
  std::map<std::string, TableGcStats> tables;  // by table id, for tables with reclaimable data
};

// Marks every commit reachable from a live branch head (all parents), every table snapshot they
// name that the retention policy keeps, and every fragment, deletion vector and index file those
// snapshots list; then removes unmarked objects under commits/ and tables/ — those of reclaimed
// versions at once, the rest when older than the grace period. Branch logs and the format marker
// are never touched. Safe to run while other processes write (see grace_ms); rerunning
// converges. Throws on an unreadable commit without removing anything; an unreadable table
// snapshot fails only its table (TableGcStats::error; nothing of that table is removed).
GcReport collect_garbage(ObjectStore& store, const GcOptions& options = {});

}  // namespace omnigraph::storage
