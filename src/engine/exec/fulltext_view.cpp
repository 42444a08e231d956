// Full-text view: per-fragment inverted segments stitched onto dense live rows, BM25 and matching.
#include "engine/exec/fulltext_view.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "engine/column_mapping.h"
#include "engine/index/fragment_segment.h"
#include "engine/search/edit_distance.h"
#include "engine/search/scoring.h"
#include "engine/table_data_impl.h"

namespace omnigraph::engine::exec {
namespace {

constexpr uint32_t kDeleted = std::numeric_limits<uint32_t>::max();

std::shared_ptr<const search::InvertedSegment> build_segment(const storage::Column& column) {
  auto seg = search::InvertedSegment::build(static_cast<uint32_t>(column.length),
                                            [&](uint32_t r) -> std::optional<std::string_view> {
                                              if (column.is_null(r)) return std::nullopt;
                                              return column.bytes_at(r);
                                            });
  return std::make_shared<const search::InvertedSegment>(std::move(seg));
}

}  // namespace

std::shared_ptr<const FullTextView> FullTextView::of(const TableData& data, const compiler::TypeDef& type,
                                                     std::string_view property) {
  const compiler::Property* prop = type.find_property(property);
  if (!prop) return nullptr;
  const storage::ColumnType ctype = column_type(prop->type);
  if (ctype.kind != storage::TypeKind::kString && ctype.kind != storage::TypeKind::kEnum) return nullptr;
  // Test doubles of TableData (no fragments) evaluate per row.
  const auto* impl = dynamic_cast<const TableDataImpl*>(&data);
  if (!impl) return nullptr;
  const TableDataImpl& table = *impl;
  const std::string column = property_column(*prop);
  return table.derived<FullTextView>("fts|" + column, [&]() -> std::shared_ptr<const FullTextView> {
    std::vector<Part> parts;
    const auto& snap = table.table_snapshot();
    if (snap) {
      for (size_t f = 0; f < snap->fragments.size(); ++f) {
        Part p;
        p.segment = index::fragment_segment<search::InvertedSegment>(
            table, f, "fts", column, ctype,
            [&](std::string_view bytes) {
              return std::make_shared<const search::InvertedSegment>(search::InvertedSegment::decode(
                  bytes, "fts segment of " + column + " in fragment " + snap->fragments[f].fragment.key));
            },
            build_segment);
        p.first_row = table.first_row(f);
        if (snap->fragments[f].deleted_rows > 0) {
          p.dense_of.assign(p.segment->row_count(), kDeleted);
          for (uint32_t r = 0; r < p.segment->row_count(); ++r) {
            if (auto d = table.dense_row(f, r)) {
              p.dense_of[r] = static_cast<uint32_t>(*d);
              p.live.push_back(r);
            }
          }
        }
        parts.push_back(std::move(p));
      }
    }
    return std::make_shared<const FullTextView>(std::move(parts), table.row_count());
  });
}

FullTextView::FullTextView(std::vector<Part> parts, uint64_t rows) : parts_(std::move(parts)), rows_(rows) {
  uint64_t total = 0;
  for (const auto& p : parts_) {
    const auto& seg = *p.segment;
    if (p.dense_of.empty()) {
      docs_ += seg.non_null_rows();
      total += seg.total_length();
      continue;
    }
    for (uint32_t r : p.live) {
      if (seg.is_null(r)) continue;
      ++docs_;
      total += seg.doc_length(r);
    }
  }
  avgdl_ = docs_ ? static_cast<double>(total) / static_cast<double>(docs_) : 0.0;
}

std::pair<size_t, uint32_t> FullTextView::locate(uint64_t row) const {
  // The last part whose first_row <= row: a part without live rows shares its first_row with
  // the next part (or starts at row_count()), so it is never the last such part.
  size_t lo = 0, hi = parts_.size();
  while (hi - lo > 1) {
    size_t mid = (lo + hi) / 2;
    if (parts_[mid].first_row <= row)
      lo = mid;
    else
      hi = mid;
  }
  const Part& p = parts_[lo];
  uint64_t off = row - p.first_row;
  return {lo, p.dense_of.empty() ? static_cast<uint32_t>(off) : p.live[off]};
}

bool FullTextView::is_null(uint64_t row) const {
  auto [part, phys] = locate(row);
  return parts_[part].segment->is_null(phys);
}

uint32_t FullTextView::doc_length(uint64_t row) const {
  auto [part, phys] = locate(row);
  return parts_[part].segment->doc_length(phys);
}

template <class F>
void FullTextView::for_each_live(size_t part, uint32_t term, F&& f) const {
  const Part& p = parts_[part];
  auto rs = p.segment->rows(term);
  auto fs = p.segment->freqs(term);
  if (p.dense_of.empty()) {
    for (size_t i = 0; i < rs.size(); ++i) f(static_cast<uint32_t>(p.first_row + rs[i]), fs[i], rs[i]);
    return;
  }
  for (size_t i = 0; i < rs.size(); ++i) {
    uint32_t d = p.dense_of[rs[i]];
    if (d != kDeleted) f(d, fs[i], rs[i]);
  }
}

std::vector<std::pair<uint32_t, uint32_t>> FullTextView::postings(std::string_view term) const {
  std::vector<std::pair<uint32_t, uint32_t>> out;
  for (size_t part = 0; part < parts_.size(); ++part) {
    auto id = parts_[part].segment->find(term);
    if (!id) continue;
    for_each_live(part, *id, [&](uint32_t dense, uint32_t tf, uint32_t) { out.emplace_back(dense, tf); });
  }
  return out;
}

uint64_t FullTextView::df(std::string_view term) const {
  uint64_t n = 0;
  for (size_t part = 0; part < parts_.size(); ++part) {
    auto id = parts_[part].segment->find(term);
    if (!id) continue;
    if (parts_[part].dense_of.empty()) {
      n += parts_[part].segment->rows(*id).size();
      continue;
    }
    for_each_live(part, *id, [&](uint32_t, uint32_t, uint32_t) { ++n; });
  }
  return n;
}

uint32_t FullTextView::tf(std::string_view term, uint64_t row) const {
  auto [part, phys] = locate(row);
  const auto& seg = *parts_[part].segment;
  auto id = seg.find(term);
  return id ? seg.tf(*id, phys) : 0;
}

std::vector<std::pair<uint32_t, double>> FullTextView::bm25(const std::vector<std::string>& query) const {
  std::vector<std::string_view> terms;
  for (const auto& t : query)
    if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
  const double n_docs = static_cast<double>(docs_);
  // (dense row, term index, contribution), gathered term by term; a stable sort by row keeps
  // the term order within a row so the sums add up in first-appearance order.
  struct Hit {
    uint32_t row;
    double score;
  };
  std::vector<Hit> hits;
  for (auto term : terms) {
    std::vector<std::tuple<uint32_t, uint32_t, uint32_t>> list;  // dense, tf, dl
    for (size_t part = 0; part < parts_.size(); ++part) {
      const auto& seg = *parts_[part].segment;
      auto id = seg.find(term);
      if (!id) continue;
      for_each_live(part, *id, [&](uint32_t dense, uint32_t tf, uint32_t phys) {
        list.emplace_back(dense, tf, seg.doc_length(phys));
      });
    }
    const double df = static_cast<double>(list.size());
    for (const auto& [dense, tf, dl] : list)
      hits.push_back({dense, search::bm25_term(tf, df, n_docs, dl, avgdl_)});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.row < b.row; });
  std::vector<std::pair<uint32_t, double>> out;
  for (const Hit& h : hits) {
    if (!out.empty() && out.back().first == h.row)
      out.back().second += h.score;
    else
      out.emplace_back(h.row, 0.0 + h.score);
  }
  return out;
}

