// Format marker write and version check.
#include "storage/graph_root.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/version.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {

void init_graph_root(ObjectStore& store) {
  nlohmann::json j = {{"format", "omnigraph-graph"}, {"format_version", kStorageFormatVersion}};
  if (!store.create_if_absent(kFormatMarkerKey, j.dump() + "\n"))
    throw Error::conflict("a graph already exists at " + store.describe());
}

int check_graph_root(ObjectStore& store) {
  std::string text;
  try {
    text = store.get(kFormatMarkerKey);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) throw Error::not_found("no graph at " + store.describe());
    throw;
  }
  int version = 0;
  try {
    auto j = nlohmann::json::parse(text);
    if (j.at("format").get<std::string>() != "omnigraph-graph")
      throw IntegrityError("not an omnigraph graph");
    version = j.at("format_version").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw IntegrityError("format marker of " + store.describe() + " is unreadable: " + e.what());
  }
  if (version > kStorageFormatVersion) {
    throw FormatVersionError("the graph at " + store.describe() + " uses storage format " +
                             std::to_string(version) + ", but this omnigraph " + kReleaseVersion +
                             " reads format " + std::to_string(kStorageFormatVersion) +
                             "; upgrade omnigraph to open it");
  }
  if (version < kStorageFormatVersion) {
    throw FormatVersionError(
        "the graph at " + store.describe() + " uses storage format " + std::to_string(version) +
        ", older than this omnigraph's format " + std::to_string(kStorageFormatVersion) +
        "; export it with the omnigraph release that wrote it and re-import it (omnigraph export, "
        "then omnigraph init + load)");
  }
  return version;
}

}  // namespace omnigraph::storage
