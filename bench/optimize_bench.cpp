// Optimize benchmark driver: per run, copies a loaded medium bench graph, applies a 1% update
// (1,000 Person and 1,000 Doc entities rewritten with a changed value, 10,000 Knows edges
// deleted) and times `optimize` (compaction; the built-in segment-writer registry), then a second,
// steady-state `optimize`. Prints medians in ms and what the first run rewrote.
//
//   optimize_bench [--graph /tmp/benchgraph] [--runs N]   (the source graph is only read)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_args.h"
#include "engine/graph.h"
#include "engine/index/segment_writer.h"
#include "engine/maintenance/optimize.h"
#include "engine/write_txn.h"

namespace {

using omnigraph::bench::Clock;
using omnigraph::bench::median;
using omnigraph::bench::ms_since;



}  // namespace

int main(int argc, char** argv) {
  const auto args = omnigraph::bench::parse_bench_args(argc, argv, "/tmp/benchgraph", "--runs", 3);
  using namespace omnigraph;
  namespace fs = std::filesystem;
  if (!fs::exists(args.graph)) {
    std::fprintf(stderr, "no graph at %s (load one with engine_bench first)\n", args.graph.c_str());
    return 1;
  }
  std::vector<double> update_ms, optimize_ms, optimize_cpu_ms, steady_ms;
  for (int run = 0; run < args.count; ++run) {
    fs::path copy = fs::temp_directory_path() / ("optbench-" + std::to_string(run));
    fs::remove_all(copy);
    fs::copy(args.graph, copy, fs::copy_options::recursive);
    auto graph = engine::Graph::open(copy.string());
    // Start from a compacted graph so every run measures the same 1% delta.
    engine::maintenance::optimize(*graph, engine::index::segment_writers());

    auto t0 = Clock::now();
    engine::Graph::WriteOptions wo;
    graph->write(wo, [&](const engine::GraphSnapshot& base, engine::WriteTxn& txn) {
      const auto& cat = base.catalog();
      for (const char* name : {"Person", "Doc"}) {
        const auto& type = *cat.find_node(name);
        const auto& table = base.table(type);
        uint64_t n = table.row_count();
        for (uint64_t r = 0; r < n; r += 100) {  // every 100th row: 1%
          auto e = txn.get(type, std::string(table.column("id").bytes_at(r)));
          if (!e) continue;
          if (std::string(name) == "Person")
            e->values[2] = engine::Value(int64_t{(std::get<int64_t>(e->values[2].v) + 1) % 100});  // age
          else
            e->values[1] = engine::Value(std::get<std::string>(e->values[1].v) + " (rev)");  // title
          txn.put(type, std::move(*e));
        }
      }
      const auto& knows = *cat.find_edge("Knows");
      const auto& edges = base.table(knows);
      for (uint64_t r = 0; r < edges.row_count(); r += 100)
        txn.remove(knows, std::string(edges.column("id").bytes_at(r)));
    });
    update_ms.push_back(ms_since(t0));

    t0 = Clock::now();
    std::clock_t cpu0 = std::clock();  // process CPU time, all threads
    auto report = engine::maintenance::optimize(*graph, engine::index::segment_writers());
    optimize_ms.push_back(ms_since(t0));
    optimize_cpu_ms.push_back(1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC);
    if (run == 0) {
      for (const auto& d : report.datasets)
        std::printf("%-14s fragments %llu -> %llu, segments +%llu%s\n", d.type_key.c_str(),
                    static_cast<unsigned long long>(d.fragments_removed),
                    static_cast<unsigned long long>(d.fragments_added),
                    static_cast<unsigned long long>(d.segments_added), d.committed ? " (committed)" : "");
    }
    t0 = Clock::now();
    auto steady = engine::maintenance::optimize(*graph, engine::index::segment_writers());
    steady_ms.push_back(ms_since(t0));
    if (steady.commit) std::fprintf(stderr, "warning: second optimize published a commit\n");
    graph.reset();
    fs::remove_all(copy);
  }
  std::printf(
      "1%% update write: %.1f ms\noptimize after it: %.1f ms wall, %.1f ms CPU\nsteady-state optimize: %.1f "
      "ms\n",
      median(update_ms), median(optimize_ms), median(optimize_cpu_ms), median(steady_ms));
  return 0;
}
