// Search functions through the CLI on the upstream search fixture (hand-checked orders):
// search / fuzzy / match_text membership, bm25 and nearest order, rrf fusion, JSON output.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

using nlohmann::json;
using Slugs = std::vector<std::string>;

class SearchCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store = (dir.path() / "g").string();
    fixtures = shared_dir() / "fixtures" / "upstream";
    auto r = run_process(omnigraph_bin(), {"init", store, "--schema", (fixtures / "search.pg").string()});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = run_process(omnigraph_bin(), {"--quiet", "load", store, "--data", (fixtures / "search.jsonl").string(),
                                      "--mode", "overwrite"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  Slugs query(const std::string& name, const json& params) {
    auto r = run_process(omnigraph_bin(), {"--quiet", "query", "--store", store, "--query",
                                           (fixtures / "search.gq").string(), name, "--params", params.dump(),
                                           "--format", "json"});
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    Slugs out;
    if (r.exit_code != 0) return out;
    const json doc = json::parse(r.out);
    for (const auto& row : doc["rows"]) out.push_back(row["d.slug"].get<std::string>());
    return out;
  }
  TempDir dir;
  std::string store;
  std::filesystem::path fixtures;
};

Slugs sorted(Slugs s) {
  std::sort(s.begin(), s.end());
  return s;
}

TEST_F(SearchCliTest, TextPredicates) {
  EXPECT_EQ(sorted(query("text_search", {{"q", "introduction"}})), (Slugs{"ml-intro", "rl-intro"}));
  EXPECT_EQ(query("text_search", {{"q", "vision"}}), Slugs{"cv-overview"});
  EXPECT_EQ(sorted(query("fuzzy_search", {{"q", "lerning"}})), (Slugs{"dl-basics", "ml-intro", "rl-intro"}));
  EXPECT_EQ(query("phrase_search", {{"q", "neural"}}), Slugs{"dl-basics"});
}

TEST_F(SearchCliTest, Bm25AndNearestOrder) {
  // ml-intro and rl-intro tie (both 3-token titles with both terms) → id order; dl-basics has "learn".
  EXPECT_EQ(query("bm25_search", {{"q", "learning introduction"}}), (Slugs{"ml-intro", "rl-intro", "dl-basics"}));
  // L2 from [0.1,0.2,0.3,0.4]: ml 0, nlp 0.2, rl 0.4, dl 0.8, cv 0.92.
  EXPECT_EQ(query("vector_search", {{"q", {0.1, 0.2, 0.3, 0.4}}}), (Slugs{"ml-intro", "nlp-guide", "rl-intro"}));
}

TEST_F(SearchCliTest, HybridRrf) {
  // nearest [0.8,0.7,0.6,0.5] keeps cv(1) dl(2) rl(3); bm25 "introduction": ml(1) rl(2).
  // rl = 1/63 + 1/62; cv = ml = 1/61 (cv first: arm 1); dl = 1/62.
  EXPECT_EQ(query("hybrid_search", {{"vq", {0.8, 0.7, 0.6, 0.5}}, {"tq", "introduction"}}),
            (Slugs{"rl-intro", "cv-overview", "ml-intro"}));
}

}  // namespace
}  // namespace omnigraph::testing
