// HNSW segment: hnswlib builds the graph; the graph is then copied into flat arrays that this
// file serialises and searches itself (hnswlib 0.6 has neither stream I/O nor search filters).
#include "engine/search/hnsw_segment.h"

#include <hnswlib/hnswlib.h>
#include <xxhash.h>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <exception>
#include <limits>
#include <mutex>
#include <queue>
#include <thread>
#include <utility>

#include "common/error.h"
#include "engine/search/vector_kernel.h"
#include "storage/storage_error.h"

namespace omnigraph::engine::search {

namespace {

constexpr char kMagic[8] = {'O', 'M', 'N', 'I', 'H', 'N', 'S', 'W'};
constexpr uint32_t kVersion = 1;
constexpr size_t kHeaderBytes = 8 + 4 + 8;  // magic, version, payload length
constexpr size_t kTrailerBytes = 8;         // xxh3

storage::IntegrityError corrupt(const std::string& what) {
  return storage::IntegrityError("hnsw segment: " + what);
}

void put_u32(std::string& out, uint32_t v) {
  out.append(reinterpret_cast<const char*>(&v), 4);
}
void put_u64(std::string& out, uint64_t v) {
  out.append(reinterpret_cast<const char*>(&v), 8);
}

class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  uint32_t u32(const char* what) {
    uint32_t v;
    take(&v, 4, what);
    return v;
  }
  template <class T>
  void array(std::vector<T>& out, size_t n, const char* what) {
    if (n > (b_.size() - pos_) / sizeof(T)) throw corrupt(std::string(what) + " truncated");
    out.resize(n);
    take(out.data(), n * sizeof(T), what);
  }
  size_t left() const { return b_.size() - pos_; }

 private:
  void take(void* dst, size_t n, const char* what) {
    if (n > b_.size() - pos_) throw corrupt(std::string(what) + " truncated");
    if (n) std::memcpy(dst, b_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view b_;
  size_t pos_ = 0;
};

// Squared L2 for the graph walk (build and search): the exact kernel (runtime AVX2 dispatch).
using Kernel = float (*)(const float*, const float*, size_t);
const Kernel kWalkL2 = l2_squared;

// hnswlib space over kWalkL2.
class WalkL2Space : public hnswlib::SpaceInterface<float> {
 public:
  explicit WalkL2Space(size_t dim) : dim_(dim) {}
  size_t get_data_size() override { return dim_ * sizeof(float); }
  hnswlib::DISTFUNC<float> get_dist_func() override { return &dist; }
  void* get_dist_func_param() override { return &dim_; }

 private:
  static float dist(const void* a, const void* b, const void* dim) {
    return kWalkL2(static_cast<const float*>(a), static_cast<const float*>(b),
                   *static_cast<const size_t*>(dim));
  }
  size_t dim_;
};

// Per-thread visited marks for the base-layer search (epoch tags; cleared on wrap-around).
struct Visited {
  std::vector<uint32_t> tag;
  uint32_t epoch = 0;
  void reset(size_t n) {
    if (tag.size() < n) tag.assign(n, 0), epoch = 0;
    if (++epoch == 0) {
      std::fill(tag.begin(), tag.end(), 0);
      epoch = 1;
    }
  }
  bool test_and_set(uint32_t i) {
    if (tag[i] == epoch) return true;
    tag[i] = epoch;
    return false;
  }
};

}  // namespace

struct HnswSegment::Impl {
  HnswParams params;
  uint32_t dim = 0;
  uint32_t count = 0;
  uint32_t max_m0 = 0;
  int32_t max_level = -1;
  uint32_t entry = 0;
  std::vector<uint32_t> labels;    // internal id → label
  std::vector<uint8_t> levels;     // internal id → top layer
  std::vector<float> vectors;      // count × dim
  std::vector<uint32_t> links0;    // count × (1 + max_m0): n, then n neighbour ids
  std::vector<uint32_t> upper;     // per node with level L > 0: L × (1 + m) (layers 1..L)
  std::vector<uint64_t> upper_at;  // internal id → offset of its layer-1 list in `upper`

