// Mark (from live branch heads) and sweep (unreachable, older than the grace period).
#include "storage/garbage_collector.h"

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

GcReport collect_garbage(ObjectStore& store, const GcOptions& options) {
  GcReport report;
  // Snapshot the key space first: anything written after this listing is not a candidate.
  std::vector<std::string> candidates = store.list("commits/");
  for (std::string& k : store.list("tables/")) candidates.push_back(std::move(k));

  BranchRefs refs(store);
  std::unordered_set<std::string> live;
  std::vector<std::string> pending;
  for (const std::string& branch : refs.list()) pending.push_back(refs.head(branch).commit_id);
  std::unordered_set<std::string> seen_commits;
  while (!pending.empty()) {
    std::string id = std::move(pending.back());
    pending.pop_back();
    if (!seen_commits.insert(id).second) continue;
    GraphCommit c = read_commit(store, id);
    live.insert(commit_key(id));
    for (const std::string& p : c.parents) pending.push_back(p);
    for (const auto& [table, snap_key] : c.tables) {
      if (!live.insert(snap_key).second) continue;
      TableSnapshot s = read_table_snapshot(store, snap_key);
      for (const FragmentEntry& f : s.fragments) {
        live.insert(f.fragment.key);
        if (f.deletion_vector_key) live.insert(*f.deletion_vector_key);
      }
      for (const IndexEntry& i : s.indexes) live.insert(i.key);
    }
  }
  report.reachable_commits = seen_commits.size();

  const int64_t now = options.now_ms ? options.now_ms : now_epoch_ms();
  for (const std::string& key : candidates) {
    if (live.count(key)) continue;
    auto t = key_time_ms(key);
    // Unknown age: never remove (it may be some future writer's object we do not understand).
    if (!t || static_cast<int64_t>(*t) > now - options.grace_ms) continue;
    auto info = store.head(key);
    if (!info) continue;
    if (!options.dry_run) store.remove(key);
    ++report.objects_removed;
    report.bytes_removed += info->size;
    report.removed_keys.push_back(key);
  }
  return report;
}

}  // namespace omnigraph::storage
