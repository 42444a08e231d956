// Query-time evaluation of search predicates, nearest/bm25 scores and the ranking stage.
#include "engine/exec/search_eval.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <unordered_map>

#include "common/error.h"
#include "engine/column_mapping.h"
#include "engine/exec/expr_eval.h"
#include "engine/exec/fulltext_view.h"
#include "engine/exec/vector_topk.h"
#include "engine/graph_state.h"
#include "engine/search/embedding.h"
#include "engine/search/embedding_client.h"
#include "engine/search/scoring.h"
#include "engine/search/text_analyzer.h"
#include "engine/search/vector_kernel.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;

struct SearchCall::State {
  enum class Fn { kSearch, kFuzzy, kNearest, kBm25 } fn = Fn::kSearch;
  std::string name;
  int slot = -1;
  const storage::Column* column = nullptr;
  std::unique_ptr<CompiledExpr> query;  // String (text fns) or vector (nearest)
  bool query_constant = false;
  std::vector<std::string> query_tokens;  // when constant
  std::vector<float> query_vector;        // nearest
  uint64_t max_edits = 2;
  mutable search::TextAnalyzer analyzer;
  // bm25: corpus over every row of the column; row → document index (or -1 for null).
  search::Bm25Corpus corpus;
  std::vector<int64_t> doc_of_row;
  // bm25 with a constant query: per-row score (NaN = not a candidate).
  std::vector<double> row_score;
  // String/Enum property: the postings-backed view (nullptr → per-row analysis of `column`).
  std::shared_ptr<const FullTextView> view;
  // search/match_text/fuzzy with a constant query over the view: 1 = the row matches.
  std::vector<uint8_t> hit;
  // bm25 with a per-row query over the view: document frequency per term, memoised.
  mutable std::unordered_map<std::string, double> df_memo;
};

namespace {

std::vector<float> to_vector(const Value& v, const std::string& fn) {
  if (const auto* f = std::get_if<std::vector<float>>(&v.v)) return *f;
  std::vector<float> out;
  if (const auto* l = std::get_if<ValueList>(&v.v)) {
    for (const auto& e : *l) {
      if (const auto* d = std::get_if<double>(&e.v)) out.push_back(static_cast<float>(*d));
      else if (const auto* i = std::get_if<int64_t>(&e.v)) out.push_back(static_cast<float>(*i));
      else if (const auto* u = std::get_if<uint64_t>(&e.v)) out.push_back(static_cast<float>(*u));
      else throw Error::bad_request(fn + "() query vector elements must be numeric");
    }
    return out;
  }
  throw Error::bad_request(fn + "() query must be a vector");
}

std::string text_of(const Value& v) {
  if (const auto* s = std::get_if<std::string>(&v.v)) return *s;
  return {};
}

}  // namespace

// One pass over the column counting, per document, its analysed length and the frequency of
// each distinct query token only (stop words are dropped before stemming; stems memoised).
static void precompute_bm25(SearchCall::State& s) {
  std::vector<std::string> terms;
  for (const auto& t : s.query_tokens)
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
  const uint64_t n = s.column->length;
  std::vector<uint32_t> dl(n, 0);
  std::vector<uint32_t> tf(n * terms.size(), 0);
  std::vector<uint32_t> df(terms.size(), 0);
  uint64_t docs = 0, total_len = 0;
  for (uint64_t r = 0; r < n; ++r) {
    if (s.column->is_null(r)) continue;
    ++docs;
    for (const auto& w : search::split_words(s.column->bytes_at(r))) {
      if (search::is_stop_word(w)) continue;
      ++dl[r];
      if (terms.empty()) continue;
      const std::string& st = s.analyzer.stem(w);
      for (size_t t = 0; t < terms.size(); ++t)
        if (st == terms[t]) ++tf[r * terms.size() + t];
    }
    total_len += dl[r];
    for (size_t t = 0; t < terms.size(); ++t) df[t] += tf[r * terms.size() + t] > 0;
  }
  const double avgdl = docs ? static_cast<double>(total_len) / static_cast<double>(docs) : 0.0;
  s.row_score.assign(n, std::nan(""));
  for (uint64_t r = 0; r < n; ++r) {
    double score = 0;
    bool matched = false;
    for (size_t t = 0; t < terms.size(); ++t) {
      uint32_t f = tf[r * terms.size() + t];
      if (!f) continue;
      matched = true;
      score += search::bm25_term(f, df[t], static_cast<double>(docs), dl[r], avgdl);
    }
    if (matched) s.row_score[r] = score;
  }
}

