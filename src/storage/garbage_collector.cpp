// Mark (from live branch heads) and sweep (unreachable, older than the grace period).
#include "storage/garbage_collector.h"

#include <algorithm>
#include <cstdlib>
#include <unordered_set>

#include "common/time_util.h"
#include "common/ulid.h"
#include "storage/branch_refs.h"
#include "storage/graph_commit.h"
#include "storage/table_snapshot.h"

namespace omnigraph::storage {
namespace {

// The ULID a storage key was minted with: the commit id, or the ULID in the last segment of a
// table object ("<ULID>.ogf", "<ULID>.dv", "<version>-<ULID>"). nullopt = unknown age.
std::optional<uint64_t> key_time_ms(const std::string& key) {
  std::string_view last = key;
  if (auto slash = last.rfind('/'); slash != std::string_view::npos) last = last.substr(slash + 1);
  if (auto dash = last.rfind('-'); dash != std::string_view::npos) last = last.substr(dash + 1);
  if (last.size() < 26) return std::nullopt;
  auto ulid = Ulid::parse(last.substr(0, 26));
  if (!ulid) return std::nullopt;
  return ulid->time_ms;
}

}  // namespace

namespace {

// "tables/<id>/..." → "<id>"; "" for other keys.
std::string table_of(const std::string& key) {
  if (key.rfind("tables/", 0) != 0) return "";
  size_t end = key.find('/', 7);
  return end == std::string::npos ? "" : key.substr(7, end - 7);
}

// The version number in "tables/<id>/snap/<version:020>-<ULID>".
uint64_t snapshot_version(const std::string& key) {
  size_t slash = key.rfind('/');
  return std::strtoull(key.c_str() + slash + 1, nullptr, 10);
}

void mark_snapshot_objects(const TableSnapshot& s, std::unordered_set<std::string>& into) {
  for (const FragmentEntry& f : s.fragments) {
    into.insert(f.fragment.key);
    if (f.deletion_vector_key) into.insert(*f.deletion_vector_key);
  }
  for (const IndexEntry& i : s.indexes) into.insert(i.key);
}

}  // namespace

GcReport collect_garbage(ObjectStore& store, const GcOptions& options) {
  GcReport report;
  const int64_t now = options.now_ms ? options.now_ms : now_epoch_ms();
  // Snapshot the key space first: anything written after this listing is not a candidate.
  std::vector<std::string> candidates = store.list("commits/");
  for (std::string& k : store.list("tables/")) candidates.push_back(std::move(k));

  // Walk history: every reachable commit, and the table snapshots they name.
  BranchRefs refs(store);
  std::unordered_set<std::string> live;
  std::unordered_set<std::string> current;  // snapshots current on a live head: always kept
  std::map<std::string, std::unordered_set<std::string>> versions;  // table id → snapshot keys
  std::vector<std::string> pending;
  for (const std::string& branch : refs.list()) {
    std::string head = refs.head(branch).commit_id;
    for (const auto& [table, snap_key] : read_commit(store, head).tables) current.insert(snap_key);
    pending.push_back(std::move(head));
  }
  std::unordered_set<std::string> seen_commits;
  while (!pending.empty()) {
    std::string id = std::move(pending.back());
    pending.pop_back();
    if (!seen_commits.insert(id).second) continue;
    GraphCommit c = read_commit(store, id);
    live.insert(commit_key(id));
    for (const std::string& p : c.parents) pending.push_back(p);
    // Versions that were current within the grace period may still be read by a query or
    // export that pinned them (§11.2): retention treats them as current.
    if (static_cast<int64_t>(c.created_at_us / 1000) > now - options.grace_ms)
      for (const auto& [table, snap_key] : c.tables) current.insert(snap_key);
    for (const auto& [table, snap_key] : c.tables) versions[table_of(snap_key)].insert(snap_key);
  }
  report.reachable_commits = seen_commits.size();

  // Retention: which versions stay. Then mark what kept versions reference; objects of reclaimed
  // versions are removable at once.
  std::unordered_set<std::string> reclaim_now;
  std::unordered_set<std::string> failed_tables;  // nothing of theirs is removed this run
  for (const auto& [table, keys] : versions) {
    try {
      std::vector<std::string> ordered(keys.begin(), keys.end());
      // Newest first: by version, then by creation time (branches can reuse a version number).
      std::sort(ordered.begin(), ordered.end(), [](const std::string& a, const std::string& b) {
        uint64_t va = snapshot_version(a), vb = snapshot_version(b);
        if (va != vb) return va > vb;
        return key_time_ms(a).value_or(0) > key_time_ms(b).value_or(0);
      });
      for (size_t rank = 0; rank < ordered.size(); ++rank) {
        const std::string& key = ordered[rank];
        bool keep = true;
        if (options.retention && !current.count(key)) {
          const RetentionPolicy& p = *options.retention;
          bool kept_by_count = p.keep_versions && rank < std::max<uint64_t>(*p.keep_versions, 1);
          auto t = key_time_ms(key);
          bool kept_by_age = p.older_than_ms && (!t || static_cast<int64_t>(*t) > now - *p.older_than_ms);
          keep = kept_by_count || kept_by_age;
        }
        if (keep && !store.head(key)) continue;  // reclaimed by an earlier, stricter run
        if (keep) {
          live.insert(key);
          mark_snapshot_objects(read_table_snapshot(store, key), live);
        } else if (store.head(key)) {
          reclaim_now.insert(key);
          ++report.tables[table].versions_removed;
          mark_snapshot_objects(read_table_snapshot(store, key), reclaim_now);
        }
      }
    } catch (const std::exception& e) {
      // Isolated per table (§11.2): report it, touch none of its objects, go on with the others.
      failed_tables.insert(table);
      report.tables[table].error = e.what();
      report.tables[table].versions_removed = 0;
    }
  }

  // Table snapshots go first: a crash mid-sweep then never leaves a snapshot whose data is gone
  // (a reader of a reclaimed version gets the clean "reclaimed" error, not a missing fragment).
  std::stable_partition(candidates.begin(), candidates.end(),
                        [](const std::string& k) { return k.find("/snap/") != std::string::npos; });
  for (const std::string& key : candidates) {
    if (live.count(key) || failed_tables.count(table_of(key))) continue;
    if (!reclaim_now.count(key)) {
      auto t = key_time_ms(key);
      // Unknown age: never remove (it may be some future writer's object we do not understand).
      if (!t || static_cast<int64_t>(*t) > now - options.grace_ms) continue;
    }
    auto info = store.head(key);
    if (!info) continue;
    if (!options.dry_run) store.remove(key);
    ++report.objects_removed;
    report.bytes_removed += info->size;
    report.removed_keys.push_back(key);
    if (std::string table = table_of(key); !table.empty()) report.tables[table].bytes_removed += info->size;
  }
  return report;
}

}  // namespace omnigraph::storage
