// The checksummed envelope every metadata object (snapshot, commit, ref entry, deletion vector)
// is stored in, so a damaged or truncated object is an integrity error, never data.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace omnigraph::storage {

// On-disk tags (docs/storage-format.md §5); never renumber.
enum class MetaKind : uint8_t {
  kTableSnapshot = 1,
  kGraphCommit = 2,
  kRefEntry = 3,
  kDeletionVector = 4,
};

// "OMNIMETA" | u32 format version | u8 kind | u64 payload length | payload | u64 XXH3-64 of all
// preceding bytes.
std::string seal_meta(MetaKind kind, std::string_view payload);
// Verifies and strips the envelope. Throws IntegrityError naming `what` for damage or a kind
// mismatch, FormatVersionError for a newer format.
std::string open_meta(std::string_view bytes, MetaKind expected, const std::string& what);

}  // namespace omnigraph::storage
