// Bulk load of strict graph NDJSON (data-plane §2): envelope grammar, value encoding, id
// derivation, modes append/merge/overwrite, limits, and one atomic commit per load.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine {

enum class LoadMode { kAppend, kMerge, kOverwrite };
std::string_view load_mode_name(LoadMode mode);              // "append" | "merge" | "overwrite"
std::optional<LoadMode> parse_load_mode(std::string_view text);

struct LoadOptions {
  LoadMode mode = LoadMode::kMerge;
  std::string branch = "main";
  std::optional<std::string> from;  // create a missing `branch` from this branch first
  std::optional<std::string> actor;
  // Called now and then while parsing with (bytes consumed, total bytes); may be empty.
  std::function<void(uint64_t, uint64_t)> progress;
};

struct LoadTypeCount {
  std::string name;
  uint64_t entities_loaded = 0;  // input records, before merge-mode dedupe
};

struct LoadResult {
  std::string branch;
  LoadMode mode = LoadMode::kMerge;
  std::optional<std::string> base_branch;  // echo of `from`
  bool branch_created = false;
  std::vector<LoadTypeCount> nodes, edges;  // types present in the file, sorted by name
  uint64_t total_entities = 0;
  storage::GraphCommit commit;
};

// Loads `data` (the whole NDJSON text; lines are parsed in place, never as one DOM) onto the
// branch as one commit. Errors (bad_request naming the line and field, not_found for a
// missing branch, conflict key_conflict / read_set_conflict, resource_limit) leave the
// branch unchanged; a branch created from `from` stays. Thread-safe like Graph::write.
LoadResult load_ndjson(Graph& graph, std::string_view data, const LoadOptions& options);

// Same, reading the file at `path` straight into the parse buffer (no extra copy). Throws
// bad_request "cannot read data file '<path>'".
LoadResult load_ndjson_file(Graph& graph, const std::string& path, const LoadOptions& options);

// §4.1 branch-name check for a branch about to be created; throws bad_request.
void validate_branch_name(std::string_view name);

}  // namespace omnigraph::engine
