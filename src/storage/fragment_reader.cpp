// Fragment decoding with per-buffer verification; fetches one byte range per requested column.
#include "storage/fragment_reader.h"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "common/version.h"
#include "storage/byte_io.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {
namespace {

constexpr uint64_t kTailGuess = 64 * 1024;  // one ranged get usually covers footer + trailer

struct DctxDeleter {
  void operator()(ZSTD_DCtx* d) const { ZSTD_freeDCtx(d); }
};

std::string_view role_name(BufferRole role) {
  switch (role) {
    case BufferRole::kValidity:
      return "validity";
    case BufferRole::kOffsets:
      return "offsets";
    case BufferRole::kChildOffsets:
      return "child offsets";
    case BufferRole::kData:
      return "data";
  }
  return "?";
}

// Decodes pages of one column out of the bytes fetched for it.
class PageDecoder {
 public:
  PageDecoder(const std::string& key, const ColumnMeta& meta, std::string_view fetched,
              uint64_t fetched_offset)
      : key_(key), meta_(meta), fetched_(fetched), fetched_offset_(fetched_offset), dctx_(ZSTD_createDCtx()) {
    if (!dctx_) throw Error::internal("zstd: cannot create decompression context");
  }

  // Decodes rows [lo, hi) (page-local) of page `pi` onto the end of out.
  void append(size_t pi, uint64_t lo, uint64_t hi, Column& out) {
    const PageMeta& p = meta_.pages[pi];
    const BufferMeta* validity = find(p, BufferRole::kValidity);
    if ((validity != nullptr) != (p.null_count > 0))
      fail(pi, "validity buffer does not match the page's null count");
    const Layout layout = meta_.type.layout();
    // Fast path: a whole fixed-width page without nulls decodes straight into the output.
    if (layout == Layout::kFixed && validity == nullptr && !out.has_nulls() && lo == 0 && hi == p.row_count) {
      const BufferMeta& data = require(pi, p, BufferRole::kData);
      uint64_t want = uint64_t{p.row_count} * meta_.type.width();
      if (data.raw_len != want) fail(pi, "data buffer has the wrong length");
      size_t old = out.data.size();
      out.data.resize(old + want);
      decode_into(pi, data, out.data.data() + old);
      out.length += p.row_count;
      return;
    }
    page_ = Column(meta_.type);
    page_.length = p.row_count;
    if (validity) {
      if (validity->raw_len != (uint64_t{p.row_count} + 7) / 8)
        fail(pi, "validity buffer has the wrong length");
      page_.validity.resize(validity->raw_len);
      decode_into(pi, *validity, page_.validity.data());
    }
    const BufferMeta& data = require(pi, p, BufferRole::kData);
    page_.data.resize(data.raw_len);
    decode_into(pi, data, page_.data.data());
    switch (layout) {
      case Layout::kFixed:
        if (data.raw_len != uint64_t{p.row_count} * meta_.type.width())
          fail(pi, "data buffer has the wrong length");
        break;
      case Layout::kVariable:
        offsets(pi, p, BufferRole::kOffsets, p.row_count, page_.offsets, data.raw_len);
        break;
      case Layout::kListFixed: {
        const BufferMeta& ob = require(pi, p, BufferRole::kOffsets);
        if (ob.raw_len < 8 || ob.raw_len % 8) fail(pi, "offsets buffer has the wrong length");
        uint64_t elements = 0;
        // Element count is implied by the data length.
        elements = data.raw_len / meta_.type.width();
        if (data.raw_len % meta_.type.width()) fail(pi, "data buffer has the wrong length");
        offsets(pi, p, BufferRole::kOffsets, p.row_count, page_.offsets, elements);
        break;
      }
      case Layout::kListVariable: {
        const BufferMeta& cb = require(pi, p, BufferRole::kChildOffsets);
        if (cb.raw_len < 8 || cb.raw_len % 8) fail(pi, "child offsets buffer has the wrong length");
        uint64_t elements = cb.raw_len / 8 - 1;
        offsets(pi, p, BufferRole::kOffsets, p.row_count, page_.offsets, elements);
        offsets(pi, p, BufferRole::kChildOffsets, elements, page_.child_offsets, data.raw_len);
        break;
      }
    }
    out.append_rows(page_, lo, hi);
  }

 private:
  [[noreturn]] void fail(size_t pi, std::string_view why) const {
    throw IntegrityError("fragment '" + key_ + "' column '" + meta_.name + "' page " + std::to_string(pi) +
                         ": " + std::string(why));
  }

  static const BufferMeta* find(const PageMeta& p, BufferRole role) {
    for (const BufferMeta& b : p.buffers)
      if (b.role == role) return &b;
    return nullptr;
  }

  const BufferMeta& require(size_t pi, const PageMeta& p, BufferRole role) const {
    const BufferMeta* b = find(p, role);
    if (!b) fail(pi, "missing " + std::string(role_name(role)) + " buffer");
    return *b;
  }

