// Full-text match predicates and ranking arithmetic: search/match_text/fuzzy membership,
// Okapi BM25 over an analysed corpus, and reciprocal-rank fusion (languages.md §6.11).
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace omnigraph::engine::search {

inline constexpr double kBm25K1 = 1.2;
inline constexpr double kBm25B = 0.75;
inline constexpr uint64_t kDefaultRrfK = 60;

// True when some token of `query` occurs in `field` (both analysed). Empty query → false.
bool any_token_matches(const std::vector<std::string>& field, const std::vector<std::string>& query);
// True when some field token is within `max_edits` Levenshtein edits of some query token.
bool fuzzy_matches(const std::vector<std::string>& field, const std::vector<std::string>& query,
                   uint64_t max_edits);

// One query term's Okapi BM25 contribution: idf = ln(1 + (n_docs - df + 0.5) / (df + 0.5)),
// times tf·(k1+1) / (tf + k1·(1 - b + b·dl/avgdl)).
double bm25_term(double tf, double df, double n_docs, double dl, double avgdl);

// BM25 statistics of one corpus (the documents of one column; null documents excluded).
// Build with add() for each document, then score(). Not thread-safe while adding.
class Bm25Corpus {
 public:
  // Adds one analysed document; returns its index.
  size_t add(const std::vector<std::string>& tokens);
  size_t size() const { return doc_len_.size(); }
  // Okapi BM25 of document `doc` for the (analysed) query, k1 = 1.2, b = 0.75,
  // idf = ln(1 + (N - n + 0.5) / (n + 0.5)); each distinct query token counted once.
  // nullopt-like: returns a negative value (-1) when no query token occurs in the document.
  double score(size_t doc, const std::vector<std::string>& query) const;

 private:
  std::vector<std::unordered_map<std::string, uint32_t>> tf_;
  std::vector<uint32_t> doc_len_;
  std::unordered_map<std::string, uint32_t> df_;
  uint64_t total_len_ = 0;
};

// Reciprocal-rank fusion. `arm1` and `arm2` are entity ids in rank order (1-based rank =
// position + 1, duplicates ignored after the first). Returns (entity, score) sorted by fused
// score descending; ties keep first-appearance order (arm 1 order, then arm-2-only entities).
std::vector<std::pair<uint64_t, double>> rrf_fuse(const std::vector<uint64_t>& arm1,
                                                  const std::vector<uint64_t>& arm2, uint64_t k);

}  // namespace omnigraph::engine::search
