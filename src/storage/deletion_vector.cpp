// Deletion vectors over CRoaring, stored in the metadata envelope.
#include "storage/deletion_vector.h"

#include <roaring/roaring.hh>

#include "common/error.h"
#include "storage/meta_object.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {

struct DeletionVector::Impl {
  Roaring bitmap;
};

DeletionVector::DeletionVector() : impl_(std::make_unique<Impl>()) {}
DeletionVector::~DeletionVector() = default;
DeletionVector::DeletionVector(const DeletionVector& other) : impl_(std::make_unique<Impl>(*other.impl_)) {}
DeletionVector& DeletionVector::operator=(const DeletionVector& other) {
  if (this != &other) impl_ = std::make_unique<Impl>(*other.impl_);
  return *this;
}
DeletionVector::DeletionVector(DeletionVector&& other) noexcept : impl_(std::move(other.impl_)) {}
DeletionVector& DeletionVector::operator=(DeletionVector&& other) noexcept {
  impl_ = std::move(other.impl_);
  return *this;
}

void DeletionVector::add(uint32_t row) {
  impl_->bitmap.add(row);
}
void DeletionVector::add_range(uint32_t begin, uint32_t end) {
  if (begin < end) impl_->bitmap.addRange(begin, end);
}
bool DeletionVector::contains(uint32_t row) const {
  return impl_->bitmap.contains(row);
}
uint64_t DeletionVector::cardinality() const {
  return impl_->bitmap.cardinality();
}
void DeletionVector::merge(const DeletionVector& other) {
  impl_->bitmap |= other.impl_->bitmap;
}
bool DeletionVector::operator==(const DeletionVector& other) const {
  return impl_->bitmap == other.impl_->bitmap;
}

std::vector<uint32_t> DeletionVector::to_vector() const {
  std::vector<uint32_t> out(impl_->bitmap.cardinality());
  impl_->bitmap.toUint32Array(out.data());
  return out;
}

void DeletionVector::fill_keep_mask(uint32_t begin, uint32_t end, uint8_t* keep) const {
  for (uint32_t i = begin; i < end; ++i) keep[i - begin] = 1;
  // Walk only the deleted rows inside the range.
  RoaringSetBitForwardIterator it = impl_->bitmap.begin();
  it.equalorlarger(begin);
  for (; it != impl_->bitmap.end() && *it < end; ++it) keep[*it - begin] = 0;
}

std::string DeletionVector::serialize() const {
  impl_->bitmap.runOptimize();
  std::string out(impl_->bitmap.getSizeInBytes(true), '\0');
  impl_->bitmap.write(out.data(), true);
  return out;
}

DeletionVector DeletionVector::deserialize(std::string_view bytes, const std::string& what) {
  DeletionVector dv;
  try {
    dv.impl_->bitmap = Roaring::readSafe(bytes.data(), bytes.size());
  } catch (const std::exception& e) {
    throw IntegrityError(what + " is not a valid bitmap: " + e.what());
  }
  if (dv.impl_->bitmap.getSizeInBytes(true) != bytes.size())
    throw IntegrityError(what + " has trailing bytes");
  return dv;
}

void write_deletion_vector(ObjectStore& store, const std::string& key, const DeletionVector& dv) {
  if (!store.create_if_absent(key, seal_meta(MetaKind::kDeletionVector, dv.serialize())))
    throw Error::internal("deletion vector '" + key + "' already exists");
}

DeletionVector read_deletion_vector(ObjectStore& store, const std::string& key) {
  std::string what = "deletion vector '" + key + "'";
  return DeletionVector::deserialize(open_meta(store.get(key), MetaKind::kDeletionVector, what), what);
}

}  // namespace omnigraph::storage