SearchCall::SearchCall(const Expr& call, const Layout& layout, const ExecContext& ctx)
    : s_(std::make_unique<State>()) {
  auto& s = *s_;
  s.name = call.name;
  if (call.name == "search" || call.name == "match_text") s.fn = State::Fn::kSearch;
  else if (call.name == "fuzzy") s.fn = State::Fn::kFuzzy;
  else if (call.name == "nearest") s.fn = State::Fn::kNearest;
  else if (call.name == "bm25") s.fn = State::Fn::kBm25;
  else throw Error::bad_request(call.name + "() is only supported as the first `order` entry");
  if (call.args.size() < 2) throw Error::bad_request(call.name + "() needs a field and a query");
  const Expr& field = call.args[0];
  s.slot = layout.find(field.var);
  if (s.slot < 0) throw Error::bad_request("variable `$" + field.var + "` is not bound");
  // The stitched column is read only where rows are evaluated from it (nearest, and text
  // functions without a full-text view): the view never needs the text column decoded.
  auto read_column = [&] { s.column = &layout.slots[static_cast<size_t>(s.slot)].table->column(field.property); };
  s.query = std::make_unique<CompiledExpr>(call.args[1], layout, ctx);
  s.query_constant = s.query->is_constant();
  if (s.fn == State::Fn::kFuzzy && call.args.size() > 2) {
    CompiledExpr edits(call.args[2], layout, ctx);
    if (!edits.is_constant()) throw Error::bad_request("fuzzy() max_edits must be a constant");
    const Value& e = edits.constant();
    if (const auto* i = std::get_if<int64_t>(&e.v)) {
      if (*i < 0) throw Error::bad_request("fuzzy() max_edits must not be negative");
      s.max_edits = static_cast<uint64_t>(*i);
    } else if (const auto* u = std::get_if<uint64_t>(&e.v)) {
      s.max_edits = *u;
    } else {
      throw Error::bad_request("fuzzy() max_edits must be an integer");
    }
  }
  if (s.fn == State::Fn::kNearest) {
    read_column();
    if (!s.query_constant) throw Error::bad_request("nearest() query must be a parameter or literal");
    const Value& q = s.query->constant();
    if (q.is_null()) throw Error::bad_request("nearest() query is null");
    if (const auto* text = std::get_if<std::string>(&q.v)) {
      // §6.11 / data-plane §13.3: embed at query time; enforce a recorded @embed model.
      search::EmbeddingClient& embedder = static_cast<const SnapshotImpl&>(ctx.snapshot).state().embedder();
      const search::EmbeddingConfig& config = embedder.config();
      const compiler::Property* prop = layout.slots[static_cast<size_t>(s.slot)].type->find_property(field.property);
      if (prop && prop->embed_model && *prop->embed_model != config.model)
        throw Error::bad_request("nearest() on '" + field.property + "': its stored vectors were embedded with model '" +
                                 *prop->embed_model + "', but the query embedder resolves to '" + config.model +
                                 "'. Set OMNIGRAPH_EMBED_MODEL='" + *prop->embed_model +
                                 "' (and the matching provider) or re-embed the stored vectors.");
      s.query_vector = embedder.embed_query(*text, s.column->type.dimension);
    } else {
      s.query_vector = to_vector(q, "nearest");
    }
    if (s.query_vector.size() != s.column->type.dimension)
      throw Error::bad_request("nearest vector dimension mismatch: property is Vector(" +
                               std::to_string(s.column->type.dimension) + "), query is Vector(" +
                               std::to_string(s.query_vector.size()) + ")");
    return;
  }
  if (s.query_constant) s.query_tokens = s.analyzer.analyze(text_of(s.query->constant()));
  const Slot& slot = layout.slots[static_cast<size_t>(s.slot)];
  if (field.kind == Expr::Kind::kProperty) s.view = FullTextView::of(*slot.table, *slot.type, field.property);
  if (s.view) {
    // Postings-backed: per-query work once here, then O(1) per row (or per-row lookups of
    // the analysed query terms when the query varies by row).
    if (!s.query_constant) {
      if (s.fn == State::Fn::kFuzzy) read_column();  // per-row fuzzy analyses the row's text
      return;
    }
    const bool null_query = s.query->constant().is_null();
    if (s.fn == State::Fn::kBm25) {
      s.row_score.assign(s.view->row_count(), std::nan(""));
      if (!null_query)
        for (const auto& [row, score] : s.view->bm25(s.query_tokens)) s.row_score[row] = score;
    } else {
      s.hit.assign(s.view->row_count(), 0);
      if (!null_query)
        s.view->mark_matches(s.query_tokens, s.fn == State::Fn::kFuzzy ? std::optional<uint64_t>(s.max_edits)
                                                                       : std::nullopt,
                             s.hit);
    }
    return;
  }
  read_column();
  if (s.fn == State::Fn::kBm25 && s.query_constant) {
    precompute_bm25(s);
  } else if (s.fn == State::Fn::kBm25) {
    s.doc_of_row.assign(s.column->length, -1);
    for (uint64_t r = 0; r < s.column->length; ++r) {
      if (s.column->is_null(r)) continue;
      s.doc_of_row[r] = static_cast<int64_t>(s.corpus.add(s.analyzer.analyze(s.column->bytes_at(r))));
    }
  }
}

