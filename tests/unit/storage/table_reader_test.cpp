// TableReader: lazy fragment opening, cached columns, deletion vectors and keep masks.
#include <gtest/gtest.h>

#include "graph_fixture.h"
#include "storage/storage_error.h"
#include "storage/table_reader.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

TEST(TableReader, ReadsLiveRowsThroughCacheAndDeletionVectors) {
  testing::MemoryStore store;
  std::string v1 = testing::write_table_version(store, "t", std::nullopt, {{1, "a"}, {2, "b"}, {3, "c"}});
  std::string v2 = testing::write_table_version(store, "t", v1, {{2, "b2"}}, {2});
  ColumnCache cache;
  TableReader reader(store, read_table_snapshot(store, v2), &cache);
  ASSERT_EQ(reader.fragment_count(), 2u);
  EXPECT_EQ(reader.live_rows(), 3u);
  EXPECT_EQ(reader.keep_mask(0), (std::vector<uint8_t>{1, 0, 1}));
  EXPECT_EQ(reader.keep_mask(1), (std::vector<uint8_t>{1}));
  EXPECT_EQ(reader.deletions(0)->cardinality(), 1u);
  EXPECT_EQ(reader.deletions(1)->cardinality(), 0u);
  auto names = reader.column(0, "name");
  EXPECT_EQ(names->bytes_at(2), "c");
  EXPECT_EQ(reader.column(1, "name")->bytes_at(0), "b2");
  uint64_t gets_before = store.gets;
  auto again = reader.column(0, "name");  // warm: no store access
  EXPECT_EQ(again.get(), names.get());
  EXPECT_EQ(store.gets, gets_before);
  EXPECT_EQ(reader.column(0, "id", 1, 3)->values<int64_t>()[1], 3);
  EXPECT_TRUE(reader.has_column(0, "id"));
  EXPECT_FALSE(reader.has_column(0, "email"));
  EXPECT_THROW(reader.column(0, "email"), Error);
  EXPECT_THROW(reader.column(2, "id"), Error);
  // The older snapshot still reads its own rows (time travel).
  TableReader old(store, read_table_snapshot(store, v1));
  EXPECT_EQ(old.keep_mask(0), (std::vector<uint8_t>{1, 1, 1}));
}

TEST(TableReader, DeletionCountMismatchIsIntegrityError) {
  testing::MemoryStore store;
  std::string v1 = testing::write_table_version(store, "t", std::nullopt, {{1, "a"}, {2, "b"}});
  std::string v2 = testing::write_table_version(store, "t", v1, {}, {1});
  TableSnapshot snap = read_table_snapshot(store, v2);
  snap.fragments[0].deleted_rows = 2;  // lies about the vector
  TableReader reader(store, snap);
  EXPECT_THROW(reader.deletions(0), IntegrityError);
}

TEST(TableReader, MissingFragmentIsNotFound) {
  testing::MemoryStore store;
  std::string v1 = testing::write_table_version(store, "t", std::nullopt, {{1, "a"}});
  TableSnapshot snap = read_table_snapshot(store, v1);
  store.remove(snap.fragments[0].fragment.key);  // as if reclaimed by cleanup
  TableReader reader(store, snap);
  try {
    reader.column(0, "id");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

}  // namespace
}  // namespace omnigraph::storage
