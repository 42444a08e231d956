// optimize (data-plane §11.1/§11.3): compaction keeps every entity bit-identical, steady state
// publishes nothing, index segments are persisted, carried and dropped per fragment, crashes
// lose nothing, concurrent writers never fail, and feeds/merges/time travel see no change.
#include "engine/maintenance/optimize.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <span>
#include <sstream>
#include <thread>
#include <utility>

#include "common/error.h"
#include "engine/column_mapping.h"
#include "engine/export.h"
#include "engine/graph.h"
#include "engine/graph_state.h"
#include "engine/index/fragment_segment.h"
#include "engine/load/loader.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/change_feed.h"
#include "engine/vc/commit_changes.h"
#include "engine/vc/merge.h"
#include "engine/vc/schema_apply.h"
#include "engine/vc/table_delta.h"
#include "engine/write_txn.h"
#include "engine_test_util.h"
#include "storage/fault_injection_store.h"
#include "storage/local_object_store.h"

namespace omnigraph::engine::maintenance {
namespace {

using engine::test::TempGraphDir;

constexpr const char* kSchema = R"(
node Person {
  name: String @key
  age: I32? @index
  score: F64?
  tags: [String]?
  emb: Vector(3)? @index
  photo: Blob?
  born: Date?
}
node Company {
  name: String @key
}
edge WorksAt: Person -> Company {
  since: Date?
}
)";

// n people p<first>..p<first+n-1> with every kind of value (and nulls on odd rows).
std::string people(int first, int n, int age_offset = 0, bool with_emb = true) {
  std::string out;
  for (int i = first; i < first + n; ++i) {
    std::string name = std::to_string(i);
    name.insert(name.begin(), 'p');  // (GCC 12 -Wrestrict false positive on "p" + to_string)
    if (i % 2) {
      out += R"({"type":"Person","data":{"name":")" + name +
             R"(","age":null}})"
             "\n";
      continue;
    }
    out += R"({"type":"Person","data":{"name":")" + name + R"(","age":)" + std::to_string(i + age_offset) +
           R"(,"score":)" + std::to_string(i) + R"(.25,"tags":["a","b)" + std::to_string(i) + R"("])";
    if (with_emb) out += R"(,"emb":[)" + std::to_string(i) + R"(.5,-1.0,0.125])";
    out += R"(,"photo":"base64:aGVsbG8=","born":"2001-02-0)" + std::to_string(1 + i % 9) +
           R"("}})"
           "\n";
  }
  return out;
}

std::string export_of(Graph& g, const ReadTarget& target = {}) {
  std::ostringstream out;
  export_ndjson(*g.snapshot(target), g.store(), {}, out);
  return out.str();
}

std::string nodes_of(Graph& g) {
  std::ostringstream out;
  export_ndjson(*g.snapshot(), g.store(), {"Person", "Company"}, out);
  return out.str();
}

void load(Graph& g, const std::string& text, const std::string& branch = "main") {
  LoadOptions o;
  o.branch = branch;
  load_ndjson(g, text, o);
}

// Removes people by name on `branch` in one write.
void remove_people(Graph& g, std::initializer_list<const char*> names, const std::string& branch = "main") {
  Graph::WriteOptions o;
  o.branch = branch;
  g.write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    for (const char* n : names) txn.remove(*base.catalog().find_node("Person"), n);
  });
}

const storage::TableSnapshot& person_table(Graph& g, std::shared_ptr<const GraphSnapshot>& keep,
                                           const ReadTarget& target = {}) {
  keep = g.snapshot(target);
  const auto& t = static_cast<const TableDataImpl&>(keep->table(*keep->catalog().find_node("Person")));
  return *t.table_snapshot();
}

std::string physical(Graph& g, const std::string& property) {
  auto s = g.snapshot();
  for (const auto& p : s->catalog().find_node("Person")->properties)
    if (p.name == property) return property_column(p);
  return "";
}

// Test-local segment writers: the bytes name the kind and the column's rows and nulls, so a
// test can check which fragment column each segment was built from.
std::string describe(const char* kind, const storage::Column& c) {
  return std::string(kind) + ":" + std::to_string(c.length) + ":" + std::to_string(c.null_count());
}
std::vector<index::SegmentWriter> test_writers() {
  return {
      {"btree", compiler::IndexKind::kScalar, [](const storage::Column& c) { return describe("btree", c); }},
      {"hnsw", compiler::IndexKind::kVector, [](const storage::Column& c) { return describe("hnsw", c); }}};
}

