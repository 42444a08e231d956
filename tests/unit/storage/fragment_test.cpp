// Column types, fragment round trips for every type, paging, projection, row ranges, statistics
// and corruption detection.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

#include "common/error.h"
#include "storage/column_types.h"
#include "storage/fragment_reader.h"
#include "storage/fragment_writer.h"
#include "storage/local_object_store.h"
#include "storage/storage_error.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

using testing::ScratchDir;

using testing::MemoryStore;

TEST(ColumnType, NamesRoundTrip) {
  std::vector<ColumnType> types = {
      ColumnType::scalar(TypeKind::kBool),     ColumnType::scalar(TypeKind::kI32),
      ColumnType::scalar(TypeKind::kU64),      ColumnType::scalar(TypeKind::kDate),
      ColumnType::scalar(TypeKind::kDateTime), ColumnType::scalar(TypeKind::kEnum),
      ColumnType::scalar(TypeKind::kBlob),     ColumnType::list(TypeKind::kString),
      ColumnType::list(TypeKind::kF64),        ColumnType::vector(128)};
  for (const auto& t : types) {
    auto parsed = ColumnType::parse(t.to_string());
    ASSERT_TRUE(parsed.has_value()) << t.to_string();
    EXPECT_EQ(*parsed, t);
  }
  EXPECT_EQ(ColumnType::vector(3).to_string(), "Vector(3)");
  EXPECT_EQ(ColumnType::list(TypeKind::kI64).to_string(), "List<I64>");
  EXPECT_FALSE(ColumnType::parse("Vector(0)"));
  EXPECT_FALSE(ColumnType::parse("List<Vector(2)>"));
  EXPECT_FALSE(ColumnType::parse("Int"));
  EXPECT_THROW(ColumnType::list(TypeKind::kBlob), Error);
  EXPECT_THROW(ColumnType::vector(0), Error);
}

TEST(Column, NullsAndAppendRows) {
  Column c(ColumnType::scalar(TypeKind::kI64));
  for (int64_t i = 0; i < 20; ++i) {
    if (i % 7 == 3)
      c.append_null();
    else
      c.append<int64_t>(i);
  }
  EXPECT_EQ(c.length, 20u);
  EXPECT_EQ(c.null_count(), 3u);  // rows 3, 10, 17
  EXPECT_TRUE(c.is_null(10));
  EXPECT_FALSE(c.is_null(11));
  Column slice(c.type);
  slice.append_rows(c, 9, 12);
  ASSERT_EQ(slice.length, 3u);
  EXPECT_FALSE(slice.is_null(0));
  EXPECT_TRUE(slice.is_null(1));
  EXPECT_EQ(slice.values<int64_t>()[2], 11);
  EXPECT_THROW(c.append<int32_t>(1), Error);
}

TEST(BlobDescriptor, RoundTripAndRejectsGarbage) {
  BlobDescriptor b{"omni:blobs/01HX", 1234, "image/png", std::string(64, 'a')};
  EXPECT_EQ(decode_blob_descriptor(encode_blob_descriptor(b)), b);
  EXPECT_THROW(decode_blob_descriptor("\x01\xff"), IntegrityError);
  EXPECT_THROW(decode_blob_descriptor(encode_blob_descriptor(b) + "x"), IntegrityError);
}

// One column of every type, nulls sprinkled in, deterministic content per row.
struct AllTypes {
  std::vector<std::string> names;
  std::vector<Column> cols;

