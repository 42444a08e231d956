// Helpers for query unit tests: run a .gq read query against a snapshot and return the rows
// as JSON cell texts.
#pragma once

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "engine/exec/executor.h"
#include "engine/exec/result_json.h"

namespace omnigraph::engine::testing {

using Rows = std::vector<std::vector<std::string>>;

inline Rows to_rows(const exec::ReadResult& r) {
  Rows out;
  for (const auto& row : r.rows) {
    std::vector<std::string> cells;
    for (size_t c = 0; c < row.size(); ++c)
      cells.push_back(exec::render_cell_json(row[c], r.columns[c].type));
    out.push_back(std::move(cells));
  }
  return out;
}

inline Rows run(const GraphSnapshot& g, const std::string& source, const std::string& params = "{}") {
  return to_rows(exec::run_read_query(g, source, "", nlohmann::json::parse(params)));
}

inline Rows sorted(Rows r) {
  std::sort(r.begin(), r.end());
  return r;
}

}  // namespace omnigraph::engine::testing
