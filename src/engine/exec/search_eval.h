// Search and ranking functions in the read executor (languages.md §6.5, §6.11): search / fuzzy /
// match_text (Bool), nearest (L2 distance) and bm25 (Okapi, corpus = the property's live
// non-null values) per row, and the ranking stage for `order { nearest | bm25 | rrf }`. The
// full-text functions on a String property go through its FullTextView (postings: per-query
// work once, O(1) per row); no persisted index is needed. Not thread-safe.
#pragma once

#include <memory>
#include <unordered_map>
#include <vector>

#include "compiler/ir.h"
#include "engine/exec/exec_context.h"
#include "engine/exec/row_batch.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

class CompiledExpr;

// One compiled search/fuzzy/match_text/nearest/bm25 call. eval() returns Bool for the
// predicates (null field ⇒ false), F64 distance for nearest and F64 score for bm25, null when
// the row is not a candidate (null vector; no matching token for bm25).
class SearchCall {
 public:
  // A String query to nearest is embedded with the env-configured client (search/embedding.h;
  // only the mock provider exists yet) after the @embed model check. Throws Error(bad_request)
  // for rrf (only usable as a ranking), unbound variables, a query vector of the wrong
  // dimension, a model mismatch and embedding configuration errors.
  SearchCall(const compiler::ir::Expr& call, const Layout& layout, const ExecContext& ctx);
  ~SearchCall();
  Value eval(const uint32_t* row) const;
  // nearest: the query vector (after embedding); nullptr for the other functions.
  const std::vector<float>* nearest_query() const;

  struct State;  // defined in search_eval.cpp

 private:
  std::unique_ptr<State> s_;
};

// A projected rrf(arm1, arm2[, k]) score (languages §6.11): both arms ranked over the complete
// match (ctx.match_rows, with the plan's limit and tie-break), fused once at construction; eval()
// gives the fused score of the row's arm-1 entity, null when no arm ranks it. Throws
// Error(bad_request) when the match has not run yet, and as rank_rows does.
class RrfScore {
 public:
  RrfScore(const compiler::ir::Expr& call, const Layout& layout, const ExecContext& ctx);
  Value eval(const uint32_t* row) const;

 private:
  int slot_ = -1;
  std::unordered_map<uint64_t, double> scores_;
};

// Orders match rows by the plan's ranking (plan.ranking must be set): nearest ascending, bm25
// descending (non-matching rows excluded), rrf fused per §6.11; ties by the §6.8 id tie-break;
// truncated to `limit`. Returns row indices into `rows`. Throws bad_request for rrf k <= 0.
std::vector<size_t> rank_rows(const compiler::ir::ReadPlan& plan, const RowBatch& rows, const Layout& layout,
                              const ExecContext& ctx);

}  // namespace omnigraph::engine::exec