// A graph whose Person table has 4 fragments (one with deletions) and a company/edge table.
std::unique_ptr<Graph> fragmented_graph(const TempGraphDir& dir) {
  auto g = Graph::init(dir.uri(), kSchema);
  load(*g, people(0, 20) +
               R"({"type":"Company","data":{"name":"acme"}})"
               "\n" +
               R"({"edge":"WorksAt","from":"p0","to":"acme","data":{"since":"2020-01-01"}})"
               "\n");
  load(*g, people(20, 5));
  load(*g, people(4, 3, 100));  // updates: deletions in the first fragment
  remove_people(*g, {"p21", "p9"});
  load(*g, R"({"edge":"WorksAt","from":"p2","to":"acme","data":{}})"
           "\n");
  return g;
}

TEST(OptimizeTest, CompactsIntoOneFragmentKeepingEveryEntityBitIdentical) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  std::shared_ptr<const GraphSnapshot> keep;
  ASSERT_EQ(person_table(*g, keep).fragments.size(), 3u);
  std::string before = export_of(*g);
  auto old_head = g->refs().head("main").commit_id;

  auto report = optimize(*g, {});
  ASSERT_TRUE(report.commit.has_value());
  EXPECT_FALSE(report.commit->actor.has_value());
  EXPECT_TRUE(report.commit->maintenance);
  EXPECT_EQ(report.commit->parents, std::vector<std::string>{old_head});
  EXPECT_EQ(g->refs().head("main").commit_id, report.commit->id);
  EXPECT_EQ(export_of(*g), before);

  const auto& person = person_table(*g, keep);
  ASSERT_EQ(person.fragments.size(), 1u);
  EXPECT_EQ(person.fragments[0].deleted_rows, 0u);
  EXPECT_EQ(person.fragments[0].fragment.row_count, 23u);
  ASSERT_EQ(report.datasets.size(), 3u);
  EXPECT_EQ(report.datasets[0].type_key, "edge:WorksAt");  // 2 fragments → 1
  EXPECT_TRUE(report.datasets[0].committed);
  EXPECT_EQ(report.datasets[0].fragments_removed, 2u);
  EXPECT_EQ(report.datasets[1].type_key, "node:Company");  // one fragment: nothing to do
  EXPECT_FALSE(report.datasets[1].committed);
  EXPECT_EQ(report.datasets[2].type_key, "node:Person");
  EXPECT_EQ(report.datasets[2].fragments_removed, 3u);
  EXPECT_EQ(report.datasets[2].fragments_added, 1u);

  // The committed entities equal, entity by entity, those of the parent commit.
  auto snap = g->snapshot();
  const auto& type = *snap->catalog().find_node("Person");
  auto parent = storage::read_commit(g->store(), old_head);
  auto tid = table_id(type);
  EXPECT_TRUE(
      vc::table_delta(g->store(), type, parent.tables.at(tid), snap->commit().tables.at(tid)).empty());

  // Time travel to the pre-optimize commit still reads the old data from the old fragments.
  EXPECT_EQ(export_of(*g, {.snapshot = old_head}), before);
  EXPECT_EQ(person_table(*g, keep, {.snapshot = old_head}).fragments.size(), 3u);
}

TEST(OptimizeTest, SteadyStatePublishesNothing) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  ASSERT_TRUE(optimize(*g, test_writers()).commit);
  auto head = g->refs().head("main");
  auto second = optimize(*g, test_writers());
  EXPECT_FALSE(second.commit.has_value());
  EXPECT_EQ(g->refs().head("main").seq, head.seq);
  for (const auto& d : second.datasets) {
    EXPECT_FALSE(d.committed) << d.type_key;
    EXPECT_EQ(d.fragments_removed + d.fragments_added + d.segments_added, 0u) << d.type_key;
  }
  // A fresh graph with one fragment per type and no declared-and-served index: nothing to do.
  TempGraphDir other;
  auto h = Graph::init(other.uri(), kSchema);
  load(*h, people(0, 4));
  auto before = h->refs().head("main").seq;
  EXPECT_FALSE(optimize(*h, {}).commit);
  EXPECT_EQ(h->refs().head("main").seq, before);
}

