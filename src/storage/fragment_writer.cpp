// Fragment encoding: column-major pages, each buffer compressed and checksummed on its own.
#include "storage/fragment_writer.h"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <unordered_set>

#include "common/error.h"
#include "common/version.h"
#include "storage/byte_io.h"
#include "storage/fragment_format.h"

namespace omnigraph::storage {
namespace {

struct CctxDeleter {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

class Encoder {
 public:
  Encoder(std::string& out, const FragmentWriteOptions& options)
      : out_(out), options_(options), cctx_(ZSTD_createCCtx()) {
    if (!cctx_) throw Error::internal("zstd: cannot create compression context");
  }

  void column(const std::string& name, const Column& c, ColumnMeta& meta) {
    meta.name = name;
    meta.type = c.type;
    meta.stats = compute_stats(c);
    data_misses_ = 0;
    for (uint64_t row = 0; row < c.length;) {
      uint64_t end = page_end(c, row);
      meta.pages.push_back(page(c, row, end));
      row = end;
    }
  }

 private:
  uint64_t page_end(const Column& c, uint64_t row) const {
    uint64_t max_end = std::min<uint64_t>(c.length, row + options_.max_page_rows);
    switch (c.type.layout()) {
      case Layout::kFixed: {
        uint64_t by_bytes = std::max<uint64_t>(1, options_.target_page_bytes / c.type.width());
        return std::min(max_end, row + by_bytes);
      }
      case Layout::kVariable:
      case Layout::kListVariable:
      case Layout::kListFixed: {
        // Binary search the first row whose data would pass the target size.
        auto data_at = [&](uint64_t r) -> uint64_t {
          if (c.type.layout() == Layout::kVariable) return c.offsets[r];
          if (c.type.layout() == Layout::kListFixed) return c.offsets[r] * c.type.width();
          return c.child_offsets[c.offsets[r]];
        };
        uint64_t start = data_at(row);
        uint64_t lo = row + 1, hi = max_end;
        while (lo < hi) {
          uint64_t mid = lo + (hi - lo) / 2;
          if (data_at(mid) - start >= options_.target_page_bytes)
            hi = mid;
          else
            lo = mid + 1;
        }
        return lo;
      }
    }
    return max_end;
  }

  PageMeta page(const Column& c, uint64_t begin, uint64_t end) {
    PageMeta p;
    p.row_count = static_cast<uint32_t>(end - begin);
    uint64_t n = end - begin;
    if (c.has_nulls()) {
      bits_.assign((n + 7) / 8, 0);
      uint32_t nulls = 0;
      for (uint64_t i = 0; i < n; ++i) {
        if (c.is_null(begin + i))
          ++nulls;
        else
          bits_[i >> 3] |= static_cast<uint8_t>(1u << (i & 7));
      }
      p.null_count = nulls;
      if (nulls > 0) p.buffers.push_back(buffer(BufferRole::kValidity, bits_.data(), bits_.size()));
    }
    switch (c.type.layout()) {
      case Layout::kFixed: {
        size_t w = c.type.width();
        p.buffers.push_back(buffer(BufferRole::kData, c.data.data() + begin * w, n * w));
        break;
      }
      case Layout::kVariable: {
        local_offsets(c.offsets, begin, end);
        p.buffers.push_back(buffer(BufferRole::kOffsets, scratch_.data(), scratch_.size() * 8));
        p.buffers.push_back(
            buffer(BufferRole::kData, c.data.data() + c.offsets[begin], c.offsets[end] - c.offsets[begin]));
        break;
      }
      case Layout::kListFixed: {
        local_offsets(c.offsets, begin, end);
        p.buffers.push_back(buffer(BufferRole::kOffsets, scratch_.data(), scratch_.size() * 8));
        size_t w = c.type.width();
        p.buffers.push_back(buffer(BufferRole::kData, c.data.data() + c.offsets[begin] * w,
                                   (c.offsets[end] - c.offsets[begin]) * w));
        break;
      }
      case Layout::kListVariable: {
        local_offsets(c.offsets, begin, end);
        p.buffers.push_back(buffer(BufferRole::kOffsets, scratch_.data(), scratch_.size() * 8));
        uint64_t e0 = c.offsets[begin], e1 = c.offsets[end];
        local_offsets(c.child_offsets, e0, e1);
        p.buffers.push_back(buffer(BufferRole::kChildOffsets, scratch_.data(), scratch_.size() * 8));
        p.buffers.push_back(buffer(BufferRole::kData, c.data.data() + c.child_offsets[e0],
                                   c.child_offsets[e1] - c.child_offsets[e0]));
        break;
      }
    }
    return p;
  }

  void local_offsets(const std::vector<uint64_t>& offs, uint64_t begin, uint64_t end) {
    scratch_.resize(end - begin + 1);
    uint64_t base = offs[begin];
    for (uint64_t i = begin; i <= end; ++i) scratch_[i - begin] = offs[i] - base;
  }

