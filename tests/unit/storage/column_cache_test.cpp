// ColumnCache: hits, LRU eviction under a byte budget, oversize entries, shared lifetimes, and
// reads through a fragment reader that touch the store only once.
#include <gtest/gtest.h>

#include <thread>

#include "storage/column_cache.h"
#include "storage/fault_injection_store.h"
#include "storage/fragment_reader.h"
#include "storage/fragment_writer.h"
#include "storage/local_object_store.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

// Built with append, not operator+: GCC 12 raises a false -Wrestrict on "k" + std::to_string(i).
std::string key(int i) {
  std::string k = "k";
  k.append(std::to_string(i));
  return k;
}

Column ints(int64_t n, int64_t base = 0) {
  Column c(ColumnType::scalar(TypeKind::kI64));
  for (int64_t i = 0; i < n; ++i) c.append<int64_t>(base + i);
  return c;
}

TEST(ColumnCache, HitMissAndLruEvictionWithinBudget) {
  uint64_t one = ints(1000).memory_bytes();
  ColumnCache cache(3 * one + 600);  // room for three entries with their keys
  for (int i = 0; i < 3; ++i) cache.insert(key(i), ints(1000, i));
  EXPECT_EQ(cache.stats().entries, 3u);
  ASSERT_NE(cache.get("k0"), nullptr);  // k0 becomes most recent; k1 is now the LRU entry
  cache.insert("k3", ints(1000, 3));
  EXPECT_EQ(cache.get("k1"), nullptr);
  EXPECT_NE(cache.get("k0"), nullptr);
  EXPECT_NE(cache.get("k2"), nullptr);
  EXPECT_EQ(cache.get("k3")->values<int64_t>()[0], 3);
  ColumnCacheStats s = cache.stats();
  EXPECT_EQ(s.evictions, 1u);
  EXPECT_LE(s.used_bytes, cache.budget());
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 4u);
}

TEST(ColumnCache, OversizeEntryIsReturnedButNotCachedAndShrinkEvicts) {
  ColumnCache cache(1024);
  auto big = cache.insert("big", ints(10000));
  EXPECT_EQ(big->length, 10000u);
  EXPECT_EQ(cache.get("big"), nullptr);
  EXPECT_EQ(cache.stats().used_bytes, 0u);
  cache.set_budget(1 << 20);
  auto held = cache.insert("a", ints(100));
  cache.insert("b", ints(100));
  cache.set_budget(0);
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().used_bytes, 0u);
  EXPECT_EQ(held->values<int64_t>()[99], 99);  // evicted value stays valid for its holder
}

TEST(ColumnCache, ReplacingAKeyKeepsAccountingExact) {
  ColumnCache cache(1 << 20);
  cache.insert("a", ints(100));
  uint64_t after_one = cache.stats().used_bytes;
  cache.insert("a", ints(100));
  EXPECT_EQ(cache.stats().used_bytes, after_one);
  cache.erase("a");
  EXPECT_EQ(cache.stats().used_bytes, 0u);
}

TEST(ColumnCache, WarmReadsDoNotTouchTheStore) {
  testing::ScratchDir dir;
  auto local = LocalObjectStore::open(dir.path());
  Column c = ints(50000);
  std::vector<NamedColumn> cols = {{"x", &c}};
  write_fragment(*local, "f", cols);
  FaultInjectionStore store(*local, 0);  // reads pass until the first write "crashes" it
  FragmentReader reader = FragmentReader::open(store, "f");
  ColumnCache cache;
  auto first = read_column_cached(cache, reader, "x");
  EXPECT_EQ(first->values<int64_t>()[49999], 49999);
  EXPECT_THROW(store.put("z", "z"), std::exception);
  ASSERT_TRUE(store.crashed());
  // Warm: served from memory although every store call now fails.
  auto second = read_column_cached(cache, reader, "x");
  EXPECT_EQ(second.get(), first.get());
  EXPECT_EQ(cache.stats().hits, 1u);
  // A range never read is its own entry and is cold, so it needs the (dead) store.
  EXPECT_THROW(read_column_cached(cache, reader, "x", 10, 20), std::exception);
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST(ColumnCache, ConcurrentUseStaysWithinBudget) {
  ColumnCache cache(64 * 1024);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 500; ++i) {
        auto col = cache.get_or_load(key((i * 7 + t) % 50), [&] { return ints(200, i); });
        ASSERT_EQ(col->length, 200u);
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_LE(cache.stats().used_bytes, cache.budget());
}

}  // namespace
}  // namespace omnigraph::storage