TEST(OptimizeTest, PolicySplitsAtTargetAndKeepsLightlyDeletedFragments) {
  TempGraphDir dir;
  auto g = Graph::init(dir.uri(), kSchema);
  load(*g, people(0, 20));
  remove_people(*g, {"p3"});  // 1 of 20 deleted: 5% < 10%
  OptimizeOptions big;
  EXPECT_FALSE(optimize(*g, {}, big).commit) << "a lone fragment with light deletions is kept";

  remove_people(*g, {"p5", "p7"});  // 3 of 20: over the ratio → materialized
  std::string before = export_of(*g);
  auto r = optimize(*g, {}, big);
  ASSERT_TRUE(r.commit);
  std::shared_ptr<const GraphSnapshot> keep;
  EXPECT_EQ(person_table(*g, keep).fragments.size(), 1u);
  EXPECT_EQ(person_table(*g, keep).fragments[0].fragment.row_count, 17u);

  load(*g, people(100, 3));
  load(*g, people(200, 3));
  OptimizeOptions small;
  small.target_fragment_rows = 8;  // 17 full-size rows stay; the two 3-row fragments merge
  r = optimize(*g, {}, small);
  ASSERT_TRUE(r.commit);
  {
    const auto& t = person_table(*g, keep);
    ASSERT_EQ(t.fragments.size(), 2u);
    EXPECT_EQ(t.fragments[0].fragment.row_count, 17u);
    EXPECT_EQ(t.fragments[1].fragment.row_count, 6u);
  }
  load(*g, people(300, 3));
  small.target_fragment_rows = 20;  // 17, 6, 3 are all small now: 26 rows → 20 + 6
  before = export_of(*g);
  r = optimize(*g, {}, small);
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(r.datasets.back().fragments_removed, 3u);
  EXPECT_EQ(r.datasets.back().fragments_added, 2u);
  const auto& t = person_table(*g, keep);
  ASSERT_EQ(t.fragments.size(), 2u);
  EXPECT_EQ(t.fragments[0].fragment.row_count, 20u);
  EXPECT_EQ(t.fragments[1].fragment.row_count, 6u);
  EXPECT_EQ(export_of(*g), before);
  EXPECT_FALSE(optimize(*g, {}, small).commit) << "the policy's own output is steady";
}

