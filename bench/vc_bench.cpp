// Version-control benchmark driver: on the generator's medium graph (loaded once into its own
// directory), times branch create, a three-way merge (`merged` outcome) and the commit diff
// of a 1% change (1,000 Person updates + 10,000 new Knows edges on the source; one unrelated
// Person update on the target). Prints medians in ms and the fragments the diff decoded.
//
//   vc_bench [--data /tmp/benchdata] [--graph /tmp/vcbenchgraph] [--shared /work/shared]
//            [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench_args.h"
#include "engine/graph.h"
#include "engine/load/loader.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/commit_changes.h"
#include "engine/vc/merge.h"
#include "engine/write_txn.h"

namespace {

using omnigraph::bench::Clock;
using omnigraph::bench::median;
using omnigraph::bench::ms_since;



std::string named(const char* prefix, uint64_t n) {
  std::string s = prefix;
  s.append(std::to_string(n));
  return s;
}

}  // namespace

using omnigraph::bench::slurp;

int main(int argc, char** argv) {
  const auto args = omnigraph::bench::parse_bench_args(argc, argv, "/tmp/vcbenchgraph", "--runs", 5);
  const std::string& data = args.data;
  const std::string& graph_dir = args.graph;
  const std::string& shared = args.shared;
  const int runs = args.count;
  using namespace omnigraph;
  std::unique_ptr<engine::Graph> graph;
  if (!std::filesystem::exists(graph_dir)) {
    graph = engine::Graph::init(graph_dir, slurp(shared + "/bench/bench.pg"));
    engine::LoadOptions lo;
    lo.mode = engine::LoadMode::kOverwrite;
    auto t0 = Clock::now();
    auto r = engine::load_ndjson_file(*graph, data + "/graph.ndjson", lo);
    std::printf("load: %llu entities in %.2f s\n", static_cast<unsigned long long>(r.total_entities),
                ms_since(t0) / 1000);
  } else {
    graph = engine::Graph::open(graph_dir);
  }

  std::vector<double> create_ms, merge_ms, diff_ms, write_ms;
  uint64_t fragments = 0, changes = 0;
  for (int run = 0; run < runs; ++run) {
    auto src = named("bench/src", static_cast<uint64_t>(run)),
         dst = named("bench/dst", static_cast<uint64_t>(run));
    auto t0 = Clock::now();
    engine::vc::create_branch(*graph, src, "main", {});
    create_ms.push_back(ms_since(t0));
    engine::vc::create_branch(*graph, dst, "main", {});

    // 1% change on the source: 1,000 of 100,000 persons updated, 10,000 of 1,000,000 edges added.
    engine::Graph::WriteOptions o;
    o.branch = src;
    t0 = Clock::now();
    auto commit = graph->write(o, [&](const engine::GraphSnapshot& base, engine::WriteTxn& txn) {
      const auto& person = *base.catalog().find_node("Person");
      const auto& knows = *base.catalog().find_edge("Knows");
      for (uint64_t i = 0; i < 1000; ++i) {
        auto p = txn.get(person, named("p", i * 97 + static_cast<uint64_t>(run)));
        if (!p) continue;
        p->values[2] =
            engine::Value(int64_t{18 + static_cast<int64_t>((i + static_cast<uint64_t>(run)) % 70)});
        txn.put(person, std::move(*p));
      }
      for (uint64_t i = 0; i < 10000; ++i)
        txn.put(knows,
                engine::Entity{
                    named("bench-e", i), named("p", i * 7 % 100000), named("p", (i * 13 + 1) % 100000), {}});
    });
    write_ms.push_back(ms_since(t0));
    engine::Graph::WriteOptions od;
    od.branch = dst;
    graph->write(od, [&](const engine::GraphSnapshot& base, engine::WriteTxn& txn) {
      const auto& person = *base.catalog().find_node("Person");
      auto p = txn.get(person, "p99999");
      p->values[1] = engine::Value(std::string("Renamed"));
      txn.put(person, std::move(*p));
    });

    t0 = Clock::now();
    auto m = engine::vc::merge_branches(*graph, src, dst, {});
    merge_ms.push_back(ms_since(t0));
    if (m.outcome != engine::vc::MergeOutcome::kMerged) throw std::runtime_error("expected a merged outcome");
    fragments = m.reads.fragments_read;

    t0 = Clock::now();
    changes = 0;
    std::optional<std::string> token;
    do {
      auto page =
          engine::vc::commit_changes_page(*graph, commit->id, {}, engine::vc::kMaxChangePageLimit, token);
      changes += page["changes"].size();
      token = page.contains("next_page_token")
                  ? std::optional<std::string>(page["next_page_token"].get<std::string>())
                  : std::nullopt;
    } while (token);
    diff_ms.push_back(ms_since(t0));
    engine::vc::delete_branch(*graph, src, {});
    engine::vc::delete_branch(*graph, dst, {});
  }
  std::printf("branch create: median %.2f ms\n", median(create_ms));
  std::printf("1%% change write (1,000 updates + 10,000 edges): median %.1f ms\n", median(write_ms));
  std::printf("merge (merged outcome): median %.1f ms, fragments decoded %llu\n", median(merge_ms),
              static_cast<unsigned long long>(fragments));
  std::printf("commit diff (all pages, %llu changes): median %.1f ms\n",
              static_cast<unsigned long long>(changes), median(diff_ms));
  return 0;
}
