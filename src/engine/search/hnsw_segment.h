// An HNSW approximate-nearest-neighbour index over one fragment's Vector column (the persisted
// "hnsw" segment of docs/storage-format.md §5.5): build (hnswlib), encode/decode, filtered top-k.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::engine::search {

// Build and search parameters (docs/search.md "HNSW"). Defaults meet recall@10 ≥ 0.95 on the
// bench's 100k × 128 clustered, L2-normalised embeddings.
struct HnswParams {
  uint32_t m = 16;                // links per node on upper layers (2m on layer 0)
  uint32_t ef_construction = 64;  // beam width while inserting
  uint32_t ef_search = 64;        // default beam width while searching (raised to k)
  uint32_t threads = 2;           // build threads; 1 gives a deterministic graph
  uint64_t seed = 100;            // level generator seed
};

// Immutable once built or decoded; search() is thread-safe.
class HnswSegment {
 public:
  struct Hit {
    float distance;  // squared L2 (search::l2_squared), the value the exact kernel computes
    uint32_t label;  // the caller's label (the fragment's physical row)
  };

  // Indexes `count` vectors of `dim` floats: vector i at vectors + i·dim, labelled labels[i].
  // Labels should be distinct. Throws Error(bad_request) for dim == 0 or m < 2.
  static std::shared_ptr<const HnswSegment> build(const float* vectors, const uint32_t* labels, size_t count,
                                                  uint32_t dim, const HnswParams& params = {});

  // Parses bytes written by encode(). Throws storage::IntegrityError("hnsw segment: …") naming
  // the failing part (magic, version, length, checksum, structure).
  static std::shared_ptr<const HnswSegment> decode(std::string_view bytes);

  // Envelope: "OMNIHNSW" | u32 version | u64 payload length | payload | u64 XXH3-64 of all
  // preceding bytes. Little-endian.
  std::string encode() const;

  // Up to k hits among labels for which `allow(label)` is true (every label when `allow` is
  // empty), closest first, ties by label. `ef` = beam width (0 → params().ef_search; raised to
  // k). Approximate: a hit is a true distance, but a closer allowed vector may be missed.
  std::vector<Hit> search(const float* query, size_t k, const std::function<bool(uint32_t)>& allow = {},
                          size_t ef = 0) const;

  uint32_t dimension() const;
  size_t size() const;  // indexed vectors
  const HnswParams& params() const;

  ~HnswSegment();
  HnswSegment(const HnswSegment&) = delete;
  HnswSegment& operator=(const HnswSegment&) = delete;

  struct Impl;

 private:
  explicit HnswSegment(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnigraph::engine::search
