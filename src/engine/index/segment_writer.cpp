// Registry of persisted index-segment kinds.
#include "engine/index/segment_writer.h"

#include "engine/index/scalar_segment.h"

namespace omnigraph::engine::index {

const std::vector<SegmentWriter>& segment_writers() {
  static const std::vector<SegmentWriter> writers = {
      // One entry per kind: {"btree", IndexKind::kScalar, ...}, {"fts", ...}, {"hnsw", ...}.
      {"btree", compiler::IndexKind::kScalar,
       [](const storage::Column& column) { return ScalarSegment::build(column)->encode(); }},
  };
  return writers;
}

}  // namespace omnigraph::engine::index
