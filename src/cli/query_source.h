// Shared by `query` and `mutate`: the ad-hoc lane's source (--query / -e), the catalog-lane
// errors, and --params / --params-file (cli-and-cluster.md §A12.1). Not thread-safe.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "common/error.h"

namespace CLI {
class App;
}

namespace omnigraph::cli {

struct QuerySourceOptions {
  std::string name;                         // positional NAME
  std::string query_path;                   // --query
  std::optional<std::string> query_string;  // -e / --query-string
  std::string params;                       // --params
  std::string params_file;                  // --params-file
};

// Registers NAME, --query, -e/--query-string, --params, --params-file (pairs exclusive).
void add_query_source_options(CLI::App& app, QuerySourceOptions& options);

// The .gq source of the ad-hoc lane. Throws UsageError for the catalog lane without NAME and
// for a blank -e, Error(bad_request) "… needs a server" for the catalog lane on a store.
std::string load_query_source(const QuerySourceOptions& options, const char* verb);

// The parameters object ({} when none given). Throws Error(bad_request) for invalid JSON.
nlohmann::json load_params(const QuerySourceOptions& options);

// Runs `f`, turning the compiler's "pass --name" hint into the CLI's positional NAME wording.
template <class F>
auto with_query_name_hint(F&& f) -> decltype(f()) {
  try {
    return f();
  } catch (const Error& e) {
    if (e.message() == "query file contains multiple queries; pass --name")
      throw Error::bad_request(
          "query file contains multiple queries; pass the query name as the positional NAME");
    throw;
  }
}

}  // namespace omnigraph::cli