TEST(OptimizeTest, PersistsSegmentsCarriesThemForwardAndDropsThemWithTheirFragment) {
  TempGraphDir dir;
  auto g = Graph::init(dir.uri(), kSchema);
  load(*g, people(0, 10, 0, /*with_emb=*/false));
  load(*g, people(50, 10, 0, /*with_emb=*/false));
  OptimizeOptions keep_fragments;
  keep_fragments.target_fragment_rows = 10;  // both fragments are full: no compaction
  keep_fragments.materialize_deletions_ratio = 0.5;
  auto r = optimize(*g, test_writers(), keep_fragments);
  ASSERT_TRUE(r.commit);
  const auto& person = r.datasets.back();
  ASSERT_EQ(person.type_key, "node:Person");
  EXPECT_EQ(person.fragments_removed, 0u);
  EXPECT_EQ(person.segments_added, 2u);
  ASSERT_EQ(person.pending_indexes.size(), 1u);
  EXPECT_EQ(person.pending_indexes[0].property, "emb");
  EXPECT_NE(person.pending_indexes[0].reason.find("no vectors"), std::string::npos);

  std::string age = physical(*g, "age"), emb = physical(*g, "emb");
  std::shared_ptr<const GraphSnapshot> keep;
  {
    const auto& t = person_table(*g, keep);
    ASSERT_EQ(t.fragments.size(), 2u);
    ASSERT_EQ(t.indexes.size(), 2u);
    for (size_t f = 0; f < 2; ++f) {
      const auto* e = index::find_segment_entry(t, f, "btree", age);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->key.rfind("tables/" + t.table_id + "/idx/", 0), 0u);
      EXPECT_EQ(e->key.substr(e->key.size() - 6), ".btree");
      EXPECT_EQ(g->store().get(e->key), "btree:10:5");  // 10 rows, odd ones null
      EXPECT_EQ(index::find_segment_entry(t, f, "hnsw", emb), nullptr);
    }
  }
  // A write updating p0 keeps both fragments (p0's gets a deletion vector): segments carried.
  load(*g, people(0, 1, 7, /*with_emb=*/true));
  {
    const auto& t = person_table(*g, keep);
    ASSERT_EQ(t.fragments.size(), 3u);
    EXPECT_EQ(t.fragments[0].deleted_rows, 1u);
    EXPECT_NE(index::find_segment_entry(t, 0, "btree", age), nullptr);
    EXPECT_NE(index::find_segment_entry(t, 1, "btree", age), nullptr);
    EXPECT_EQ(index::find_segment_entry(t, 2, "btree", age), nullptr);
  }
  // Optimize now builds the missing ones; p0 has a vector, so the vector index is no longer pending.
  r = optimize(*g, test_writers(), keep_fragments);
  ASSERT_TRUE(r.commit);
  EXPECT_TRUE(r.datasets.back().pending_indexes.empty());
  {
    const auto& t = person_table(*g, keep);
    ASSERT_EQ(t.fragments.size(), 3u);  // 10 (1 deleted: under the ratio), 10, 1: no run to merge
    for (size_t f = 0; f < 3; ++f) {
      ASSERT_NE(index::find_segment_entry(t, f, "btree", age), nullptr) << f;
      ASSERT_NE(index::find_segment_entry(t, f, "hnsw", emb), nullptr) << f;
    }
    EXPECT_EQ(g->store().get(index::find_segment_entry(t, 2, "hnsw", emb)->key), "hnsw:1:0");
    EXPECT_EQ(g->store().get(index::find_segment_entry(t, 0, "hnsw", emb)->key), "hnsw:10:10");
  }
  // Deleting every row of the second fragment drops it, and its segments with it.
  std::string dropped_fragment;
  {
    const auto& t = person_table(*g, keep);
    dropped_fragment = t.fragments[1].fragment.key;
  }
  remove_people(*g, {"p50", "p51", "p52", "p53", "p54", "p55", "p56", "p57", "p58", "p59"});
  const auto& t = person_table(*g, keep);
  ASSERT_EQ(t.fragments.size(), 2u);
  EXPECT_EQ(t.indexes.size(), 4u);
  for (const auto& ix : t.indexes) EXPECT_NE(ix.covered_fragments.at(0), dropped_fragment);
}

TEST(OptimizeTest, CompactionRebuildsSegmentsOfRewrittenFragments) {
  TempGraphDir dir;
  auto g = Graph::init(dir.uri(), kSchema);
  load(*g, people(0, 6));
  ASSERT_TRUE(optimize(*g, test_writers()).commit);
  load(*g, people(10, 2));
  auto r = optimize(*g, test_writers());  // two small fragments merge; segments rebuilt on the result
  ASSERT_TRUE(r.commit);
  std::shared_ptr<const GraphSnapshot> keep;
  const auto& t = person_table(*g, keep);
  ASSERT_EQ(t.fragments.size(), 1u);
  ASSERT_EQ(t.indexes.size(), 2u);
  EXPECT_EQ(g->store().get(index::find_segment_entry(t, 0, "btree", physical(*g, "age"))->key), "btree:8:4");
}

TEST(OptimizeTest, ChangeBlocksOfOptimizeCommitsAreEmpty) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  auto before = g->refs().head("main").commit_id;
  auto r = optimize(*g, test_writers());
  ASSERT_TRUE(r.commit);
  auto page = vc::commit_changes_page(*g, r.commit->id, {});
  EXPECT_TRUE(page["changes"].empty()) << page.dump();

  load(*g, people(300, 1));  // one real change after it
  auto feed = vc::poll_changes(*g, "main", {.start = "after:" + before}, {});
  ASSERT_EQ(feed["blocks"].size(), 2u) << feed.dump();
  EXPECT_TRUE(feed["blocks"][0]["changes"].empty());
  EXPECT_EQ(feed["blocks"][1]["changes"].size(), 1u);
}