  explicit AllTypes(uint64_t rows) {
    add("b", ColumnType::scalar(TypeKind::kBool));
    add("i32", ColumnType::scalar(TypeKind::kI32));
    add("i64", ColumnType::scalar(TypeKind::kI64));
    add("u32", ColumnType::scalar(TypeKind::kU32));
    add("u64", ColumnType::scalar(TypeKind::kU64));
    add("f32", ColumnType::scalar(TypeKind::kF32));
    add("f64", ColumnType::scalar(TypeKind::kF64));
    add("date", ColumnType::scalar(TypeKind::kDate));
    add("dt", ColumnType::scalar(TypeKind::kDateTime));
    add("s", ColumnType::scalar(TypeKind::kString));
    add("e", ColumnType::scalar(TypeKind::kEnum));
    add("blob", ColumnType::scalar(TypeKind::kBlob));
    add("li", ColumnType::list(TypeKind::kI32));
    add("ls", ColumnType::list(TypeKind::kString));
    add("v", ColumnType::vector(4));
    for (uint64_t r = 0; r < rows; ++r) append_row(r);
  }
  void add(std::string n, ColumnType t) {
    names.push_back(std::move(n));
    cols.emplace_back(t);
  }
  static bool null_at(uint64_t r, size_t c) { return (r * 31 + c * 7) % 11 == 0; }
  void append_row(uint64_t r) {
    for (size_t c = 0; c < cols.size(); ++c) {
      Column& col = cols[c];
      if (c != 2 && null_at(r, c)) {  // keep i64 null-free to exercise the fast path
        col.append_null();
        continue;
      }
      int64_t v = static_cast<int64_t>(r) - 50;
      switch (col.type.kind) {
        case TypeKind::kBool:
          col.append<uint8_t>(r % 3 == 0);
          break;
        case TypeKind::kI32:
          col.append<int32_t>(static_cast<int32_t>(v * 3));
          break;
        case TypeKind::kI64:
          col.append<int64_t>(v * 1000003);
          break;
        case TypeKind::kU32:
          col.append<uint32_t>(static_cast<uint32_t>(r * 7));
          break;
        case TypeKind::kU64:
          col.append<uint64_t>(r * r);
          break;
        case TypeKind::kF32:
          col.append<float>(static_cast<float>(v) * 0.5f);
          break;
        case TypeKind::kF64:
          col.append<double>(static_cast<double>(v) / 3.0);
          break;
        case TypeKind::kDate:
          col.append<int32_t>(static_cast<int32_t>(19000 + r));
          break;
        case TypeKind::kDateTime:
          col.append<int64_t>(1700000000000 + v * 1000);
          break;
        case TypeKind::kString:
          col.append_bytes("name-" + std::to_string(r) + std::string(r % 5, 'x'));
          break;
        case TypeKind::kEnum:
          col.append_bytes(r % 2 ? "active" : "archived");
          break;
        case TypeKind::kBlob:
          col.append_bytes(encode_blob_descriptor({"omni:blobs/" + std::to_string(r), r, "text/plain", ""}));
          break;
        case TypeKind::kList: {
          if (col.type.element == TypeKind::kI32) {
            std::vector<int32_t> e(r % 4);
            for (size_t i = 0; i < e.size(); ++i) e[i] = static_cast<int32_t>(r + i);
            col.append_list_fixed(e.data(), e.size());
          } else {
            std::vector<std::string> owned;
            for (uint64_t i = 0; i < r % 3; ++i) owned.push_back("t" + std::to_string(r + i));
            std::vector<std::string_view> views(owned.begin(), owned.end());
            col.append_list_strings(views);
          }
          break;
        }
        case TypeKind::kVector: {
          float lanes[4] = {static_cast<float>(r), 1.0f, -static_cast<float>(r), 0.25f};
          col.append_vector(lanes);
          break;
        }
      }
    }
  }
  std::vector<NamedColumn> named() const {
    std::vector<NamedColumn> out;
    for (size_t i = 0; i < cols.size(); ++i) out.push_back({names[i], &cols[i]});
    return out;
  }
};

void expect_same_rows(const Column& expected, uint64_t begin, const Column& got) {
  Column want(expected.type);
  want.append_rows(expected, begin, begin + got.length);
  ASSERT_EQ(want.length, got.length);
  for (uint64_t r = 0; r < got.length; ++r) ASSERT_EQ(want.is_null(r), got.is_null(r)) << "row " << r;
  EXPECT_EQ(want.data, got.data);
  EXPECT_EQ(want.offsets, got.offsets);
  EXPECT_EQ(want.child_offsets, got.child_offsets);
}

