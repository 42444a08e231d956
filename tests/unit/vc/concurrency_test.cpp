// Optimistic concurrency (§3.3) between two independent handles on one store — the same
// situation as two processes: the head CAS is the only coordination. Includes schema apply
// racing writers (the guarantee upstream's __schema_apply_lock__ provides).
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "engine/vc/commit_log.h"
#include "engine/vc/schema_apply.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

TEST(ConcurrencyTest, InsertOnlyWriterRepreparesAndBothLand) {
  TempGraphDir dir;
  auto a = Graph::init(dir.uri(), kPeopleSchema);
  auto b = Graph::open(dir.uri());
  Graph::WriteOptions o;
  o.reprepare = true;
  int attempts = 0;
  a->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    if (attempts++ == 0) put_people(*b, "main", {"FromB"});  // B publishes first
    txn.put(*base.catalog().find_node("Person"),
            Entity{"FromA", "", "", {Value(std::string("FromA")), {}, {}, {}}});
  });
  EXPECT_EQ(attempts, 2);  // re-prepared once from B's head
  EXPECT_EQ(people(*a->snapshot()), (std::set<std::string>{"FromA", "FromB"}));
  EXPECT_EQ(list_commits(*a).size(), 3u);
}

TEST(ConcurrencyTest, StrictWriterWhoseBranchMovedGetsReadSetConflict) {
  TempGraphDir dir;
  auto a = Graph::init(dir.uri(), kPeopleSchema);
  put_people(*a, "main", {"Ada"});
  auto b = Graph::open(dir.uri());
  auto before = a->refs().head("main").commit_id;
  std::string b_head;
  Graph::WriteOptions o;  // reprepare = false: strict update
  try {
    a->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      b_head = put_people(*b, "main", {"Bob"}).id;
      const auto& t = *base.catalog().find_node("Person");
      auto ada = txn.get(t, "Ada");
      ada->values[1] = Value(int64_t{99});
      txn.put(t, std::move(*ada));
    });
    FAIL() << "expected read_set_conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    auto* d = std::get_if<ReadSetConflictDetail>(&e.detail());
    ASSERT_NE(d, nullptr) << e.message();
    EXPECT_EQ(d->member, "graph_head:main");
    EXPECT_EQ(d->expected, std::optional<std::string>(before));
    EXPECT_EQ(d->actual, std::optional<std::string>(b_head));
  }
  // Nothing of A's update landed; B's insert did.
  auto snap = a->snapshot();
  const auto& rows = snap->table(*snap->catalog().find_node("Person"));
  EXPECT_TRUE(rows.value(*rows.find("Ada"), "age").is_null());
  EXPECT_EQ(people(*snap), (std::set<std::string>{"Ada", "Bob"}));
  EXPECT_EQ(a->refs().head("main").commit_id, b_head);
}

std::string people_v2() {
  std::string v2 = kPeopleSchema;
  auto at = v2.find("  email: String? @unique\n");
  v2.insert(at, "  nick: String?\n");
  return v2;
}

// An entity of the base snapshot's Person (whatever its schema): name only.
Entity named_person(const GraphSnapshot& base, const std::string& name) {
  Entity e{name, "", "", std::vector<Value>(base.catalog().find_node("Person")->properties.size())};
  e.values[0] = Value(name);
  return e;
}

// A schema apply lands between a writer's prepare and its publish: an insert-only writer
// re-prepares on the new schema and lands; a strict writer gets read_set_conflict. Either
// way every commit after the apply carries the new schema.
TEST(ConcurrencyTest, SchemaApplyBetweenPrepareAndPublish) {
  TempGraphDir dir;
  auto a = Graph::init(dir.uri(), kPeopleSchema);
  put_people(*a, "main", {"Ada"});
  auto b = Graph::open(dir.uri());
  Graph::WriteOptions o;
  o.reprepare = true;
  std::optional<SchemaApplyResult> applied;
  std::vector<size_t> seen_properties;
  auto c = a->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    seen_properties.push_back(base.catalog().find_node("Person")->properties.size());
    if (!applied) applied = apply_schema(*b, people_v2(), false, {});
    txn.put(*base.catalog().find_node("Person"), named_person(base, "Late"));
  });
  ASSERT_TRUE(applied && applied->applied);
  EXPECT_EQ(seen_properties, (std::vector<size_t>{4, 5}));  // re-prepared on the new catalog
  EXPECT_EQ(c->parents, std::vector<std::string>{applied->commit->id});
  EXPECT_EQ(c->schema_identity, applied->commit->schema_identity);
  auto snap = a->snapshot();
  EXPECT_NE(snap->catalog().find_node("Person")->find_property("nick"), nullptr);
  EXPECT_EQ(people(*snap), (std::set<std::string>{"Ada", "Late"}));

  // Strict: prepared on the old head, the apply moved it.
  auto v3 = people_v2();
  v3.insert(v3.find("  nick: String?\n"), "  tag: String?\n");
  Graph::WriteOptions strict;
  try {
    a->write(strict, [&](const GraphSnapshot& base, WriteTxn& txn) {
      apply_schema(*b, v3, false, {});
      txn.remove(*base.catalog().find_node("Person"), "Ada");
    });
    FAIL() << "expected read_set_conflict";
  } catch (const Error& e) {
    EXPECT_NE(std::get_if<ReadSetConflictDetail>(&e.detail()), nullptr) << e.message();
  }
  EXPECT_EQ(people(*a->snapshot()), (std::set<std::string>{"Ada", "Late"}));
}