TEST(OptimizeTest, BranchForkedBeforeOptimizeMergesWithoutSpuriousConflicts) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  vc::create_branch(*g, "feat", "main", std::nullopt);
  load(*g, people(4, 1, 1000), "feat");              // update p4 on the branch
  load(*g, people(500, 1), "feat");                  // insert p500
  remove_people(*g, {"p10"}, "feat");                // delete p10
  load(*g, people(600, 1));                          // unrelated change on main
  ASSERT_TRUE(optimize(*g, test_writers()).commit);  // compacts every p<n> of main
  auto result = vc::merge_branches(*g, "feat", "main", std::nullopt);
  EXPECT_EQ(result.outcome, vc::MergeOutcome::kMerged);

  // The same merge on an un-optimized copy of the history gives the same data.
  TempGraphDir ref_dir;
  auto ref = fragmented_graph(ref_dir);
  vc::create_branch(*ref, "feat", "main", std::nullopt);
  load(*ref, people(4, 1, 1000), "feat");
  load(*ref, people(500, 1), "feat");
  remove_people(*ref, {"p10"}, "feat");
  load(*ref, people(600, 1));
  vc::merge_branches(*ref, "feat", "main", std::nullopt);
  EXPECT_EQ(nodes_of(*g), nodes_of(*ref));  // edge ids are fresh ULIDs per graph: compare nodes
  EXPECT_NE(nodes_of(*g).find("\"age\":1004"), std::string::npos);
  EXPECT_NE(nodes_of(*g).find("\"p500\""), std::string::npos);
  EXPECT_EQ(nodes_of(*g).find("\"p10\""), std::string::npos);
}

TEST(OptimizeTest, StrictAndConditionalWritesSurviveAConcurrentOptimize) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  auto other = Graph::open(dir.uri());  // a second handle: the situation of a second process
  // A strict write (no re-prepare) with a precondition on the head it read; optimize publishes
  // between its prepare and its publish.
  Graph::WriteOptions o;
  o.reprepare = false;
  o.expected_head = g->refs().head("main").commit_id;
  int attempts = 0;
  auto c = g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    if (attempts++ == 0) {
      ASSERT_TRUE(optimize(*other, {}).commit);
    }
    txn.remove(*base.catalog().find_node("Person"), "p8");
  });
  ASSERT_TRUE(c);
  EXPECT_EQ(attempts, 2);  // re-prepared once, onto the optimize commit
  EXPECT_TRUE(storage::read_commit(g->store(), c->parents.at(0)).maintenance);
  EXPECT_EQ(export_of(*g).find("\"p8\""), std::string::npos);

  // The precondition holds when only optimize moved the head since it was read ...
  load(*g, people(900, 2));
  o.expected_head = g->refs().head("main").commit_id;
  ASSERT_TRUE(optimize(*other, {}).commit);
  ASSERT_TRUE(optimize(*other, test_writers()).commit);  // two maintenance commits in a row
  EXPECT_TRUE(g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    txn.remove(*base.catalog().find_node("Person"), "p12");
  }));
  // ... and still fails when a data commit moved it (optimize on top changes nothing).
  o.expected_head = g->refs().head("main").commit_id;
  load(*g, people(950, 2));
  ASSERT_TRUE(optimize(*other, {}).commit);
  try {
    g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      txn.remove(*base.catalog().find_node("Person"), "p14");
    });
    FAIL() << "a data commit moved the head: the precondition must fail";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("precondition failed"), std::string::npos) << e.message();
  }
  // A strict write without precondition still conflicts with a data commit.
  o.expected_head.reset();
  attempts = 0;
  try {
    g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      if (attempts++ == 0) {
        load(*other, people(970, 1));
      }
      txn.remove(*base.catalog().find_node("Person"), "p14");
    });
    FAIL() << "a data commit landed during a strict write";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("moved during the write"), std::string::npos) << e.message();
  }
}

