// Commit list order and scope (§5.3), commit show across live branches, time travel (§6).
#include "engine/vc/commit_log.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

std::vector<std::string> ids(const std::vector<storage::GraphCommit>& commits) {
  std::vector<std::string> out;
  for (const auto& c : commits) out.push_back(c.id);
  return out;
}

class CommitLogTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(CommitLogTest, ListIsNewestFirstAlongTheBranchLineage) {
  auto genesis = graph->refs().head("main").commit_id;
  auto a = put_people(*graph, "main", {"A"}, "alice");
  create_branch(*graph, "feature", "main", {});
  auto b = put_people(*graph, "main", {"B"});
  auto f = put_people(*graph, "feature", {"F"}, "fred");

  auto main_list = list_commits(*graph, "main");
  EXPECT_EQ(ids(main_list), (std::vector<std::string>{b.id, a.id, genesis}));
  EXPECT_EQ(main_list[0].sequence, 3u);
  EXPECT_EQ(main_list[2].sequence, 1u);
  EXPECT_TRUE(main_list[2].parents.empty());
  EXPECT_FALSE(main_list[2].actor.has_value());
  EXPECT_EQ(main_list[1].actor, std::optional<std::string>("alice"));

  // The branch's lineage = inherited commits up to the fork + its own.
  auto feature_list = list_commits(*graph, "feature");
  EXPECT_EQ(ids(feature_list), (std::vector<std::string>{f.id, a.id, genesis}));
  EXPECT_EQ(feature_list[0].branch, "feature");
  EXPECT_EQ(feature_list[0].sequence, 3u);  // continues from the fork point

  EXPECT_THROW(list_commits(*graph, "nope"), Error);
}

TEST_F(CommitLogTest, ShowResolvesAcrossLiveBranchesOnly) {
  auto a = put_people(*graph, "main", {"A"});
  create_branch(*graph, "feature", "main", {});
  auto f1 = put_people(*graph, "feature", {"F1"});
  auto f2 = put_people(*graph, "feature", {"F2"});
  put_people(*graph, "main", {"M"});
  EXPECT_EQ(show_commit(*graph, a.id), a);
  EXPECT_EQ(show_commit(*graph, f1.id), f1);
  EXPECT_EQ(show_commit(*graph, f2.id).parents, std::vector<std::string>{f1.id});
  delete_branch(*graph, "feature", {});
  try {
    show_commit(*graph, f1.id);
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(e.message(), "commit '" + f1.id + "' not found");
  }
  EXPECT_EQ(show_commit(*graph, a.id), a);  // still on main
  EXPECT_THROW(show_commit(*graph, "not-a-ulid"), Error);
}

TEST_F(CommitLogTest, TimeTravelBySnapshotIdOnEveryPastCommit) {
  auto c1 = put_people(*graph, "main", {"A"});
  auto c2 = put_people(*graph, "main", {"B"});
  create_branch(*graph, "side", "main", {});
  auto s1 = put_people(*graph, "side", {"S"});
  auto c3 = put_people(*graph, "main", {"C"});
  EXPECT_EQ(people(*graph->snapshot({.snapshot = c1.id})), (std::set<std::string>{"A"}));
  EXPECT_EQ(people(*graph->snapshot({.snapshot = c2.id})), (std::set<std::string>{"A", "B"}));
  EXPECT_EQ(people(*graph->snapshot({.snapshot = c3.id})), (std::set<std::string>{"A", "B", "C"}));
  EXPECT_EQ(people(*graph->snapshot({.snapshot = s1.id})), (std::set<std::string>{"A", "B", "S"}));
  // A pinned snapshot is immutable: later commits are invisible to it.
  auto pinned = graph->snapshot({.branch = "main"});
  put_people(*graph, "main", {"D"});
  EXPECT_EQ(people(*pinned), (std::set<std::string>{"A", "B", "C"}));
  // Every commit of the list is a readable snapshot at its version.
  for (const auto& c : list_commits(*graph, "main"))
    EXPECT_EQ(graph->snapshot({.snapshot = c.id})->commit().sequence, c.sequence);
}

TEST_F(CommitLogTest, ReadsABranchAtAPastVersion) {
  put_people(*graph, "main", {"A"});  // v2
  create_branch(*graph, "f", "main", {});
  put_people(*graph, "f", {"F"});               // f v3
  auto m3 = put_people(*graph, "main", {"B"});  // main v3
  EXPECT_EQ(people(*snapshot_at_version(*graph, "main", 2)), (std::set<std::string>{"A"}));
  EXPECT_EQ(people(*snapshot_at_version(*graph, "main", 3)), (std::set<std::string>{"A", "B"}));
  EXPECT_EQ(people(*snapshot_at_version(*graph, "f", 3)), (std::set<std::string>{"A", "F"}));
  EXPECT_EQ(commit_at_version(*graph, "main", 3).id, m3.id);
  EXPECT_TRUE(people(*snapshot_at_version(*graph, "f", 1)).empty());
  try {
    commit_at_version(*graph, "main", 9);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(e.message(), "branch 'main' has no version 9");
  }
}

}  // namespace
}  // namespace omnigraph::engine::vc