TEST(Fragment, RoundTripsEveryTypeAcrossPages) {
  MemoryStore store;
  AllTypes t(1000);
  FragmentWriteOptions opts;
  opts.max_page_rows = 64;  // many pages
  opts.target_page_bytes = 700;
  auto named = t.named();
  FragmentSummary summary = write_fragment(store, "tables/t/f1", named, opts);
  EXPECT_EQ(summary.row_count, 1000u);
  EXPECT_EQ(summary.size_bytes, store.objects["tables/t/f1"].size());
  auto reader = FragmentReader::open(store, "tables/t/f1");
  EXPECT_EQ(reader.row_count(), 1000u);
  ASSERT_EQ(reader.columns().size(), t.cols.size());
  for (size_t c = 0; c < t.cols.size(); ++c) {
    SCOPED_TRACE(t.names[c]);
    EXPECT_EQ(reader.columns()[c].type, t.cols[c].type);
    EXPECT_GT(reader.columns()[c].pages.size(), 1u);
    expect_same_rows(t.cols[c], 0, reader.read_column(t.names[c]));
    // Ranges that start and end inside pages.
    for (auto [b, e] :
         std::vector<std::pair<uint64_t, uint64_t>>{{0, 1}, {63, 65}, {100, 577}, {999, 1000}, {5, 5}})
      expect_same_rows(t.cols[c], b, reader.read_column(t.names[c], b, e));
  }
  // Decoded values are the written ones (not only byte-equal buffers).
  Column v = reader.read_column("v", 10, 12);
  EXPECT_FLOAT_EQ(v.vector_at(1)[0], 11.0f);
  Column s = reader.read_column("s", 2, 3);
  EXPECT_EQ(s.bytes_at(0), "name-2xx");
  Column ls = reader.read_column("ls", 5, 6);
  auto [e0, e1] = ls.list_range(0);
  ASSERT_EQ(e1 - e0, 2u);
  EXPECT_EQ(ls.list_element_bytes(e0), "t5");
  EXPECT_EQ(decode_blob_descriptor(reader.read_column("blob", 4, 5).bytes_at(0)).uri, "omni:blobs/4");
}

TEST(Fragment, StatisticsMatchData) {
  MemoryStore store;
  AllTypes t(200);
  auto named = t.named();
  FragmentSummary summary = write_fragment(store, "f", named);
  auto reader = FragmentReader::open(store, "f");
  for (size_t c = 0; c < t.cols.size(); ++c) {
    EXPECT_EQ(summary.columns[c].stats, compute_stats(t.cols[c]));
    EXPECT_EQ(reader.columns()[c].stats, summary.columns[c].stats);
    EXPECT_EQ(summary.columns[c].stats.null_count, t.cols[c].null_count());
  }
  auto as_i64 = [](const std::string& s) {
    int64_t v;
    std::memcpy(&v, s.data(), 8);
    return v;
  };
  const ColumnStats& i64 = summary.columns[2].stats;
  EXPECT_EQ(i64.null_count, 0u);
  EXPECT_EQ(as_i64(*i64.min), -50 * 1000003);
  EXPECT_EQ(as_i64(*i64.max), 149 * 1000003);
  const ColumnStats& s = summary.columns[9].stats;
  EXPECT_GT(s.null_count, 0u);
  EXPECT_EQ(*s.min, "name-0");
  EXPECT_EQ(*s.max, "name-9xxxx");                          // byte order: 'x' > '9'
  EXPECT_FALSE(summary.columns[14].stats.min.has_value());  // vectors have no ordering
}

