// Embedding configuration (data-plane.md §13.1: provider/model/base URL/key from env vars), the
// deterministic `mock` provider (§13.2, bit-compatible) and vector validation/normalisation.
// and the HTTP client for openai-compatible / openai / gemini (embedding_http.cpp).
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

// Client behaviour of §13.2 (timeouts in ms; 0 deadline = unbounded).
struct EmbedClientOptions {
  int64_t timeout_ms = 30000;   // per HTTP request
  int attempts = 4;             // total attempts
  int64_t backoff_ms = 200;     // delay before attempt k+1 = backoff × 2^(k−1), exponent ≤ 10
  int64_t deadline_ms = 60000;  // whole call incl. retries
  // OMNIGRAPH_EMBED_TIMEOUT_MS / _RETRY_ATTEMPTS / _RETRY_BACKOFF_MS / _DEADLINE_MS; 0 or
  // invalid values keep the default (except deadline, where 0 = unbounded).
  static EmbedClientOptions from_env(const EnvLookup& env = {});
};

// Embeds one text. `mock` is computed locally; openai-compatible/openai/gemini POST the §13.1
// wire shape over HTTP (libcurl), retrying connect/timeout/send errors, HTTP 5xx and 429 with
// backoff within the deadline; never other 4xx, undecodable bodies or invalid vectors. The
// result is validated and L2-normalised. `query_role` picks Gemini's RETRIEVAL_QUERY (else
// RETRIEVAL_DOCUMENT). Throws Error(bad_request) naming the provider and the failure.
// Thread-safe (no shared state). Opens a fresh connection per call: hold an EmbeddingClient
// (embedding_client.h) to reuse one.
std::vector<float> embed_text(const EmbeddingConfig& config, std::string_view text, uint32_t dimension,
                              bool query_role, const EmbedClientOptions& options);

}  // namespace omnigraph::engine::search
