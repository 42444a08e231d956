// JSON helpers over nlohmann::json: parsing with located errors, the output
// style of the wire contract, and strict field access whose errors name the field.
// Only the forward declaration is included here to keep this header light.
#pragma once

#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace omnigraph::json {

// Parses `text`; on failure throws Error(bad_request) naming `what` and the line:column.
nlohmann::json parse(std::string_view text, std::string_view what);

// Pretty (2-space indent, as the CLI's --json) and compact renderings.
std::string dump_pretty(const nlohmann::json& value);
std::string dump_compact(const nlohmann::json& value);

// Strict object access. Every error is bad_request and names `context` and the field.
const nlohmann::json& require_object(const nlohmann::json& value, std::string_view context);
const nlohmann::json& require_field(const nlohmann::json& object, std::string_view field,
                                    std::string_view context);
std::string require_string(const nlohmann::json& object, std::string_view field, std::string_view context);
// Refuses any key not in `allowed` (config files and request bodies are strict).
void check_known_fields(const nlohmann::json& object, std::initializer_list<std::string_view> allowed,
                        std::string_view context);

}  // namespace omnigraph::json
