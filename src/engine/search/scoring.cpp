// Match predicates, BM25 statistics and RRF fusion.
#include "engine/search/scoring.h"

#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engine/search/edit_distance.h"

namespace omnigraph::engine::search {

bool any_token_matches(const std::vector<std::string>& field, const std::vector<std::string>& query) {
  for (const auto& q : query)
    if (std::find(field.begin(), field.end(), q) != field.end()) return true;
  return false;
}

bool fuzzy_matches(const std::vector<std::string>& field, const std::vector<std::string>& query,
                   uint64_t max_edits) {
  for (const auto& q : query)
    for (const auto& f : field)
      if (edit_distance(f, q, static_cast<size_t>(max_edits)) <= max_edits) return true;
  return false;
}

double bm25_term(double tf, double df, double n_docs, double dl, double avgdl) {
  double idf = std::log(1.0 + (n_docs - df + 0.5) / (df + 0.5));
  double norm = avgdl > 0 ? dl / avgdl : 0.0;
  return idf * tf * (kBm25K1 + 1.0) / (tf + kBm25K1 * (1.0 - kBm25B + kBm25B * norm));
}

size_t Bm25Corpus::add(const std::vector<std::string>& tokens) {
  std::unordered_map<std::string, uint32_t> tf;
  for (const auto& t : tokens) ++tf[t];
  for (const auto& [t, n] : tf) ++df_[t];
  tf_.push_back(std::move(tf));
  doc_len_.push_back(static_cast<uint32_t>(tokens.size()));
  total_len_ += tokens.size();
  return doc_len_.size() - 1;
}

double Bm25Corpus::score(size_t doc, const std::vector<std::string>& query) const {
  const double n_docs = static_cast<double>(doc_len_.size());
  const double avgdl = n_docs > 0 ? static_cast<double>(total_len_) / n_docs : 0.0;
  const auto& tf = tf_[doc];
  double s = 0.0;
  bool matched = false;
  std::unordered_set<std::string> seen;
  for (const auto& q : query) {
    if (!seen.insert(q).second) continue;
    auto it = tf.find(q);
    if (it == tf.end()) continue;
    matched = true;
    s += bm25_term(it->second, df_.at(q), n_docs, doc_len_[doc], avgdl);
  }
  return matched ? s : -1.0;
}

std::vector<std::pair<uint64_t, double>> rrf_fuse(const std::vector<uint64_t>& arm1,
                                                  const std::vector<uint64_t>& arm2, uint64_t k) {
  std::vector<std::pair<uint64_t, double>> out;
  std::unordered_map<uint64_t, size_t> pos;
  for (const auto* arm : {&arm1, &arm2}) {
    std::unordered_set<uint64_t> seen;
    uint64_t rank = 0;
    for (uint64_t e : *arm) {
      if (!seen.insert(e).second) continue;
      ++rank;
      double contrib = 1.0 / static_cast<double>(k + rank);
      auto [it, fresh] = pos.emplace(e, out.size());
      if (fresh) out.emplace_back(e, 0.0);
      out[it->second].second += contrib;
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  return out;
}

}  // namespace omnigraph::engine::search
