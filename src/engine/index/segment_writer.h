// The persisted index-segment kinds optimize can build (docs/storage-format.md §5.5), one per
// index kind of languages.md §3.6. Each kind's reader lives beside its executor code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "compiler/catalog.h"
#include "storage/column_types.h"

namespace omnigraph::engine::index {

struct SegmentWriter {
  std::string kind;                // "btree" | "fts" | "hnsw": the IndexEntry kind and key suffix
  compiler::IndexKind serves;      // the properties it indexes (Property::index)
  // Encodes the segment of one fragment's column (all physical rows, deleted ones included,
  // nulls possible). Pure: no store access. Throws Error on a column it cannot index.
  std::function<std::string(const storage::Column& column)> encode;
};

// The writers of every segment kind built into the engine.
const std::vector<SegmentWriter>& segment_writers();

}  // namespace omnigraph::engine::index
