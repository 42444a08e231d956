// JSON cell rendering for read results (languages.md §9.1).
#include "engine/exec/result_json.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "common/time_util.h"

namespace omnigraph::engine::exec {

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string render_double_json(double d, bool null_for_nonfinite) {
  if (std::isnan(d)) return null_for_nonfinite ? "null" : "\"NaN\"";
  if (std::isinf(d)) return null_for_nonfinite ? "null" : (d > 0 ? "\"Infinity\"" : "\"-Infinity\"");
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  // Shortest round-trip digits in scientific form: d.ddde±X.
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  bool neg = sci[0] == '-';
  size_t epos = sci.find('e');
  std::string mant = sci.substr(neg ? 1 : 0, epos - (neg ? 1 : 0));
  int exp10 = std::stoi(sci.substr(epos + 1));
  std::string digits;
  for (char c : mant)
    if (c != '.') digits.push_back(c);
  std::string out = neg ? "-" : "";
  if (exp10 >= 16 || exp10 < -5) {
    out.push_back(digits[0]);
    if (digits.size() > 1) {
      out.push_back('.');
      out.append(digits, 1, std::string::npos);
    }
    out.push_back('e');
    out.append(std::to_string(exp10));
    return out;
  }
  if (exp10 < 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-exp10 - 1), '0');
    out.append(digits);
    return out;
  }
  auto int_len = static_cast<size_t>(exp10) + 1;
  if (digits.size() <= int_len) {
    out.append(digits);
    out.append(int_len - digits.size(), '0');
    out.append(".0");
  } else {
    out.append(digits, 0, int_len);
    out.push_back('.');
    out.append(digits, int_len, std::string::npos);
  }
  return out;
}

namespace {

std::string render_scalar(const Value& v, compiler::ScalarKind kind) {
  if (v.is_null()) return "null";
  if (const auto* i = std::get_if<int64_t>(&v.v)) {
    if (kind == compiler::ScalarKind::kDate) return json_quote(format_date(*i));
    if (kind == compiler::ScalarKind::kDateTime) return json_quote(format_datetime_ms(*i));
    if (compiler::is_float(kind)) return render_double_json(static_cast<double>(*i));
    return std::to_string(*i);
  }
  if (const auto* u = std::get_if<uint64_t>(&v.v)) return std::to_string(*u);
  if (const auto* d = std::get_if<double>(&v.v)) return render_double_json(*d);
  if (const auto* b = std::get_if<bool>(&v.v)) return *b ? "true" : "false";
  if (const auto* s = std::get_if<std::string>(&v.v)) return json_quote(*s);
  if (const auto* l = std::get_if<ValueList>(&v.v)) {
    std::string out = "[";
    for (size_t k = 0; k < l->size(); ++k) {
      if (k) out += ",";
      out += render_scalar((*l)[k], kind);
    }
    return out + "]";
  }
  if (const auto* f = std::get_if<std::vector<float>>(&v.v)) {
    std::string out = "[";
    for (size_t k = 0; k < f->size(); ++k) {
      if (k) out += ",";
      out += render_double_json(static_cast<double>((*f)[k]), true);
    }
    return out + "]";
  }
  return "null";
}

}  // namespace

std::string render_cell_json(const Value& value, const compiler::ValueType& type) {
  return render_scalar(value, type.scalar);
}

}  // namespace omnigraph::engine::exec
