// Search benchmark driver: vector top-10 exact and BM25 top-10 through run_read_query on the
// generator's medium data (bench.gq vector_top10 / bm25_top10), checked against truth.json.
// Usage: search_bench [--data /tmp/benchdata] [--graph /tmp/benchgraph] [--shared /work/shared]
//                     [--iterations 50]  (the graph must already be loaded, e.g. by engine_bench)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "engine/exec/executor.h"
#include "bench_args.h"
#include "engine/graph.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

}  // namespace

using omnigraph::bench::slurp;

int main(int argc, char** argv) {
  const auto args = omnigraph::bench::parse_bench_args(argc, argv, "/tmp/benchgraph", "--iterations", 50);
  const std::string& data = args.data;
  const std::string& graph_dir = args.graph;
  const std::string& shared = args.shared;
  const int iterations = args.count;
  using namespace omnigraph;
  std::string source = slurp(shared + "/bench/bench.gq");
  json queries = json::parse(slurp(data + "/queries.json"));
  json truth = json::parse(slurp(data + "/truth.json"));
  auto graph = engine::Graph::open(graph_dir);
  auto snap = graph->snapshot();

  struct Case {
    const char* name;
    const char* field;  // queries.json / truth.json key
  };
  for (Case c : {Case{"vector_top10", "vector"}, Case{"bm25_top10", "bm25"}}) {
    const auto& params = queries[c.field];
    const auto& expect = truth[c.field];
    // Recall@10 against the peers' truth (set overlap of the top-10 slugs), every parameter once.
    size_t hits = 0, total = 0;
    std::vector<double> ms;
    for (size_t i = 0; i < params.size(); ++i) {
      auto t0 = Clock::now();
      auto r = engine::exec::run_read_query(*snap, source, c.name, json{{"q", params[i]}});
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      for (const auto& row : r.rows) {
        const auto& slug = std::get<std::string>(row[0].v);
        for (const auto& t : expect[i]) hits += t.get<std::string>() == slug;
      }
      total += expect[i].size();
      if (static_cast<int>(i + 1) >= iterations) break;
    }
    std::printf("%-13s calls %4zu  median %9.3f ms  overlap with truth %.3f\n", c.name, ms.size(), median(ms),
                total ? static_cast<double>(hits) / static_cast<double>(total) : 0.0);
  }
  return 0;
}
