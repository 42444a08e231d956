// Search functions through the read executor on a hand-checked corpus: search / fuzzy /
// match_text membership, bm25 order and scores, nearest order (L2), filter-before-rank, rrf.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/mutation/mutation_executor.h"
#include "engine/search/embedding.h"

namespace omnigraph::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Slugs = std::vector<std::string>;

const char* kSchema = R"(
node Doc { slug: String @key  body: String?  vec: Vector(4)?  tag: String }
)";

// Analysed bodies (stemmed, stop words removed):
//   a: graph databas store connect data   (5 tokens)   vec [0,0,0,0]  tag x
//   b: relat databas store tabl           (4)          vec [1,0,0,0]  tag y
//   c: graph graph graph everywher        (4)          vec [2,0,0,0]  tag x
//   d: null                                            vec [0,3,0,0]  tag y
//   e: cook pasta home                    (3)          vec null       tag x
class SearchQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("og-search-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    graph = Graph::init(dir.string(), kSchema);
    mutation::run_mutation(*graph,
                           "query m() {"
                           " insert Doc { slug: \"a\", body: \"Graph databases store connected data\", vec: [0,0,0,0], tag: \"x\" }"
                           " insert Doc { slug: \"b\", body: \"Relational databases store tables\", vec: [1,0,0,0], tag: \"y\" }"
                           " insert Doc { slug: \"c\", body: \"Graphs, graphs, GRAPHS everywhere\", vec: [2,0,0,0], tag: \"x\" }"
                           " insert Doc { slug: \"d\", vec: [0,3,0,0], tag: \"y\" }"
                           " insert Doc { slug: \"e\", body: \"Cooking pasta at home\", tag: \"x\" } }",
                           "", json::object(), {});
  }
  void TearDown() override {
    graph.reset();
    fs::remove_all(dir);
  }
  exec::ReadResult read(const std::string& src, const json& params = json::object()) {
    auto snap = graph->snapshot();
    return exec::run_read_query(*snap, src, "", params);
  }
  Slugs slugs(const std::string& src, const json& params = json::object()) {
    Slugs out;
    for (const auto& row : read(src, params).rows) out.push_back(std::get<std::string>(row[0].v));
    return out;
  }
  fs::path dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(SearchQueryTest, SearchAndMatchTextMatchAnyStemmedToken) {
  const char* q = "query q($q: String) { match { $d: Doc search($d.body, $q) } return { $d.slug } order { $d.slug } }";
  EXPECT_EQ(slugs(q, {{"q", "graph"}}), (Slugs{"a", "c"}));
  EXPECT_EQ(slugs(q, {{"q", "DATABASE tables"}}), (Slugs{"a", "b"}));
  EXPECT_EQ(slugs(q, {{"q", "the at"}}), Slugs{});  // empty analysed query matches nothing
  EXPECT_EQ(slugs(q, {{"q", "sushi"}}), Slugs{});
  EXPECT_EQ(slugs("query q() { match { $d: Doc match_text($d.body, \"cooked\") } return { $d.slug } }"),
            Slugs{"e"});
}

TEST_F(SearchQueryTest, SearchAsProjectionIsBoolAndNullFieldIsFalse) {
  auto r = read("query q() { match { $d: Doc } return { $d.slug, search($d.body, \"graph\") as hit } order { $d.slug } }");
  ASSERT_EQ(r.rows.size(), 5u);
  std::vector<bool> hits;
  for (const auto& row : r.rows) hits.push_back(std::get<bool>(row[1].v));
  EXPECT_EQ(hits, (std::vector<bool>{true, false, true, false, false}));
}

TEST_F(SearchQueryTest, FuzzyDefaultAndExplicitMaxEdits) {
  EXPECT_EQ(slugs("query q() { match { $d: Doc fuzzy($d.body, \"grapj\") } return { $d.slug } order { $d.slug } }"),
            (Slugs{"a", "c"}));
  // "pastaaa" is 2 edits from "pasta".
  EXPECT_EQ(slugs("query q() { match { $d: Doc fuzzy($d.body, \"pastaaa\") } return { $d.slug } }"), Slugs{"e"});
  EXPECT_EQ(slugs("query q() { match { $d: Doc fuzzy($d.body, \"pastaaa\", 1) } return { $d.slug } }"), Slugs{});
  EXPECT_EQ(slugs("query q() { match { $d: Doc fuzzy($d.body, \"pastaa\", 1) } return { $d.slug } }"), Slugs{"e"});
}

double bm25_ref(double tf, double df, double n, double dl, double avgdl) {
  return std::log(1 + (n - df + 0.5) / (df + 0.5)) * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
}

