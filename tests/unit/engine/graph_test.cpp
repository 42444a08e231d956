// Graph handle: init/open, snapshots, writes (fragments + deletion vectors + CAS), table data,
// adjacency, conflicts and preconditions.
#include "engine/graph.h"

#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "engine/commit_output.h"
#include "engine/write_txn.h"
#include "engine_test_util.h"

namespace omnigraph::engine {
namespace {

using test::kPeopleSchema;
using test::TempGraphDir;

Entity person(const std::string& name, Value age = {}, Value mood = {}, Value email = {}) {
  // Properties in declared order: name, age, mood, email.
  return Entity{name, "", "", {Value(name), std::move(age), std::move(mood), std::move(email)}};
}
Entity edge(const std::string& id, const std::string& src, const std::string& dst) {
  return Entity{id, src, dst, {}};
}

class GraphTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  const compiler::TypeDef& node(const GraphSnapshot& s, const char* n) { return *s.catalog().find_node(n); }
  const compiler::TypeDef& edge_type(const GraphSnapshot& s, const char* n) { return *s.catalog().find_edge(n); }

  std::optional<storage::GraphCommit> write(const std::function<void(const GraphSnapshot&, WriteTxn&)>& fn,
                                            Graph::WriteOptions options = {}) {
    return graph->write(options, fn);
  }

  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(GraphTest, InitCreatesGenesisOnMainAndRefusesSecondInit) {
  auto snap = graph->snapshot();
  EXPECT_EQ(snap->commit().sequence, 1u);
  EXPECT_TRUE(snap->commit().parents.empty());
  EXPECT_FALSE(snap->commit().actor.has_value());
  EXPECT_EQ(snap->branch(), std::optional<std::string>("main"));
  EXPECT_EQ(snap->table(node(*snap, "Person")).row_count(), 0u);
  EXPECT_NE(snap->schema_source().find("node Person"), std::string::npos);
  try {
    Graph::init(dir.uri(), kPeopleSchema);
    FAIL() << "second init succeeded";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    EXPECT_NE(e.message().find("a graph already exists at"), std::string::npos);
  }
  try {
    Graph::init(dir.uri(), kPeopleSchema, /*force=*/true);
    FAIL() << "force init over a graph succeeded";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("force init refuses graph root"), std::string::npos);
  }
}

TEST_F(GraphTest, OpenMissingGraphIsNotFound) {
  TempGraphDir other;
  try {
    Graph::open(other.uri());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

TEST_F(GraphTest, WriteThenReadBackAcrossReopen) {
  auto c = write([&](const GraphSnapshot& base, WriteTxn& txn) {
    txn.put(node(base, "Person"), person("Ada", int64_t{36}, std::string("happy")));
    txn.put(node(base, "Person"), person("Bob"));
    txn.put(node(base, "Company"), Entity{"Acme", "", "", {Value(std::string("Acme"))}});
    txn.put(edge_type(base, "WorksAt"), edge("e1", "Ada", "Acme"));
  }, {.branch = "main", .actor = std::string("alice")});
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sequence, 2u);
  EXPECT_EQ(c->actor, std::optional<std::string>("alice"));
  auto out = commit_output(*c);
  EXPECT_TRUE(out["graph_branch"].is_null());
  EXPECT_EQ(out["graph_manifest_version"], 2);
  EXPECT_EQ(out["actor_id"], "alice");
  EXPECT_TRUE(out["merged_parent_commit_id"].is_null());
  std::vector<std::string> keys;
  for (auto it = out.begin(); it != out.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"graph_commit_id", "graph_branch", "graph_manifest_version", "parent_commit_id",
                                            "merged_parent_commit_id", "actor_id", "created_at"}));  // §5.1 order

  auto reopened = Graph::open(dir.uri());
  auto snap = reopened->snapshot();
  EXPECT_EQ(snap->commit().id, c->id);
  const auto& people = snap->table(node(*snap, "Person"));
  ASSERT_EQ(people.row_count(), 2u);
  auto ada = people.find("Ada");
  ASSERT_TRUE(ada);
  EXPECT_EQ(people.value(*ada, "age"), Value(int64_t{36}));
  EXPECT_EQ(people.value(*ada, "mood"), Value(std::string("happy")));
  EXPECT_TRUE(people.value(*people.find("Bob"), "age").is_null());
  EXPECT_FALSE(people.find("Nobody"));
  const auto& works = snap->table(edge_type(*snap, "WorksAt"));
  ASSERT_EQ(works.row_count(), 1u);
  EXPECT_EQ(works.value(0, "src"), Value(std::string("Ada")));
  EXPECT_THROW(people.column("nope"), Error);
}

