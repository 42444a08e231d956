// libFuzzer target for the persisted index-segment decoders (docs/storage-format.md §5.5): the
// first byte picks the kind (fts, btree, hnsw), the rest is the segment body, and the fuzzer
// appends the body's XXH3-64 so inputs get past the checksum and reach the structural checks.
// A decoder must either reject the bytes with an omnigraph::Error or return a segment that is
// safe to use (an HNSW search over it must not read out of bounds).
#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.h"
#include "engine/index/scalar_segment.h"
#include "engine/search/hnsw_segment.h"
#include "engine/search/inverted_segment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  uint64_t sum = XXH3_64bits(bytes.data(), bytes.size());
  for (int i = 0; i < 8; ++i) bytes.push_back(static_cast<char>((sum >> (8 * i)) & 0xff));
  using namespace omnigraph::engine;
  try {
    switch (data[0] % 3) {
      case 0:
        (void)search::InvertedSegment::decode(bytes);
        break;
      case 1:
        (void)index::ScalarSegment::decode(bytes);
        break;
      default: {
        auto seg = search::HnswSegment::decode(bytes);
        if (seg->dimension() <= 4096) {
          std::vector<float> query(seg->dimension(), 0.5f);
          (void)seg->search(query.data(), 3);
        }
        break;
      }
    }
  } catch (const omnigraph::Error&) {
    return 0;  // rejected: the expected outcome for most inputs
  }
  return 0;
}
