// Canonical key rendering and keyed-node id derivation (data-plane §1.1).
#include "engine/key_id.h"

#include <charconv>
#include <cmath>

#include "common/error.h"

namespace omnigraph::engine {

using compiler::ScalarKind;

namespace {

std::string render_float(double d, bool f32) {
  if (d == 0) return "0";
  char buf[512];
  std::to_chars_result r = f32 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(d), std::chars_format::fixed)
                               : std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
  std::string s(buf, r.ptr);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

}  // namespace

void append_json_string(std::string& out, std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

std::optional<std::string> render_key_component(const Value& value, const compiler::ValueType& type) {
  if (value.is_null() || type.list || type.scalar == ScalarKind::kVector || type.scalar == ScalarKind::kBlob)
    return std::nullopt;
  if (auto* s = std::get_if<std::string>(&value.v)) return *s;
  if (auto* b = std::get_if<bool>(&value.v)) return std::string(*b ? "true" : "false");
  if (auto* i = std::get_if<int64_t>(&value.v)) return std::to_string(*i);
  if (auto* u = std::get_if<uint64_t>(&value.v)) return std::to_string(*u);
  if (auto* d = std::get_if<double>(&value.v)) {
    if (!std::isfinite(*d)) return std::nullopt;
    if (type.scalar == ScalarKind::kF32 && !std::isfinite(static_cast<float>(*d))) return std::nullopt;
    return render_float(*d, type.scalar == ScalarKind::kF32);
  }
  return std::nullopt;
}

std::vector<size_t> key_component_indexes(const compiler::TypeDef& type) {
  std::vector<size_t> out;
  for (const auto& name : type.key_components())
    for (size_t i = 0; i < type.properties.size(); ++i)
      if (type.properties[i].name == name) out.push_back(i);
  return out;
}

std::string derive_key_id(const compiler::TypeDef& type, const std::vector<Value>& values) {
  auto idx = key_component_indexes(type);
  std::vector<std::string> parts;
  parts.reserve(idx.size());
  for (size_t i : idx) {
    if (values[i].is_null())
      throw Error(ErrorCode::kBadRequest, "node " + type.name + " is missing a non-null @key value");
    auto r = render_key_component(values[i], type.properties[i].type);
    if (!r)
      throw Error(ErrorCode::kBadRequest,
                  "node " + type.name + " @key value of '" + type.properties[i].name + "' cannot identify an entity");
    parts.push_back(std::move(*r));
  }
  if (parts.size() == 1) return std::move(parts[0]);
  std::string out = "[";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, parts[i]);
  }
  out += ']';
  return out;
}

}  // namespace omnigraph::engine