SearchCall::~SearchCall() = default;

// bm25 of one row for a per-row query through the view: the same arithmetic as
// FullTextView::bm25 (distinct terms in first-appearance order; null when nothing matches).
static Value bm25_with_view(const SearchCall::State& s, uint32_t r, const std::vector<std::string>& query) {
  if (s.view->is_null(r)) return {};
  std::vector<const std::string*> terms;
  for (const auto& t : query)
    if (std::find_if(terms.begin(), terms.end(), [&](const std::string* x) { return *x == t; }) == terms.end())
      terms.push_back(&t);
  double score = 0;
  bool matched = false;
  for (const std::string* t : terms) {
    uint32_t f = s.view->tf(*t, r);
    if (!f) continue;
    matched = true;
    auto it = s.df_memo.find(*t);
    if (it == s.df_memo.end()) it = s.df_memo.emplace(*t, static_cast<double>(s.view->df(*t))).first;
    score += search::bm25_term(f, it->second, static_cast<double>(s.view->docs()), s.view->doc_length(r),
                               s.view->avgdl());
  }
  return matched ? Value{score} : Value{};
}

const std::vector<float>* SearchCall::nearest_query() const {
  return s_->fn == State::Fn::kNearest ? &s_->query_vector : nullptr;
}

Value SearchCall::eval(const uint32_t* row) const {
  const auto& s = *s_;
  const uint32_t r = row[s.slot];
  if (s.fn == State::Fn::kNearest) {
    if (s.column->is_null(r)) return {};
    auto v = s.column->vector_at(r);
    return Value{std::sqrt(static_cast<double>(search::l2_squared(v.data(), s.query_vector.data(), v.size())))};
  }
  if (s.view && s.query_constant) {
    if (s.fn == State::Fn::kBm25) {
      double score = s.row_score[r];
      return std::isnan(score) ? Value{} : Value{score};
    }
    return Value{s.hit[r] != 0};
  }
  std::vector<std::string> dynamic_tokens;
  const std::vector<std::string>* q = &s.query_tokens;
  if (!s.query_constant) {
    Value qv = s.query->eval(row);
    if (qv.is_null()) return s.fn == State::Fn::kBm25 ? Value{} : Value{false};
    dynamic_tokens = s.analyzer.analyze(text_of(qv));
    q = &dynamic_tokens;
  }
  if (s.view && s.fn == State::Fn::kBm25) return bm25_with_view(s, r, *q);
  if (s.view && s.fn == State::Fn::kSearch) {
    for (const auto& t : *q)
      if (s.view->tf(t, r) > 0) return Value{true};
    return Value{false};
  }
  if (s.fn == State::Fn::kBm25 && s.query_constant) {
    double score = s.row_score[r];
    return std::isnan(score) ? Value{} : Value{score};
  }
  if (s.fn == State::Fn::kBm25) {
    int64_t doc = s.doc_of_row[r];
    if (doc < 0) return {};
    double score = s.corpus.score(static_cast<size_t>(doc), *q);
    return score < 0 ? Value{} : Value{score};
  }
  if (s.column->is_null(r)) return Value{false};
  auto field = s.analyzer.analyze(s.column->bytes_at(r));
  if (s.fn == State::Fn::kFuzzy) return Value{search::fuzzy_matches(field, *q, s.max_edits)};
  return Value{search::any_token_matches(field, *q)};
}