TEST(Fragment, FloatStatsIgnoreNanAndAllNullHasNone) {
  Column f(ColumnType::scalar(TypeKind::kF64));
  f.append<double>(std::nan(""));
  f.append<double>(2.5);
  f.append<double>(-1.0);
  ColumnStats st = compute_stats(f);
  double lo, hi;
  std::memcpy(&lo, st.min->data(), 8);
  std::memcpy(&hi, st.max->data(), 8);
  EXPECT_EQ(lo, -1.0);
  EXPECT_EQ(hi, 2.5);
  Column n(ColumnType::scalar(TypeKind::kString));
  n.append_null();
  n.append_null();
  ColumnStats ns = compute_stats(n);
  EXPECT_EQ(ns.null_count, 2u);
  EXPECT_FALSE(ns.min || ns.max);
  Column longs(ColumnType::scalar(TypeKind::kString));
  longs.append_bytes(std::string(100, 'z'));
  ColumnStats ls = compute_stats(longs);
  EXPECT_EQ(ls.min->size(), kMaxStatBytes);
  EXPECT_FALSE(ls.max.has_value());
}

TEST(Fragment, ProjectionAndRangesFetchOnlyWhatIsAsked) {
  MemoryStore store;
  Column big(ColumnType::scalar(TypeKind::kString));
  Column small(ColumnType::scalar(TypeKind::kI32));
  std::mt19937 rng(7);
  for (int i = 0; i < 20000; ++i) {
    std::string s(64, ' ');
    for (char& ch : s) ch = static_cast<char>('a' + rng() % 26);  // incompressible-ish
    big.append_bytes(s);
    small.append<int32_t>(i);
  }
  std::vector<NamedColumn> named = {{"big", &big}, {"small", &small}};
  FragmentWriteOptions opts;
  opts.target_page_bytes = 64 * 1024;
  write_fragment(store, "f", named, opts);
  uint64_t file_size = store.objects["f"].size();
  auto reader = FragmentReader::open(store, "f");
  store.bytes_read = 0;
  Column got = reader.read_column("small");
  EXPECT_EQ(got.values<int32_t>()[19999], 19999);
  EXPECT_LT(store.bytes_read, file_size / 10) << "reading the small column fetched the big one";
  store.bytes_read = 0;
  Column part = reader.read_column("big", 100, 200);
  EXPECT_EQ(part.length, 100u);
  EXPECT_EQ(part.bytes_at(0), big.bytes_at(100));
  EXPECT_LT(store.bytes_read, file_size / 5) << "a 100-row range fetched most of the column";
}

TEST(Fragment, RejectsBadInputAndBadReads) {
  MemoryStore store;
  Column a(ColumnType::scalar(TypeKind::kI64)), b(ColumnType::scalar(TypeKind::kI64));
  a.append<int64_t>(1);
  std::vector<NamedColumn> unequal = {{"a", &a}, {"b", &b}};
  EXPECT_THROW(write_fragment(store, "f", unequal), Error);
  std::vector<NamedColumn> dup = {{"a", &a}, {"a", &a}};
  EXPECT_THROW(write_fragment(store, "f", dup), Error);
  std::vector<NamedColumn> ok = {{"a", &a}};
  write_fragment(store, "f", ok);
  EXPECT_THROW(write_fragment(store, "f", ok), Error);  // immutable
  auto reader = FragmentReader::open(store, "f");
  EXPECT_THROW(reader.read_column("zz"), Error);
  EXPECT_THROW(reader.read_column("a", 0, 2), Error);
  EXPECT_THROW(FragmentReader::open(store, "missing"), Error);
}

TEST(Fragment, EmptyFragmentRoundTrips) {
  MemoryStore store;
  Column a(ColumnType::scalar(TypeKind::kString));
  std::vector<NamedColumn> named = {{"a", &a}};
  write_fragment(store, "f", named);
  auto reader = FragmentReader::open(store, "f");
  EXPECT_EQ(reader.row_count(), 0u);
  EXPECT_EQ(reader.read_column("a").length, 0u);
}

