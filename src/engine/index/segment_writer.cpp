// Registry of persisted index-segment kinds.
#include "engine/index/segment_writer.h"

namespace omnigraph::engine::index {

const std::vector<SegmentWriter>& segment_writers() {
  static const std::vector<SegmentWriter> writers = {
      // One entry per kind: {"btree", IndexKind::kScalar, ...}, {"fts", ...}, {"hnsw", ...}.
  };
  return writers;
}

}  // namespace omnigraph::engine::index
