// Expand: traversals over the CSR/CSC adjacency with the set semantics of languages.md §6.3.
#include <algorithm>
#include <utility>

#include "common/error.h"
#include "engine/exec/operators.h"

namespace omnigraph::engine::exec {

using compiler::ir::Direction;

namespace {

// Per-target-row stamps: "seen in the current input row" without clearing between rows.
// The stamp arrays are thread-local and reused across calls (a traversal from one probed node
// must not pay for allocating and zeroing an array the size of the node table); epochs only
// grow, and the arrays are cleared on the rare wrap-around.
class StampSet {
 public:
  StampSet(size_t n, int which) : stamp_(pool(which)) {
    if (stamp_.size() < n) stamp_.resize(n, 0);
  }
  void next() {
    if (++epoch_ == 0) {  // wrap-around: both arrays may hold any old epoch
      for (int i = 0; i < 2; ++i) std::fill(pool(i).begin(), pool(i).end(), 0);
      epoch_ = 1;
    }
  }
  bool insert(uint32_t r) {
    if (stamp_[r] == epoch_) return false;
    stamp_[r] = epoch_;
    return true;
  }
  bool contains(uint32_t r) const { return stamp_[r] == epoch_; }

 private:
  static std::vector<uint32_t>& pool(int which) {
    thread_local std::vector<uint32_t> arrays[2];
    return arrays[which];
  }
  static uint32_t& epoch_counter() {
    thread_local uint32_t epoch = 0;
    return epoch;
  }
  std::vector<uint32_t>& stamp_;
  uint32_t& epoch_ = epoch_counter();
};

}  // namespace

RowBatch expand(const compiler::ir::Op& op, const RowBatch& in, Layout& layout, const ExecContext& ctx) {
  const auto& catalog = ctx.snapshot.catalog();
  const compiler::TypeDef* edge = catalog.find_edge(op.edge_type);
  if (!edge) edge = catalog.find_edge_folded(op.edge_type);
  if (!edge) throw Error::bad_request("unknown edge type `" + op.edge_type + "`");
  const compiler::TypeDef* to_type = catalog.find_node(op.to_type);
  if (!to_type) throw Error::bad_request("unknown node type `" + op.to_type + "`");
  const int from_slot = layout.find(op.from_var);
  if (from_slot < 0) throw Error::bad_request("variable `$" + op.from_var + "` is not bound");
  const Adjacency& adj = ctx.snapshot.adjacency(*edge);
  const TableData& to_table = ctx.snapshot.table(*to_type);

  const bool same_type = edge->source == edge->target;
  uint64_t min_hops = op.min_hops, max_hops = op.max_hops;
  if (!same_type) {
    if (min_hops >= 2)
      max_hops = 0;  // yields nothing
    else
      max_hops = 1;
  }
  const bool use_out = op.direction != Direction::kIn;
  const bool use_in = op.direction != Direction::kOut;

  int to_slot = -1;
  bool new_to = false;
  if (!op.to_var.empty()) {
    to_slot = layout.find(op.to_var);
    if (to_slot < 0) {
      layout.slots.push_back(Slot{op.to_var, to_type, &to_table, false});
      to_slot = static_cast<int>(layout.width() - 1);
      new_to = true;
    }
  }
  const bool bound_target = to_slot >= 0 && !new_to;
  const bool existence = op.to_var.empty();
  bool edge_slot = false;
  if (op.edge_var) {
    layout.slots.push_back(Slot{*op.edge_var, edge, &ctx.snapshot.table(*edge), true});
    edge_slot = true;
  }

  RowBatch out;
  out.width = layout.width();
  std::vector<uint32_t> buf(out.width);
  auto emit = [&](const uint32_t* base, size_t base_width, int64_t node, int64_t edge_row) {
    std::copy(base, base + base_width, buf.begin());
    size_t w = base_width;
    if (new_to) buf[w++] = static_cast<uint32_t>(node);
    if (edge_slot) buf[w++] = static_cast<uint32_t>(edge_row);
    out.push(buf.data());
  };

  if (max_hops == 0) return out;

  if (op.edge_var) {
    // Single hop, one row per matching edge, ordered by edge id then destination id.
    const storage::Column& edge_ids = ctx.snapshot.table(*edge).column("id");
    const storage::Column& node_ids = to_table.column("id");
    std::vector<std::pair<uint32_t, uint32_t>> hits;  // (edge row, neighbour row)
    for (size_t i = 0; i < in.count; ++i) {
      const uint32_t* row = in.row(i);
      const uint32_t s = row[from_slot];
      hits.clear();
      if (use_out) {
        auto es = adj.out_edges(s);
        auto ns = adj.out_neighbors(s);
        for (size_t k = 0; k < es.size(); ++k) hits.emplace_back(es[k], ns[k]);
      }
      if (use_in) {
        auto es = adj.in_edges(s);
        auto ns = adj.in_neighbors(s);
        for (size_t k = 0; k < es.size(); ++k) {
          if (use_out && ns[k] == s && same_type) continue;  // a self-loop is already listed once
          hits.emplace_back(es[k], ns[k]);
        }
      }
      if (bound_target) {
        std::erase_if(hits, [&](const auto& h) { return h.second != row[to_slot]; });
      }
      std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
        auto ea = edge_ids.bytes_at(a.first), eb = edge_ids.bytes_at(b.first);
        if (ea != eb) return ea < eb;
        return node_ids.bytes_at(a.second) < node_ids.bytes_at(b.second);
      });
      for (const auto& [e, n] : hits) emit(row, in.width, n, e);
    }
    return out;
  }

  StampSet visited(to_table.row_count(), 0);
  StampSet emitted(to_table.row_count(), 1);
  std::vector<uint32_t> frontier, next, found;
  for (size_t i = 0; i < in.count; ++i) {
    const uint32_t* row = in.row(i);
    const uint32_t s = row[from_slot];
    visited.next();
    emitted.next();
    found.clear();
    if (same_type) visited.insert(s);
    frontier.assign(1, s);
    for (uint64_t hop = 1; hop <= max_hops && !frontier.empty(); ++hop) {
      next.clear();
      const bool emit_ok = hop >= min_hops;
      auto visit = [&](uint32_t node, uint32_t n) {
        if (same_type && n == node) {  // a stored self-loop never enters the frontier
          if (emit_ok && emitted.insert(n)) found.push_back(n);
          return;
        }
        if (!same_type || visited.insert(n)) {
          if (same_type) next.push_back(n);
          if (emit_ok && emitted.insert(n)) found.push_back(n);
        }
      };
      for (uint32_t node : frontier) {
        if (use_out)
          for (uint32_t n : adj.out_neighbors(node)) visit(node, n);
        if (use_in)
          for (uint32_t n : adj.in_neighbors(node)) visit(node, n);
      }
      frontier.swap(next);
      if (bound_target && emitted.contains(row[to_slot])) break;
      if (existence && !found.empty()) break;
    }
    if (bound_target) {
      if (emitted.contains(row[to_slot])) emit(row, in.width, -1, -1);
    } else if (existence) {
      if (!found.empty()) emit(row, in.width, -1, -1);
    } else {
      for (uint32_t n : found) emit(row, in.width, n, -1);
    }
  }
  return out;
}

}  // namespace omnigraph::engine::exec