TEST(Fragment, EveryFlippedByteIsAnIntegrityErrorNeverData) {
  MemoryStore store;
  AllTypes t(60);
  auto named = t.named();
  FragmentWriteOptions opts;
  opts.max_page_rows = 16;
  write_fragment(store, "f", named, opts);
  const std::string pristine = store.objects["f"];
  for (size_t pos = 0; pos < pristine.size(); ++pos) {
    std::string damaged = pristine;
    damaged[pos] = static_cast<char>(damaged[pos] ^ 0x10);
    store.objects["f"] = damaged;
    bool detected = false;
    try {
      auto reader = FragmentReader::open(store, "f");
      for (const std::string& n : t.names) reader.read_column(n);
    } catch (const IntegrityError&) {
      detected = true;
    } catch (const FormatVersionError&) {
      detected = true;  // a flipped version byte claims a newer format
    }
    ASSERT_TRUE(detected) << "flip at byte " << pos << " of " << pristine.size() << " went unnoticed";
  }
}

TEST(Fragment, WorksOnLocalStore) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  AllTypes t(300);
  auto named = t.named();
  write_fragment(*store, "tables/x/frag", named);
  auto reader = FragmentReader::open(*store, "tables/x/frag");
  for (size_t c = 0; c < t.cols.size(); ++c) expect_same_rows(t.cols[c], 0, reader.read_column(t.names[c]));
}

}  // namespace
}  // namespace omnigraph::storage

namespace omnigraph::storage {
namespace {

// Randomised round trips (fixed seeds): random types, null densities, page limits and ranges,
// compared with slices of the written column.
TEST(Fragment, RandomisedRoundTripsMatchReferenceSlices) {
  const std::vector<ColumnType> types = {ColumnType::scalar(TypeKind::kBool),
                                         ColumnType::scalar(TypeKind::kI32),
                                         ColumnType::scalar(TypeKind::kU64),
                                         ColumnType::scalar(TypeKind::kF32),
                                         ColumnType::scalar(TypeKind::kString),
                                         ColumnType::scalar(TypeKind::kEnum),
                                         ColumnType::list(TypeKind::kI64),
                                         ColumnType::list(TypeKind::kString),
                                         ColumnType::vector(3)};
  for (uint32_t seed = 1; seed <= 40; ++seed) {
    std::mt19937 rng(seed);
    testing::MemoryStore store;
    uint64_t rows = rng() % 3000;
    double null_rate = (rng() % 4) * 0.2;  // 0, 0.2, 0.4, 0.6
    std::vector<Column> cols;
    std::vector<std::string> names;
    for (size_t t = 0; t < types.size(); ++t) {
      cols.emplace_back(types[t]);
      names.push_back("c" + std::to_string(t));
    }
    std::uniform_real_distribution<double> u(0, 1);
    for (uint64_t r = 0; r < rows; ++r) {
      for (Column& c : cols) {
        if (u(rng) < null_rate) {
          c.append_null();
          continue;
        }
        switch (c.type.kind) {
          case TypeKind::kBool:
            c.append<uint8_t>(rng() & 1);
            break;
          case TypeKind::kI32:
            c.append<int32_t>(static_cast<int32_t>(rng()));
            break;
          case TypeKind::kU64:
            c.append<uint64_t>(rng() % 100);
            break;
          case TypeKind::kF32:
            c.append<float>(static_cast<float>(rng() % 1000) / 7.0f);
            break;
          case TypeKind::kString:
          case TypeKind::kEnum:
            c.append_bytes(std::string(rng() % 40, static_cast<char>('a' + rng() % 3)));
            break;
          case TypeKind::kList:
            if (c.type.element == TypeKind::kI64) {
              std::vector<int64_t> e(rng() % 5);
              for (auto& x : e) x = static_cast<int64_t>(rng());
              c.append_list_fixed(e.data(), e.size());
            } else {
              std::vector<std::string> owned(rng() % 4);
              for (auto& s : owned) s = std::string(rng() % 9, 'q');
              std::vector<std::string_view> views(owned.begin(), owned.end());
              c.append_list_strings(views);
            }
            break;
          case TypeKind::kVector: {
            float v[3] = {u(rng) > 0.5f ? 1.0f : -1.0f, static_cast<float>(r), 0.0f};
            c.append_vector(v);
            break;
          }
          default:
            FAIL();
        }
      }
    }
    std::vector<NamedColumn> named;
    for (size_t i = 0; i < cols.size(); ++i) named.push_back({names[i], &cols[i]});
    FragmentWriteOptions opts;
    opts.max_page_rows = 1 + rng() % 500;
    opts.target_page_bytes = 1 + rng() % 4096;
    write_fragment(store, "f", named, opts);
    auto reader = FragmentReader::open(store, "f");
    ASSERT_EQ(reader.row_count(), rows);
    for (size_t i = 0; i < cols.size(); ++i) {
      SCOPED_TRACE("seed " + std::to_string(seed) + " column " + cols[i].type.to_string());
      for (int k = 0; k < 4; ++k) {
        uint64_t a = rows ? rng() % (rows + 1) : 0, b = rows ? rng() % (rows + 1) : 0;
        if (a > b) std::swap(a, b);
        if (k == 0) a = 0, b = rows;
        Column got = reader.read_column(names[i], a, b);
        Column want(cols[i].type);
        want.append_rows(cols[i], a, b);
        ASSERT_EQ(got.length, want.length);
        for (uint64_t r = 0; r < got.length; ++r) ASSERT_EQ(got.is_null(r), want.is_null(r)) << r;
        ASSERT_EQ(got.data, want.data);
        ASSERT_EQ(got.offsets, want.offsets);
        ASSERT_EQ(got.child_offsets, want.child_offsets);
        ASSERT_EQ(got.null_count(), want.null_count());
      }
    }
  }
}

}  // namespace
}  // namespace omnigraph::storage

