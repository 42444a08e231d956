// Storage benchmarks: fragment write throughput and cold/warm column-scan throughput for I64,
// String and Vector(128) columns at 1M rows (docs/performance.md records the results).
//
//   write  = encode (zstd level 1, xxh3) + durable create-if-absent on the local store
//   cold   = open fragment + ranged get + verify + decompress + scan (file bytes in the OS page
//            cache, decoded-column cache empty)
//   warm   = scan of a column already in the decoded-column cache
// Throughput counters: items = rows, bytes = decoded column bytes (values + offsets).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>

#include "storage/column_cache.h"
#include "storage/fragment_reader.h"
#include "storage/fragment_writer.h"
#include "storage/local_object_store.h"

namespace omnigraph::storage {
namespace {

constexpr uint64_t kRows = 1'000'000;
constexpr uint32_t kDim = 128;

enum Kind { kI64 = 0, kString = 1, kVector = 2 };
const char* kNames[] = {"i64", "string", "vector128"};

Column make_column(Kind kind) {
  std::mt19937_64 rng(42);
  switch (kind) {
    case kI64: {
      Column c(ColumnType::scalar(TypeKind::kI64));
      c.reserve(kRows);
      // Ids with gaps plus a random low part: realistic, not trivially compressible.
      int64_t v = 1'000'000;
      for (uint64_t i = 0; i < kRows; ++i) {
        v += 1 + static_cast<int64_t>(rng() % 16);
        c.append<int64_t>(v);
      }
      return c;
    }
    case kString: {
      Column c(ColumnType::scalar(TypeKind::kString));
      static const char* kWords[] = {"alpha", "bravo",   "charlie", "delta",
                                     "echo",  "foxtrot", "golf",    "hotel"};
      c.reserve(kRows, kRows * 24);
      std::string s;
      for (uint64_t i = 0; i < kRows; ++i) {
        s = "person-";
        s += std::to_string(rng() % 100'000'000);
        s += '-';
        s += kWords[rng() % 8];
        c.append_bytes(s);
      }
      return c;
    }
    case kVector: {
      Column c(ColumnType::vector(kDim));
      c.reserve(kRows);
      std::normal_distribution<float> dist;
      std::vector<float> lanes(kDim);
      for (uint64_t i = 0; i < kRows; ++i) {
        for (float& f : lanes) f = dist(rng);
        c.append_vector(lanes);
      }
      return c;
    }
  }
  return Column();
}

uint64_t decoded_bytes(const Column& c) {
  return c.data.size() + (c.offsets.empty() ? 0 : c.offsets.size() * 8);
}

// The scan kernels: what a filter or brute-force search would do per row. No per-row allocation.
double scan(const Column& c, Kind kind) {
  switch (kind) {
    case kI64: {
      auto v = c.values<int64_t>();
      int64_t sum = 0;
      for (int64_t x : v) sum += x;
      return static_cast<double>(sum);
    }
    case kString: {
      // Touch every byte: count rows whose value contains a given byte in its last position
      // plus a byte sum (vectorisable), the shape of a predicate over strings.
      uint64_t matches = 0;
      for (uint64_t i = 0; i < c.length; ++i) {
        std::string_view s = c.bytes_at(i);
        matches += !s.empty() && s.back() == 'a';
      }
      uint64_t sum = 0;
      for (uint8_t b : c.data) sum += b;
      return static_cast<double>(matches + sum);
    }
    case kVector: {
      // Dot product of every row with a query vector (exact nearest-neighbour scoring).
      float query[kDim];
      for (uint32_t d = 0; d < kDim; ++d) query[d] = 1.0f / static_cast<float>(d + 1);
      const float* p = reinterpret_cast<const float*>(c.data.data());
      float best = -1e30f;
      for (uint64_t i = 0; i < c.length; ++i, p += kDim) {
        float dot = 0;
        for (uint32_t d = 0; d < kDim; ++d) dot += p[d] * query[d];
        best = dot > best ? dot : best;
      }
      return best;
    }
  }
  return 0;
}

struct Fixture {
  std::string root;
  std::unique_ptr<LocalObjectStore> store;
  Column columns[3];
  std::string keys[3];

  static Fixture& get() {
    static Fixture f;
    return f;
  }

 private:
  Fixture() {
    const char* base = std::getenv("OMNIGRAPH_BENCH_DIR");
    std::string tmpl = (std::filesystem::path(base ? base : std::filesystem::temp_directory_path().string()) /
                        "omnigraph-bench-XXXXXX")
                           .string();
    root = ::mkdtemp(tmpl.data());
    store = LocalObjectStore::open(root);
    for (int k = 0; k < 3; ++k) {
      columns[k] = make_column(static_cast<Kind>(k));
      NamedColumn nc{"c", &columns[k]};
      keys[k] = std::string("bench/") + kNames[k] + ".ogf";
      write_fragment(*store, keys[k], std::span<const NamedColumn>(&nc, 1));
    }
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(root, ec);
  }
};

void BM_Write(benchmark::State& state) {
  Kind kind = static_cast<Kind>(state.range(0));
  Fixture& f = Fixture::get();
  const Column& c = f.columns[kind];
  NamedColumn nc{"c", &c};
  uint64_t n = 0, stored = 0;
  for (auto _ : state) {
    FragmentSummary s =
        write_fragment(*f.store, "bench/w/" + std::to_string(n++), std::span<const NamedColumn>(&nc, 1));
    stored = s.size_bytes;
    state.PauseTiming();
    f.store->remove(s.key);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * decoded_bytes(c)));
  state.counters["stored_MB"] = static_cast<double>(stored) / 1e6;
  state.counters["ratio"] = static_cast<double>(decoded_bytes(c)) / static_cast<double>(stored);
  state.SetLabel(kNames[kind]);
}

void BM_ScanCold(benchmark::State& state) {
  Kind kind = static_cast<Kind>(state.range(0));
  Fixture& f = Fixture::get();
  for (auto _ : state) {
    FragmentReader reader = FragmentReader::open(*f.store, f.keys[kind]);
    Column c = reader.read_column("c");
    benchmark::DoNotOptimize(scan(c, kind));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * decoded_bytes(f.columns[kind])));
  state.SetLabel(kNames[kind]);
}

void BM_ScanWarm(benchmark::State& state) {
  Kind kind = static_cast<Kind>(state.range(0));
  Fixture& f = Fixture::get();
  ColumnCache cache(uint64_t{2} << 30);
  FragmentReader reader = FragmentReader::open(*f.store, f.keys[kind]);
  read_column_cached(cache, reader, "c");  // warm it
  for (auto _ : state) {
    auto c = read_column_cached(cache, reader, "c");
    benchmark::DoNotOptimize(scan(*c, kind));
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kRows));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * decoded_bytes(f.columns[kind])));
  state.SetLabel(kNames[kind]);
}

BENCHMARK(BM_Write)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScanCold)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ScanWarm)->DenseRange(0, 2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
}  // namespace omnigraph::storage

BENCHMARK_MAIN();
