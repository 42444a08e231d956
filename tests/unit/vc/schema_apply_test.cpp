// Schema plan/apply (§3.8): one commit, renames keep data, soft drops readable in older
// commits, unsupported plans and extra branches refused, time travel across the change.
#include "engine/vc/schema_apply.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/commit_changes.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

constexpr const char* kV1 = R"(
node Person {
  name: String @key
  age: I32?
}
node Company {
  name: String @key
}
)";

class SchemaApplyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph = Graph::init(dir.uri(), kV1);
    Graph::WriteOptions o;
    c1 = *graph->write(o, [&](const GraphSnapshot& b, WriteTxn& t) {
      t.put(*b.catalog().find_node("Person"),
            Entity{"Ada", "", "", {Value(std::string("Ada")), Value(int64_t{36})}});
      t.put(*b.catalog().find_node("Company"), Entity{"Acme", "", "", {Value(std::string("Acme"))}});
    });
  }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
  storage::GraphCommit c1;
};

TEST_F(SchemaApplyTest, AddPropertyAndTypeIsOneCommitAndOldRowsReadNull) {
  std::string v2 = R"(
node Person {
  name: String @key
  age: I32?
  email: String?
}
node Company {
  name: String @key
}
node Team {
  name: String @key
}
)";
  auto plan = plan_schema(*graph, v2, false);
  EXPECT_TRUE(plan.supported);
  ASSERT_EQ(plan.steps.size(), 2u);
  auto r = apply_schema(*graph, v2, false, "ops");
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(r.commit->parents, std::vector<std::string>{c1.id});
  EXPECT_EQ(r.graph_manifest_version, c1.sequence + 1);
  EXPECT_EQ(r.commit->actor, std::optional<std::string>("ops"));
  auto head = graph->snapshot();
  const auto& person = *head->catalog().find_node("Person");
  const auto& rows = head->table(person);
  ASSERT_EQ(rows.row_count(), 1u);
  EXPECT_TRUE(rows.value(0, "email").is_null());
  EXPECT_EQ(rows.value(0, "age"), Value(int64_t{36}));
  // The new type is writable; the old commit still reads under its own schema.
  Graph::WriteOptions o;
  graph->write(o, [&](const GraphSnapshot& b, WriteTxn& t) {
    t.put(*b.catalog().find_node("Team"), Entity{"Core", "", "", {Value(std::string("Core"))}});
  });
  EXPECT_EQ(graph->snapshot()->table(*graph->snapshot()->catalog().find_node("Team")).row_count(), 1u);
  auto old = graph->snapshot({.snapshot = c1.id});
  EXPECT_EQ(old->catalog().find_node("Team"), nullptr);
  EXPECT_EQ(old->schema_source(), kV1);
  // Re-applying the same schema is a no-op.
  auto again = apply_schema(*graph, v2, false, {});
  EXPECT_FALSE(again.applied);
  EXPECT_TRUE(again.plan.steps.empty());
}

TEST_F(SchemaApplyTest, RenamesKeepDataAndOldNamesReadOldCommits) {
  std::string v2 = R"(
node Human @rename_from("Person") {
  name: String @key
  years: I32? @rename_from("age")
}
node Company {
  name: String @key
}
)";
  auto r = apply_schema(*graph, v2, false, {});
  ASSERT_TRUE(r.applied);
  auto head = graph->snapshot();
  const auto& rows = head->table(*head->catalog().find_node("Human"));
  ASSERT_EQ(rows.row_count(), 1u);
  EXPECT_EQ(rows.value(0, "years"), Value(int64_t{36}));
  auto old = graph->snapshot({.snapshot = c1.id});
  EXPECT_EQ(old->table(*old->catalog().find_node("Person")).value(0, "age"), Value(int64_t{36}));
}

TEST_F(SchemaApplyTest, SoftDropStaysReadableInOlderCommitsHardDropToo) {
  std::string v2 = "node Person {\n  name: String @key\n  age: I32?\n}\n";
  auto plan = plan_schema(*graph, v2, false);
  ASSERT_EQ(plan.steps.size(), 1u);
  EXPECT_EQ(plan.steps[0].kind, "drop_type");
  EXPECT_EQ(plan.steps[0].mode, compiler::DropMode::kSoft);
  auto r = apply_schema(*graph, v2, false, {});
  EXPECT_EQ(graph->snapshot()->catalog().find_node("Company"), nullptr);
  auto old = graph->snapshot({.snapshot = c1.id});
  EXPECT_EQ(old->table(*old->catalog().find_node("Company")).row_count(), 1u);
  // The schema commit's diff crosses a boundary for the dropped type that held entities.
  try {
    commit_changes_page(*graph, r.commit->id, {});
    FAIL();
  } catch (const Error& e) {
    ASSERT_TRUE(std::holds_alternative<ChangeDiffRefusalDetail>(e.detail()));
    EXPECT_EQ(std::get<ChangeDiffRefusalDetail>(e.detail()).reason, ChangeDiffRefusalReason::kSchemaBoundary);
    EXPECT_EQ(std::get<ChangeDiffRefusalDetail>(e.detail()).type_name, std::optional<std::string>("Company"));
  }
  // Hard drop: the table leaves the new commit; the old commit keeps it.
  std::string v3 = "node Person {\n  name: String @key\n}\n";
  auto hard = apply_schema(*graph, v3, true, {});
  ASSERT_TRUE(hard.applied);
  EXPECT_EQ(hard.plan.steps[0].mode, compiler::DropMode::kHard);
  EXPECT_EQ(graph->snapshot()->table(*graph->snapshot()->catalog().find_node("Person")).row_count(), 1u);
  EXPECT_EQ(old->table(*old->catalog().find_node("Person")).value(0, "age"), Value(int64_t{36}));
}

TEST_F(SchemaApplyTest, RefusesUnsupportedPlansAndExtraBranches) {
  std::string required =
      "node Person {\n  name: String @key\n  age: I32?\n  email: String\n}\nnode Company {\n  name: String "
      "@key\n}\n";
  EXPECT_FALSE(plan_schema(*graph, required, false).supported);
  auto head = graph->refs().head("main").commit_id;
  EXPECT_NE(message_of([&] { apply_schema(*graph, required, false, {}); }).find("[OG-MF-103]"),
            std::string::npos);
  EXPECT_EQ(graph->refs().head("main").commit_id, head);
  create_branch(*graph, "b", "main", {});
  create_branch(*graph, "a", "main", {});
  EXPECT_EQ(message_of([&] { apply_schema(*graph, kV1, false, {}); }),
            "schema apply requires a graph with only main; found non-main branches: a, b");
}

}  // namespace
}  // namespace omnigraph::engine::vc
