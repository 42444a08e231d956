// Shared command line, file reading and timing helpers of the engine-level bench drivers
// (engine_bench, vc_bench, search_bench, optimize_bench): `--data DIR --graph DIR --shared DIR`
// plus one repetition count flag whose name each driver chooses.
#pragma once

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace omnigraph::bench {

using Clock = std::chrono::steady_clock;

inline double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// Median of the samples (the upper one for an even count); 0 for none.
inline double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

struct BenchArgs {
  std::string data = "/tmp/benchdata";  // gen.py output: graph.ndjson, queries.json, truth.json
  std::string graph;                    // graph root the driver loads into or reads
  std::string shared = "/work/shared";  // the shared/ folder (bench.pg, bench.gq)
  int count = 0;                        // iterations / runs
};

// Reads `--flag value` pairs; unknown flags are ignored so drivers stay forgiving.
inline BenchArgs parse_bench_args(int argc, char** argv, std::string default_graph, const std::string& count_flag,
                                  int default_count) {
  BenchArgs args;
  args.graph = std::move(default_graph);
  args.count = default_count;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--data") {
      args.data = argv[i + 1];
    } else if (flag == "--graph") {
      args.graph = argv[i + 1];
    } else if (flag == "--shared") {
      args.shared = argv[i + 1];
    } else if (flag == count_flag) {
      args.count = std::stoi(argv[i + 1]);
    }
  }
  return args;
}

// Whole file; throws std::runtime_error naming the path if it cannot be read.
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace omnigraph::bench