TEST_F(GraphTest, UpsertAndRemoveUseDeletionVectorsAndOldSnapshotsStayReadable) {
  auto c1 = write([&](const GraphSnapshot& base, WriteTxn& txn) {
    for (int i = 0; i < 5; ++i) txn.put(node(base, "Person"), person(std::string("p").append(std::to_string(i)), int64_t{i}));
  });
  auto c2 = write([&](const GraphSnapshot& base, WriteTxn& txn) {
    const auto& p = node(base, "Person");
    EXPECT_TRUE(txn.remove(p, "p1"));
    EXPECT_FALSE(txn.remove(p, "missing"));
    txn.put(p, person("p3", int64_t{33}));
    // read-your-writes
    EXPECT_FALSE(txn.get(p, "p1"));
    EXPECT_EQ(txn.get(p, "p3")->values[1], Value(int64_t{33}));
    EXPECT_EQ(txn.get(p, "p4")->values[1], Value(int64_t{4}));
    size_t seen = 0;
    txn.for_each(p, [&](const Entity&) { ++seen; });
    EXPECT_EQ(seen, 4u);
  });
  ASSERT_TRUE(c1 && c2);
  auto snap = graph->snapshot();
  const auto& people = snap->table(node(*snap, "Person"));
  EXPECT_EQ(people.row_count(), 4u);
  EXPECT_FALSE(people.find("p1"));
  EXPECT_EQ(people.value(*people.find("p3"), "age"), Value(int64_t{33}));
  EXPECT_EQ(people.value(*people.find("p2"), "age"), Value(int64_t{2}));

  auto old = graph->snapshot({.snapshot = c1->id});
  EXPECT_FALSE(old->branch().has_value());
  const auto& old_people = old->table(node(*old, "Person"));
  EXPECT_EQ(old_people.row_count(), 5u);
  EXPECT_EQ(old_people.value(*old_people.find("p3"), "age"), Value(int64_t{3}));
}

TEST_F(GraphTest, NoOpWriteReturnsNulloptAndEmptyCommitWhenAsked) {
  auto before = graph->snapshot()->commit().id;
  auto none = write([&](const GraphSnapshot&, WriteTxn&) {});
  EXPECT_FALSE(none);
  EXPECT_EQ(graph->snapshot()->commit().id, before);
  auto empty = write([&](const GraphSnapshot&, WriteTxn&) {}, {.commit_if_empty = true});
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->parents, std::vector<std::string>{before});
}

TEST_F(GraphTest, ExpectedHeadMismatchIsPreconditionFailure) {
  auto head = graph->snapshot()->commit().id;
  write([&](const GraphSnapshot& b, WriteTxn& t) { t.put(node(b, "Person"), person("x")); });
  try {
    write([&](const GraphSnapshot&, WriteTxn&) {}, {.expected_head = head});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.cli_exit_code(), 4);
    EXPECT_EQ(e.http_status(), 412);
    auto* d = std::get_if<PreconditionFailureDetail>(&e.detail());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->expected, head);
  }
}

TEST_F(GraphTest, ConcurrentCommitDuringPrepareConflictsOrReprepares) {
  auto other = Graph::open(dir.uri());
  int calls = 0;
  auto racing = [&](const GraphSnapshot& b, WriteTxn& t) {
    if (calls++ == 0)
      other->write({}, [&](const GraphSnapshot& ob, WriteTxn& ot) { ot.put(*ob.catalog().find_node("Person"), person("racer")); });
    t.put(node(b, "Person"), person("mine"));
  };
  try {
    write(racing);
    FAIL();
  } catch (const Error& e) {
    auto* d = std::get_if<ReadSetConflictDetail>(&e.detail());
    ASSERT_TRUE(d);
    EXPECT_EQ(d->member, "graph_head:main");
  }
  calls = 0;
  auto c = write(racing, {.reprepare = true});
  ASSERT_TRUE(c);
  EXPECT_EQ(calls, 2);
  auto snap = graph->snapshot();
  EXPECT_TRUE(snap->table(node(*snap, "Person")).find("racer"));
  EXPECT_TRUE(snap->table(node(*snap, "Person")).find("mine"));
}

TEST_F(GraphTest, AdjacencyIsCsrAndCscOverNodeRows) {
  write([&](const GraphSnapshot& b, WriteTxn& t) {
    for (auto n : {"a", "b", "c"}) t.put(node(b, "Person"), person(n));
    t.put(edge_type(b, "Knows"), edge("k1", "a", "b"));
    t.put(edge_type(b, "Knows"), edge("k2", "a", "c"));
    t.put(edge_type(b, "Knows"), edge("k3", "c", "b"));
  });
  auto snap = graph->snapshot();
  const auto& people = snap->table(node(*snap, "Person"));
  const auto& knows = snap->table(edge_type(*snap, "Knows"));
  const auto& adj = snap->adjacency(edge_type(*snap, "Knows"));
  auto row = [&](const char* id) { return static_cast<uint32_t>(*people.find(id)); };
  auto out_a = adj.out_neighbors(row("a"));
  std::set<uint32_t> got(out_a.begin(), out_a.end());
  EXPECT_EQ(got, (std::set<uint32_t>{row("b"), row("c")}));
  auto in_b = adj.in_neighbors(row("b"));
  EXPECT_EQ(std::set<uint32_t>(in_b.begin(), in_b.end()), (std::set<uint32_t>{row("a"), row("c")}));
  ASSERT_EQ(adj.out_edges(row("c")).size(), 1u);
  EXPECT_EQ(knows.value(adj.out_edges(row("c"))[0], "id"), Value(std::string("k3")));
  EXPECT_TRUE(adj.out_edges(row("b")).empty());
  // A second snapshot of the same head reuses the cached adjacency.
  auto again = graph->snapshot();
  EXPECT_EQ(&again->adjacency(edge_type(*again, "Knows")), &adj);
}

TEST_F(GraphTest, UnknownBranchAndCommitAreNotFound) {
  EXPECT_THROW(graph->snapshot({.branch = std::string("nope")}), Error);
  EXPECT_THROW(graph->snapshot({.snapshot = std::string("01JC4Z7Q8R9S0T1V2W3X4Y5Z6A")}), Error);
}

}  // namespace
}  // namespace omnigraph::engine
