// HNSW segment: encode/decode round trip, corruption detection, recall against the exact kernel,
// filtered search and label mapping.
#include <gtest/gtest.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <set>
#include <vector>

#include "common/error.h"
#include "engine/search/hnsw_segment.h"
#include "engine/search/vector_kernel.h"

namespace omnigraph::engine::search {
namespace {

std::vector<float> random_unit_vectors(size_t n, uint32_t dim, uint32_t seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> g(0.0f, 1.0f);
  std::vector<float> v(n * dim);
  for (size_t i = 0; i < n; ++i) {
    double norm = 0;
    for (uint32_t d = 0; d < dim; ++d) {
      v[i * dim + d] = g(rng);
      norm += double(v[i * dim + d]) * v[i * dim + d];
    }
    for (uint32_t d = 0; d < dim; ++d) v[i * dim + d] = static_cast<float>(v[i * dim + d] / std::sqrt(norm));
  }
  return v;
}

// Labels 3·i + 1: not the positions, as physical rows with nulls skipped are not.
std::vector<uint32_t> spaced_labels(size_t n) {
  std::vector<uint32_t> l(n);
  for (size_t i = 0; i < n; ++i) l[i] = static_cast<uint32_t>(3 * i + 1);
  return l;
}

// Exact top-k labels among those allowed, ties by label.
std::vector<uint32_t> exact_top(const std::vector<float>& v, const std::vector<uint32_t>& labels,
                                uint32_t dim, const float* q, size_t k,
                                const std::function<bool(uint32_t)>& allow = {}) {
  std::vector<std::pair<float, uint32_t>> all;
  for (size_t i = 0; i < labels.size(); ++i)
    if (!allow || allow(labels[i])) all.emplace_back(l2_squared(q, v.data() + i * dim, dim), labels[i]);
  std::sort(all.begin(), all.end());
  std::vector<uint32_t> out;
  for (size_t i = 0; i < all.size() && i < k; ++i) out.push_back(all[i].second);
  return out;
}

double recall(const HnswSegment& seg, const std::vector<float>& v, const std::vector<uint32_t>& labels,
              uint32_t dim, const std::vector<float>& queries, size_t nq, size_t k,
              const std::function<bool(uint32_t)>& allow = {}) {
  size_t hit = 0, total = 0;
  for (size_t qi = 0; qi < nq; ++qi) {
    const float* q = queries.data() + qi * dim;
    auto truth = exact_top(v, labels, dim, q, k, allow);
    std::set<uint32_t> want(truth.begin(), truth.end());
    for (const auto& h : seg.search(q, k, allow)) hit += want.count(h.label);
    total += truth.size();
  }
  return static_cast<double>(hit) / static_cast<double>(total);
}

constexpr uint32_t kDim = 32;

TEST(HnswSegment, RecallOnRandomUnitVectors) {
  const size_t n = 5000;
  auto v = random_unit_vectors(n, kDim, 7);
  auto labels = spaced_labels(n);
  auto q = random_unit_vectors(100, kDim, 8);
  HnswParams one_thread;
  one_thread.threads = 1;
  auto seg = HnswSegment::build(v.data(), labels.data(), n, kDim, one_thread);
  EXPECT_EQ(seg->size(), n);
  EXPECT_EQ(seg->dimension(), kDim);
  EXPECT_GE(recall(*seg, v, labels, kDim, q, 100, 10), 0.9);
  // The default (two-thread) build is as good.
  auto par = HnswSegment::build(v.data(), labels.data(), n, kDim);
  EXPECT_GE(recall(*par, v, labels, kDim, q, 100, 10), 0.9);
}

TEST(HnswSegment, HitsCarryLabelsAndTrueDistances) {
  const size_t n = 1000;
  auto v = random_unit_vectors(n, kDim, 11);
  auto labels = spaced_labels(n);
  auto seg = HnswSegment::build(v.data(), labels.data(), n, kDim);
  auto q = random_unit_vectors(1, kDim, 12);
  auto hits = seg->search(q.data(), 20);
  ASSERT_EQ(hits.size(), 20u);
  for (size_t i = 0; i < hits.size(); ++i) {
    ASSERT_EQ(hits[i].label % 3, 1u);
    size_t pos = (hits[i].label - 1) / 3;
    EXPECT_EQ(hits[i].distance, l2_squared(q.data(), v.data() + pos * kDim, kDim));
    if (i) {
      EXPECT_LE(hits[i - 1].distance, hits[i].distance);
    }
  }
  // A vector's own nearest neighbour is itself.
  auto self = seg->search(v.data() + 500 * kDim, 1);
  ASSERT_EQ(self.size(), 1u);
  EXPECT_EQ(self[0].label, labels[500]);
  EXPECT_EQ(self[0].distance, 0.0f);
}

TEST(HnswSegment, FilterAppliesBeforeRanking) {
  const size_t n = 4000;
  auto v = random_unit_vectors(n, kDim, 21);
  auto labels = spaced_labels(n);
  auto seg = HnswSegment::build(v.data(), labels.data(), n, kDim);
  auto q = random_unit_vectors(50, kDim, 22);
  // One label in ten: every hit is allowed, and the answer is still good.
  auto tenth = [](uint32_t l) { return (l / 3) % 10 == 0; };
  for (size_t i = 0; i < 50; ++i)
    for (const auto& h : seg->search(q.data() + i * kDim, 10, tenth)) ASSERT_TRUE(tenth(h.label));
  EXPECT_GE(recall(*seg, v, labels, kDim, q, 50, 10, tenth), 0.9);
  // Fewer allowed labels than k: the search exhausts the graph and returns exactly them, in order.
  std::set<uint32_t> few = {labels[3], labels[1777], labels[2500], labels[3999]};
  auto only_few = [&](uint32_t l) { return few.count(l) > 0; };
  auto hits = seg->search(q.data(), 10, only_few);
  auto want = exact_top(v, labels, kDim, q.data(), 10, only_few);
  ASSERT_EQ(hits.size(), want.size());
  for (size_t i = 0; i < hits.size(); ++i) EXPECT_EQ(hits[i].label, want[i]);
  EXPECT_TRUE(seg->search(q.data(), 10, [](uint32_t) { return false; }).empty());
}

TEST(HnswSegment, EncodeDecodeRoundTrip) {
  const size_t n = 1500;
  auto v = random_unit_vectors(n, kDim, 31);
  auto labels = spaced_labels(n);
  HnswParams p;
  p.m = 8;
  p.ef_construction = 50;
  p.ef_search = 40;
  auto seg = HnswSegment::build(v.data(), labels.data(), n, kDim, p);
  std::string bytes = seg->encode();
  auto back = HnswSegment::decode(bytes);
  EXPECT_EQ(back->size(), n);
  EXPECT_EQ(back->dimension(), kDim);
  EXPECT_EQ(back->params().m, 8u);
  EXPECT_EQ(back->params().ef_construction, 50u);
  EXPECT_EQ(back->params().ef_search, 40u);
  EXPECT_EQ(back->encode(), bytes);
  auto q = random_unit_vectors(20, kDim, 32);
  for (size_t i = 0; i < 20; ++i) {
    auto a = seg->search(q.data() + i * kDim, 10);
    auto b = back->search(q.data() + i * kDim, 10);
    ASSERT_EQ(a.size(), b.size());
    for (size_t j = 0; j < a.size(); ++j) {
      EXPECT_EQ(a[j].label, b[j].label);
      EXPECT_EQ(a[j].distance, b[j].distance);
    }
  }
  // An empty index round-trips and finds nothing.
  auto empty = HnswSegment::build(nullptr, nullptr, 0, kDim);
  auto empty_back = HnswSegment::decode(empty->encode());
  EXPECT_EQ(empty_back->size(), 0u);
  EXPECT_TRUE(empty_back->search(q.data(), 5).empty());
}

std::string message_of(std::string_view bytes) {
  try {
    HnswSegment::decode(bytes);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInternal);
    return e.message();
  }
  return "(no error)";
}

// Recomputes the trailing checksum so structural checks (not the checksum) must catch an edit.
std::string reseal(std::string bytes) {
  uint64_t sum = XXH3_64bits(bytes.data(), bytes.size() - 8);
  std::memcpy(bytes.data() + bytes.size() - 8, &sum, 8);
  return bytes;
}

TEST(HnswSegment, CorruptionIsDetected) {
  const size_t n = 300;
  auto v = random_unit_vectors(n, kDim, 41);
  auto labels = spaced_labels(n);
  std::string good = HnswSegment::build(v.data(), labels.data(), n, kDim)->encode();

  std::string flipped = good;
  flipped[good.size() / 2] ^= 0x10;
  EXPECT_NE(message_of(flipped).find("checksum mismatch"), std::string::npos);

  EXPECT_NE(message_of(good.substr(0, good.size() - 100)).find("does not match the object size"),
            std::string::npos);
  EXPECT_NE(message_of(good.substr(0, 10)).find("too short"), std::string::npos);

  std::string magic = good;
  magic[0] = 'X';
  EXPECT_NE(message_of(magic).find("bad magic"), std::string::npos);

  std::string version = good;
  version[8] = 9;
  EXPECT_NE(message_of(version).find("unsupported version 9"), std::string::npos);

  // A layer-0 link pointing past the last node, with a valid checksum.
  std::string link = good;
  size_t links0 = 20 + 32 + n * 4 + n * 1 + n * kDim * 4;  // envelope header + fixed header + arrays
  uint32_t count0;
  std::memcpy(&count0, link.data() + links0, 4);
  ASSERT_GT(count0, 0u);
  uint32_t bad = static_cast<uint32_t>(n + 5);
  std::memcpy(link.data() + links0 + 4, &bad, 4);
  EXPECT_NE(message_of(reseal(link)).find("layer-0 link out of range"), std::string::npos);

  EXPECT_NE(message_of(reseal(good)), message_of(reseal(link)));
  EXPECT_EQ(message_of(reseal(good)), "(no error)");
}

}  // namespace
}  // namespace omnigraph::engine::search