TEST(OptimizeTest, ConcurrentThreadsNeverFailADataWrite) {
  TempGraphDir dir;
  auto g = fragmented_graph(dir);
  auto other = Graph::open(dir.uri());
  std::atomic<bool> stop{false};
  std::atomic<int> optimize_commits{0};
  std::string optimize_error;
  std::thread maint([&] {
    try {
      OptimizeOptions small;
      small.target_fragment_rows = 16;
      while (!stop) {
        if (optimize(*other, test_writers(), small).commit) ++optimize_commits;
      }
    } catch (const std::exception& e) {
      optimize_error = e.what();
    }
  });
  int failures = 0, reprepared = 0;
  std::string first_failure;
  for (int i = 0; i < 20; ++i) {
    Graph::WriteOptions o;
    o.reprepare = false;  // the strictest class: any data commit in between would fail it
    int attempts_of_write = 0;
    try {
      g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
        const auto& person = *base.catalog().find_node("Person");
        // First attempt: wait (bounded) for the next optimize commit, so one lands between this
        // write's head read and its publish; the write must then re-prepare, not fail.
        if (++attempts_of_write > 1) {
          ++reprepared;
        } else {
          int seen = optimize_commits.load();
          for (int k = 0; k < 2000 && optimize_commits.load() == seen; ++k)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        auto e = txn.get(person, "p2");
        e->values[0 + 1] = Value(int64_t{1000 + i});  // age
        txn.put(person, *e);
        txn.put(
            person,
            Entity{
                "q" + std::to_string(i), "", "", {Value("q" + std::to_string(i)), {}, {}, {}, {}, {}, {}}});
      });
    } catch (const Error& e) {
      if (!failures++) first_failure = e.message();
    }
  }
  stop = true;
  maint.join();
  EXPECT_EQ(failures, 0) << first_failure;
  EXPECT_EQ(optimize_error, "");
  EXPECT_GT(optimize_commits.load(), 0);
  EXPECT_GT(reprepared, 0) << "no optimize commit landed inside a write: the race was not exercised";
  std::string out = export_of(*g);
  EXPECT_NE(out.find("\"age\":1019"), std::string::npos);
  EXPECT_NE(out.find("\"q19\""), std::string::npos);
  EXPECT_NE(out.find("\"q0\""), std::string::npos);
}

// A local store that runs a hook once, just before the next branch-head publish (the first
// create-if-absent under refs/ after arm()): a deterministic "another process committed while
// this write was being prepared".
class PublishHookStore final : public storage::ObjectStore {
 public:
  explicit PublishHookStore(const std::string& root) : inner_(storage::LocalObjectStore::open(root)) {}
  void arm(std::function<void()> hook) { hook_ = std::move(hook); }
  std::string get(std::string_view k) override { return inner_->get(k); }
  std::string get_range(std::string_view k, uint64_t o, uint64_t l) override {
    return inner_->get_range(k, o, l);
  }
  uint64_t read_range_into(std::string_view k, uint64_t o, std::span<char> d) override {
    return inner_->read_range_into(k, o, d);
  }
  std::optional<storage::ObjectInfo> head(std::string_view k) override { return inner_->head(k); }
  void put(std::string_view k, std::string_view d) override { inner_->put(k, d); }
  bool create_if_absent(std::string_view k, std::string_view d) override {
    if (hook_ && k.rfind("refs/", 0) == 0) std::exchange(hook_, nullptr)();
    return inner_->create_if_absent(k, d);
  }
  std::vector<std::string> list(std::string_view p) override { return inner_->list(p); }
  void remove(std::string_view k) override { inner_->remove(k); }
  std::string describe() const override { return inner_->describe(); }

 private:
  std::unique_ptr<storage::ObjectStore> inner_;
  std::function<void()> hook_;
};

TEST(OptimizeTest, SchemaApplyMergeAndOverwriteLoadSurviveAnOptimizeBeforeTheirPublish) {
  TempGraphDir dir;
  { fragmented_graph(dir); }
  auto owned = std::make_unique<PublishHookStore>(dir.uri());
  auto* hook = owned.get();
  auto g = Graph::open_store(std::move(owned), dir.uri());
  auto other = Graph::open(dir.uri());  // the "other process"
  int optimized = 0;
  auto optimize_first = [&] {
    if (optimize(*other, test_writers()).commit) ++optimized;
  };
  auto parent_is_maintenance = [&] {
    auto head = storage::read_commit(g->store(), g->refs().head("main").commit_id);
    return storage::read_commit(g->store(), head.parents.at(0)).maintenance;
  };

  // Overwrite load (never re-prepared over a data commit).
  hook->arm(optimize_first);
  LoadOptions lo;
  lo.mode = LoadMode::kOverwrite;
  load_ndjson(*g, people(0, 30), lo);
  EXPECT_EQ(optimized, 1);
  EXPECT_TRUE(parent_is_maintenance());
  EXPECT_EQ(g->snapshot()->table(*g->snapshot()->catalog().find_node("Person")).row_count(), 30u);

  // Merge into main (strict: the prepared merge is checked against the target head it planned on).
  vc::create_branch(*g, "feat", "main", std::nullopt);
  load(*g, people(40, 2), "feat");
  load(*g, people(50, 2));  // main moves too: a real three-way merge
  hook->arm(optimize_first);
  auto merged = vc::merge_branches(*g, "feat", "main", std::nullopt);
  EXPECT_EQ(optimized, 2);
  EXPECT_EQ(merged.outcome, vc::MergeOutcome::kMerged);
  EXPECT_TRUE(parent_is_maintenance());
  EXPECT_NE(export_of(*g).find("\"p41\""), std::string::npos);
  vc::delete_branch(*g, "feat", std::nullopt);  // schema apply needs a graph with only main

  // Schema apply (re-planned onto the optimize commit).
  load(*g, people(60, 2));  // gives optimize something to do
  std::string schema = kSchema;
  schema.insert(schema.find("  photo: Blob?"), "  extra: String?\n");
  hook->arm(optimize_first);
  auto applied = vc::apply_schema(*g, schema, false, std::nullopt);
  EXPECT_EQ(optimized, 3);
  EXPECT_TRUE(applied.applied);
  EXPECT_TRUE(parent_is_maintenance());
  EXPECT_NE(g->snapshot()->schema_source().find("extra"), std::string::npos);
}

