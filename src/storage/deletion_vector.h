// Deletion vectors: the immutable set of deleted row offsets of one fragment (CRoaring bitmap).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "storage/object_store.h"

namespace omnigraph::storage {

// A set of row offsets within one fragment (< 2^32). Value type; not thread-safe for mutation,
// safe for concurrent const use. The CRoaring bitmap stays out of this header.
class DeletionVector {
 public:
  DeletionVector();
  ~DeletionVector();
  DeletionVector(const DeletionVector& other);
  DeletionVector& operator=(const DeletionVector& other);
  DeletionVector(DeletionVector&&) noexcept;
  DeletionVector& operator=(DeletionVector&&) noexcept;

  void add(uint32_t row);
  void add_range(uint32_t begin, uint32_t end);  // [begin, end)
  bool contains(uint32_t row) const;
  uint64_t cardinality() const;
  // Union with other (an update on top of earlier deletes yields a new, larger vector).
  void merge(const DeletionVector& other);
  std::vector<uint32_t> to_vector() const;
  // Marks, for rows [begin, end) of the fragment, keep[i - begin] = !contains(i). No allocation.
  void fill_keep_mask(uint32_t begin, uint32_t end, uint8_t* keep) const;

  // Portable CRoaring serialisation (interoperable with other Roaring implementations).
  std::string serialize() const;
  // Throws IntegrityError if the bytes are not a valid portable bitmap.
  static DeletionVector deserialize(std::string_view bytes, const std::string& what);

  bool operator==(const DeletionVector& other) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Stores dv under key (create_if_absent, sealed in a metadata envelope). Existing key = internal.
void write_deletion_vector(ObjectStore& store, const std::string& key, const DeletionVector& dv);
// Throws not_found / IntegrityError.
DeletionVector read_deletion_vector(ObjectStore& store, const std::string& key);

}  // namespace omnigraph::storage