TEST_F(SearchQueryTest, Bm25OrdersByScoreAndExcludesNonMatches) {
  auto r = read("query q($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s } "
                "order { bm25($d.body, $q) } limit 10 }",
                {{"q", "graph databases"}});
  ASSERT_EQ(r.rows.size(), 3u);  // d (null) and e (no token) excluded
  // N = 4 non-null docs, avgdl = 16 / 4 = 4, df(graph) = df(databas) = 2.
  const double a = bm25_ref(1, 2, 4, 5, 4) * 2, c = bm25_ref(3, 2, 4, 4, 4), b = bm25_ref(1, 2, 4, 4, 4);
  EXPECT_EQ(std::get<std::string>(r.rows[0][0].v), "a");
  EXPECT_EQ(std::get<std::string>(r.rows[1][0].v), "c");
  EXPECT_EQ(std::get<std::string>(r.rows[2][0].v), "b");
  EXPECT_NEAR(std::get<double>(r.rows[0][1].v), a, 1e-12);
  EXPECT_NEAR(std::get<double>(r.rows[1][1].v), c, 1e-12);
  EXPECT_NEAR(std::get<double>(r.rows[2][1].v), b, 1e-12);
}

TEST_F(SearchQueryTest, NearestIsL2AscendingWithNullsExcludedAndLimit) {
  const char* q = "query q($v: Vector(4)) { match { $d: Doc } return { $d.slug, nearest($d.vec, $v) as dist } "
                  "order { nearest($d.vec, $v) } limit 10 }";
  auto r = read(q, {{"v", {0, 0, 0, 0}}});
  ASSERT_EQ(r.rows.size(), 4u);  // e has no vector
  Slugs order;
  for (const auto& row : r.rows) order.push_back(std::get<std::string>(row[0].v));
  EXPECT_EQ(order, (Slugs{"a", "b", "c", "d"}));
  EXPECT_DOUBLE_EQ(std::get<double>(r.rows[2][1].v), 2.0);  // L2, not squared
  EXPECT_DOUBLE_EQ(std::get<double>(r.rows[3][1].v), 3.0);
  EXPECT_EQ(slugs("query q() { match { $d: Doc } return { $d.slug } order { nearest($d.vec, [0, 2.9, 0, 0]) } limit 2 }"),
            (Slugs{"d", "a"}));
}

TEST_F(SearchQueryTest, NearestTiesBreakById) {
  // a and b are both at distance 0.5 from [0.5,0,0,0]; ids "a" < "b".
  EXPECT_EQ(slugs("query q() { match { $d: Doc } return { $d.slug } order { nearest($d.vec, [0.5, 0, 0, 0]) } limit 2 }"),
            (Slugs{"a", "b"}));
}

TEST_F(SearchQueryTest, FiltersApplyBeforeRanking) {
  // The global nearest is a (tag x); a selective filter still yields `limit` rows.
  EXPECT_EQ(slugs("query q() { match { $d: Doc { tag: \"y\" } } return { $d.slug } "
                  "order { nearest($d.vec, [0, 0, 0, 0]) } limit 2 }"),
            (Slugs{"b", "d"}));
  EXPECT_EQ(slugs("query q() { match { $d: Doc $d.tag = \"y\" } return { $d.slug } "
                  "order { bm25($d.body, \"graph databases\") } limit 1 }"),
            Slugs{"b"});
}

TEST_F(SearchQueryTest, RrfFusesArmsWithDefaultAndExplicitK) {
  // nearest to [2,0,0,0], limit 3 entities: c(1) b(2) a(3); bm25 "graph databases": a(1) c(2) b(3).
  // k=60: c = 1/61+1/62, a = 1/63+1/61, b = 1/62+1/63 → c, a, b.
  const char* q = "query q($v: Vector(4), $t: String) { match { $d: Doc } return { $d.slug } "
                  "order { rrf(nearest($d.vec, $v), bm25($d.body, $t)) } limit 3 }";
  json p = {{"v", {2, 0, 0, 0}}, {"t", "graph databases"}};
  EXPECT_EQ(slugs(q, p), (Slugs{"c", "a", "b"}));
  // Arms tie exactly (a: 1/(k+1)+1/(k+3), c: 1/(k+3)+1/(k+1)) when nearest is [0,0,0,0] with
  // limit 3 entities a(1) b(2) c(3) against bm25 a(1) c(2) b(3): a first; b, c tie → arm 1 order.
  p["v"] = {0, 0, 0, 0};
  EXPECT_EQ(slugs(q, p), (Slugs{"a", "b", "c"}));
  const char* qk = "query q($v: Vector(4), $t: String) { match { $d: Doc } return { $d.slug } "
                   "order { rrf(nearest($d.vec, $v), bm25($d.body, $t), 1) } limit 2 }";
  // limit 2 → the nearest arm keeps 2 entities c(1) b(2); k=1: c = 1/2+1/3, b = 1/3+1/4, a = 1/2.
  EXPECT_EQ(slugs(qk, {{"v", {2, 0, 0, 0}}, {"t", "graph databases"}}), (Slugs{"c", "b"}));
  // An entity beyond the nearest arm's `limit` still enters through the bm25 arm with its rows:
  // limit 2 → nearest keeps c(1) b(2); bm25 "connected": a(1) → c, a tie at 1/61 (arm 1 first), b 1/62.
  const char* q1 = "query q($v: Vector(4), $t: String) { match { $d: Doc } return { $d.slug } "
                   "order { rrf(nearest($d.vec, $v), bm25($d.body, $t)) } limit 2 }";
  EXPECT_EQ(slugs(q1, {{"v", {2, 0, 0, 0}}, {"t", "connected"}}), (Slugs{"c", "a"}));
}

