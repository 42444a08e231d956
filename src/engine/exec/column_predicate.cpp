// Column-at-a-time evaluation of `property op constant` filters (languages.md §6.4 rules).
#include "engine/exec/column_predicate.h"

#include <cstring>

#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {

using compiler::CompareOp;
using compiler::ir::Expr;

namespace {

bool holds(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq:
      return c == 0;
    case CompareOp::kNe:
      return c != 0;
    case CompareOp::kLt:
      return c < 0;
    case CompareOp::kLe:
      return c <= 0;
    case CompareOp::kGt:
      return c > 0;
    case CompareOp::kGe:
      return c >= 0;
    default:
      return false;
  }
}

template <class T>
T load(const storage::Column& c, uint64_t row) {
  T v;
  std::memcpy(&v, c.data.data() + row * sizeof(T), sizeof(T));
  return v;
}

}  // namespace

std::optional<ColumnPredicate> ColumnPredicate::make(const Expr& f, const std::string& var,
                                                     const TableData& table, const ExecContext& ctx) {
  if (f.kind != Expr::Kind::kCompare || f.args.size() != 2) return std::nullopt;
  int prop_side = -1;
  for (int s = 0; s < 2; ++s) {
    const Expr& e = f.args[static_cast<size_t>(s)];
    if ((e.kind == Expr::Kind::kProperty || e.kind == Expr::Kind::kPhysical) && e.var == var) prop_side = s;
  }
  if (prop_side < 0) return std::nullopt;
  const Expr& prop = f.args[static_cast<size_t>(prop_side)];
  const Expr& other = f.args[static_cast<size_t>(1 - prop_side)];
  ColumnPredicate p;
  switch (other.kind) {
    case Expr::Kind::kConst:
      p.constant_ = literal_value(other.constant);
      break;
    case Expr::Kind::kNow:
      p.constant_ = Value{ctx.now_ms};
      break;
    case Expr::Kind::kParam: {
      auto it = ctx.params.find(other.name);
      if (it == ctx.params.end()) return std::nullopt;
      p.constant_ = it->second;
      break;
    }
    default:
      return std::nullopt;
  }
  p.column_ = &table.column(prop.property);
  if (p.column_->type.kind == storage::TypeKind::kList ||
      p.column_->type.kind == storage::TypeKind::kVector || p.column_->type.kind == storage::TypeKind::kBlob)
    return std::nullopt;
  p.op_ = f.op;
  if (f.op == CompareOp::kContains || f.op == CompareOp::kStartsWith) {
    if (prop_side != 0) return std::nullopt;  // positional: the constant contains the property
  } else if (prop_side == 1) {
    p.op_ = compiler::mirrored(f.op);
  }
  return p;
}

bool ColumnPredicate::test(uint64_t row) const {
  const storage::Column& c = *column_;
  if (c.is_null(row)) return false;
  using storage::TypeKind;
  const Value& k = constant_;
  if (k.is_null()) return false;
  switch (c.type.kind) {
    case TypeKind::kString:
    case TypeKind::kEnum: {
      const auto* s = std::get_if<std::string>(&k.v);
      if (!s) return false;
      std::string_view v = c.bytes_at(row);
      if (op_ == CompareOp::kContains) return v.find(*s) != std::string_view::npos;
      if (op_ == CompareOp::kStartsWith) return v.substr(0, s->size()) == *s && v.size() >= s->size();
      int r = v.compare(*s);
      return holds(op_, r < 0 ? -1 : (r > 0 ? 1 : 0));
    }
    case TypeKind::kI32:
    case TypeKind::kDate:
      if (const auto* i = std::get_if<int64_t>(&k.v)) {
        int64_t v = load<int32_t>(c, row);
        return holds(op_, v < *i ? -1 : (v > *i ? 1 : 0));
      }
      break;
    case TypeKind::kI64:
    case TypeKind::kDateTime:
      if (const auto* i = std::get_if<int64_t>(&k.v)) {
        int64_t v = load<int64_t>(c, row);
        return holds(op_, v < *i ? -1 : (v > *i ? 1 : 0));
      }
      break;
    default:
      break;
  }
  // Everything else (mixed numeric kinds, floats, bools) through the general rules.
  if (op_ == CompareOp::kContains || op_ == CompareOp::kStartsWith) return false;
  auto r = compare_values(cell_value(c, row), k);
  return r && holds(op_, *r);
}

namespace {

// Tight loops for the hot shapes: fixed-width integers against an integer constant and
// String equality; `Keep(row)` decides per row with no Value materialisation.
template <class Keep>
void scan_rows(uint64_t n, std::vector<uint32_t>& rows, Keep keep) {
  for (uint64_t r = 0; r < n; ++r)
    if (keep(r)) rows.push_back(static_cast<uint32_t>(r));
}

template <class T>
bool int_scan(const storage::Column& c, CompareOp op, int64_t k, uint64_t n, std::vector<uint32_t>& rows) {
  const T* v = reinterpret_cast<const T*>(c.data.data());
  const bool nulls = c.has_nulls();
  auto run = [&](auto cmp) {
    if (nulls)
      scan_rows(n, rows, [&](uint64_t r) { return !c.is_null(r) && cmp(static_cast<int64_t>(v[r])); });
    else
      scan_rows(n, rows, [&](uint64_t r) { return cmp(static_cast<int64_t>(v[r])); });
  };
  switch (op) {
    case CompareOp::kEq:
      run([k](int64_t x) { return x == k; });
      return true;
    case CompareOp::kNe:
      run([k](int64_t x) { return x != k; });
      return true;
    case CompareOp::kLt:
      run([k](int64_t x) { return x < k; });
      return true;
    case CompareOp::kLe:
      run([k](int64_t x) { return x <= k; });
      return true;
    case CompareOp::kGt:
      run([k](int64_t x) { return x > k; });
      return true;
    case CompareOp::kGe:
      run([k](int64_t x) { return x >= k; });
      return true;
    default:
      return false;
  }
}

}  // namespace

void ColumnPredicate::apply(std::vector<uint32_t>& rows) const {
  size_t out = 0;
  for (uint32_t r : rows)
    if (test(r)) rows[out++] = r;
  rows.resize(out);
}

void ColumnPredicate::scan(uint64_t row_count, std::vector<uint32_t>& rows) const {
  rows.clear();
  const storage::Column& c = *column_;
  using storage::TypeKind;
  if (const auto* k = std::get_if<int64_t>(&constant_.v)) {
    if ((c.type.kind == TypeKind::kI32 || c.type.kind == TypeKind::kDate) &&
        int_scan<int32_t>(c, op_, *k, row_count, rows))
      return;
    if ((c.type.kind == TypeKind::kI64 || c.type.kind == TypeKind::kDateTime) &&
        int_scan<int64_t>(c, op_, *k, row_count, rows))
      return;
  }
  if (const auto* k = std::get_if<std::string>(&constant_.v);
      k && op_ == CompareOp::kEq && (c.type.kind == TypeKind::kString || c.type.kind == TypeKind::kEnum)) {
    const uint64_t* off = c.offsets.data();
    const char* bytes = reinterpret_cast<const char*>(c.data.data());
    const size_t len = k->size();
    scan_rows(row_count, rows, [&](uint64_t r) {
      return off[r + 1] - off[r] == len && std::memcmp(bytes + off[r], k->data(), len) == 0 && !c.is_null(r);
    });
    return;
  }
  for (uint64_t r = 0; r < row_count; ++r)
    if (test(r)) rows.push_back(static_cast<uint32_t>(r));
}

}  // namespace omnigraph::engine::exec
