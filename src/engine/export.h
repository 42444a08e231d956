// Export of a pinned snapshot as load-envelope NDJSON (data-plane §9): edge types before node
// types (type key order), each type by ascending id, `data` with `id` first then every
// declared property (nulls included). `export` → `load --mode overwrite` round-trips.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "engine/graph_snapshot.h"
#include "storage/object_store.h"

namespace omnigraph::engine {

// Writes every entity of the selected types (`types` empty = all; a name selects the node
// and/or edge type of that name; unknown → bad_request "unknown export type 'T'"). `store`
// is the graph's store (managed blob bytes are read from it).
void export_ndjson(const GraphSnapshot& snapshot, storage::ObjectStore& store, const std::vector<std::string>& types,
                   std::ostream& out);

}  // namespace omnigraph::engine
