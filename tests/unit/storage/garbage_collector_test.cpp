// Garbage collection: crash leftovers and deleted branches' data go; everything reachable from
// live branches stays readable; the grace period protects writes in flight.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "common/time_util.h"
#include "graph_fixture.h"
#include "storage/fault_injection_store.h"
#include "storage/garbage_collector.h"
#include "storage/storage_error.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

struct Scenario {
  testing::MemoryStore store;
  GraphCommit genesis, second, feature_commit;
  std::map<std::string, std::vector<testing::Row>> main_graph;
  std::set<std::string> leftovers;

  Scenario() {
    BranchRefs refs(store);
    std::string p1 = testing::write_table_version(store, "t_person", std::nullopt, {{1, "ada"}, {2, "bob"}});
    genesis = testing::write_graph_commit(store, "main", nullptr, {{"t_person", p1}});
    RefEntry head = refs.create("main", genesis.id);
    std::string p2 = testing::write_table_version(store, "t_person", p1, {{3, "cy"}}, {1});
    second = testing::write_graph_commit(store, "main", &genesis, {{"t_person", p2}});
    head = refs.publish("main", head, second.id);
    // A branch with data of its own, later deleted.
    RefEntry fb = refs.create("feature", second.id);
    std::string p3 = testing::write_table_version(store, "t_person", p2, {{4, "dee"}});
    feature_commit = testing::write_graph_commit(store, "feature", &second, {{"t_person", p3}});
    fb = refs.publish("feature", fb, feature_commit.id);
    refs.remove("feature", fb);
    // A writer that crashed after writing a fragment and a snapshot but before its commit.
    auto before = store.list("tables/");
    FaultInjectionStore faulty(store, 2);
    EXPECT_THROW(testing::write_graph_commit(
                     faulty, "main", &second,
                     {{"t_tag", testing::write_table_version(faulty, "t_tag", std::nullopt, {{9, "x"}})}}),
                 InjectedFault);
    for (const std::string& k : store.list("tables/"))
      if (std::find(before.begin(), before.end(), k) == before.end()) leftovers.insert(k);
    main_graph = testing::read_graph(store, second);
  }
};

TEST(GarbageCollector, RemovesUnreachableKeepsEverythingLiveBranchesReach) {
  Scenario s;
  ASSERT_EQ(s.leftovers.size(), 2u);  // fragment + snapshot of the crashed write
  GcOptions opts;
  opts.grace_ms = 0;
  opts.now_ms = now_epoch_ms() + 1000;
  size_t objects_before = s.store.objects.size();
  GcReport dry = collect_garbage(s.store, {opts.grace_ms, opts.now_ms, true});
  EXPECT_EQ(dry.objects_removed, 5u);
  EXPECT_EQ(s.store.objects.size(), objects_before);  // dry run removed nothing
  GcReport report = collect_garbage(s.store, opts);
  EXPECT_EQ(report.removed_keys, dry.removed_keys);
  EXPECT_EQ(report.reachable_commits, 2u);
  std::set<std::string> removed(report.removed_keys.begin(), report.removed_keys.end());
  for (const std::string& k : s.leftovers) EXPECT_TRUE(removed.count(k)) << k;
  EXPECT_TRUE(removed.count(commit_key(s.feature_commit.id)));
  EXPECT_TRUE(removed.count(s.feature_commit.tables.at("t_person")));
  // feature's own fragment went too: leftovers(2) + commit + snapshot + fragment.
  EXPECT_EQ(report.objects_removed, 5u);
  EXPECT_GT(report.bytes_removed, 0u);
  // Main is intact at every commit of its history.
  BranchRefs refs(s.store);
  auto lineage = commit_lineage(s.store, refs.head("main").commit_id);
  ASSERT_EQ(lineage.size(), 2u);
  EXPECT_EQ(testing::read_graph(s.store, lineage[0]), s.main_graph);
  EXPECT_EQ(testing::read_graph(s.store, lineage[1]).at("t_person"),
            (std::vector<testing::Row>{{1, "ada"}, {2, "bob"}}));
  EXPECT_THROW(read_commit(s.store, s.feature_commit.id), Error);
  // Converges.
  EXPECT_EQ(collect_garbage(s.store, opts).objects_removed, 0u);
}

TEST(GarbageCollector, GracePeriodProtectsRecentObjects) {
  Scenario s;
  GcOptions opts;  // default grace: one hour
  GcReport report = collect_garbage(s.store, opts);
  EXPECT_EQ(report.objects_removed, 0u);
  for (const std::string& k : s.leftovers) EXPECT_TRUE(s.store.head(k).has_value());
}

