// A long-lived embedding client (data-plane §13): configuration and retry options resolved once,
// libcurl handles reused across calls (connection keep-alive; a small pool, so concurrent
// requests do not queue behind a slow one), and a bounded cache of query embeddings, so a
// repeated `nearest($v, "text")` costs no provider round trip.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "engine/search/embedding.h"

namespace omnigraph::engine::search {

// Thread-safe: each concurrent request uses its own handle; the pool and the cache are locked.
class EmbeddingClient {
 public:
  EmbeddingClient(EmbeddingConfig config, EmbedClientOptions options);
  ~EmbeddingClient();
  EmbeddingClient(const EmbeddingClient&) = delete;
  EmbeddingClient& operator=(const EmbeddingClient&) = delete;

  // Configuration and options from the environment (§13.1/§13.2); throws like
  // resolve_embedding_config.
  static std::unique_ptr<EmbeddingClient> from_env();

  const EmbeddingConfig& config() const { return config_; }
  // Query-role embedding (validated, L2-normalised), cached per (dimension, text). Throws like
  // embed_text; failures are not cached.
  std::vector<float> embed_query(std::string_view text, uint32_t dimension);
  // Document-role embedding, not cached (the offline pipeline embeds each text once).
  std::vector<float> embed_document(std::string_view text, uint32_t dimension);

 private:
  struct Impl;
  EmbeddingConfig config_;
  EmbedClientOptions options_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnigraph::engine::search