  const float* vec(uint32_t i) const { return vectors.data() + static_cast<size_t>(i) * dim; }
  const uint32_t* list0(uint32_t i) const { return links0.data() + static_cast<size_t>(i) * (1 + max_m0); }
  const uint32_t* list(uint32_t i, int level) const {
    return upper.data() + upper_at[i] + static_cast<size_t>(level - 1) * (1 + params.m);
  }
  float dist(const float* q, uint32_t i) const { return kWalkL2(q, vec(i), dim); }

  void index_upper() {
    upper_at.assign(count, 0);
    uint64_t at = 0;
    for (uint32_t i = 0; i < count; ++i) {
      upper_at[i] = at;
      at += static_cast<uint64_t>(levels[i]) * (1 + params.m);
    }
  }
};

HnswSegment::HnswSegment(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HnswSegment::~HnswSegment() = default;

uint32_t HnswSegment::dimension() const {
  return impl_->dim;
}
size_t HnswSegment::size() const {
  return impl_->count;
}
const HnswParams& HnswSegment::params() const {
  return impl_->params;
}

std::shared_ptr<const HnswSegment> HnswSegment::build(const float* vectors, const uint32_t* labels,
                                                      size_t count, uint32_t dim, const HnswParams& params) {
  if (dim == 0) throw Error::bad_request("hnsw: vector dimension must be at least 1");
  if (params.m < 2) throw Error::bad_request("hnsw: m must be at least 2");
  if (count >= std::numeric_limits<uint32_t>::max()) throw Error::bad_request("hnsw: too many vectors");
  auto impl = std::make_unique<Impl>();
  impl->params = params;
  impl->dim = dim;
  impl->count = static_cast<uint32_t>(count);
  impl->max_m0 = 2 * params.m;
  if (count == 0) return std::shared_ptr<const HnswSegment>(new HnswSegment(std::move(impl)));

  WalkL2Space space(dim);
  hnswlib::HierarchicalNSW<float> index(&space, count, params.m, params.ef_construction, params.seed);
  // Insert the first vector alone (hnswlib's entry point), then the rest in parallel.
  index.addPoint(vectors, 0);
  std::atomic<size_t> next{1};
  std::exception_ptr failure;
  std::mutex failure_mu;
  auto work = [&] {
    try {
      for (size_t i = next++; i < count; i = next++) index.addPoint(vectors + i * dim, i);
    } catch (...) {
      std::lock_guard lock(failure_mu);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  size_t threads = std::max<size_t>(1, std::min<size_t>(params.threads, count / 1024 + 1));
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);

  // Copy the graph out of hnswlib (internal ids kept).
  Impl& g = *impl;
  g.max_level = index.maxlevel_;
  g.entry = index.enterpoint_node_;
  g.labels.resize(count);
  g.levels.resize(count);
  g.vectors.resize(count * dim);
  g.links0.assign(count * (1 + g.max_m0), 0);
  if (g.max_level > 255) throw Error::internal("hnsw: level above 255");
  for (uint32_t i = 0; i < count; ++i) {
    size_t local = index.getExternalLabel(i);
    g.labels[i] = labels[local];
    g.levels[i] = static_cast<uint8_t>(index.element_levels_[i]);
    std::memcpy(g.vectors.data() + static_cast<size_t>(i) * dim, vectors + local * dim, dim * sizeof(float));
    const auto* l0 = index.get_linklist0(i);
    uint32_t n = *reinterpret_cast<const uint16_t*>(l0);
    uint32_t* dst = g.links0.data() + static_cast<size_t>(i) * (1 + g.max_m0);
    dst[0] = n;
    std::memcpy(dst + 1, l0 + 1, n * sizeof(uint32_t));
  }
  g.index_upper();
  g.upper.assign(count ? g.upper_at.back() + static_cast<uint64_t>(g.levels.back()) * (1 + params.m) : 0, 0);
  for (uint32_t i = 0; i < count; ++i) {
    for (int l = 1; l <= g.levels[i]; ++l) {
      const auto* src = index.get_linklist(i, l);
      uint32_t n = *reinterpret_cast<const uint16_t*>(src);
      uint32_t* dst = g.upper.data() + g.upper_at[i] + static_cast<size_t>(l - 1) * (1 + params.m);
      dst[0] = n;
      std::memcpy(dst + 1, src + 1, n * sizeof(uint32_t));
    }
  }
  return std::shared_ptr<const HnswSegment>(new HnswSegment(std::move(impl)));
}

std::string HnswSegment::encode() const {
  const Impl& g = *impl_;
  std::string payload;
  payload.reserve(32 + g.labels.size() * 5 + g.vectors.size() * 4 + (g.links0.size() + g.upper.size()) * 4);
  for (uint32_t v : {g.dim, g.count, g.params.m, g.max_m0, g.params.ef_construction, g.params.ef_search,
                     static_cast<uint32_t>(g.max_level), g.entry})
    put_u32(payload, v);
  payload.append(reinterpret_cast<const char*>(g.labels.data()), g.labels.size() * 4);
  payload.append(reinterpret_cast<const char*>(g.levels.data()), g.levels.size());
  payload.append(reinterpret_cast<const char*>(g.vectors.data()), g.vectors.size() * 4);
  payload.append(reinterpret_cast<const char*>(g.links0.data()), g.links0.size() * 4);
  payload.append(reinterpret_cast<const char*>(g.upper.data()), g.upper.size() * 4);
  std::string out(kMagic, sizeof kMagic);
  put_u32(out, kVersion);
  put_u64(out, payload.size());
  out += payload;
  put_u64(out, XXH3_64bits(out.data(), out.size()));
  return out;
}

std::shared_ptr<const HnswSegment> HnswSegment::decode(std::string_view bytes) {
  if (bytes.size() < kHeaderBytes + kTrailerBytes)
    throw corrupt("too short (" + std::to_string(bytes.size()) + " bytes)");
  if (std::memcmp(bytes.data(), kMagic, sizeof kMagic) != 0) throw corrupt("bad magic");
  uint32_t version;
  uint64_t length, checksum;
  std::memcpy(&version, bytes.data() + 8, 4);
  std::memcpy(&length, bytes.data() + 12, 8);
  if (version != kVersion) throw corrupt("unsupported version " + std::to_string(version));
  if (length != bytes.size() - kHeaderBytes - kTrailerBytes)
    throw corrupt("payload length " + std::to_string(length) + " does not match the object size");
  std::memcpy(&checksum, bytes.data() + bytes.size() - kTrailerBytes, 8);
  if (XXH3_64bits(bytes.data(), bytes.size() - kTrailerBytes) != checksum) throw corrupt("checksum mismatch");

  Reader r(bytes.substr(kHeaderBytes, length));
  auto impl = std::make_unique<Impl>();
  Impl& g = *impl;
  g.dim = r.u32("dimension");
  g.count = r.u32("count");
  g.params.m = r.u32("m");
  g.max_m0 = r.u32("max_m0");
  g.params.ef_construction = r.u32("ef_construction");
  g.params.ef_search = r.u32("ef_search");
  g.max_level = static_cast<int32_t>(r.u32("max_level"));
  g.entry = r.u32("entry point");
  if (g.dim == 0 || g.params.m < 2 || g.max_m0 != 2 * g.params.m || g.params.ef_search == 0)
    throw corrupt("bad header (dimension/m/ef)");
  r.array(g.labels, g.count, "labels");
  r.array(g.levels, g.count, "levels");
  r.array(g.vectors, static_cast<size_t>(g.count) * g.dim, "vectors");
  r.array(g.links0, static_cast<size_t>(g.count) * (1 + g.max_m0), "layer-0 links");
  g.index_upper();
  uint64_t upper_len =
      g.count ? g.upper_at.back() + static_cast<uint64_t>(g.levels.back()) * (1 + g.params.m) : 0;
  r.array(g.upper, upper_len, "upper-layer links");
  if (r.left() != 0) throw corrupt(std::to_string(r.left()) + " trailing payload bytes");
  if (g.count == 0) {
    if (g.max_level != -1) throw corrupt("empty index with a level");
  } else {
    if (g.entry >= g.count || g.max_level < 0 || g.levels[g.entry] != g.max_level)
      throw corrupt("bad entry point");
    for (uint32_t i = 0; i < g.count; ++i) {
      if (g.levels[i] > g.max_level) throw corrupt("node level above the maximum");
      const uint32_t* l0 = g.list0(i);
      if (l0[0] > g.max_m0) throw corrupt("layer-0 link count too large");
      for (uint32_t j = 1; j <= l0[0]; ++j)
        if (l0[j] >= g.count) throw corrupt("layer-0 link out of range");
      for (int l = 1; l <= g.levels[i]; ++l) {
        const uint32_t* ll = g.list(i, l);
        if (ll[0] > g.params.m) throw corrupt("upper link count too large");
        for (uint32_t j = 1; j <= ll[0]; ++j)
          if (ll[j] >= g.count || g.levels[ll[j]] < l) throw corrupt("upper link out of range");
      }
    }
  }
  return std::shared_ptr<const HnswSegment>(new HnswSegment(std::move(impl)));
}

std::vector<HnswSegment::Hit> HnswSegment::search(const float* query, size_t k,
                                                  const std::function<bool(uint32_t)>& allow,
                                                  size_t ef) const {
  const Impl& g = *impl_;
  if (k == 0 || g.count == 0) return {};
  ef = std::max(ef ? ef : g.params.ef_search, k);
  // Greedy descent through the upper layers.
  uint32_t cur = g.entry;
  float cur_d = g.dist(query, cur);
  for (int level = g.max_level; level > 0; --level) {
    for (bool changed = true; changed;) {
      changed = false;
      const uint32_t* ll = g.list(cur, level);
      for (uint32_t j = 1; j <= ll[0]; ++j) {
        float d = g.dist(query, ll[j]);
        if (d < cur_d) cur_d = d, cur = ll[j], changed = true;
      }
    }
  }
  // Beam search on layer 0. Disallowed nodes are traversed but never results; with a filter the
  // search goes on until `ef` allowed nodes are found (or the reachable graph is exhausted).
  thread_local Visited visited;
  visited.reset(g.count);
  using Entry = std::pair<float, uint32_t>;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> frontier;  // closest first
  std::priority_queue<Entry> best;                                          // farthest first
  auto ok = [&](uint32_t i) { return !allow || allow(g.labels[i]); };
  frontier.emplace(cur_d, cur);
  visited.test_and_set(cur);
  if (ok(cur)) best.emplace(cur_d, cur);
  while (!frontier.empty()) {
    auto [d, c] = frontier.top();
    if (best.size() >= ef && d > best.top().first) break;
    frontier.pop();
    const uint32_t* l0 = g.list0(c);
    for (uint32_t j = 1; j <= l0[0]; ++j) {
      uint32_t n = l0[j];
      if (visited.test_and_set(n)) continue;
      float dn = g.dist(query, n);
      if (best.size() < ef || dn < best.top().first) {
        frontier.emplace(dn, n);
        if (ok(n)) {
          best.emplace(dn, n);
          if (best.size() > ef) best.pop();
        }
      }
    }
  }
  std::vector<Hit> hits;
  hits.reserve(best.size());
  for (; !best.empty(); best.pop())
    hits.push_back({l2_squared(query, g.vec(best.top().second), g.dim), g.labels[best.top().second]});
  std::sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) {
    return a.distance != b.distance ? a.distance < b.distance : a.label < b.label;
  });
  if (hits.size() > k) hits.resize(k);
  return hits;
}

}  // namespace omnigraph::engine::search
