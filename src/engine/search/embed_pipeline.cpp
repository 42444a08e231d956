// Offline JSONL embedding pipeline (§13.4): selection, text rendering, fill/re-embed/clean.
#include "engine/search/embed_pipeline.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>

#include "common/error.h"

namespace omnigraph::engine::search {
namespace {

using nlohmann::json;

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

std::string render(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return trim(v.get<std::string>());
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      std::string r = render(e);
      if (r.empty()) continue;
      if (!out.empty()) out += ", ";
      out += r;
    }
    return out;
  }
  return v.dump();
}

std::string text_of(const std::string& type, const json& data, const std::vector<std::string>& fields) {
  std::string text = "type: " + type;
  for (const auto& f : fields) {
    std::string r = data.contains(f) ? render(data[f]) : "";
    if (!r.empty()) text += "\n" + f + ": " + r;
  }
  return text;
}

struct Selector {
  std::string type;  // empty = any type
  std::string field, value;
};

}  // namespace

std::string embedding_text(const std::string& type, const std::string& data_json,
                           const std::vector<std::string>& fields) {
  return text_of(type, json::parse(data_json), fields);
}

EmbedSummary run_embed_pipeline(const std::string& input_path, const std::string& output_path,
                                const std::string& spec_json, const EmbedPipelineOptions& options,
                                const std::string& model, const Embedder& embed) {
  json spec = json::parse(spec_json, nullptr, false);
  if (spec.is_discarded() || !spec.is_object() || !spec.contains("dimension") || !spec["dimension"].is_number_unsigned() ||
      !spec.contains("types") || !spec["types"].is_object())
    throw Error::bad_request("embedding spec must be {\"dimension\": N, \"types\": {...}}");
  struct Target {
    std::string target;
    std::vector<std::string> fields;
  };
  std::map<std::string, Target> types;
  for (const auto& [name, t] : spec["types"].items()) {
    if (!t.is_object() || !t.contains("target") || !t["target"].is_string() || !t.contains("fields") ||
        !t["fields"].is_array())
      throw Error::bad_request("embedding spec type '" + name + "' needs \"target\" and \"fields\"");
    types[name] = {t["target"].get<std::string>(), t["fields"].get<std::vector<std::string>>()};
  }
  std::vector<Selector> selectors;
  for (const auto& s : options.selects) {
    auto eq = s.find('=');
    if (eq == std::string::npos || eq == 0) throw Error::bad_request("invalid --select '" + s + "' (expected [Type:]field=value)");
    Selector sel;
    std::string lhs = s.substr(0, eq);
    sel.value = trim(s.substr(eq + 1));
    auto colon = lhs.find(':');
    if (colon != std::string::npos) {
      sel.type = lhs.substr(0, colon);
      lhs = lhs.substr(colon + 1);
    }
    sel.field = lhs;
    selectors.push_back(sel);
  }
  EmbedSummary sum;
  sum.input = input_path;
  sum.output = output_path;
  sum.dimension = spec["dimension"].get<uint32_t>();
  sum.mode = options.mode == EmbedMode::kClean        ? "clean"
             : options.mode == EmbedMode::kReembedAll ? "reembed_all"
             : selectors.empty()                      ? "fill_missing"
                                                      : "reembed_selected";
  sum.model = options.mode == EmbedMode::kClean ? "" : model;

  std::ifstream in(input_path);
  if (!in) throw Error::bad_request("cannot read embed input '" + input_path + "'");
  const std::string tmp = output_path + ".tmp";
  std::ofstream out(tmp, std::ios::trunc);
  if (!out) throw Error::bad_request("cannot write embed output '" + tmp + "'");
  std::string line;
  try {
  while (std::getline(in, line)) {
    if (trim(line).empty()) continue;
    ++sum.records;
    json rec = json::parse(line, nullptr, false);
    if (rec.is_discarded() || !rec.is_object())
      throw Error::bad_request("record " + std::to_string(sum.records) + " is not a JSON object");
    if (!rec.contains("type") || !rec["type"].is_string()) {
      out << line << '\n';
      continue;
    }
    if (!rec.contains("data") || !rec["data"].is_object())
      throw Error::bad_request("record " + std::to_string(sum.records) + " has no object `data`");
    const std::string type = rec["type"].get<std::string>();
    auto t = types.find(type);
    bool selected = t != types.end() &&
                    (options.types.empty() ||
                     std::find(options.types.begin(), options.types.end(), type) != options.types.end());
    json& data = rec["data"];
    if (selected && !selectors.empty()) {
      selected = std::any_of(selectors.begin(), selectors.end(), [&](const Selector& s) {
        return (s.type.empty() || s.type == type) && data.contains(s.field) && render(data[s.field]) == s.value;
      });
    }
    if (!selected) {
      out << line << '\n';
      continue;
    }
    ++sum.selected_records;
    const std::string& target = t->second.target;
    if (options.mode == EmbedMode::kClean) {
      if (data.contains(target)) {
        data.erase(target);
        ++sum.cleaned_records;
      }
    } else {
      bool missing = !data.contains(target) || data[target].is_null() ||
                     (data[target].is_array() && data[target].empty());
      if (missing || options.mode == EmbedMode::kReembedAll || !selectors.empty()) {
        data[target] = embed(text_of(type, data, t->second.fields), sum.dimension);
        ++sum.embedded_records;
      }
    }
    out << rec.dump() << '\n';
  }
  } catch (...) {
    out.close();
    std::filesystem::remove(tmp);  // all-or-nothing: no partial output
    throw;
  }
  out.close();
  if (!out) throw Error::bad_request("cannot write embed output '" + tmp + "'");
  std::filesystem::rename(tmp, output_path);
  return sum;
}

}  // namespace omnigraph::engine::search
