// YAML helpers over yaml-cpp for cluster.yaml, policy bundles and operator config:
// loading with located errors, strict key checks, and conversion to JSON.
#pragma once

#include <initializer_list>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

namespace YAML {
class Node;
}

namespace omnigraph::yaml {

// Parses YAML text; errors are bad_request naming `source` and line:column.
YAML::Node parse(std::string_view text, std::string_view source);
// Reads and parses a file; a missing file is not_found naming the path.
YAML::Node load_file(const std::string& path);

// Refuses any mapping key not in `allowed`, naming the key, its line and `context`.
void check_known_keys(const YAML::Node& mapping, std::initializer_list<std::string_view> allowed,
                      std::string_view context);

// Converts a YAML document to JSON. Plain scalars become bool/int/float/null where they
// spell one (YAML 1.2 core schema); quoted scalars stay strings.
nlohmann::json to_json(const YAML::Node& node);

}  // namespace omnigraph::yaml
