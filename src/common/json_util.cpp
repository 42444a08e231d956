// JSON helper implementations; the only place common/ includes the full nlohmann header.
#include "common/json_util.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace omnigraph::json {
namespace {

// Converts a byte offset into 1-based line and column.
std::pair<size_t, size_t> line_column(std::string_view text, size_t offset) {
  size_t line = 1, col = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

const char* type_name(const nlohmann::json& v) { return v.type_name(); }

}  // namespace

nlohmann::json parse(std::string_view text, std::string_view what) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error& e) {
    // e.byte is 1-based and points just past the offending character.
    auto [line, col] = line_column(text, e.byte > 0 ? e.byte - 1 : 0);
    std::string reason = e.what();
    if (auto p = reason.find("syntax error"); p != std::string::npos) reason = reason.substr(p);
    throw Error::bad_request("invalid JSON in " + std::string(what) + " at line " + std::to_string(line) +
                             " column " + std::to_string(col) + ": " + reason);
  }
}

std::string dump_pretty(const nlohmann::json& value) { return value.dump(2); }
std::string dump_compact(const nlohmann::json& value) { return value.dump(); }

const nlohmann::json& require_object(const nlohmann::json& value, std::string_view context) {
  if (!value.is_object()) {
    throw Error::bad_request(std::string(context) + ": expected a JSON object, got " + type_name(value));
  }
  return value;
}

const nlohmann::json& require_field(const nlohmann::json& object, std::string_view field,
                                    std::string_view context) {
  require_object(object, context);
  auto it = object.find(field);
  if (it == object.end()) {
    throw Error::bad_request(std::string(context) + ": missing required field '" + std::string(field) + "'");
  }
  return *it;
}

std::string require_string(const nlohmann::json& object, std::string_view field, std::string_view context) {
  const auto& v = require_field(object, field, context);
  if (!v.is_string()) {
    throw Error::bad_request(std::string(context) + ": field '" + std::string(field) +
                             "' must be a string, got " + type_name(v));
  }
  return v.get<std::string>();
}

void check_known_fields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                        std::string_view context) {
  require_object(object, context);
  for (const auto& [key, _] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      throw Error::bad_request(std::string(context) + ": unknown field '" + key + "'");
    }
  }
}

}  // namespace omnigraph::json
