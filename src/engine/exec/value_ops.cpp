// Value conversions, comparisons and ordering (languages.md §6.4, §6.8).
#include "engine/exec/value_ops.h"

#include <cmath>
#include <cstring>
#include <string_view>

namespace omnigraph::engine::exec {

using compiler::CompareOp;
using compiler::Literal;

Value literal_value(const Literal& l) {
  switch (l.kind) {
    case Literal::Kind::kString:
      return Value{l.text};
    case Literal::Kind::kInteger:
    case Literal::Kind::kDate:
    case Literal::Kind::kDateTime:
      return Value{l.int_value};
    case Literal::Kind::kFloat:
      return Value{l.float_value};
    case Literal::Kind::kBool:
      return Value{l.bool_value};
    case Literal::Kind::kList: {
      ValueList out;
      out.reserve(l.elements.size());
      for (const auto& e : l.elements) out.push_back(literal_value(e));
      return Value{std::move(out)};
    }
  }
  return {};
}

Value param_value(const compiler::BoundParam& p) {
  if (p.is_null) return {};
  if (p.type.is_vector()) {
    std::vector<float> v;
    for (const auto& e : p.value.elements) v.push_back(static_cast<float>(e.float_value));
    return Value{std::move(v)};
  }
  if (p.value.kind == Literal::Kind::kInteger && p.type.scalar == compiler::ScalarKind::kU64 &&
      !p.type.list) {
    // U64 parameters above 2^63-1 keep their exact value as unsigned.
    if (!p.value.text.empty() && p.value.text[0] != '-') {
      uint64_t u = 0;
      bool ok = true;
      for (char c : p.value.text) {
        if (c < '0' || c > '9') {
          ok = false;
          break;
        }
        u = u * 10 + static_cast<uint64_t>(c - '0');
      }
      if (ok) return Value{u};
    }
  }
  return literal_value(p.value);
}

namespace {

template <class T>
T fixed_at(const storage::Column& c, uint64_t i) {
  T v;
  std::memcpy(&v, c.data.data() + i * sizeof(T), sizeof(T));
  return v;
}

Value scalar_at(const storage::Column& c, storage::TypeKind kind, uint64_t i, bool list_element) {
  using storage::TypeKind;
  switch (kind) {
    case TypeKind::kBool:
      return Value{c.data[i] != 0};
    case TypeKind::kI32:
    case TypeKind::kDate:
      return Value{static_cast<int64_t>(fixed_at<int32_t>(c, i))};
    case TypeKind::kI64:
    case TypeKind::kDateTime:
      return Value{fixed_at<int64_t>(c, i)};
    case TypeKind::kU32:
      return Value{static_cast<uint64_t>(fixed_at<uint32_t>(c, i))};
    case TypeKind::kU64:
      return Value{fixed_at<uint64_t>(c, i)};
    case TypeKind::kF32:
      return Value{static_cast<double>(fixed_at<float>(c, i))};
    case TypeKind::kF64:
      return Value{fixed_at<double>(c, i)};
    case TypeKind::kString:
    case TypeKind::kEnum:
    case TypeKind::kBlob:
      return Value{std::string(list_element ? c.list_element_bytes(i) : c.bytes_at(i))};
    default:
      return {};
  }
}

}  // namespace

Value cell_value(const storage::Column& c, uint64_t row) {
  if (c.is_null(row)) return {};
  switch (c.type.kind) {
    case storage::TypeKind::kList: {
      auto [b, e] = c.list_range(row);
      ValueList out;
      out.reserve(e - b);
      for (uint64_t i = b; i < e; ++i) out.push_back(scalar_at(c, c.type.element, i, true));
      return Value{std::move(out)};
    }
    case storage::TypeKind::kVector: {
      auto lanes = c.vector_at(row);
      return Value{std::vector<float>(lanes.begin(), lanes.end())};
    }
    default:
      return scalar_at(c, c.type.kind, row, false);
  }
}

namespace {

int sign(auto a, auto b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

// Exact comparison of an integer with a double (d not NaN).
int compare_int_double(int64_t i, double d) {
  if (d >= 9223372036854775808.0) return -1;
  if (d < -9223372036854775808.0) return 1;
  double t = std::trunc(d);
  auto ti = static_cast<int64_t>(t);
  if (i != ti) return sign(i, ti);
  return sign(0.0, d - t);
}
int compare_uint_double(uint64_t u, double d) {
  if (d < 0) return 1;
  if (d >= 18446744073709551616.0) return -1;
  double t = std::trunc(d);
  auto tu = static_cast<uint64_t>(t);
  if (u != tu) return sign(u, tu);
  return sign(0.0, d - t);
}

// Numeric compare; nullopt when not both numeric or NaN involved.
std::optional<int> compare_numeric(const Value& a, const Value& b) {
  const auto* ai = std::get_if<int64_t>(&a.v);
  const auto* au = std::get_if<uint64_t>(&a.v);
  const auto* ad = std::get_if<double>(&a.v);
  const auto* bi = std::get_if<int64_t>(&b.v);
  const auto* bu = std::get_if<uint64_t>(&b.v);
  const auto* bd = std::get_if<double>(&b.v);
  if ((ad && std::isnan(*ad)) || (bd && std::isnan(*bd))) return std::nullopt;
  if (ai && bi) return sign(*ai, *bi);
  if (au && bu) return sign(*au, *bu);
  if (ad && bd) return sign(*ad, *bd);
  if (ai && bu) return *ai < 0 ? -1 : sign(static_cast<uint64_t>(*ai), *bu);
  if (au && bi) return *bi < 0 ? 1 : sign(*au, static_cast<uint64_t>(*bi));
  if (ai && bd) return compare_int_double(*ai, *bd);
  if (ad && bi) return -compare_int_double(*bi, *ad);
  if (au && bd) return compare_uint_double(*au, *bd);
  if (ad && bu) return -compare_uint_double(*bu, *ad);
  return std::nullopt;
}

bool is_number(const Value& v) {
  return std::holds_alternative<int64_t>(v.v) || std::holds_alternative<uint64_t>(v.v) ||
         std::holds_alternative<double>(v.v);
}

}  // namespace

std::optional<int> compare_values(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return std::nullopt;
  if (is_number(a) && is_number(b)) return compare_numeric(a, b);
  if (const auto* as = std::get_if<std::string>(&a.v)) {
    const auto* bs = std::get_if<std::string>(&b.v);
    if (!bs) return std::nullopt;
    int c = as->compare(*bs);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (const auto* ab = std::get_if<bool>(&a.v)) {
    const auto* bb = std::get_if<bool>(&b.v);
    if (!bb) return std::nullopt;
    return sign(static_cast<int>(*ab), static_cast<int>(*bb));
  }
  return std::nullopt;
}

bool apply_compare(CompareOp op, const Value& left, const Value& right) {
  if (left.is_null() || right.is_null()) return false;
  switch (op) {
    case CompareOp::kContains: {
      if (const auto* list = std::get_if<ValueList>(&left.v)) {
        for (const auto& e : *list) {
          auto c = compare_values(e, right);
          if (c && *c == 0) return true;
        }
        return false;
      }
      const auto* l = std::get_if<std::string>(&left.v);
      const auto* r = std::get_if<std::string>(&right.v);
      return l && r && l->find(*r) != std::string::npos;
    }
    case CompareOp::kStartsWith: {
      const auto* l = std::get_if<std::string>(&left.v);
      const auto* r = std::get_if<std::string>(&right.v);
      return l && r && l->size() >= r->size() && std::string_view(*l).substr(0, r->size()) == *r;
    }
    default:
      break;
  }
  auto c = compare_values(left, right);
  if (!c) return false;
  switch (op) {
    case CompareOp::kEq:
      return *c == 0;
    case CompareOp::kNe:
      return *c != 0;
    case CompareOp::kLt:
      return *c < 0;
    case CompareOp::kLe:
      return *c <= 0;
    case CompareOp::kGt:
      return *c > 0;
    case CompareOp::kGe:
      return *c >= 0;
    default:
      return false;
  }
}

int order_compare(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return sign(static_cast<int>(!a.is_null()), static_cast<int>(!b.is_null()));
  if (is_number(a) && is_number(b)) {
    const auto* ad = std::get_if<double>(&a.v);
    const auto* bd = std::get_if<double>(&b.v);
    bool an = ad && std::isnan(*ad), bn = bd && std::isnan(*bd);
    if (an || bn) return sign(static_cast<int>(an), static_cast<int>(bn));
    if (ad && bd && *ad == 0 && *bd == 0)
      return sign(static_cast<int>(!std::signbit(*ad)), static_cast<int>(!std::signbit(*bd)));
    return *compare_numeric(a, b);
  }
  if (const auto* al = std::get_if<ValueList>(&a.v)) {
    if (const auto* bl = std::get_if<ValueList>(&b.v)) {
      for (size_t i = 0; i < al->size() && i < bl->size(); ++i)
        if (int c = order_compare((*al)[i], (*bl)[i])) return c;
      return sign(al->size(), bl->size());
    }
  }
  if (auto c = compare_values(a, b)) return *c;
  return sign(a.v.index(), b.v.index());
}

void append_group_key(const Value& v, std::string& out) {
  auto put = [&out](char tag, const void* p, size_t n) {
    out.push_back(tag);
    out.append(static_cast<const char*>(p), n);
  };
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          out.push_back('N');
        } else if constexpr (std::is_same_v<T, bool>) {
          out.push_back(x ? 'T' : 'F');
        } else if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t> ||
                             std::is_same_v<T, double>) {
          // Normalise integral numbers so that 1, 1u and 1.0 group together.
          double d = static_cast<double>(x);
          if constexpr (std::is_same_v<T, double>) {
            if (std::isfinite(x) && x == std::trunc(x) && std::fabs(x) < 9.2e18) {
              auto i = static_cast<int64_t>(x);
              put('I', &i, sizeof i);
              return;
            }
            put('D', &d, sizeof d);
          } else if constexpr (std::is_same_v<T, uint64_t>) {
            if (x <= static_cast<uint64_t>(INT64_MAX)) {
              auto i = static_cast<int64_t>(x);
              put('I', &i, sizeof i);
            } else {
              put('U', &x, sizeof x);
            }
          } else {
            put('I', &x, sizeof x);
          }
        } else if constexpr (std::is_same_v<T, std::string>) {
          uint64_t n = x.size();
          put('S', &n, sizeof n);
          out.append(x);
        } else if constexpr (std::is_same_v<T, ValueList>) {
          uint64_t n = x.size();
          put('L', &n, sizeof n);
          for (const auto& e : x) append_group_key(e, out);
        } else {
          uint64_t n = x.size();
          put('V', &n, sizeof n);
          out.append(reinterpret_cast<const char*>(x.data()), x.size() * sizeof(float));
        }
      },
      v.v);
}

}  // namespace omnigraph::engine::exec
