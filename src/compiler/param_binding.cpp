// JSON → typed parameter values (§5.3), including 64-bit integers given as strings.
#include "compiler/param_binding.h"

#include <charconv>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/time_util.h"

namespace omnigraph::compiler {

namespace {

using nlohmann::json;

constexpr int64_t kJsSafe = 9007199254740991LL;

std::string json_type_name(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "boolean";
  if (v.is_number()) return "number";
  if (v.is_string()) return "string";
  if (v.is_array()) return "array";
  return "object";
}

class Binder {
 public:
  Binder(std::string name, ParamMode mode) : name_(std::move(name)), mode_(mode) {}

  [[noreturn]] void fail(const std::string& reason) const {
    throw Error::bad_request("param '" + name_ + "': " + reason);
  }

  Literal scalar(const ValueType& t, const json& v) {
    Literal lit;
    switch (t.scalar) {
      case ScalarKind::kString:
        if (!v.is_string()) fail("expected string, got " + json_type_name(v));
        lit.kind = Literal::Kind::kString;
        lit.text = v.get<std::string>();
        return lit;
      case ScalarKind::kBlob:
        if (!v.is_string()) fail("expected blob URI string, got " + json_type_name(v));
        lit.kind = Literal::Kind::kString;
        lit.text = v.get<std::string>();
        return lit;
      case ScalarKind::kBool:
        if (!v.is_boolean()) fail("expected boolean");
        lit.kind = Literal::Kind::kBool;
        lit.bool_value = v.get<bool>();
        lit.text = lit.bool_value ? "true" : "false";
        return lit;
      case ScalarKind::kI32:
      case ScalarKind::kI64:
      case ScalarKind::kU32:
      case ScalarKind::kU64: return integer(t.scalar, v);
      case ScalarKind::kF32:
      case ScalarKind::kF64:
        if (!v.is_number()) fail("expected float");
        lit.kind = Literal::Kind::kFloat;
        lit.float_value = v.get<double>();
        lit.text = v.dump();
        return lit;
      case ScalarKind::kDate: {
        if (!v.is_string()) fail("expected date string");
        std::string text = v.get<std::string>();
        auto days = parse_date(text);
        if (!days) fail("invalid Date literal '" + text + "'");
        lit.kind = Literal::Kind::kDate;
        lit.text = text;
        lit.int_value = *days;
        return lit;
      }
      case ScalarKind::kDateTime: {
        if (!v.is_string()) fail("expected datetime string");
        std::string text = v.get<std::string>();
        auto ms = parse_datetime_ms(text);
        if (!ms) fail("invalid DateTime literal '" + text + "'");
        lit.kind = Literal::Kind::kDateTime;
        lit.text = text;
        lit.int_value = *ms;
        return lit;
      }
      case ScalarKind::kVector: break;
    }
    fail("unsupported parameter type");
  }

  Literal integer(ScalarKind k, const json& v) {
    // Exact value as a signed 128-bit-free pair: negative flag + magnitude.
    bool negative = false;
    uint64_t magnitude = 0;
    std::string text;
    if (v.is_number_unsigned()) {
      magnitude = v.get<uint64_t>();
      text = std::to_string(magnitude);
    } else if (v.is_number_integer()) {
      int64_t s = v.get<int64_t>();
      negative = s < 0;
      magnitude = negative ? static_cast<uint64_t>(-(s + 1)) + 1 : static_cast<uint64_t>(s);
      text = std::to_string(s);
    } else if (v.is_string()) {
      text = v.get<std::string>();
      std::string_view digits = text;
      if (!digits.empty() && digits[0] == '-') {
        negative = true;
        digits.remove_prefix(1);
      }
      auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), magnitude);
      if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size())
        fail(ec == std::errc::result_out_of_range ? "value " + text + " exceeds " + std::string(scalar_name(k))
                                                  : "expected integer, got string '" + text + "'");
    } else {
      fail("expected integer, got " + json_type_name(v));
    }
    if (mode_ == ParamMode::kJavaScript && v.is_number() && magnitude > static_cast<uint64_t>(kJsSafe))
      fail("value " + text + " exceeds JS safe integer range; pass a decimal string for exact values");
    std::string type(scalar_name(k));
    bool is_unsigned = k == ScalarKind::kU32 || k == ScalarKind::kU64;
    if (negative && magnitude != 0 && is_unsigned) fail("value " + text + " is negative but " + type + " is unsigned");
    uint64_t max_positive = k == ScalarKind::kI32   ? 2147483647ULL
                            : k == ScalarKind::kU32 ? 4294967295ULL
                                                    : 9223372036854775807ULL;
    uint64_t max_negative = k == ScalarKind::kI32 ? 2147483648ULL : 9223372036854775808ULL;
    if (!negative && magnitude > max_positive) {
      if (k == ScalarKind::kU64) fail("value " + text + " exceeds current engine range for U64 (max 9223372036854775807)");
      fail("value " + text + " exceeds " + type);
    }
    if (negative && magnitude > max_negative) fail("value " + text + " exceeds " + type);
    Literal lit;
    lit.kind = Literal::Kind::kInteger;
    lit.int_value = negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude);
    lit.text = std::to_string(lit.int_value);
    return lit;
  }

  Literal value(const ValueType& t, const json& v) {
    if (t.scalar == ScalarKind::kVector && !t.list) {
      if (!v.is_array() || v.size() != t.vector_dim)
        fail("expected " + std::to_string(t.vector_dim) + " values for Vector(" + std::to_string(t.vector_dim) + "), got " +
             (v.is_array() ? std::to_string(v.size()) : json_type_name(v)));
      Literal lit;
      lit.kind = Literal::Kind::kList;
      for (const auto& e : v) {
        if (!e.is_number()) fail("vector elements must be numeric");
        Literal f;
        f.kind = Literal::Kind::kFloat;
        f.float_value = e.get<double>();
        f.text = e.dump();
        lit.elements.push_back(std::move(f));
      }
      return lit;
    }
    if (t.list) {
      ValueType element = t;
      element.list = false;
      if (!v.is_array()) fail("expected array for " + render_type_plain(t));
      Literal lit;
      lit.kind = Literal::Kind::kList;
      for (const auto& e : v) {
        if (e.is_null()) fail("null elements are not accepted in " + render_type_plain(t));
        lit.elements.push_back(scalar(element, e));
      }
      return lit;
    }
    return scalar(t, v);
  }

 private:
  std::string name_;
  ParamMode mode_;
};

}  // namespace

std::map<std::string, BoundParam> bind_params(const std::vector<ir::ParamDecl>& declared, const json& params, ParamMode mode) {
  if (!params.is_object()) throw Error::bad_request("params must be a JSON object");
  std::map<std::string, BoundParam> out;
  for (const auto& p : declared) {
    BoundParam bound;
    bound.type = p.type;
    auto it = params.find(p.name);
    if (it == params.end() || it->is_null()) {
      if (!p.type.nullable) {
        if (it == params.end()) throw Error::bad_request("parameter '" + p.name + "' not provided");
        throw Error::bad_request("param '" + p.name + "': null is not accepted for non-nullable parameter");
      }
      bound.is_null = true;
    } else {
      bound.value = Binder(p.name, mode).value(p.type, *it);
    }
    out.emplace(p.name, std::move(bound));
  }
  return out;
}

}  // namespace omnigraph::compiler
