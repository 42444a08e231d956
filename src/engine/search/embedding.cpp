// Embedding configuration resolution, the mock provider and vector validation.
#include "engine/search/embedding.h"

#include <cfloat>
#include <cmath>
#include <algorithm>
#include <cctype>
#include <cstdlib>

#include "common/error.h"

namespace omnigraph::engine::search {
namespace {

std::string trimmed(const EnvLookup& env, const char* name) {
  const char* raw = env ? env(name) : std::getenv(name);
  if (!raw) return {};
  std::string_view s(raw);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

bool truthy(std::string v) {
  for (auto& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return v == "1" || v == "true" || v == "yes" || v == "on";
}

}  // namespace

EmbeddingConfig resolve_embedding_config(const EnvLookup& env) {
  EmbeddingConfig c;
  c.provider = trimmed(env, "OMNIGRAPH_EMBED_PROVIDER");
  if (c.provider.empty()) c.provider = "openai-compatible";
  if (truthy(trimmed(env, "OMNIGRAPH_EMBEDDINGS_MOCK"))) c.provider = "mock";
  std::vector<const char*> keys;
  if (c.provider == "openai-compatible") {
    c.base_url = "https://openrouter.ai/api/v1";
    c.model = "openai/text-embedding-3-large";
    keys = {"OPENROUTER_API_KEY", "OPENAI_API_KEY"};
  } else if (c.provider == "openai") {
    c.base_url = "https://api.openai.com/v1";
    c.model = "text-embedding-3-large";
    keys = {"OPENAI_API_KEY"};
  } else if (c.provider == "gemini") {
    c.base_url = "https://generativelanguage.googleapis.com/v1beta";
    c.model = "gemini-embedding-2";
    keys = {"GEMINI_API_KEY"};
  } else if (c.provider != "mock") {
    throw Error::bad_request("unknown embedding provider '" + c.provider +
                             "' (expected openai-compatible|openai|gemini|mock)");
  }
  std::string model = trimmed(env, "OMNIGRAPH_EMBED_MODEL");
  if (!model.empty()) c.model = model;
  if (c.provider == "mock") return c;
  std::string base = trimmed(env, "OMNIGRAPH_EMBED_BASE_URL");
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (!base.empty()) c.base_url = base;
  for (const char* k : keys) {
    c.api_key = trimmed(env, k);
    if (!c.api_key.empty()) break;
  }
  if (c.api_key.empty()) {
    std::string names;
    for (size_t i = 0; i < keys.size(); ++i) names += (i ? " or " : "") + std::string(keys[i]);
    throw Error::bad_request("embedding provider " + c.provider + " needs " + names);
  }
  return c;
}

std::vector<float> mock_embedding(std::string_view text, uint32_t dimension) {
  uint64_t seed = 14695981039346656037ULL;
  for (unsigned char ch : text) {
    seed ^= ch;
    seed *= 1099511628211ULL;
  }
  std::vector<float> v(dimension);
  for (uint32_t i = 0; i < dimension; ++i) {
    seed ^= seed << 13;
    seed ^= seed >> 7;
    seed ^= seed << 17;
    float r = static_cast<float>(static_cast<double>(seed) / static_cast<double>(UINT64_MAX));
    v[i] = r * 2.0f - 1.0f;
  }
  double sum = 0;
  for (float c : v) sum += static_cast<double>(c) * static_cast<double>(c);
  auto norm = static_cast<float>(std::sqrt(sum));
  if (norm > FLT_EPSILON)
    for (auto& c : v) c /= norm;
  return v;
}

void validate_and_normalize(std::vector<float>& v, uint32_t dimension) {
  if (v.size() != dimension)
    throw Error::bad_request("embedding has " + std::to_string(v.size()) + " dimensions, expected " +
                             std::to_string(dimension));
  double sum = 0;
  for (float c : v) {
    if (!std::isfinite(c)) throw Error::bad_request("embedding contains a NaN or infinite component");
    sum += static_cast<double>(c) * static_cast<double>(c);
  }
  if (sum == 0.0) throw Error::bad_request("embedding is an all-zero vector");
  auto norm = static_cast<float>(std::sqrt(sum));
  for (auto& c : v) c /= norm;
}

EmbedClientOptions EmbedClientOptions::from_env(const EnvLookup& env) {
  EmbedClientOptions o;
  auto num = [&](const char* name) -> int64_t {
    std::string v = trimmed(env, name);
    if (v.empty()) return -1;
    char* end = nullptr;
    long long n = std::strtoll(v.c_str(), &end, 10);
    return (end && *end == 0 && n >= 0) ? n : -1;
  };
  if (int64_t v = num("OMNIGRAPH_EMBED_TIMEOUT_MS"); v > 0) o.timeout_ms = v;
  if (int64_t v = num("OMNIGRAPH_EMBED_RETRY_ATTEMPTS"); v > 0) o.attempts = static_cast<int>(std::min<int64_t>(v, 100));
  if (int64_t v = num("OMNIGRAPH_EMBED_RETRY_BACKOFF_MS"); v > 0) o.backoff_ms = v;
  if (int64_t v = num("OMNIGRAPH_EMBED_DEADLINE_MS"); v >= 0) o.deadline_ms = v;
  return o;
}

}  // namespace omnigraph::engine::search