namespace {

// The ANN candidates for a nearest call over the rows of the match (vector_topk.h), or nullopt.
std::optional<NearestCandidates> nearest_rows(const SearchCall& fn, const Expr& call, const RowBatch& rows,
                                              const Layout& layout, size_t slot, size_t k) {
  const Slot& s = layout.slots[slot];
  const compiler::Property* prop = s.type->find_property(call.args[0].property);
  if (!prop || k >= rows.count) return std::nullopt;
  const auto& table = static_cast<const TableDataImpl&>(*s.table);
  if (!table.table_snapshot() || table.table_snapshot()->indexes.empty()) return std::nullopt;
  std::vector<uint8_t> allowed(table.row_count(), 0);
  for (size_t i = 0; i < rows.count; ++i) allowed[rows.row(i)[slot]] = 1;
  return nearest_candidates(table, property_column(*prop), *fn.nearest_query(), k, allowed);
}

// Sorts candidate rows (score not null) by score then the §6.8 id tie-break; only the first
// `keep` are ordered and returned (partial sort). `entities`: how many distinct values of the
// call's variable the caller can use (nearest: the ANN k; rows.count = all, exact).
std::vector<size_t> rank_arm(const Expr& call, bool descending, const RowBatch& rows, const Layout& layout,
                             const ExecContext& ctx, const std::vector<std::string>& tie_vars,
                             std::vector<double>& scores, size_t keep, size_t entities) {
  SearchCall fn(call, layout, ctx);
  std::vector<size_t> idx;
  scores.assign(rows.count, 0.0);
  // nearest over persisted HNSW segments: only rows that may be among the nearest are scored.
  std::optional<NearestCandidates> ann;
  const int slot = fn.nearest_query() ? layout.find(call.args[0].var) : -1;
  if (slot >= 0) ann = nearest_rows(fn, call, rows, layout, static_cast<size_t>(slot), entities);
  // nearest ranks by squared distance (same order as the distance, no sqrt per row).
  const std::vector<float>* query = fn.nearest_query();
  const storage::Column* vectors =
      query ? &layout.slots[static_cast<size_t>(slot)].table->column(call.args[0].property) : nullptr;
  for (size_t i = 0; i < rows.count; ++i) {
    if (ann && !ann->keep[rows.row(i)[slot]]) continue;
    if (vectors) {
      const uint32_t r = rows.row(i)[slot];
      if (vectors->is_null(r)) continue;
      scores[i] = search::l2_squared(vectors->vector_at(r).data(), query->data(), query->size());
      idx.push_back(i);
      continue;
    }
    Value v = fn.eval(rows.row(i));
    if (const auto* d = std::get_if<double>(&v.v)) {
      scores[i] = *d;
      idx.push_back(i);
    }
  }
  std::vector<const storage::Column*> ids;
  std::vector<int> id_slots;
  for (const auto& v : tie_vars) {
    int sl = layout.find(v);
    if (sl < 0) continue;
    id_slots.push_back(sl);
    ids.push_back(&layout.slots[static_cast<size_t>(sl)].table->column("id"));
  }
  auto less = [&](size_t a, size_t b) {
    if (scores[a] != scores[b]) return descending ? scores[a] > scores[b] : scores[a] < scores[b];
    for (size_t t = 0; t < ids.size(); ++t) {
      auto x = ids[t]->bytes_at(rows.row(a)[id_slots[t]]);
      auto y = ids[t]->bytes_at(rows.row(b)[id_slots[t]]);
      if (x != y) return x < y;
    }
    return a < b;
  };
  if (keep < idx.size()) {
    std::partial_sort(idx.begin(), idx.begin() + static_cast<std::ptrdiff_t>(keep), idx.end(), less);
    idx.resize(keep);
  } else {
    std::sort(idx.begin(), idx.end(), less);
  }
  return idx;
}

}  // namespace