namespace omnigraph::storage {
namespace {

// Incompressible fixed-width data is stored raw and read straight into the column; ranges,
// checksums and the fallback for pages with nulls must behave exactly like the general path.
TEST(Fragment, RawFixedPagesReadDirectlyAndStayVerified) {
  testing::MemoryStore store;
  std::mt19937_64 rng(99);
  Column c(ColumnType::scalar(TypeKind::kU64));
  Column v(ColumnType::vector(16));
  for (int i = 0; i < 20000; ++i) {
    c.append<uint64_t>(rng());
    float lanes[16];
    for (float& f : lanes) f = static_cast<float>(rng() % 1000003) / 7.0f;
    if (i == 15000)
      v.append_null();  // one page of v has nulls: that page takes the general path
    else
      v.append_vector(lanes);
  }
  std::vector<NamedColumn> named = {{"c", &c}, {"v", &v}};
  FragmentWriteOptions opts;
  opts.target_page_bytes = 16 * 1024;
  write_fragment(store, "f", named, opts);
  auto reader = FragmentReader::open(store, "f");
  for (const PageMeta& p : reader.columns()[0].pages) ASSERT_EQ(p.buffers[0].codec, Codec::kNone);
  for (auto [a, b] :
       std::vector<std::pair<uint64_t, uint64_t>>{{0, 20000}, {1, 2}, {2047, 4097}, {19999, 20000}}) {
    expect_same_rows(c, a, reader.read_column("c", a, b));
    expect_same_rows(v, a, reader.read_column("v", a, b));
  }
  expect_same_rows(v, 14000, reader.read_column("v", 14000, 16000));
  // A flipped byte inside raw data is caught on the direct path too.
  const BufferMeta& target = reader.columns()[0].pages[3].buffers[0];
  std::string& bytes = store.objects["f"];
  bytes[target.offset + 100] ^= 0x01;
  auto damaged = FragmentReader::open(store, "f");
  EXPECT_THROW(damaged.read_column("c"), IntegrityError);
  EXPECT_NO_THROW(damaged.read_column("c", 0, 10));  // pages before the damage are fine
}

}  // namespace
}  // namespace omnigraph::storage