// Writers on their own handles race one schema apply (retried on read_set_conflict). Under
// every interleaving: no acknowledged write is lost, the schema changes in exactly one commit
// of main's lineage (old identity before it, new identity from it on), nothing half-applied.
TEST(ConcurrencyTest, SchemaApplyRacingWritersLosesNothing) {
  TempGraphDir dir;
  auto init = Graph::init(dir.uri(), kPeopleSchema);
  const std::string old_identity = init->snapshot()->commit().schema_identity;
  constexpr int kWriters = 3, kWrites = 8;
  std::vector<std::vector<std::string>> landed(kWriters);
  std::vector<std::string> unexpected(kWriters);
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w)
    threads.emplace_back([&, w] {
      auto g = Graph::open(dir.uri());
      Graph::WriteOptions o;
      o.reprepare = true;
      for (int k = 0; k < kWrites; ++k) {
        std::string name = "W";
        name.append(std::to_string(w)).append("_").append(std::to_string(k));
        try {
          g->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
            txn.put(*base.catalog().find_node("Person"), named_person(base, name));
          });
          landed[w].push_back(name);  // acknowledged: must be in the final state
        } catch (const Error& e) {
          // Only a lost race (re-prepare budget spent) may refuse a write, and then it has no effect.
          if (!std::get_if<ReadSetConflictDetail>(&e.detail())) unexpected[w] = e.message();
        }
      }
    });
  std::optional<SchemaApplyResult> applied;
  int apply_attempts = 0;
  {
    auto g = Graph::open(dir.uri());
    while (!applied && apply_attempts < 1000) {
      ++apply_attempts;
      try {
        applied = apply_schema(*g, people_v2(), false, {});
      } catch (const Error& e) {
        ASSERT_NE(std::get_if<ReadSetConflictDetail>(&e.detail()), nullptr) << e.message();
      }
    }
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(applied && applied->applied) << apply_attempts << " attempts";

  for (const auto& u : unexpected) EXPECT_EQ(u, "");
  auto g = Graph::open(dir.uri());
  std::set<std::string> expected;
  size_t acknowledged = 0;
  for (const auto& names : landed) {
    expected.insert(names.begin(), names.end());
    acknowledged += names.size();
  }
  EXPECT_EQ(people(*g->snapshot()), expected);
  EXPECT_NE(g->snapshot()->catalog().find_node("Person")->find_property("nick"), nullptr);
  // Walk main's lineage oldest → newest: one switch of schema identity, at the apply commit.
  std::vector<storage::GraphCommit> chain;
  for (auto id = g->refs().head("main").commit_id;;) {
    auto c = storage::read_commit(g->store(), id);
    chain.push_back(c);
    if (c.parents.empty()) break;
    id = c.parents[0];
  }
  std::reverse(chain.begin(), chain.end());
  int switches = 0;
  for (size_t i = 1; i < chain.size(); ++i)
    if (chain[i].schema_identity != chain[i - 1].schema_identity) {
      ++switches;
      EXPECT_EQ(chain[i].id, applied->commit->id);
      EXPECT_EQ(chain[i - 1].schema_identity, old_identity);
    }
  EXPECT_EQ(switches, 1);
  EXPECT_EQ(chain.size(), 1 + acknowledged + 1);  // genesis + acknowledged writes + apply
}

}  // namespace
}  // namespace omnigraph::engine::vc
