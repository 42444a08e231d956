// Embedding configuration resolution (§13.1), the mock vector (§13.2) and validation.
#include "engine/search/embedding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "common/error.h"

namespace omnigraph::engine::search {
namespace {

EnvLookup env_of(const std::map<std::string, std::string>& vars) {
  return [vars](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.message();
  }
  return "";
}

TEST(EmbeddingConfig, DefaultsAndOverrides) {
  auto c = resolve_embedding_config(env_of({{"OPENAI_API_KEY", " k1 "}}));
  EXPECT_EQ(c.provider, "openai-compatible");
  EXPECT_EQ(c.model, "openai/text-embedding-3-large");
  EXPECT_EQ(c.base_url, "https://openrouter.ai/api/v1");
  EXPECT_EQ(c.api_key, "k1");
  c = resolve_embedding_config(env_of({{"OMNIGRAPH_EMBED_PROVIDER", "gemini"}, {"GEMINI_API_KEY", "g"},
                                       {"OMNIGRAPH_EMBED_BASE_URL", "http://127.0.0.1:9/v1//"},
                                       {"OMNIGRAPH_EMBED_MODEL", "m2"}}));
  EXPECT_EQ(c.base_url, "http://127.0.0.1:9/v1");
  EXPECT_EQ(c.model, "m2");
  c = resolve_embedding_config(env_of({{"OMNIGRAPH_EMBED_PROVIDER", "openai"}, {"OMNIGRAPH_EMBEDDINGS_MOCK", "YES"}}));
  EXPECT_EQ(c.provider, "mock");
  EXPECT_EQ(c.model, "");
}

TEST(EmbeddingConfig, Errors) {
  EXPECT_EQ(error_of([] { resolve_embedding_config(env_of({})); }),
            "embedding provider openai-compatible needs OPENROUTER_API_KEY or OPENAI_API_KEY");
  EXPECT_NE(error_of([] { resolve_embedding_config(env_of({{"OMNIGRAPH_EMBED_PROVIDER", "cohere"}})); })
                .find("openai-compatible|openai|gemini|mock"),
            std::string::npos);
}

TEST(MockEmbedding, FollowsTheSpecAlgorithm) {
  // Independent re-computation of §13.2 for "hi", N = 3.
  uint64_t seed = 14695981039346656037ULL;
  for (unsigned char ch : std::string("hi")) seed = (seed ^ ch) * 1099511628211ULL;
  std::vector<float> expect;
  double sum = 0;
  for (int i = 0; i < 3; ++i) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    float r = static_cast<float>(static_cast<double>(seed) / static_cast<double>(UINT64_MAX));
    expect.push_back(r * 2 - 1);
    sum += static_cast<double>(expect.back()) * expect.back();
  }
  for (auto& c : expect) c /= static_cast<float>(std::sqrt(sum));
  EXPECT_EQ(mock_embedding("hi", 3), expect);
  EXPECT_NE(mock_embedding("hi", 3), mock_embedding("ho", 3));
}

TEST(Validation, RejectsBadVectorsAndNormalizes) {
  std::vector<float> v = {3, 4};
  validate_and_normalize(v, 2);
  EXPECT_FLOAT_EQ(v[0], 0.6f);
  EXPECT_FLOAT_EQ(v[1], 0.8f);
  std::vector<float> z = {0, 0};
  EXPECT_EQ(error_of([&] { validate_and_normalize(z, 2); }), "embedding is an all-zero vector");
  std::vector<float> n = {NAN, 1};
  EXPECT_NE(error_of([&] { validate_and_normalize(n, 2); }).find("NaN"), std::string::npos);
  std::vector<float> w = {1, 2, 3};
  EXPECT_NE(error_of([&] { validate_and_normalize(w, 2); }).find("expected 2"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::engine::search
