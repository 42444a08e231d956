// ScalarIndexProbe: candidate rows of a node scan from per-fragment scalar (BTREE) segments —
// one key range per fragment and property — and substring (trigram) segments for `contains`;
// deleted rows dropped through dense_row, candidate sets intersected.
#include "engine/exec/scalar_index_probe.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <limits>

#include "common/error.h"
#include "engine/column_mapping.h"
#include "engine/exec/value_ops.h"
#include "engine/index/fragment_segment.h"
#include "engine/index/scalar_segment.h"
#include "engine/index/substring_segment.h"
#include "engine/table_data_impl.h"

namespace omnigraph::engine::exec {

using compiler::CompareOp;
using compiler::ir::Expr;
using index::ScalarSegment;
using index::SubstringSegment;

namespace {

bool is_value_expr(const Expr& e) {
  return e.kind == Expr::Kind::kConst || e.kind == Expr::Kind::kParam || e.kind == Expr::Kind::kNow;
}

// The indexed property side of an answerable filter (0 or 1), or -1.
int property_side(const Expr& f, const std::string& var, const compiler::TypeDef& type) {
  if (f.kind != Expr::Kind::kCompare || f.args.size() != 2) return -1;
  switch (f.op) {
    case CompareOp::kEq:
    case CompareOp::kLt:
    case CompareOp::kLe:
    case CompareOp::kGt:
    case CompareOp::kGe:
    case CompareOp::kStartsWith:
    case CompareOp::kContains:
      break;
    default:
      return -1;
  }
  for (int side = 0; side < 2; ++side) {
    const Expr& prop = f.args[static_cast<size_t>(side)];
    const Expr& value = f.args[static_cast<size_t>(1 - side)];
    if (prop.kind != Expr::Kind::kProperty || prop.var != var || !is_value_expr(value)) continue;
    const bool positional = f.op == CompareOp::kStartsWith || f.op == CompareOp::kContains;
    if (positional && side != 0) continue;  // `"lit" starts_with $p.x` asks about the literal
    const compiler::Property* p = type.find_property(prop.property);
    if (!p || p->type.list) continue;
    if (f.op == CompareOp::kContains) {
      // Substring: a String @index/@key property (full-text kind) through the trigram segment.
      if (p->index == compiler::IndexKind::kFullText && p->type.scalar == compiler::ScalarKind::kString)
        return side;
    } else if (p->index == compiler::IndexKind::kScalar) {
      return side;
    }
  }
  return -1;
}

// One index filter resolved for this execution.
struct Probe {
  size_t filter = 0;
  const compiler::Property* property = nullptr;
  CompareOp op = CompareOp::kEq;
  Value constant;
};

std::optional<Probe> resolve(const Expr& f, size_t position, const std::string& var,
                             const compiler::TypeDef& type, const ExecContext& ctx) {
  int side = property_side(f, var, type);
  if (side < 0) return std::nullopt;
  const Expr& prop = f.args[static_cast<size_t>(side)];
  const Expr& value = f.args[static_cast<size_t>(1 - side)];
  Probe p;
  p.filter = position;
  p.property = type.find_property(prop.property);
  p.op = side == 0 ? f.op : compiler::mirrored(f.op);
  switch (value.kind) {
    case Expr::Kind::kConst:
      p.constant = literal_value(value.constant);
      break;
    case Expr::Kind::kNow:
      p.constant = Value{ctx.now_ms};
      break;
    default: {
      auto it = ctx.params.find(value.name);
      if (it == ctx.params.end()) return std::nullopt;
      p.constant = it->second;
      break;
    }
  }
  return p;
}

// First index in [0, n) where `pred` turns false (pred must be true-then-false).
template <class Pred>
size_t partition_point(size_t n, Pred pred) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (pred(mid))
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

// The entries [lo, hi) of `seg` whose key satisfies `key op constant` (languages.md §6.4: the
// same compare_values the scan uses; a null, NaN or incomparable constant matches nothing).
std::pair<size_t, size_t> key_range(const ScalarSegment& seg, CompareOp op, const Value& c) {
  const size_t n = seg.size();
  if (n == 0 || c.is_null()) return {0, 0};
  if (op == CompareOp::kStartsWith) {
    const auto* prefix = std::get_if<std::string>(&c.v);
    if (!prefix || !seg.has_bytes_keys()) return {0, 0};
    size_t lo = partition_point(n, [&](size_t i) { return seg.key_bytes(i) < *prefix; });
    size_t hi =
        partition_point(n, [&](size_t i) { return seg.key_bytes(i).substr(0, prefix->size()) <= *prefix; });
    return {lo, std::max(lo, hi)};
  }
  if (!compare_values(seg.key(0), c)) return {0, 0};  // incomparable kinds or NaN: no key matches
  auto cmp = [&](size_t i) { return *compare_values(seg.key(i), c); };
  size_t lb = partition_point(n, [&](size_t i) { return cmp(i) < 0; });
  size_t ub = partition_point(n, [&](size_t i) { return cmp(i) <= 0; });
  switch (op) {
    case CompareOp::kEq:
      return {lb, ub};
    case CompareOp::kLt:
      return {0, lb};
    case CompareOp::kLe:
      return {0, ub};
    case CompareOp::kGt:
      return {ub, n};
    case CompareOp::kGe:
      return {lb, n};
    default:
      return {0, 0};
  }
}

struct FragmentRange {
  size_t fragment;
  std::shared_ptr<const ScalarSegment> segment;
  size_t lo, hi;
};

// Puts live rows in ascending order: nothing to do for an equality range of one fragment
// (keys tie-break by row); a bitmap pass over the table's rows for large sets; else a sort.
void sort_rows(std::vector<uint32_t>& rows, uint64_t row_count) {
  if (std::is_sorted(rows.begin(), rows.end())) return;
  if (rows.size() * 32 < row_count) {
    std::sort(rows.begin(), rows.end());
    return;
  }
  std::vector<uint64_t> bits((row_count + 63) / 64, 0);
  for (uint32_t r : rows) bits[r >> 6] |= uint64_t{1} << (r & 63);
  rows.clear();
  for (size_t w = 0; w < bits.size(); ++w)
    for (uint64_t b = bits[w]; b; b &= b - 1)
      rows.push_back(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(b))));
}

}  // namespace