namespace {

// rrf(arm1, arm2[, k]) over `rows` (languages §6.11): each arm ranked over the same rows, a
// nearest arm keeping `limit` entities, a bm25 arm all matches. Entities are the row numbers of
// `var`'s slot.
struct RrfFusion {
  std::vector<std::pair<uint64_t, double>> fused;  // entity, score; fused order
  std::vector<std::unordered_map<uint64_t, std::vector<size_t>>> arm_rows{2};  // entity → rows
  int entity_slot = -1;
};

RrfFusion fuse_rrf(const Expr& call, const std::string& var, uint64_t limit, const RowBatch& rows,
                   const Layout& layout, const ExecContext& ctx, const std::vector<std::string>& tie_vars) {
  const auto& args = call.args;
  uint64_t k = search::kDefaultRrfK;
  if (args.size() > 2) {
    CompiledExpr kx(args[2], layout, ctx);
    const Value& kv = kx.constant();
    if (const auto* i = std::get_if<int64_t>(&kv.v)) {
      if (*i <= 0) throw Error::bad_request("rrf k must be greater than 0");
      k = static_cast<uint64_t>(*i);
    } else if (const auto* u = std::get_if<uint64_t>(&kv.v)) {
      if (*u == 0) throw Error::bad_request("rrf k must be greater than 0");
      k = *u;
    } else {
      throw Error::bad_request("rrf k must be an integer");
    }
  }
  RrfFusion out;
  out.entity_slot = layout.find(var);
  if (out.entity_slot < 0) throw Error::bad_request("variable `$" + var + "` is not bound");
  std::vector<std::vector<uint64_t>> arm_entities(2);
  std::vector<double> scores;
  for (size_t a = 0; a < 2; ++a) {
    bool is_nearest = args[a].name == "nearest";
    // The ANN shortcut needs the arm to rank the entity variable itself (limit entities = limit
    // values of the arm's variable); otherwise the arm is ranked exactly.
    size_t ann_k = args[a].args.empty() || args[a].args[0].var != var ? rows.count : limit;
    auto idx = rank_arm(args[a], !is_nearest, rows, layout, ctx, tie_vars, scores, rows.count, ann_k);
    for (size_t i : idx) {
      uint64_t e = rows.row(i)[out.entity_slot];
      auto it = out.arm_rows[a].find(e);
      if (it == out.arm_rows[a].end()) {
        if (is_nearest && arm_entities[a].size() >= limit) continue;  // a nearest arm keeps `limit` entities
        arm_entities[a].push_back(e);
        it = out.arm_rows[a].emplace(e, std::vector<size_t>{}).first;
      }
      it->second.push_back(i);
    }
  }
  out.fused = search::rrf_fuse(arm_entities[0], arm_entities[1], k);
  return out;
}

// The ranked variable of an rrf call: arm 1's field variable.
const std::string& rrf_variable(const Expr& call) {
  if (call.args.empty() || call.args[0].args.empty())
    throw Error::bad_request("rrf primary expression must be nearest(...) or bm25(...)");
  return call.args[0].args[0].var;
}

}  // namespace

std::vector<size_t> rank_rows(const compiler::ir::ReadPlan& plan, const RowBatch& rows, const Layout& layout,
                              const ExecContext& ctx) {
  const auto& ranking = *plan.ranking;
  const uint64_t limit = plan.limit ? *plan.limit : rows.count;
  std::vector<double> scores;
  if (ranking.kind != compiler::ir::Ranking::Kind::kRrf) {
    bool desc = ranking.kind == compiler::ir::Ranking::Kind::kBm25;
    return rank_arm(ranking.expr, desc, rows, layout, ctx, plan.tie_break_vars, scores, limit, limit);
  }
  RrfFusion f = fuse_rrf(ranking.expr, ranking.var, limit, rows, layout, ctx, plan.tie_break_vars);
  std::vector<size_t> out;
  for (size_t n = 0; n < f.fused.size() && n < limit && out.size() < limit; ++n) {
    uint64_t e = f.fused[n].first;
    auto it = f.arm_rows[0].find(e);
    const auto& src = it != f.arm_rows[0].end() ? it->second : f.arm_rows[1].at(e);
    for (size_t i : src) out.push_back(i);
  }
  if (out.size() > limit) out.resize(limit);
  return out;
}

RrfScore::RrfScore(const Expr& call, const Layout& layout, const ExecContext& ctx) {
  if (!ctx.match_rows || !ctx.plan) throw Error::bad_request("rrf() is only usable in `order` and `return`");
  const RowBatch& rows = *ctx.match_rows;
  const uint64_t limit = ctx.plan->limit ? *ctx.plan->limit : rows.count;
  RrfFusion f = fuse_rrf(call, rrf_variable(call), limit, rows, layout, ctx, ctx.plan->tie_break_vars);
  slot_ = f.entity_slot;
  for (const auto& [entity, score] : f.fused) scores_.emplace(entity, score);
}

Value RrfScore::eval(const uint32_t* row) const {
  auto it = scores_.find(row[slot_]);
  if (it == scores_.end()) return {};
  return Value{it->second};
}

}  // namespace omnigraph::engine::exec