  // Reads a page-local offsets buffer of count+1 entries that must rise from 0 to `last`.
  void offsets(size_t pi, const PageMeta& p, BufferRole role, uint64_t count, std::vector<uint64_t>& out,
               uint64_t last) {
    const BufferMeta& b = require(pi, p, role);
    if (b.raw_len != (count + 1) * 8) fail(pi, std::string(role_name(role)) + " buffer has the wrong length");
    out.resize(count + 1);
    decode_into(pi, b, reinterpret_cast<uint8_t*>(out.data()));
    bool ok = out[0] == 0 && out[count] == last;
    for (uint64_t i = 0; i < count; ++i) ok &= out[i] <= out[i + 1];
    if (!ok) fail(pi, std::string(role_name(role)) + " are not monotonic within bounds");
  }

  // Verifies the stored bytes' checksum, then decompresses exactly raw_len bytes into dst.
  void decode_into(size_t pi, const BufferMeta& b, uint8_t* dst) {
    std::string_view stored = fetched_.substr(b.offset - fetched_offset_, b.stored_len);
    if (XXH3_64bits(stored.data(), stored.size()) != b.checksum)
      fail(pi, std::string(role_name(b.role)) + " buffer checksum mismatch");
    if (b.codec == Codec::kNone) {
      if (b.stored_len != b.raw_len) fail(pi, "raw buffer length mismatch");
      if (b.raw_len) std::memcpy(dst, stored.data(), b.raw_len);
      return;
    }
    size_t got = ZSTD_decompressDCtx(dctx_.get(), dst, b.raw_len, stored.data(), stored.size());
    if (ZSTD_isError(got) || got != b.raw_len)
      fail(pi, std::string(role_name(b.role)) + " buffer does not decompress");
  }

  const std::string& key_;
  const ColumnMeta& meta_;
  std::string_view fetched_;
  uint64_t fetched_offset_;
  std::unique_ptr<ZSTD_DCtx, DctxDeleter> dctx_;
  Column page_;
};

}  // namespace

FragmentReader FragmentReader::open(ObjectStore& store, std::string key) {
  auto info = store.head(key);
  if (!info) throw Error::not_found("fragment '" + key + "' not found");
  uint64_t size = info->size;
  if (size < kFragmentHeaderSize + kFragmentTrailerSize)
    throw IntegrityError("fragment '" + key + "' is too short (" + std::to_string(size) + " bytes)");
  uint64_t tail_len = std::min(size, kTailGuess);
  std::string tail = store.get_range(key, size - tail_len, tail_len);
  if (tail.size() != tail_len) throw IntegrityError("fragment '" + key + "' changed size while being read");
  ByteReader trailer(std::string_view(tail).substr(tail.size() - kFragmentTrailerSize),
                     "fragment '" + key + "' trailer");
  uint64_t footer_len = trailer.u64();
  uint64_t footer_sum = trailer.u64();
  uint32_t version = trailer.u32();
  if (trailer.take(4) != kFragmentTrailerMagic)
    throw IntegrityError("fragment '" + key + "' has no trailer magic");
  if (version < 1) throw IntegrityError("fragment '" + key + "' has format version 0");
  if (version > static_cast<uint32_t>(kStorageFormatVersion))
    throw FormatVersionError("fragment '" + key + "' uses storage format " + std::to_string(version) +
                             ", newer than this build's " + std::to_string(kStorageFormatVersion) +
                             "; upgrade omnigraph to read it");
  if (footer_len > size - kFragmentHeaderSize - kFragmentTrailerSize)
    throw IntegrityError("fragment '" + key + "' footer length " + std::to_string(footer_len) +
                         " is out of bounds");
  uint64_t footer_start = size - kFragmentTrailerSize - footer_len;
  std::string footer_bytes;
  if (footer_len + kFragmentTrailerSize <= tail_len) {
    footer_bytes = tail.substr(tail.size() - kFragmentTrailerSize - footer_len, footer_len);
  } else {
    footer_bytes = store.get_range(key, footer_start, footer_len);
  }
  // The header is not covered by a checksum, so check every byte of it.
  std::string header =
      tail_len == size ? tail.substr(0, kFragmentHeaderSize) : store.get_range(key, 0, kFragmentHeaderSize);
  {
    ByteReader h(header, "fragment '" + key + "' header");
    bool ok = h.take(kFragmentMagic.size()) == kFragmentMagic;
    ok &= h.u32() == version;
    ok &= h.u32() == 0;
    if (!ok) throw IntegrityError("fragment '" + key + "' has a damaged header");
  }
  if (XXH3_64bits(footer_bytes.data(), footer_bytes.size()) != footer_sum)
    throw IntegrityError("fragment '" + key + "' footer checksum mismatch");
  FragmentFooter footer = decode_footer(footer_bytes, "fragment '" + key + "'");
  for (const ColumnMeta& c : footer.columns)
    for (const PageMeta& p : c.pages)
      for (const BufferMeta& b : p.buffers)
        if (b.offset < kFragmentHeaderSize || b.offset > footer_start ||
            b.stored_len > footer_start - b.offset)
          throw IntegrityError("fragment '" + key + "' column '" + c.name +
                               "' has a buffer outside the data area");
  return FragmentReader(store, std::move(key), size, std::move(footer));
}

