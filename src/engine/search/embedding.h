// Embedding configuration (data-plane.md §13.1: provider/model/base URL/key from env vars), the
// deterministic `mock` provider (§13.2, bit-compatible) and vector validation/normalisation.
// HTTP providers (openai-compatible, openai, gemini) are resolved but have no client yet.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine::search {

struct EmbeddingConfig {
  std::string provider;  // openai-compatible | openai | gemini | mock
  std::string model;
  std::string base_url;  // trailing '/' removed; empty for mock
  std::string api_key;   // empty for mock
};

// Reads a variable; returns nullptr when unset. Defaults to std::getenv.
using EnvLookup = std::function<const char*(const char*)>;

// Resolves the configuration per §13.1 (trimmed values, empty = unset; OMNIGRAPH_EMBEDDINGS_MOCK
// truthy forces mock). Throws Error(bad_request) for an unknown provider (naming
// `openai-compatible|openai|gemini|mock`) or a missing key (naming the key variable(s)).
EmbeddingConfig resolve_embedding_config(const EnvLookup& env = {});

// The mock vector of `text` with `dimension` components (FNV-1a-64 seed, xorshift, L2-normalised
// in float as §13.2 specifies). Pure, thread-safe.
std::vector<float> mock_embedding(std::string_view text, uint32_t dimension);

// Validates a provider vector (length == dimension, finite, non-zero norm) and L2-normalises it
// in place. Throws Error(bad_request) naming the problem.
void validate_and_normalize(std::vector<float>& v, uint32_t dimension);

// Embeds one query text (query role) with `config`. Only `mock` is implemented: other
// providers throw Error(bad_request) "embedding provider <p> is not supported yet".
std::vector<float> embed_query(const EmbeddingConfig& config, std::string_view text, uint32_t dimension);

}  // namespace omnigraph::engine::search
