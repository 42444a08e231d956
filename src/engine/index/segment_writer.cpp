// Registry of persisted index-segment kinds.
#include "engine/index/segment_writer.h"

#include <cstdint>
#include <vector>

#include "common/error.h"
#include "engine/index/scalar_segment.h"
#include "engine/search/hnsw_segment.h"
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

namespace {

// "hnsw": the HNSW graph over the column's non-null vectors, labelled by physical row
// (search/hnsw_segment.h, default parameters).
std::string encode_hnsw(const storage::Column& column) {
  if (column.type.kind != storage::TypeKind::kVector)
    throw Error::bad_request("hnsw index: column is not a Vector column");
  const uint32_t dim = column.type.dimension;
  std::vector<float> vectors;
  std::vector<uint32_t> labels;
  vectors.reserve((column.length - column.null_count()) * dim);
  labels.reserve(column.length - column.null_count());
  for (uint64_t r = 0; r < column.length; ++r) {
    if (column.is_null(r)) continue;
    auto v = column.vector_at(r);
    vectors.insert(vectors.end(), v.begin(), v.end());
    labels.push_back(static_cast<uint32_t>(r));
  }
  return search::HnswSegment::build(vectors.data(), labels.data(), labels.size(), dim)->encode();
}

}  // namespace

const std::vector<SegmentWriter>& segment_writers() {
  static const std::vector<SegmentWriter> writers = {
      {"btree", compiler::IndexKind::kScalar,
       [](const storage::Column& column) { return ScalarSegment::build(column)->encode(); }},
      {"fts", compiler::IndexKind::kFullText, encode_fulltext},
      {"hnsw", compiler::IndexKind::kVector, encode_hnsw},
  };
  return writers;
}

}  // namespace omnigraph::engine::index
