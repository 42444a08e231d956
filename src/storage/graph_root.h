// The graph root's format marker: written once at init, checked on every open so a build never
// reads (or damages) a graph written in a format it does not understand.
#pragma once

#include <string>

#include "storage/object_store.h"

namespace omnigraph::storage {

// Key of the marker object: plain JSON {"format":"omnigraph-graph","format_version":N}, kept
// deliberately simple so every past and future build can read it.
inline constexpr const char* kFormatMarkerKey = "omnigraph.format";

// Writes the marker with create_if_absent. Throws conflict "a graph already exists at <uri>" if
// present. Does not create any branch (the engine writes the genesis commit and `main`).
void init_graph_root(ObjectStore& store);

// Reads the marker. Throws not_found "no graph at <uri>" if absent; FormatVersionError with an
// "upgrade omnigraph" message if newer than kStorageFormatVersion, or an "export with the
// omnigraph release that wrote it and re-import" message if older; IntegrityError if unreadable.
// Returns the version found (== kStorageFormatVersion on success).
int check_graph_root(ObjectStore& store);

}  // namespace omnigraph::storage