// A store that owns the local store under a fault-injecting wrapper.
class CrashingStore final : public storage::ObjectStore {
 public:
  CrashingStore(const std::string& root, uint64_t writes_allowed)
      : inner_(storage::LocalObjectStore::open(root)), faults_(*inner_, writes_allowed) {}
  std::string get(std::string_view k) override { return faults_.get(k); }
  std::string get_range(std::string_view k, uint64_t o, uint64_t l) override {
    return faults_.get_range(k, o, l);
  }
  uint64_t read_range_into(std::string_view k, uint64_t o, std::span<char> d) override {
    return faults_.read_range_into(k, o, d);
  }
  std::optional<storage::ObjectInfo> head(std::string_view k) override { return faults_.head(k); }
  void put(std::string_view k, std::string_view d) override { faults_.put(k, d); }
  bool create_if_absent(std::string_view k, std::string_view d) override {
    return faults_.create_if_absent(k, d);
  }
  std::vector<std::string> list(std::string_view p) override { return faults_.list(p); }
  void remove(std::string_view k) override { faults_.remove(k); }
  std::string describe() const override { return faults_.describe(); }
  uint64_t writes_done() const { return faults_.writes_done(); }

 private:
  std::unique_ptr<storage::ObjectStore> inner_;
  storage::FaultInjectionStore faults_;
};

TEST(OptimizeTest, CrashAtEveryWriteLeavesTheOldHeadReadable) {
  TempGraphDir dir;
  std::string before, head;
  {
    auto g = fragmented_graph(dir);
    before = export_of(*g);
    head = g->refs().head("main").commit_id;
  }
  namespace fs = std::filesystem;
  fs::path pristine = fs::path(dir.uri()).string() + ".pristine";
  fs::copy(dir.uri(), pristine, fs::copy_options::recursive);
  // Count optimize's writes on a copy.
  uint64_t total = 0;
  {
    auto store = std::make_unique<CrashingStore>(dir.uri(), UINT64_MAX);
    auto* raw = store.get();
    auto g = Graph::open_store(std::move(store), dir.uri());
    ASSERT_TRUE(optimize(*g, test_writers()).commit);
    total = raw->writes_done();
  }
  ASSERT_GT(total, 5u);
  for (uint64_t k = 0; k < total; ++k) {
    fs::remove_all(dir.uri());
    fs::copy(pristine, dir.uri(), fs::copy_options::recursive);
    {
      auto g = Graph::open_store(std::make_unique<CrashingStore>(dir.uri(), k), dir.uri());
      EXPECT_ANY_THROW(optimize(*g, test_writers())) << "crash at write " << k;
    }
    auto g = Graph::open(dir.uri());
    EXPECT_EQ(g->refs().head("main").commit_id, head) << "crash at write " << k;
    EXPECT_EQ(export_of(*g), before) << "crash at write " << k;
    auto r = optimize(*g, test_writers());  // a rerun after the crash completes the job
    EXPECT_TRUE(r.commit) << "crash at write " << k;
    EXPECT_EQ(export_of(*g), before);
  }
  fs::remove_all(pristine);
}

}  // namespace
}  // namespace omnigraph::engine::maintenance
