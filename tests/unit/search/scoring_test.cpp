// Edit distance, match predicates, BM25 against the reference formula, RRF arithmetic, L2 kernel.
#include <gtest/gtest.h>

#include <cmath>

#include "engine/search/edit_distance.h"
#include "engine/search/scoring.h"
#include "engine/search/text_analyzer.h"
#include "engine/search/vector_kernel.h"

namespace omnigraph::engine::search {
namespace {

TEST(EditDistance, ClassicPairs) {
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("flaw", "lawn"), 2u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
  EXPECT_EQ(edit_distance("same", "same"), 0u);
  EXPECT_EQ(edit_distance("café", "cafe"), 1u);  // one code point, not two bytes
}

TEST(EditDistance, BoundStopsEarly) {
  EXPECT_EQ(edit_distance("kitten", "sitting", 1), 2u);
  EXPECT_EQ(edit_distance("a", "abcdef", 2), 3u);
  EXPECT_EQ(edit_distance("kitten", "sitting", 3), 3u);
}

TEST(Matching, AnyTokenAndFuzzy) {
  TextAnalyzer a;
  auto doc = a.analyze("Graph databases store connected data");
  EXPECT_TRUE(any_token_matches(doc, a.analyze("connection")));
  EXPECT_FALSE(any_token_matches(doc, a.analyze("relational tables")));
  EXPECT_FALSE(any_token_matches(doc, a.analyze("the of")));  // empty analysed query
  EXPECT_TRUE(fuzzy_matches(doc, a.analyze("grapj"), 1));
  EXPECT_FALSE(fuzzy_matches(doc, a.analyze("grxxj"), 2));
  EXPECT_TRUE(fuzzy_matches(doc, a.analyze("grxxj"), 3));
}

double reference_bm25(double tf, double df, double n_docs, double dl, double avgdl) {
  double idf = std::log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
  return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
}

TEST(Bm25, MatchesReferenceFormula) {
  Bm25Corpus c;
  // lengths 2, 3, 1 → avgdl = 2
  c.add({"cat", "dog"});
  c.add({"cat", "cat", "fish"});
  c.add({"bird"});
  EXPECT_NEAR(c.score(0, {"cat"}), reference_bm25(1, 2, 3, 2, 2), 1e-12);
  EXPECT_NEAR(c.score(1, {"cat"}), reference_bm25(2, 2, 3, 3, 2), 1e-12);
  EXPECT_NEAR(c.score(0, {"cat", "dog"}), reference_bm25(1, 2, 3, 2, 2) + reference_bm25(1, 1, 3, 2, 2), 1e-12);
  EXPECT_NEAR(c.score(0, {"dog", "dog"}), reference_bm25(1, 1, 3, 2, 2), 1e-12);  // distinct tokens once
  EXPECT_LT(c.score(2, {"cat"}), 0.0);  // no matching token → excluded
  // The rarer term outweighs the more common one.
  EXPECT_GT(c.score(0, {"dog"}), c.score(0, {"cat"}));
}

TEST(Rrf, FusedArithmeticAndTieOrder) {
  auto fused = rrf_fuse({10, 20, 30}, {30, 40, 10}, 60);
  ASSERT_EQ(fused.size(), 4u);
  // 10: 1/61 + 1/63; 30: 1/63 + 1/61; 20: 1/62; 40: 1/62
  EXPECT_EQ(fused[0].first, 10u);  // tie with 30 → arm 1 order
  EXPECT_NEAR(fused[0].second, 1.0 / 61 + 1.0 / 63, 1e-15);
  EXPECT_EQ(fused[1].first, 30u);
  EXPECT_EQ(fused[2].first, 20u);
  EXPECT_NEAR(fused[2].second, 1.0 / 62, 1e-15);
  EXPECT_EQ(fused[3].first, 40u);
}

TEST(Rrf, DuplicateEntitiesRankOnceAndCustomK) {
  auto fused = rrf_fuse({5, 5, 6}, {}, 1);
  ASSERT_EQ(fused.size(), 2u);
  EXPECT_NEAR(fused[0].second, 0.5, 1e-15);
  EXPECT_NEAR(fused[1].second, 1.0 / 3, 1e-15);
}

TEST(VectorKernel, L2SquaredAllLengths) {
  for (size_t dim : {1u, 4u, 7u, 8u, 9u, 16u, 128u, 131u}) {
    std::vector<float> a(dim), b(dim);
    double expect = 0;
    for (size_t i = 0; i < dim; ++i) {
      a[i] = static_cast<float>(i) * 0.5f;
      b[i] = 1.0f - static_cast<float>(i % 3);
      double d = static_cast<double>(a[i]) - b[i];
      expect += d * d;
    }
    EXPECT_NEAR(l2_squared(a.data(), b.data(), dim), expect, 1e-3 * (1 + expect)) << dim;
  }
}

}  // namespace
}  // namespace omnigraph::engine::search