TEST(GarbageCollector, ObjectsOfUnknownAgeAreNeverRemoved) {
  Scenario s;
  s.store.put("tables/t_person/idx/handmade", "x");
  GcOptions opts;
  opts.grace_ms = 0;
  opts.now_ms = now_epoch_ms() + 1000;
  collect_garbage(s.store, opts);
  EXPECT_TRUE(s.store.head("tables/t_person/idx/handmade").has_value());
}

TEST(GarbageCollector, RetentionReclaimsOldVersionsButNeverCurrentOnes) {
  Scenario s;
  const std::string p1 = s.genesis.tables.at("t_person"), p2 = s.second.tables.at("t_person");
  GcOptions opts;
  opts.retention = RetentionPolicy{1, std::nullopt};
  // Within the grace period every version was current a moment ago (a reader may hold it).
  EXPECT_EQ(collect_garbage(s.store, opts).objects_removed, 0u);
  ASSERT_TRUE(s.store.head(p1).has_value());
  opts.grace_ms = 0;
  opts.now_ms = now_epoch_ms() + 1000;
  GcReport dry = collect_garbage(s.store, {opts.grace_ms, opts.now_ms, true, opts.retention});
  ASSERT_TRUE(s.store.head(p1).has_value());
  GcReport report = collect_garbage(s.store, opts);
  EXPECT_EQ(report.removed_keys, dry.removed_keys);
  std::set<std::string> removed(report.removed_keys.begin(), report.removed_keys.end());
  EXPECT_TRUE(removed.count(p1));
  EXPECT_FALSE(removed.count(p2));
  ASSERT_EQ(report.tables.count("t_person"), 1u);
  EXPECT_EQ(report.tables.at("t_person").versions_removed, 1u);
  EXPECT_GT(report.tables.at("t_person").bytes_removed, 0u);
  EXPECT_FALSE(report.tables.at("t_person").error.has_value());
  // The current version reads as before (genesis' fragment is still referenced by p2); the
  // reclaimed one fails; commit metadata stays.
  EXPECT_EQ(testing::read_graph(s.store, s.second), s.main_graph);
  EXPECT_THROW(testing::read_graph(s.store, s.genesis), Error);
  EXPECT_NO_THROW(read_commit(s.store, s.genesis.id));
  // Converges, also under a looser policy (the reclaimed version is skipped, not an error).
  EXPECT_EQ(collect_garbage(s.store, opts).objects_removed, 0u);
  opts.retention = RetentionPolicy{5, std::nullopt};
  GcReport looser = collect_garbage(s.store, opts);
  EXPECT_EQ(looser.objects_removed, 0u);
  for (const auto& [table, stats] : looser.tables) EXPECT_FALSE(stats.error.has_value()) << table;
}

TEST(GarbageCollector, RetentionRemovesOnlyVersionsFailingEveryCriterion) {
  Scenario s;
  const std::string p1 = s.genesis.tables.at("t_person");
  GcOptions opts;
  opts.grace_ms = 0;
  opts.now_ms = now_epoch_ms() + 1000;
  auto versions_removed = [](const GcReport& r) {
    auto it = r.tables.find("t_person");
    return it == r.tables.end() ? uint64_t{0} : it->second.versions_removed;
  };
  // Young versions pass --older-than 1d: with --keep 1 as well, p1 is kept (fails one criterion only).
  opts.retention = RetentionPolicy{1, int64_t{24} * 3600 * 1000};
  EXPECT_EQ(versions_removed(collect_garbage(s.store, opts)), 0u);
  opts.retention = RetentionPolicy{std::nullopt, int64_t{24} * 3600 * 1000};
  EXPECT_EQ(versions_removed(collect_garbage(s.store, opts)), 0u);
  ASSERT_TRUE(s.store.head(p1).has_value());
  // From two days later, both versions are old, but p2 is current on main: only p1 goes.
  opts.now_ms = now_epoch_ms() + int64_t{48} * 3600 * 1000;
  EXPECT_EQ(versions_removed(collect_garbage(s.store, opts)), 1u);
  EXPECT_FALSE(s.store.head(p1).has_value());
  EXPECT_EQ(testing::read_graph(s.store, s.second), s.main_graph);
}

TEST(GarbageCollector, AnUnreadableTableFailsAloneAndKeepsItsObjects) {
  Scenario s;
  const std::string p1 = s.genesis.tables.at("t_person");
  s.store.put(p1, "garbage");  // corrupt an old version's snapshot
  GcOptions opts;
  opts.retention = RetentionPolicy{1, std::nullopt};
  GcReport report = collect_garbage(s.store, opts);
  ASSERT_EQ(report.tables.count("t_person"), 1u);
  EXPECT_TRUE(report.tables.at("t_person").error.has_value());
  EXPECT_EQ(report.tables.at("t_person").versions_removed, 0u);
  EXPECT_TRUE(s.store.head(p1).has_value());
  EXPECT_EQ(testing::read_graph(s.store, s.second), s.main_graph);
}

}  // namespace
}  // namespace omnigraph::storage
