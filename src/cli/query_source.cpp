// The query source and parameters of `query` / `mutate`.
#include "cli/query_source.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/graph_address.h"
#include "common/error.h"

namespace omnigraph::cli {

void add_query_source_options(CLI::App& app, QuerySourceOptions& o) {
  app.add_option("name", o.name, "Query name inside the source (required when it has several)");
  auto* q = app.add_option("--query", o.query_path, "Path of a .gq file (ad-hoc lane)");
  auto* e = app.add_option("-e,--query-string", o.query_string, "Inline .gq source (ad-hoc lane)");
  q->excludes(e);
  auto* p = app.add_option("--params", o.params, "Parameters as a JSON object");
  auto* pf = app.add_option("--params-file", o.params_file, "File holding the parameters JSON object");
  p->excludes(pf);
}

std::string load_query_source(const QuerySourceOptions& o, const char* verb) {
  if (!o.query_path.empty()) return read_text_file(o.query_path, "query file");
  if (o.query_string) {
    if (o.query_string->find_first_not_of(" \t\r\n") == std::string::npos)
      throw UsageError("--query-string must not be empty");
    return *o.query_string;
  }
  if (o.name.empty())
    throw UsageError(
        "provide a query name to invoke from the catalog, or -e '<gq>' / --query <file> for an ad-hoc query");
  throw Error::bad_request(
      std::string("`") + verb + " " + o.name +
      "` invokes a stored query from the catalog, which needs a server; use --query <file> or "
      "-e '<gq>' against a store");
}

nlohmann::json load_params(const QuerySourceOptions& o) {
  std::string text = o.params;
  if (!o.params_file.empty()) text = read_text_file(o.params_file, "params file");
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw Error::bad_request(std::string("invalid --params JSON: ") + e.what());
  }
}

}  // namespace omnigraph::cli
