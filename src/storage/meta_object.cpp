// Metadata envelope: magic, version, kind, length-prefixed payload, trailing XXH3 checksum.
#include "storage/meta_object.h"

#include <xxhash.h>

#include <cstring>

#include "common/version.h"
#include "storage/byte_io.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {
namespace {
constexpr std::string_view kMetaMagic = "OMNIMETA";
}

std::string seal_meta(MetaKind kind, std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 29);
  ByteWriter w(out);
  w.raw(kMetaMagic.data(), kMetaMagic.size());
  w.u32(static_cast<uint32_t>(kStorageFormatVersion));
  w.u8(static_cast<uint8_t>(kind));
  w.u64(payload.size());
  w.raw(payload.data(), payload.size());
  w.u64(XXH3_64bits(out.data(), out.size()));
  return out;
}

std::string open_meta(std::string_view bytes, MetaKind expected, const std::string& what) {
  if (bytes.size() < 29)
    throw IntegrityError(what + " is truncated (" + std::to_string(bytes.size()) + " bytes)");
  uint64_t stored_sum;
  std::memcpy(&stored_sum, bytes.data() + bytes.size() - 8, 8);
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  ByteReader r(body, what);
  bool magic_ok = r.take(kMetaMagic.size()) == kMetaMagic;
  uint32_t version = r.u32();
  // A newer writer may have changed the layout, so judge the version before the checksum —
  // but only when the magic proves this is a metadata object at all.
  if (magic_ok && version > static_cast<uint32_t>(kStorageFormatVersion) &&
      XXH3_64bits(body.data(), body.size()) == stored_sum)
    throw FormatVersionError(what + " uses storage format " + std::to_string(version) +
                             ", newer than this build's " + std::to_string(kStorageFormatVersion) +
                             "; upgrade omnigraph to read it");
  if (XXH3_64bits(body.data(), body.size()) != stored_sum) throw IntegrityError(what + " checksum mismatch");
  if (!magic_ok) throw IntegrityError(what + " has no metadata magic");
  if (version != static_cast<uint32_t>(kStorageFormatVersion))
    throw IntegrityError(what + " has unsupported format version " + std::to_string(version));
  uint8_t kind = r.u8();
  if (kind != static_cast<uint8_t>(expected))
    throw IntegrityError(what + " is a metadata object of kind " + std::to_string(kind) + ", expected " +
                         std::to_string(static_cast<int>(expected)));
  uint64_t len = r.u64();
  if (len != body.size() - r.position()) throw IntegrityError(what + " payload length mismatch");
  return std::string(r.take(len));
}

}  // namespace omnigraph::storage
