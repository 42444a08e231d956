// The offline embedding pipeline core (data-plane.md §13.4): JSONL in → JSONL out, filling,
// re-embedding or cleaning the spec's target vector of selected node records. The CLI command
// (`omnigraph embed`, seed manifests) wraps this; the embedder is injected.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace omnigraph::engine::search {

enum class EmbedMode { kFillMissing, kReembedAll, kClean };

struct EmbedPipelineOptions {
  EmbedMode mode = EmbedMode::kFillMissing;
  std::vector<std::string> types;    // --type (none = all spec types)
  std::vector<std::string> selects;  // --select "Type:field=value" or "field=value" (OR-ed)
};

struct EmbedSummary {
  std::string input, output, mode, model;
  uint64_t records = 0, selected_records = 0, embedded_records = 0, cleaned_records = 0;
  uint32_t dimension = 0;
};

// Text → vector of the spec's dimension (e.g. embed_text with the document role).
using Embedder = std::function<std::vector<float>(const std::string& text, uint32_t dimension)>;

// Runs the pipeline: `spec_json` is `{"dimension": N, "types": {T: {"target", "fields"}}}`.
// Writes `output_path`.tmp then renames it (all-or-nothing). `model` is reported (empty for
// clean; the embedder is never called then). Throws Error(bad_request) for a bad spec, an
// unreadable input, a non-object line ("record N is not a JSON object"; blank lines not
// counted), a typed line without object `data`, or a malformed selector.
EmbedSummary run_embed_pipeline(const std::string& input_path, const std::string& output_path,
                                const std::string& spec_json, const EmbedPipelineOptions& options,
                                const std::string& model, const Embedder& embed);

// The embedding text of one record: "type: <Type>" then "\n<field>: <rendered>" per non-empty
// rendering (strings trimmed; arrays joined with ", " skipping empties; null → empty).
std::string embedding_text(const std::string& type, const std::string& data_json,
                           const std::vector<std::string>& fields);

}  // namespace omnigraph::engine::search
