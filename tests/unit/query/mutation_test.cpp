// Unit tests of mutation execution over a real graph in a temporary directory: statement
// effects, value checks, and the write classes of data-plane.md §3.3 when the head moves.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/mutation/mutation_executor.h"

namespace omnigraph::engine::mutation {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kSchema = R"(
node Person { name: String @key  age: I32?  n: U32? }
node Note { text: String }
edge Knows: Person -> Person
)";

class MutationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("og-mut-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    graph = Graph::init(dir.string(), kSchema);
    run("query m() { insert Person { name: \"A\", age: 1 }  insert Person { name: \"B\", age: 2 }  "
        "insert Person { name: \"C\" }  insert Knows { from: \"A\", to: \"B\" }  insert Knows { from: \"B\", "
        "to: \"C\" } }");
  }
  void TearDown() override {
    graph.reset();
    fs::remove_all(dir);
  }
  MutationOutcome run(const std::string& src, const json& params = json::object(), MutationOptions o = {}) {
    return run_mutation(*graph, src, "", params, o);
  }
  size_t count(const std::string& src) {
    auto snap = graph->snapshot();
    return exec::run_read_query(*snap, src, "", json::object()).rows.size();
  }
  fs::path dir;
  std::unique_ptr<Graph> graph;
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

TEST_F(MutationTest, KeyedInsertIsUpsertAndUnkeyedGetsUlids) {
  auto r =
      run("query m() { insert Person { name: \"A\" }  insert Note { text: \"x\" }  insert Note { text: \"x\" "
          "} }");
  EXPECT_EQ(r.affected_nodes, 3u);
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(count("query q() { match { $p: Person { name: \"A\" } $p.age = 1 } return { $p.name } }"), 0u);
  EXPECT_EQ(count("query q() { match { $n: Note } return { $n.text } }"), 2u);
}

TEST_F(MutationTest, DeleteEdgesByEndpointAndNodeCascade) {
  auto r = run("query m() { delete Knows where from = \"B\" }");
  EXPECT_EQ(r.affected_edges, 1u);
  r = run("query m() { delete Person where age < 5 }");  // A and B; C has a null age
  EXPECT_EQ(r.affected_nodes, 2u);
  EXPECT_EQ(r.affected_edges, 1u);  // A->B
  EXPECT_EQ(count("query q() { match { $p: Person } return { $p.name } }"), 1u);
}

TEST_F(MutationTest, ExecutionTimeValueChecks) {
  EXPECT_EQ(error_of([&] {
              run("query m($a: I64) { insert Person { name: \"Z\", age: $a } }", {{"a", 3000000000LL}});
            }),
            "integer value 3000000000 exceeds Int32 range");
  EXPECT_NE(error_of([&] {
              run("query m($a: I64) { insert Person { name: \"Z\", n: $a } }", {{"a", -1}});
            }).find("exceeds UInt32 range"),
            std::string::npos);
  EXPECT_EQ(error_of([&] {
              run("query m($t: String?) { insert Note { text: $t } }", {{"t", nullptr}});
            }),
            "missing required property 'text'");
  EXPECT_EQ(error_of([&] { run("query m() { update Person set { name: \"Q\" } where age = 1 }"); }),
            "cannot update @key property 'name' — delete and re-insert instead");
  EXPECT_EQ(count("query q() { match { $p: Person { name: \"Z\" } } return { $p.name } }"), 0u);
}

TEST_F(MutationTest, EntityLimitFailsBeforeAnyEffect) {
  MutationOptions o;
  o.max_entities = 2;
  try {
    run("query m() { update Person set { age: 5 } where name != \"\" }", json::object(), o);
    FAIL() << "expected resource_limit";
  } catch (const Error& e) {
    const auto* d = std::get_if<ResourceLimitDetail>(&e.detail());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->resource, "mutation_entities");
    EXPECT_EQ(d->limit, 2u);
    EXPECT_EQ(d->actual, 3u);
    EXPECT_EQ(e.http_status(), 413);
  }
  EXPECT_EQ(count("query q() { match { $p: Person { age: 5 } } return { $p.name } }"), 0u);
  EXPECT_EQ(run("query m() { update Person set { age: 5 } where age = 1 }", json::object(), o).affected_nodes,
            1u);
}

TEST_F(MutationTest, NoOpPublishesNothing) {
  auto before = graph->snapshot()->commit().id;
  auto r = run("query m() { update Person set { age: 9 } where age > 100 }");
  EXPECT_FALSE(r.commit);
  EXPECT_EQ(r.affected_nodes, 0u);
  EXPECT_EQ(graph->snapshot()->commit().id, before);
}

TEST_F(MutationTest, AllInsertQueriesReprepareWhenTheHeadMoves) {
  auto other = Graph::open(dir.string());
  int attempts = 0;
  MutationOptions o;
  o.on_prepare = [&] {
    if (attempts++ == 0)
      run_mutation(*other, "query m() { insert Note { text: \"concurrent\" } }", "", json::object(), {});
  };
  auto r = run("query m() { insert Note { text: \"mine\" } }", json::object(), o);
  EXPECT_EQ(attempts, 2);
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(count("query q() { match { $n: Note } return { $n.text } }"), 2u);
}

TEST_F(MutationTest, UpdatesFailWithReadSetConflictWhenTheHeadMoves) {
  auto other = Graph::open(dir.string());
  int attempts = 0;
  MutationOptions o;
  o.on_prepare = [&] {
    if (attempts++ == 0)
      run_mutation(*other, "query m() { insert Note { text: \"concurrent\" } }", "", json::object(), {});
  };
  try {
    run("query m() { update Person set { age: 7 } where age = 1 }", json::object(), o);
    FAIL() << "expected a conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    const auto* d = std::get_if<ReadSetConflictDetail>(&e.detail());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->member, "graph_head:main");
  }
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(count("query q() { match { $p: Person { age: 7 } } return { $p.name } }"), 0u);
}

TEST_F(MutationTest, IfCommitIsCheckedEvenForANoOp) {
  MutationOptions o;
  o.expected_head = "01ARZ3NDEKTSV4RRFFQ69G5FAV";
  try {
    run("query m() { delete Person where age > 100 }", json::object(), o);
    FAIL() << "expected a precondition failure";
  } catch (const Error& e) {
    const auto* d = std::get_if<PreconditionFailureDetail>(&e.detail());
    ASSERT_NE(d, nullptr);
    EXPECT_EQ(d->expected, "01ARZ3NDEKTSV4RRFFQ69G5FAV");
    EXPECT_EQ(e.cli_exit_code(), 4);
  }
}

}  // namespace
}  // namespace omnigraph::engine::mutation