TEST_F(SearchQueryTest, RrfScoreIsProjectable) {
  // Same arms as above (k=60): c = 1/61+1/62, a = 1/63+1/61, b = 1/62+1/63; d, e in no arm.
  const double c = 1.0 / 61 + 1.0 / 62, a = 1.0 / 63 + 1.0 / 61, b = 1.0 / 62 + 1.0 / 63;
  json p = {{"v", {2, 0, 0, 0}}, {"t", "graph databases"}};
  auto ranked = read("query q($v: Vector(4), $t: String) { match { $d: Doc } "
                     "return { $d.slug, rrf(nearest($d.vec, $v), bm25($d.body, $t)) as s } "
                     "order { rrf(nearest($d.vec, $v), bm25($d.body, $t)) } limit 3 }",
                     p);
  ASSERT_EQ(ranked.rows.size(), 3u);
  EXPECT_EQ(std::get<std::string>(ranked.rows[0][0].v), "c");
  EXPECT_DOUBLE_EQ(std::get<double>(ranked.rows[0][1].v), c);
  EXPECT_DOUBLE_EQ(std::get<double>(ranked.rows[1][1].v), a);
  EXPECT_DOUBLE_EQ(std::get<double>(ranked.rows[2][1].v), b);
  // Projected under a plain ordering: the arms still rank over the whole match, the nearest arm
  // keeping the query's limit (5) entities: c b a d (e has no vector, and no bm25 match).
  auto by_slug = read("query q($v: Vector(4), $t: String) { match { $d: Doc } "
                      "return { $d.slug, rrf(nearest($d.vec, $v), bm25($d.body, $t), 60) as s } "
                      "order { $d.slug } limit 5 }",
                      p);
  ASSERT_EQ(by_slug.rows.size(), 5u);
  EXPECT_DOUBLE_EQ(std::get<double>(by_slug.rows[0][1].v), a);
  EXPECT_DOUBLE_EQ(std::get<double>(by_slug.rows[1][1].v), b);
  EXPECT_DOUBLE_EQ(std::get<double>(by_slug.rows[2][1].v), c);
  EXPECT_DOUBLE_EQ(std::get<double>(by_slug.rows[3][1].v), 1.0 / 64);
  EXPECT_TRUE(by_slug.rows[4][1].is_null());
}

TEST_F(SearchQueryTest, StringQueryToNearestEmbedsWithMockProvider) {
  ::setenv("OMNIGRAPH_EMBEDDINGS_MOCK", "1", 1);
  // Store the mock embedding of "graphs" on d, then a String query must rank d first.
  auto v = search::mock_embedding("graphs", 4);
  json p = {{"v", v}};
  mutation::run_mutation(*graph, "query m($v: Vector(4)) { update Doc set { vec: $v } where slug = \"d\" }", "", p, {});
  EXPECT_EQ(slugs("query q() { match { $d: Doc } return { $d.slug } order { nearest($d.vec, \"graphs\") } limit 1 }"),
            Slugs{"d"});
  ::unsetenv("OMNIGRAPH_EMBEDDINGS_MOCK");
}

TEST(SearchEmbedModel, RecordedModelMustMatchTheQueryEmbedder) {
  fs::path dir = fs::temp_directory_path() / ("og-search-model-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  auto g = Graph::init(dir.string(), "node Doc { slug: String @key  body: String  vec: Vector(4)? @embed(\"body\", model=\"M\") }");
  mutation::run_mutation(*g, "query m() { insert Doc { slug: \"a\", body: \"x\", vec: [1,0,0,0] } }", "", json::object(), {});
  ::setenv("OMNIGRAPH_EMBEDDINGS_MOCK", "1", 1);
  ::setenv("OMNIGRAPH_EMBED_MODEL", "R", 1);
  const char* q = "query q() { match { $d: Doc } return { $d.slug } order { nearest($d.vec, \"x\") } limit 1 }";
  try {
    exec::run_read_query(*g->snapshot(), q, "", json::object());
    ADD_FAILURE() << "expected a model mismatch";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "nearest() on 'vec': its stored vectors were embedded with model 'M', but the query embedder resolves "
              "to 'R'. Set OMNIGRAPH_EMBED_MODEL='M' (and the matching provider) or re-embed the stored vectors.");
  }
  // The embedding configuration is read once per graph handle: this one keeps resolving to 'R'.
  ::setenv("OMNIGRAPH_EMBED_MODEL", "M", 1);
  EXPECT_THROW(exec::run_read_query(*g->snapshot(), q, "", json::object()), Error);
  g = Graph::open(dir.string());
  EXPECT_EQ(exec::run_read_query(*g->snapshot(), q, "", json::object()).rows.size(), 1u);
  ::unsetenv("OMNIGRAPH_EMBED_MODEL");
  ::unsetenv("OMNIGRAPH_EMBEDDINGS_MOCK");
  g.reset();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace omnigraph::engine
