// Rendering of a read result in the CLI's read formats (languages.md §9.2–§9.6,
// cli-and-cluster.md §A7): json, jsonl, csv, table, kv. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/exec/read_result.h"

namespace omnigraph::cli {

struct ReadOutput {
  std::string query_name;
  std::optional<std::string> branch;  // exactly one of branch / snapshot is set
  std::optional<std::string> snapshot;
  std::optional<std::string> graph_commit_id;  // json only; omitted when unknown
  const engine::exec::ReadResult* result = nullptr;
};

struct TableSettings {
  uint32_t max_column_width = 80;  // defaults.table_max_column_width
  bool wrap = false;               // defaults.table_cell_layout == "wrap"
};

// True for json, jsonl, csv, table, kv.
bool is_read_format(std::string_view format);

// The whole output text for `format` (ends with a newline).
std::string render_read_output(const ReadOutput& output, std::string_view format,
                               const TableSettings& table = {});

// The §9.4 stringify text of one cell (null → "null", strings raw, numbers as JSON text,
// arrays compact JSON).
std::string stringify_cell(const engine::Value& value, const compiler::ValueType& type);

}  // namespace omnigraph::cli
