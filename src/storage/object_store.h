// The object-store contract every storage layer is written against: a flat namespace of
// immutable-by-convention objects with one atomic primitive, create-if-absent.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::storage {

struct ObjectInfo {
  uint64_t size = 0;
  // Opaque; changes whenever the object's bytes may have changed. Not a content hash.
  std::string etag;
};

// Keys are '/'-separated relative paths: non-empty segments of [A-Za-z0-9._%=+-], no segment
// that starts with '.', no leading or trailing '/'. Callers must assume only what S3 offers:
// no rename, no locking, no append, listing by string prefix in byte order.
//
// Every method is safe to call from several threads and several processes at once; the only
// cross-writer guarantee is create_if_absent's atomicity. Failures throw omnigraph::Error
// (not_found for a missing object, bad_request for an invalid key, internal for I/O errors).
class ObjectStore {
 public:
  virtual ~ObjectStore() = default;

  // Whole object. Throws not_found if absent.
  virtual std::string get(std::string_view key) = 0;
  // Bytes [offset, offset+length) clipped to the object's end. Throws not_found if absent,
  // bad_request if offset is past the end.
  virtual std::string get_range(std::string_view key, uint64_t offset, uint64_t length) = 0;
  // Same as get_range, but into caller memory (no intermediate buffer): fills dst from offset and
  // returns the bytes written, fewer only at the object's end. The default calls get_range.
  virtual uint64_t read_range_into(std::string_view key, uint64_t offset, std::span<char> dst);
  // Size and etag, or nullopt if absent.
  virtual std::optional<ObjectInfo> head(std::string_view key) = 0;
  // Creates or replaces the object atomically: readers see the old or the new bytes, never a mix.
  virtual void put(std::string_view key, std::string_view data) = 0;
  // Creates the object only if no object has that key. Atomic and durable once it returns:
  // of several concurrent callers exactly one gets true; the others get false and the winner's
  // bytes stay untouched.
  virtual bool create_if_absent(std::string_view key, std::string_view data) = 0;
  // All keys that start with prefix (a plain string prefix, not a directory), in byte order.
  virtual std::vector<std::string> list(std::string_view prefix) = 0;
  // Removes the object; removing an absent object is not an error.
  virtual void remove(std::string_view key) = 0;
  // Human-readable location for messages, e.g. "file:///data/g.omni".
  virtual std::string describe() const = 0;
};

// Throws bad_request naming the key and the rule it breaks.
void validate_object_key(std::string_view key);

}  // namespace omnigraph::storage
