// YAML helper implementations.
#include "common/yaml_util.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "common/error.h"

namespace omnigraph::yaml {
namespace {

std::string position(const YAML::Mark& mark) {
  return "line " + std::to_string(mark.line + 1) + " column " + std::to_string(mark.column + 1);
}

nlohmann::json plain_scalar(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  const char* digits = (*begin == '-' || *begin == '+') ? begin + 1 : begin;
  if (digits == end) return s;
  if (*begin == '+') ++begin;  // from_chars does not accept a leading '+'
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc() && p == end) return i;
  uint64_t u = 0;
  if (auto [p, ec] = std::from_chars(begin, end, u); ec == std::errc() && p == end) return u;
  if (std::all_of(digits, end, [](char c) { return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+'; })) {
    double d = 0;
    if (auto [p, ec] = std::from_chars(begin, end, d); ec == std::errc() && p == end) return d;
  }
  return s;
}

}  // namespace

YAML::Node parse(std::string_view text, std::string_view source) {
  try {
    return YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error::bad_request("invalid YAML in " + std::string(source) + " at " + position(e.mark) + ": " +
                             e.msg);
  }
}

YAML::Node load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::not_found("cannot read YAML file '" + path + "'");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse(buf.str(), path);
}

void check_known_keys(const YAML::Node& mapping, std::initializer_list<std::string_view> allowed,
                      std::string_view context) {
  if (!mapping.IsMap()) {
    throw Error::bad_request(std::string(context) + ": expected a mapping at " + position(mapping.Mark()));
  }
  for (const auto& kv : mapping) {
    auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw Error::bad_request(std::string(context) + ": unknown key '" + key + "' at " +
                               position(kv.first.Mark()));
    }
  }
}

nlohmann::json to_json(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // yaml-cpp tags quoted scalars with "!"; plain ones with "?".
      if (node.Tag() == "!") return node.Scalar();
      return plain_scalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      auto arr = nlohmann::json::array();
      for (const auto& item : node) arr.push_back(to_json(item));
      return arr;
    }
    case YAML::NodeType::Map: {
      auto obj = nlohmann::json::object();
      for (const auto& kv : node) obj[kv.first.as<std::string>()] = to_json(kv.second);
      return obj;
    }
  }
  return nullptr;
}

}  // namespace omnigraph::yaml
