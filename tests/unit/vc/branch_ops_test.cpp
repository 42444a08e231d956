// Branch name rules (§4.1), create/list/delete (§4.2), lazy sharing (§4.3).
#include "engine/vc/branch_ops.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

std::string error_message(const std::function<void()>& fn, ErrorCode expected_code) {
  try {
    fn();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), expected_code) << e.message();
    return e.message();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(BranchNameTest, AcceptsNestedAndUnicodeNames) {
  EXPECT_EQ(validate_branch_name("branch_create", "  review/hires \n"), "review/hires");
  EXPECT_EQ(validate_branch_name("branch_create", "a.b-c_d/e1"), "a.b-c_d/e1");
  EXPECT_EQ(validate_branch_name("branch_create", "caf\xC3\xA9/\xE6\x97\xA5"), "caf\xC3\xA9/\xE6\x97\xA5");
}

TEST(BranchNameTest, RejectsEachRuleWithBadRequest) {
  auto bad = [](std::string_view name) {
    return error_message([&] { validate_branch_name("branch_create", name); }, ErrorCode::kBadRequest);
  };
  EXPECT_EQ(bad("   "), "branch name must not be empty");
  EXPECT_NE(bad("/a").find("must not start or end with '/'"), std::string::npos);
  EXPECT_NE(bad("a/").find("must not start or end with '/'"), std::string::npos);
  EXPECT_NE(bad("a//b").find("'//'"), std::string::npos);
  EXPECT_NE(bad("a..b").find("'..'"), std::string::npos);
  EXPECT_NE(bad("a/b.lock/c").find("'.lock'"), std::string::npos);
  EXPECT_NE(bad("x.lock").find("'.lock'"), std::string::npos);
  EXPECT_NE(bad("a\\b").find("character '\\' at position 2"), std::string::npos);
  EXPECT_NE(bad("a b").find("character ' ' at position 2"), std::string::npos);
  EXPECT_NE(bad("a~b").find("'~'"), std::string::npos);
  EXPECT_NE(bad("a\xFF").find("UTF-8"), std::string::npos);
  EXPECT_EQ(bad("__schema_apply_lock__"),
            "branch_create does not allow internal system ref '__schema_apply_lock__'");
}

class BranchOpsTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(BranchOpsTest, CreateCopiesNoDataAndSeesForkTimeState) {
  auto c1 = put_people(*graph, "main", {"Alice"});
  auto r = create_branch(*graph, "feature", "main", "act-1");
  EXPECT_EQ(r.commit_id, c1.id);
  EXPECT_EQ(r.from, "main");
  // No commit was created: the branch head is main's head.
  EXPECT_EQ(graph->refs().head("feature").commit_id, c1.id);
  put_people(*graph, "main", {"Bob"});
  EXPECT_EQ(people(*graph->snapshot({.branch = "feature"})), (std::set<std::string>{"Alice"}));
  put_people(*graph, "feature", {"Carol"});
  EXPECT_EQ(people(*graph->snapshot({.branch = "feature"})), (std::set<std::string>{"Alice", "Carol"}));
  EXPECT_EQ(people(*graph->snapshot({.branch = "main"})), (std::set<std::string>{"Alice", "Bob"}));
  // The branch lineage continues from the fork point.
  auto head = storage::read_commit(graph->store(), graph->refs().head("feature").commit_id);
  EXPECT_EQ(head.parents, std::vector<std::string>{c1.id});
  EXPECT_EQ(head.sequence, c1.sequence + 1);
  EXPECT_EQ(head.branch, "feature");
}

TEST_F(BranchOpsTest, CreateFromSnapshotAndFromOtherBranch) {
  auto c1 = put_people(*graph, "main", {"Alice"});
  put_people(*graph, "main", {"Bob"});
  auto r = create_branch(*graph, "past", c1.id, {});
  EXPECT_EQ(r.commit_id, c1.id);
  EXPECT_EQ(people(*graph->snapshot({.branch = "past"})), (std::set<std::string>{"Alice"}));
  put_people(*graph, "past", {"Zed"});
  create_branch(*graph, "past/child", "past", {});
  EXPECT_EQ(people(*graph->snapshot({.branch = "past/child"})), (std::set<std::string>{"Alice", "Zed"}));
}

TEST_F(BranchOpsTest, CreateErrors) {
  EXPECT_EQ(error_message([&] { create_branch(*graph, "main", "main", {}); }, ErrorCode::kBadRequest),
            "cannot create branch 'main'");
  EXPECT_EQ(error_message([&] { create_branch(*graph, "x", "nope", {}); }, ErrorCode::kNotFound),
            "branch 'nope' not found");
  create_branch(*graph, "x", "main", {});
  EXPECT_EQ(error_message([&] { create_branch(*graph, "x", "main", {}); }, ErrorCode::kConflict),
            "branch 'x' already exists");
  EXPECT_EQ(
      error_message([&] { create_branch(*graph, "y", "__schema_apply_lock__", {}); }, ErrorCode::kBadRequest),
      "branch_create does not allow internal system ref '__schema_apply_lock__'");
}

TEST_F(BranchOpsTest, NestedNamesCoexistAndListIsByteOrdered) {
  create_branch(*graph, "review/x", "main", {});
  create_branch(*graph, "review", "main", {});
  create_branch(*graph, "Zeta", "main", {});
  EXPECT_EQ(list_branches(*graph), (std::vector<std::string>{"Zeta", "main", "review", "review/x"}));
  put_people(*graph, "review/x", {"X"});
  EXPECT_TRUE(people(*graph->snapshot({.branch = "review"})).empty());
  delete_branch(*graph, "review", {});
  EXPECT_EQ(list_branches(*graph), (std::vector<std::string>{"Zeta", "main", "review/x"}));
  EXPECT_EQ(people(*graph->snapshot({.branch = "review/x"})), (std::set<std::string>{"X"}));
}

TEST_F(BranchOpsTest, InternalRefsAreNeverListed) {
  graph->refs().create("__schema_apply_lock__", graph->refs().head("main").commit_id);
  EXPECT_EQ(list_branches(*graph), (std::vector<std::string>{"main"}));
  EXPECT_EQ(
      error_message([&] { delete_branch(*graph, "__schema_apply_lock__", {}); }, ErrorCode::kBadRequest),
      "branch_delete does not allow internal system ref '__schema_apply_lock__'");
}

TEST_F(BranchOpsTest, DeleteRulesAndParentDeletionKeepsChild) {
  EXPECT_EQ(error_message([&] { delete_branch(*graph, "main", {}); }, ErrorCode::kBadRequest),
            "cannot delete branch 'main'");
  EXPECT_EQ(error_message([&] { delete_branch(*graph, "ghost", {}); }, ErrorCode::kNotFound),
            "branch 'ghost' not found");
  create_branch(*graph, "parent", "main", {});
  put_people(*graph, "parent", {"P"});
  create_branch(*graph, "parent/kid", "parent", {});
  delete_branch(*graph, "parent", "me");  // allowed although a branch was created from it
  EXPECT_EQ(people(*graph->snapshot({.branch = "parent/kid"})), (std::set<std::string>{"P"}));
  EXPECT_EQ(error_message([&] { graph->snapshot({.branch = "parent"}); }, ErrorCode::kNotFound),
            "branch 'parent' not found");
  // Re-creating the name gives a new, independent branch.
  create_branch(*graph, "parent", "main", {});
  EXPECT_TRUE(people(*graph->snapshot({.branch = "parent"})).empty());
}

}  // namespace
}  // namespace omnigraph::engine::vc
