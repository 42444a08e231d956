// Read-result output formats: json (pretty envelope), jsonl, csv, table, kv.
#include "cli/output_format.h"

// GCC 12 reports a false -Wrestrict on `"literal" + std::string` (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <algorithm>
#include <vector>

#include "common/time_util.h"
#include "engine/exec/result_json.h"

namespace omnigraph::cli {

using engine::Value;
using engine::exec::json_quote;
using engine::exec::render_cell_json;

namespace {

// Column indexes that appear in row objects: a later column with the same name wins.
std::vector<size_t> object_columns(const engine::exec::ReadResult& r) {
  std::vector<size_t> out;
  for (size_t c = 0; c < r.columns.size(); ++c) {
    bool shadowed = false;
    for (size_t d = c + 1; d < r.columns.size(); ++d)
      shadowed = shadowed || r.columns[d].name == r.columns[c].name;
    if (!shadowed) out.push_back(c);
  }
  return out;
}

std::string compact_row(const engine::exec::ReadResult& r, const std::vector<Value>& row,
                        const std::vector<size_t>& cols) {
  std::string out = "{";
  bool first = true;
  for (size_t c : cols) {
    if (!first) out += ",";
    first = false;
    out += json_quote(r.columns[c].name) + ":" + render_cell_json(row[c], r.columns[c].type);
  }
  return out + "}";
}

std::string pretty_cell(const Value& v, const compiler::ValueType& type, const std::string& indent) {
  const auto* list = std::get_if<engine::ValueList>(&v.v);
  const auto* vec = std::get_if<std::vector<float>>(&v.v);
  size_t n = list ? list->size() : vec ? vec->size() : 0;
  if (!list && !vec) return render_cell_json(v, type);
  if (n == 0) return "[]";
  std::string out = "[\n";
  for (size_t i = 0; i < n; ++i) {
    out += indent + "  ";
    out += list ? render_cell_json((*list)[i], type)
                : engine::exec::render_double_json(static_cast<double>((*vec)[i]), true);
    out += i + 1 < n ? ",\n" : "\n";
  }
  return out + indent + "]";
}

std::string target_json(const ReadOutput& o, bool pretty) {
  std::string b = o.branch ? json_quote(*o.branch) : "null";
  std::string s = o.snapshot ? json_quote(*o.snapshot) : "null";
  if (pretty) return "{\n    \"branch\": " + b + ",\n    \"snapshot\": " + s + "\n  }";
  return "{\"branch\":" + b + ",\"snapshot\":" + s + "}";
}

std::string render_json(const ReadOutput& o) {
  const auto& r = *o.result;
  std::string out = "{\n  \"query_name\": " + json_quote(o.query_name) + ",\n";
  out += "  \"target\": " + target_json(o, true) + ",\n";
  out += "  \"row_count\": " + std::to_string(r.rows.size()) + ",\n";
  if (!r.columns.empty()) {
    out += "  \"columns\": [\n";
    for (size_t c = 0; c < r.columns.size(); ++c)
      out += "    " + json_quote(r.columns[c].name) + (c + 1 < r.columns.size() ? ",\n" : "\n");
    out += "  ],\n";
  }
  auto cols = object_columns(r);
  if (r.rows.empty()) {
    out += "  \"rows\": []";
  } else {
    out += "  \"rows\": [\n";
    for (size_t i = 0; i < r.rows.size(); ++i) {
      if (cols.empty()) {
        out += "    {}";
      } else {
        out += "    {\n";
        for (size_t k = 0; k < cols.size(); ++k) {
          size_t c = cols[k];
          out += "      " + json_quote(r.columns[c].name) + ": " +
                 pretty_cell(r.rows[i][c], r.columns[c].type, "      ");
          out += k + 1 < cols.size() ? ",\n" : "\n";
        }
        out += "    }";
      }
      out += i + 1 < r.rows.size() ? ",\n" : "\n";
    }
    out += "  ]";
  }
  if (o.graph_commit_id) out += ",\n  \"graph_commit_id\": " + json_quote(*o.graph_commit_id);
  return out + "\n}\n";
}

std::string header_line(const ReadOutput& o) {
  std::string where = o.branch ? "branch " + *o.branch : "snapshot " + o.snapshot.value_or("");
  return std::to_string(o.result->rows.size()) + " rows from " + where + " via " + o.query_name + "\n";
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"')
      out += "\"\"";
    else
      out.push_back(c);
  }
  return out + "\"";
}

// UTF-8 scalar values of s.
std::vector<std::string> code_points(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    len = std::min(len, s.size() - i);
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

std::string pad(const std::vector<std::string>& cps, size_t width) {
  std::string out;
  for (const auto& cp : cps) out += cp;
  if (cps.size() < width) out.append(width - cps.size(), ' ');
  return out;
}

std::string render_table(const ReadOutput& o, const TableSettings& settings) {
  const auto& r = *o.result;
  std::string out = header_line(o);
  if (r.columns.empty()) return out + "(no rows)\n";
  const size_t m = settings.max_column_width;
  const size_t cap = std::max<size_t>(m, 8);
  const size_t nc = r.columns.size();
  std::vector<std::vector<std::vector<std::string>>> cells(r.rows.size());
  std::vector<size_t> width(nc, 0);
  std::vector<size_t> longest(nc, 0);
  for (size_t i = 0; i < r.rows.size(); ++i) {
    for (size_t c = 0; c < nc; ++c) {
      std::string text = stringify_cell(r.rows[i][c], r.columns[c].type);
      std::string escaped;
      for (char ch : text) {
        if (ch == '\n')
          escaped += "\\n";
        else
          escaped.push_back(ch);
      }
      cells[i].push_back(code_points(escaped));
      longest[c] = std::max(longest[c], cells[i].back().size());
    }
  }
  for (size_t c = 0; c < nc; ++c) {
    size_t header = code_points(r.columns[c].name).size();
    width[c] = std::min(std::max(header, std::min(longest[c], m)), cap);
  }
  for (size_t c = 0; c < nc; ++c) {
    if (c) out += " | ";
    out += pad(code_points(r.columns[c].name), width[c]);
  }
  out += "\n";
  for (size_t c = 0; c < nc; ++c) {
    if (c) out += "-+-";
    out.append(width[c], '-');
  }
  out += "\n";
  for (size_t i = 0; i < r.rows.size(); ++i) {
    if (!settings.wrap) {
      for (size_t c = 0; c < nc; ++c) {
        if (c) out += " | ";
        auto cps = cells[i][c];
        if (cps.size() > width[c]) {
          cps.resize(width[c] - 1);
          cps.push_back("…");
        }
        out += pad(cps, width[c]);
      }
      out += "\n";
      continue;
    }
    size_t lines = 1;
    for (size_t c = 0; c < nc; ++c)
      lines = std::max(lines, (cells[i][c].size() + width[c] - 1) / std::max<size_t>(width[c], 1));
    for (size_t l = 0; l < lines; ++l) {
      for (size_t c = 0; c < nc; ++c) {
        if (c) out += " | ";
        const auto& cps = cells[i][c];
        std::vector<std::string> chunk;
        for (size_t k = l * width[c]; k < cps.size() && k < (l + 1) * width[c]; ++k) chunk.push_back(cps[k]);
        out += pad(chunk, width[c]);
      }
      out += "\n";
    }
  }
  return out;
}

}  // namespace

bool is_read_format(std::string_view f) {
  return f == "json" || f == "jsonl" || f == "csv" || f == "table" || f == "kv";
}

std::string stringify_cell(const Value& value, const compiler::ValueType& type) {
  if (value.is_null()) return "null";
  if (const auto* s = std::get_if<std::string>(&value.v)) return *s;
  if (const auto* i = std::get_if<int64_t>(&value.v)) {
    if (type.scalar == compiler::ScalarKind::kDate && !type.list) return format_date(*i);
    if (type.scalar == compiler::ScalarKind::kDateTime && !type.list) return format_datetime_ms(*i);
  }
  std::string json = render_cell_json(value, type);
  if (json.size() >= 2 && json.front() == '"') return json.substr(1, json.size() - 2);  // "NaN", "Infinity"
  return json;
}

std::string render_read_output(const ReadOutput& o, std::string_view format, const TableSettings& table) {
  const auto& r = *o.result;
  if (format == "json") return render_json(o);
  if (format == "jsonl") {
    std::string out = "{\"kind\":\"metadata\",\"query_name\":" + json_quote(o.query_name) +
                      ",\"target\":" + target_json(o, false) +
                      ",\"row_count\":" + std::to_string(r.rows.size()) + "}\n";
    auto cols = object_columns(r);
    for (const auto& row : r.rows) out += compact_row(r, row, cols) + "\n";
    return out;
  }
  if (format == "csv") {
    std::string out;
    for (size_t c = 0; c < r.columns.size(); ++c) out += (c ? "," : "") + csv_field(r.columns[c].name);
    out += "\n";
    for (const auto& row : r.rows) {
      for (size_t c = 0; c < r.columns.size(); ++c)
        out += (c ? "," : "") + csv_field(stringify_cell(row[c], r.columns[c].type));
      out += "\n";
    }
    return out;
  }
  if (format == "kv") {
    std::string out = header_line(o);
    if (r.rows.empty()) return out + "(no rows)\n";
    for (size_t i = 0; i < r.rows.size(); ++i) {
      if (i) out += "\n";
      out += "row " + std::to_string(i + 1) + "\n";
      for (size_t c = 0; c < r.columns.size(); ++c)
        out += r.columns[c].name + ": " + stringify_cell(r.rows[i][c], r.columns[c].type) + "\n";
    }
    return out;
  }
  return render_table(o, table);
}

}  // namespace omnigraph::cli
