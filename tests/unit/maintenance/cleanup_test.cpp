// cleanup (data-plane §11.2) at the engine level, with the grace period set to zero so versions
// written by the test are reclaimable at once: per-type retention, 410 on reads and change diffs
// of reclaimed history, convergence, a looser policy after a stricter one, and the grace period
// protecting versions that were current a moment ago.
#include "engine/maintenance/cleanup.h"

#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/graph.h"
#include "engine/load/loader.h"
#include "engine/vc/commit_changes.h"
#include "engine_test_util.h"

namespace omnigraph::engine::maintenance {
namespace {

constexpr const char* kSchema = "node Person { name: String @key  role: String? }\nnode Tag { label: String @key }\n";

class CleanupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph = Graph::init(dir.uri(), kSchema);
    for (const char* line : {R"({"type":"Person","data":{"name":"ada","role":"eng"}})",
                             R"({"type":"Person","data":{"name":"ada","role":"cto"}})",
                             R"({"type":"Person","data":{"name":"bob"}})"}) {
      LoadOptions o;
      o.mode = LoadMode::kMerge;
      commits.push_back(load_ndjson(*graph, std::string(line) + "\n", o).commit.id);
    }
  }
  // Through a fresh handle: an open one may still hold a version's rows in its caches.
  size_t people_at(const std::string& commit) {
    auto fresh = Graph::open(dir.uri());
    auto snap = fresh->snapshot({.snapshot = commit});
    return snap->table(*snap->catalog().find_node("Person")).row_count();
  }

  test::TempGraphDir dir;
  std::unique_ptr<Graph> graph;
  std::vector<std::string> commits;
};

TEST_F(CleanupTest, NeedsACriterion) {
  EXPECT_THROW(cleanup(*graph, {}), Error);
}

TEST_F(CleanupTest, KeepOneReclaimsOldVersionsOfEachType) {
  CleanupReport r = cleanup(*graph, {.keep_versions = 1, .grace_ms = 0});
  ASSERT_EQ(r.datasets.size(), 1u);  // Tag never changed: its only version is current
  EXPECT_EQ(r.datasets[0].type_key, "node:Person");
  EXPECT_EQ(r.datasets[0].old_versions_removed, 3u);  // init's empty version + the first two loads
  EXPECT_GT(r.datasets[0].bytes_removed, 0u);
  EXPECT_EQ(people_at(commits[2]), 2u);
  try {
    people_at(commits[0]);
    ADD_FAILURE() << "a reclaimed version was readable";
  } catch (const Error& e) {
    EXPECT_EQ(e.http_status(), 410);
    EXPECT_NE(e.message().find("was reclaimed"), std::string::npos) << e.message();
  }
  try {
    vc::commit_changes_page(*Graph::open(dir.uri()), commits[1], {}, 100);
    ADD_FAILURE() << "a diff over reclaimed history succeeded";
  } catch (const Error& e) {
    ASSERT_TRUE(std::holds_alternative<ChangeFeedGapDetail>(e.detail())) << e.message();
    EXPECT_EQ(std::get<ChangeFeedGapDetail>(e.detail()).first_unreadable_commit_id, commits[1]);
    EXPECT_EQ(e.http_status(), 410);
  }
  EXPECT_EQ(cleanup(*graph, {.keep_versions = 1, .grace_ms = 0}).versions_removed(), 0u);  // converges
}

TEST_F(CleanupTest, ALooserPolicyAfterAStricterOneDoesNotFail) {
  cleanup(*graph, {.keep_versions = 2, .grace_ms = 0});
  CleanupReport r = cleanup(*graph, {.keep_versions = 5, .grace_ms = 0});
  for (const auto& d : r.datasets) EXPECT_FALSE(d.error.has_value()) << d.type_key << ": " << *d.error;
  EXPECT_EQ(people_at(commits[1]), 1u);  // kept by the first run
}

TEST_F(CleanupTest, TheGracePeriodKeepsRecentlyCurrentVersions) {
  // Every version was current less than an hour ago: a reader may still hold it.
  EXPECT_EQ(cleanup(*graph, {.keep_versions = 1}).versions_removed(), 0u);
  EXPECT_EQ(people_at(commits[0]), 1u);
}

}  // namespace
}  // namespace omnigraph::engine::maintenance
