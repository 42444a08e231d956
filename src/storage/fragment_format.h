// On-disk constants and footer model of fragment files (docs/storage-format.md §4). Shared by
// the fragment writer and reader; callers use fragment_writer.h / fragment_reader.h instead.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/column_types.h"

namespace omnigraph::storage {

inline constexpr std::string_view kFragmentMagic = "OMNIFRAG";     // 8 bytes, file start
inline constexpr std::string_view kFragmentTrailerMagic = "OGFT";  // 4 bytes, file end
inline constexpr size_t kFragmentHeaderSize = 16;                  // magic + u32 version + u32 reserved
inline constexpr size_t kFragmentTrailerSize = 24;  // u64 footer_len + u64 footer_xxh3 + u32 version + magic

enum class BufferRole : uint8_t { kValidity = 0, kOffsets = 1, kChildOffsets = 2, kData = 3 };
enum class Codec : uint8_t { kNone = 0, kZstd = 1 };

struct BufferMeta {
  BufferRole role = BufferRole::kData;
  Codec codec = Codec::kNone;
  uint64_t offset = 0;      // absolute file offset of the stored bytes
  uint64_t stored_len = 0;  // bytes in the file
  uint64_t raw_len = 0;     // bytes after decompression
  uint64_t checksum = 0;    // XXH3-64 of the stored bytes
};

struct PageMeta {
  uint64_t row_start = 0;  // derived on read: sum of earlier pages' row counts
  uint32_t row_count = 0;
  uint32_t null_count = 0;
  std::vector<BufferMeta> buffers;
};

struct ColumnMeta {
  std::string name;
  ColumnType type;
  ColumnStats stats;
  std::vector<PageMeta> pages;
};

struct FragmentFooter {
  uint64_t row_count = 0;
  std::vector<ColumnMeta> columns;
};

// Footer bytes <-> model. decode throws IntegrityError naming `what` on malformed input.
std::string encode_footer(const FragmentFooter& footer);
FragmentFooter decode_footer(std::string_view bytes, const std::string& what);

}  // namespace omnigraph::storage