std::vector<size_t> scalar_index_filters(const std::vector<Expr>& filters, const std::string& var,
                                         const compiler::TypeDef& type) {
  std::vector<size_t> out;
  for (size_t i = 0; i < filters.size(); ++i)
    if (property_side(filters[i], var, type) >= 0) out.push_back(i);
  return out;
}

std::string explain_scalar_index(const PhysicalStep& step) {
  std::string out;
  for (bool substring : {false, true}) {
    std::string list;
    for (size_t position : step.index_filters) {
      const Expr& f = step.filters[position];
      if ((f.op == CompareOp::kContains) != substring) continue;
      bool left = f.args[0].kind == Expr::Kind::kProperty && f.args[0].var == step.var;
      if (!list.empty()) list += ", ";
      list += f.args[left ? 0 : 1].property;
      list += ' ';
      list += compiler::compare_op_text(left ? f.op : compiler::mirrored(f.op));
    }
    if (list.empty()) continue;
    out += substring ? "trigram[" : "btree[";
    out += list;
    out += "] ";
  }
  out += "probe-if-est<=1/";
  out += std::to_string(kScalarProbeFraction);
  return out;
}

std::optional<ScalarProbe> probe_scalar_index(const PhysicalStep& step, const TableData& table,
                                              const ExecContext& ctx) {
  const auto* impl = dynamic_cast<const TableDataImpl*>(&table);
  if (!impl || !impl->table_snapshot() || !impl->segments() || impl->row_count() == 0) return std::nullopt;
  const compiler::TypeDef& type = impl->type();
  const size_t fragments = impl->table_snapshot()->fragments.size();
  const std::function<std::shared_ptr<const ScalarSegment>(std::string_view)> decode = ScalarSegment::decode;
  const std::function<std::shared_ptr<const ScalarSegment>(const storage::Column&)> build =
      ScalarSegment::build;
  const std::function<std::shared_ptr<const SubstringSegment>(std::string_view)> decode_substring =
      [](std::string_view) -> std::shared_ptr<const SubstringSegment> {
    throw Error::internal("substring segments are never persisted");
  };
  const std::function<std::shared_ptr<const SubstringSegment>(const storage::Column&)> build_substring =
      SubstringSegment::build;

  // The resolvable index filters grouped by property: filters on one property narrow one key
  // range per fragment (`a >= x` and `a <= y` probe [x, y], however wide each side alone is).
  // A `contains` filter (with a pattern of 3+ bytes) is its own candidate: its trigram rows are
  // a superset, so it only narrows the rows and is still evaluated on them.
  struct Candidate {
    const compiler::Property* property = nullptr;
    std::vector<Probe> probes;
    std::vector<FragmentRange> ranges;
    uint64_t estimate = 0;
    bool exact = true;
    std::string pattern;                                         // substring candidates
    std::vector<std::shared_ptr<const SubstringSegment>> grams;  // per fragment
  };
  std::vector<Candidate> candidates;
  for (size_t position : step.index_filters) {
    auto probe = resolve(step.filters[position], position, step.var, type, ctx);
    if (!probe) continue;
    if (probe->op == CompareOp::kContains) {
      const auto* pattern = std::get_if<std::string>(&probe->constant.v);
      if (!pattern || pattern->size() < SubstringSegment::kGram) continue;
      Candidate c{probe->property, {*probe}, {}, 0, false, *pattern, {}};
      candidates.push_back(std::move(c));
      continue;
    }
    if (!ScalarSegment::supports(column_type(probe->property->type).kind)) continue;
    auto same = std::find_if(candidates.begin(), candidates.end(),
                             [&](const Candidate& c) { return c.exact && c.property == probe->property; });
    if (same == candidates.end())
      same = candidates.insert(candidates.end(), Candidate{probe->property, {}, {}, 0});
    same->probes.push_back(std::move(*probe));
  }
  for (Candidate& c : candidates) {
    if (!c.exact) {
      const std::string column = property_column(*c.property);
      const storage::ColumnType ctype = column_type(c.property->type);
      for (size_t f = 0; f < fragments; ++f) {
        c.grams.push_back(index::fragment_segment<SubstringSegment>(*impl, f, "trigram", column, ctype,
                                                                    decode_substring, build_substring));
        if (!c.grams.back()) {  // long text: no trigram segment, the scan decides
          c.estimate = std::numeric_limits<uint64_t>::max() / kScalarProbeFraction;
          break;
        }
        c.estimate += c.grams.back()->estimate(c.pattern);
      }
      continue;
    }
    const std::string column = property_column(*c.property);
    const storage::ColumnType ctype = column_type(c.property->type);
    for (size_t f = 0; f < fragments; ++f) {
      auto seg = index::fragment_segment<ScalarSegment>(*impl, f, "btree", column, ctype, decode, build);
      size_t lo = 0, hi = seg->size();
      for (const Probe& p : c.probes) {
        auto [a, b] = key_range(*seg, p.op, p.constant);
        lo = std::max(lo, a);
        hi = std::min(hi, b);
      }
      if (lo < hi) {
        c.estimate += hi - lo;
        c.ranges.push_back({f, std::move(seg), lo, hi});
      }
    }
  }
  std::erase_if(candidates,
                [&](const Candidate& c) { return c.estimate * kScalarProbeFraction > impl->row_count(); });
  if (candidates.empty()) return std::nullopt;
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.estimate < b.estimate; });

  ScalarProbe out;
  std::vector<uint32_t> rows, both;
  for (size_t k = 0; k < candidates.size(); ++k) {
    const Candidate& c = candidates[k];
    if (c.exact)
      for (const Probe& p : c.probes) out.used.push_back(p.filter);
    rows.clear();
    rows.reserve(c.estimate);
    for (size_t f = 0; f < c.grams.size(); ++f)
      for (uint32_t physical : c.grams[f]->candidates(c.pattern))
        if (auto dense = impl->dense_row(f, physical)) rows.push_back(static_cast<uint32_t>(*dense));
    for (const auto& range : c.ranges)
      for (size_t i = range.lo; i < range.hi; ++i)
        if (auto dense = impl->dense_row(range.fragment, range.segment->row(i)))
          rows.push_back(static_cast<uint32_t>(*dense));
    sort_rows(rows, impl->row_count());
    if (k == 0) {
      out.rows.swap(rows);
    } else {
      both.clear();
      std::set_intersection(out.rows.begin(), out.rows.end(), rows.begin(), rows.end(),
                            std::back_inserter(both));
      out.rows.swap(both);
    }
    if (out.rows.empty()) break;  // nothing left: the remaining filters cannot add rows
  }
  return out;
}

}  // namespace omnigraph::engine::exec