  BufferMeta buffer(BufferRole role, const void* raw, size_t raw_len) {
    BufferMeta b;
    b.role = role;
    b.raw_len = raw_len;
    b.offset = out_.size();
    size_t bound = ZSTD_compressBound(raw_len);
    out_.resize(b.offset + bound);
    // After kGiveUp consecutive incompressible data buffers in a column, stop trying.
    bool try_zstd = raw_len > 0 && !(role == BufferRole::kData && data_misses_ >= kGiveUp);
    size_t got = try_zstd ? ZSTD_compressCCtx(cctx_.get(), out_.data() + b.offset, bound, raw, raw_len,
                                              options_.zstd_level)
                          : raw_len;
    if (ZSTD_isError(got))
      throw Error::internal(std::string("zstd compression failed: ") + ZSTD_getErrorName(got));
    // Keep the compressed form only when it saves at least 1/8: barely-compressible buffers
    // (float vectors) decode several times faster raw, for a few percent more bytes.
    bool keep = raw_len > 0 && got <= raw_len - raw_len / 8;
    if (role == BufferRole::kData) {
      data_misses_ = keep ? 0 : data_misses_ + 1;
    }
    if (keep) {
      b.codec = Codec::kZstd;
      b.stored_len = got;
    } else {
      b.codec = Codec::kNone;
      b.stored_len = raw_len;
      if (raw_len) std::memcpy(out_.data() + b.offset, raw, raw_len);
    }
    out_.resize(b.offset + b.stored_len);
    b.checksum = XXH3_64bits(out_.data() + b.offset, b.stored_len);
    return b;
  }

  std::string& out_;
  const FragmentWriteOptions& options_;
  std::unique_ptr<ZSTD_CCtx, CctxDeleter> cctx_;
  static constexpr int kGiveUp = 4;
  std::vector<uint8_t> bits_;
  std::vector<uint64_t> scratch_;
  int data_misses_ = 0;  // consecutive incompressible data buffers in the current column
};

}  // namespace

std::string encode_fragment(std::span<const NamedColumn> columns, const FragmentWriteOptions& options,
                            std::vector<ColumnSummary>* summaries) {
  if (options.max_page_rows == 0 || options.target_page_bytes == 0)
    throw Error::bad_request("fragment page limits must be positive");
  FragmentFooter footer;
  std::unordered_set<std::string> names;
  for (size_t i = 0; i < columns.size(); ++i) {
    const NamedColumn& nc = columns[i];
    if (nc.name.empty())
      throw Error::bad_request("fragment column #" + std::to_string(i) + " has an empty name");
    if (!names.insert(nc.name).second)
      throw Error::bad_request("fragment column '" + nc.name + "' appears twice");
    if (nc.column == nullptr) throw Error::bad_request("fragment column '" + nc.name + "' has no data");
    if (i == 0) footer.row_count = nc.column->length;
    if (nc.column->length != footer.row_count)
      throw Error::bad_request("fragment column '" + nc.name + "' has " + std::to_string(nc.column->length) +
                               " rows, expected " + std::to_string(footer.row_count));
  }
  if (footer.row_count > UINT32_MAX)
    throw Error::bad_request("a fragment holds at most 4294967295 rows, got " +
                             std::to_string(footer.row_count));
  std::string out;
  {
    ByteWriter w(out);
    w.raw(kFragmentMagic.data(), kFragmentMagic.size());
    w.u32(static_cast<uint32_t>(kStorageFormatVersion));
    w.u32(0);
  }
  uint64_t raw_total = 0;
  for (const NamedColumn& nc : columns)
    raw_total += nc.column->data.size() + nc.column->offsets.size() * 8 +
                 nc.column->child_offsets.size() * 8 + nc.column->validity.size();
  out.reserve(raw_total + raw_total / 64 + (1 << 16));  // raw fallback bounds the size
  Encoder enc(out, options);
  footer.columns.resize(columns.size());
  for (size_t i = 0; i < columns.size(); ++i)
    enc.column(columns[i].name, *columns[i].column, footer.columns[i]);
  std::string footer_bytes = encode_footer(footer);
  out += footer_bytes;
  ByteWriter w(out);
  w.u64(footer_bytes.size());
  w.u64(XXH3_64bits(footer_bytes.data(), footer_bytes.size()));
  w.u32(static_cast<uint32_t>(kStorageFormatVersion));
  w.raw(kFragmentTrailerMagic.data(), kFragmentTrailerMagic.size());
  if (summaries) {
    summaries->clear();
    for (const ColumnMeta& c : footer.columns) summaries->push_back({c.name, c.type, c.stats});
  }
  return out;
}

FragmentSummary write_fragment(ObjectStore& store, const std::string& key,
                               std::span<const NamedColumn> columns, const FragmentWriteOptions& options) {
  FragmentSummary summary;
  summary.key = key;
  std::string bytes = encode_fragment(columns, options, &summary.columns);
  summary.row_count = columns.empty() ? 0 : columns[0].column->length;
  summary.size_bytes = bytes.size();
  if (!store.create_if_absent(key, bytes)) throw Error::internal("fragment '" + key + "' already exists");
  return summary;
}

}  // namespace omnigraph::storage