std::optional<size_t> FragmentReader::find_column(std::string_view name) const {
  for (size_t i = 0; i < footer_.columns.size(); ++i)
    if (footer_.columns[i].name == name) return i;
  return std::nullopt;
}

Column FragmentReader::read_column(std::string_view name, uint64_t row_begin, uint64_t row_end) const {
  auto idx = find_column(name);
  if (!idx) throw Error::bad_request("fragment '" + key_ + "' has no column '" + std::string(name) + "'");
  if (row_begin > row_end || row_end > footer_.row_count)
    throw Error::bad_request("row range [" + std::to_string(row_begin) + ", " + std::to_string(row_end) +
                             ") is outside fragment '" + key_ + "' (" + std::to_string(footer_.row_count) +
                             " rows)");
  const ColumnMeta& meta = footer_.columns[*idx];
  Column out(meta.type);
  if (row_begin == row_end) return out;
  // Pages overlapping the range.
  auto first = std::upper_bound(meta.pages.begin(), meta.pages.end(), row_begin,
                                [](uint64_t r, const PageMeta& p) { return r < p.row_start; }) -
               1;
  size_t p0 = static_cast<size_t>(first - meta.pages.begin());
  size_t p1 = p0;
  while (p1 < meta.pages.size() && meta.pages[p1].row_start < row_end) ++p1;
  if (meta.type.layout() == Layout::kFixed && read_fixed_direct(meta, p0, p1, row_begin, row_end, out))
    return out;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (size_t pi = p0; pi < p1; ++pi)
    for (const BufferMeta& b : meta.pages[pi].buffers) {
      lo = std::min(lo, b.offset);
      hi = std::max(hi, b.offset + b.stored_len);
    }
  std::string fetched = lo < hi ? store_->get_range(key_, lo, hi - lo) : std::string();
  if (lo < hi && fetched.size() != hi - lo)
    throw IntegrityError("fragment '" + key_ + "' is shorter than its footer says");
  if (meta.type.layout() == Layout::kFixed)
    out.data.reserve((row_end - row_begin) * meta.type.width());
  else
    out.offsets.reserve(row_end - row_begin + 1);
  PageDecoder dec(key_, meta, fetched, lo == UINT64_MAX ? 0 : lo);
  for (size_t pi = p0; pi < p1; ++pi) {
    const PageMeta& p = meta.pages[pi];
    uint64_t a = std::max(row_begin, p.row_start) - p.row_start;
    uint64_t b = std::min(row_end, p.row_start + p.row_count) - p.row_start;
    dec.append(pi, a, b, out);
  }
  return out;
}

bool FragmentReader::read_fixed_direct(const ColumnMeta& meta, size_t p0, size_t p1, uint64_t row_begin,
                                       uint64_t row_end, Column& out) const {
  // Applies when every page in range is one raw, null-free data buffer and the pages sit back to
  // back in the file: their bytes are then exactly the column's values, so they are read
  // straight into the output and verified in place (no staging copy).
  const uint64_t width = meta.type.width();
  uint64_t total = 0, next = 0;
  for (size_t pi = p0; pi < p1; ++pi) {
    const PageMeta& p = meta.pages[pi];
    if (p.buffers.size() != 1) return false;
    const BufferMeta& b = p.buffers[0];
    if (b.role != BufferRole::kData || b.codec != Codec::kNone || p.null_count != 0 ||
        b.raw_len != uint64_t{p.row_count} * width || b.stored_len != b.raw_len ||
        (pi > p0 && b.offset != next))
      return false;
    next = b.offset + b.stored_len;
    total += b.raw_len;
  }
  const uint64_t first = meta.pages[p0].buffers[0].offset;
  out.data.resize(total);
  uint64_t got =
      store_->read_range_into(key_, first, std::span<char>(reinterpret_cast<char*>(out.data.data()), total));
  if (got != total) throw IntegrityError("fragment '" + key_ + "' is shorter than its footer says");
  uint64_t pos = 0;
  for (size_t pi = p0; pi < p1; ++pi) {
    const BufferMeta& b = meta.pages[pi].buffers[0];
    if (XXH3_64bits(out.data.data() + pos, b.stored_len) != b.checksum)
      throw IntegrityError("fragment '" + key_ + "' column '" + meta.name + "' page " + std::to_string(pi) +
                           ": data buffer checksum mismatch");
    pos += b.stored_len;
  }
  uint64_t skip = (row_begin - meta.pages[p0].row_start) * width;
  uint64_t keep = (row_end - row_begin) * width;
  if (skip) std::memmove(out.data.data(), out.data.data() + skip, keep);
  out.data.resize(keep);
  out.length = row_end - row_begin;
  return true;
}

std::vector<Column> FragmentReader::read(std::span<const std::string> names, uint64_t row_begin,
                                         uint64_t row_end) const {
  std::vector<Column> out;
  out.reserve(names.size());
  for (const std::string& n : names) out.push_back(read_column(n, row_begin, row_end));
  return out;
}

}  // namespace omnigraph::storage
