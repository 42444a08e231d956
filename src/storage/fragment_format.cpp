// Fragment footer serialisation (docs/storage-format.md §4.3).
#include "storage/fragment_format.h"

#include "storage/byte_io.h"

namespace omnigraph::storage {

std::string encode_footer(const FragmentFooter& footer) {
  std::string out;
  ByteWriter w(out);
  w.u64(footer.row_count);
  w.u32(static_cast<uint32_t>(footer.columns.size()));
  for (const ColumnMeta& c : footer.columns) {
    w.str(c.name);
    w.u8(static_cast<uint8_t>(c.type.kind));
    w.u8(static_cast<uint8_t>(c.type.element));
    w.u32(c.type.dimension);
    w.u64(c.stats.null_count);
    w.u8(static_cast<uint8_t>((c.stats.min ? 1 : 0) | (c.stats.max ? 2 : 0)));
    if (c.stats.min) w.str(*c.stats.min);
    if (c.stats.max) w.str(*c.stats.max);
    w.u32(static_cast<uint32_t>(c.pages.size()));
    for (const PageMeta& p : c.pages) {
      w.u32(p.row_count);
      w.u32(p.null_count);
      w.u8(static_cast<uint8_t>(p.buffers.size()));
      for (const BufferMeta& b : p.buffers) {
        w.u8(static_cast<uint8_t>(b.role));
        w.u8(static_cast<uint8_t>(b.codec));
        w.u64(b.offset);
        w.u64(b.stored_len);
        w.u64(b.raw_len);
        w.u64(b.checksum);
      }
    }
  }
  return out;
}

FragmentFooter decode_footer(std::string_view bytes, const std::string& what) {
  ByteReader r(bytes, what + " footer");
  FragmentFooter f;
  f.row_count = r.u64();
  uint32_t ncols = r.u32();
  for (uint32_t ci = 0; ci < ncols; ++ci) {
    ColumnMeta c;
    c.name = r.str();
    uint8_t kind = r.u8(), element = r.u8();
    uint32_t dim = r.u32();
    if (kind < static_cast<uint8_t>(TypeKind::kBool) || kind > static_cast<uint8_t>(TypeKind::kVector))
      throw IntegrityError(what + ": column '" + c.name + "' has unknown type tag " + std::to_string(kind));
    c.type = ColumnType{static_cast<TypeKind>(kind), static_cast<TypeKind>(element), dim};
    if (c.type.kind == TypeKind::kList &&
        (element < static_cast<uint8_t>(TypeKind::kBool) || element > static_cast<uint8_t>(TypeKind::kEnum)))
      throw IntegrityError(what + ": column '" + c.name + "' has bad list element tag");
    if (c.type.kind == TypeKind::kVector && dim == 0)
      throw IntegrityError(what + ": column '" + c.name + "' has vector dimension 0");
    c.stats.null_count = r.u64();
    uint8_t flags = r.u8();
    if (flags & 1) c.stats.min = r.str();
    if (flags & 2) c.stats.max = r.str();
    uint32_t npages = r.u32();
    uint64_t row = 0;
    for (uint32_t pi = 0; pi < npages; ++pi) {
      PageMeta p;
      p.row_start = row;
      p.row_count = r.u32();
      p.null_count = r.u32();
      uint8_t nbuf = r.u8();
      for (uint8_t bi = 0; bi < nbuf; ++bi) {
        BufferMeta b;
        uint8_t role = r.u8(), codec = r.u8();
        if (role > static_cast<uint8_t>(BufferRole::kData) || codec > static_cast<uint8_t>(Codec::kZstd))
          throw IntegrityError(what + ": column '" + c.name + "' page " + std::to_string(pi) +
                               " has a bad buffer tag");
        b.role = static_cast<BufferRole>(role);
        b.codec = static_cast<Codec>(codec);
        b.offset = r.u64();
        b.stored_len = r.u64();
        b.raw_len = r.u64();
        b.checksum = r.u64();
        p.buffers.push_back(b);
      }
      row += p.row_count;
      c.pages.push_back(std::move(p));
    }
    if (row != f.row_count)
      throw IntegrityError(what + ": column '" + c.name + "' pages hold " + std::to_string(row) +
                           " rows, footer says " + std::to_string(f.row_count));
    f.columns.push_back(std::move(c));
  }
  if (!r.done()) throw IntegrityError(what + ": trailing bytes after the footer");
  return f;
}

}  // namespace omnigraph::storage
