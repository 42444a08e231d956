// Change feed (§8.3/§8.4): start positions, cut, pages inside a block, cursors and their
// bindings, baseline.
#include "engine/vc/change_feed.h"

#include <gtest/gtest.h>

#include <sstream>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

class ChangeFeedTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  std::vector<std::string> block_ids(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& b : page["blocks"]) out.push_back(b["cause"]["graph_commit_id"]);
    return out;
  }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(ChangeFeedTest, StartNowBeginningAfterAndCursor) {
  auto c1 = put_people(*graph, "main", {"A"});
  auto c2 = put_people(*graph, "main", {"B", "C"});
  auto now = poll_changes(*graph, "main", {.start = "now"}, {});
  EXPECT_TRUE(now["blocks"].empty());
  EXPECT_EQ(now["caught_up"], true);
  auto all = poll_changes(*graph, "main", {.start = "beginning"}, {});
  EXPECT_EQ(block_ids(all), (std::vector<std::string>{c1.id, c2.id}));
  EXPECT_EQ(all["blocks"][1]["changes"].size(), 2u);
  EXPECT_EQ(all["caught_up"], true);
  EXPECT_FALSE(all.contains("next_page_token"));
  EXPECT_EQ(block_ids(poll_changes(*graph, "main", {.start = "after:" + c1.id}, {})),
            (std::vector<std::string>{c2.id}));

  // A cursor resumes exactly after what was delivered, from any handle.
  auto c3 = put_people(*graph, "main", {"D"});
  auto other = Graph::open(dir.uri());
  auto next = poll_changes(*other, "main", {.cursor = now["cursor"].get<std::string>()}, {});
  EXPECT_EQ(block_ids(next), (std::vector<std::string>{c3.id}));  // `now` was taken at c2
  auto resumed = poll_changes(*graph, "main", {.cursor = all["cursor"].get<std::string>()}, {});
  EXPECT_EQ(block_ids(resumed), (std::vector<std::string>{c3.id}));
}

TEST_F(ChangeFeedTest, PageEndingInsideABlockHasOnlyAPageToken) {
  auto c1 = put_people(*graph, "main", {"A", "B", "C"});
  auto c2 = put_people(*graph, "main", {"D"});
  auto p1 = poll_changes(*graph, "main", {.start = "beginning"}, {}, 2);
  EXPECT_EQ(block_ids(p1), (std::vector<std::string>{c1.id}));
  EXPECT_EQ(p1["blocks"][0]["changes"].size(), 2u);
  EXPECT_TRUE(p1.contains("next_page_token"));
  EXPECT_FALSE(p1.contains("cursor"));
  EXPECT_FALSE(p1.contains("caught_up"));
  put_people(*graph, "main", {"E"});  // after the cut: waits for the next poll
  auto p2 = poll_changes(*graph, "main", {.page_token = p1["next_page_token"].get<std::string>()}, {}, 2);
  EXPECT_EQ(block_ids(p2), (std::vector<std::string>{c1.id, c2.id}));
  EXPECT_EQ(p2["blocks"][0]["changes"][0]["id"], "C");
  EXPECT_TRUE(p2.contains("cursor"));
  EXPECT_EQ(p2["caught_up"], false);  // the cut is no longer the head
}

TEST_F(ChangeFeedTest, FirstParentChainOnlyAndInheritedHistory) {
  auto c1 = put_people(*graph, "main", {"A"});
  create_branch(*graph, "f", "main", {});
  auto f1 = put_people(*graph, "f", {"F"});
  auto page = poll_changes(*graph, "f", {.start = "beginning"}, {});
  EXPECT_EQ(block_ids(page), (std::vector<std::string>{c1.id, f1.id}));
  EXPECT_EQ(page["blocks"][0]["cause"]["authored_branch"], "main");
  EXPECT_EQ(page["blocks"][1]["cause"]["authored_branch"], "f");
}

TEST_F(ChangeFeedTest, CursorBindingsAreRejected) {
  put_people(*graph, "main", {"A"});
  create_branch(*graph, "f", "main", {});
  auto cur = poll_changes(*graph, "f", {}, {})["cursor"].get<std::string>();
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "main", {.cursor = cur}, {}); }),
            "change cursor rejected: token belongs to another branch");
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "f", {.cursor = cur}, {.ops = {"delete"}}); }),
            "change cursor rejected: token belongs to another filter scope");
  delete_branch(*graph, "f", {});
  create_branch(*graph, "f", "main", {});
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "f", {.cursor = cur}, {}); }),
            "change cursor rejected: branch was deleted and re-created since the token was issued");
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "f", {.page_token = cur}, {}); }),
            "change cursor rejected: not a feed-page token");
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "f", {.start = "after:01ARZ3NDEKTSV4RRFFQ69G5FAV"}, {}); }),
            "change cursor rejected: commit '01ARZ3NDEKTSV4RRFFQ69G5FAV' is not on the chain of branch 'f'");
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "f", {.start = "now", .cursor = cur}, {}); }),
            "give at most one of start, cursor and page_token");
  EXPECT_EQ(message_of([&] { poll_changes(*graph, "nope", {}, {}); }), "branch 'nope' not found");
}

TEST_F(ChangeFeedTest, BaselineThenResumeCursor) {
  put_people(*graph, "main", {"A", "B"});
  std::ostringstream out;
  auto info = write_baseline(*graph, "main", {}, out);
  std::string text = out.str();
  EXPECT_NE(text.find("\"A\""), std::string::npos);
  EXPECT_TRUE(text.ends_with(nlohmann::json{{"baseline", info}}.dump() + "\n"));
  EXPECT_EQ(info["snapshot_commit_id"], graph->refs().head("main").commit_id);
  auto c = put_people(*graph, "main", {"C"});
  auto page = poll_changes(*graph, "main", {.cursor = info["resume_cursor"].get<std::string>()}, {});
  EXPECT_EQ(block_ids(page), (std::vector<std::string>{c.id}));
}

}  // namespace
}  // namespace omnigraph::engine::vc