void FullTextView::mark_matches(const std::vector<std::string>& query, std::optional<uint64_t> max_edits,
                                std::vector<uint8_t>& hit) const {
  if (query.empty()) return;
  for (size_t part = 0; part < parts_.size(); ++part) {
    const auto& seg = *parts_[part].segment;
    auto mark = [&](uint32_t term) {
      for_each_live(part, term, [&](uint32_t dense, uint32_t, uint32_t) { hit[dense] = 1; });
    };
    if (!max_edits || *max_edits == 0) {  // exact: 0 edits between valid UTF-8 tokens = equal bytes
      for (const auto& q : query)
        if (auto id = seg.find(q)) mark(*id);
      continue;
    }
    // Analysed tokens are valid UTF-8, so counting non-continuation bytes counts code points:
    // a length difference beyond max_edits rules a pair out without the DP.
    auto code_points = [](std::string_view s) {
      uint64_t n = 0;
      for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
      return n;
    };
    std::vector<uint64_t> query_len;
    for (const auto& q : query) query_len.push_back(code_points(q));
    for (uint32_t t = 0; t < seg.term_count(); ++t) {
      const uint64_t len = code_points(seg.term(t));
      for (size_t k = 0; k < query.size(); ++k) {
        const auto& q = query[k];
        const uint64_t diff = len > query_len[k] ? len - query_len[k] : query_len[k] - len;
        if (diff > *max_edits) continue;
        if (search::edit_distance(seg.term(t), q, static_cast<size_t>(*max_edits)) <= *max_edits) {
          mark(t);
          break;
        }
      }
    }
  }
}

}  // namespace omnigraph::engine::exec
