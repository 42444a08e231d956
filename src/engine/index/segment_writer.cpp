// Registry of persisted index-segment kinds.
#include "engine/index/segment_writer.h"

#include "common/error.h"
#include "engine/index/scalar_segment.h"
#include "engine/search/inverted_segment.h"

namespace omnigraph::engine::index {
namespace {

// "fts": the inverted index of a String/Enum column (search/inverted_segment.h).
std::string encode_fulltext(const storage::Column& column) {
  if (column.type.kind != storage::TypeKind::kString && column.type.kind != storage::TypeKind::kEnum)
    throw Error::bad_request("a full-text segment needs a String column, not " + column.type.to_string());
  return search::InvertedSegment::build(static_cast<uint32_t>(column.length),
                                        [&](uint32_t r) -> std::optional<std::string_view> {
                                          if (column.is_null(r)) return std::nullopt;
                                          return column.bytes_at(r);
                                        })
      .encode();
}

}  // namespace

const std::vector<SegmentWriter>& segment_writers() {
  static const std::vector<SegmentWriter> writers = {
      {"btree", compiler::IndexKind::kScalar,
       [](const storage::Column& column) { return ScalarSegment::build(column)->encode(); }},
      {"fts", compiler::IndexKind::kFullText, encode_fulltext},
      // Still to come: {"hnsw", IndexKind::kVector, ...}.
  };
  return writers;
}

}  // namespace omnigraph::engine::index
