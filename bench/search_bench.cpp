// Search benchmark driver: vector top-10 exact and BM25 top-10 through run_read_query on the
// generator's medium data (bench.gq vector_top10 / bm25_top10), checked against truth.json,
// and the full-text segment build time of the Doc.body fragments.
// Usage: search_bench [--data /tmp/benchdata] [--graph /tmp/benchgraph] [--shared /work/shared]
//                     [--iterations 50]  (the graph must already be loaded, e.g. by engine_bench)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "bench_args.h"
#include "engine/column_mapping.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/index/fragment_segment.h"
#include "engine/search/inverted_segment.h"
#include "engine/table_data_impl.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// CPU time of the calling thread (the machine is shared: wall time includes waiting).
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
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

  // Full-text segment build of every Doc.body fragment (columns decoded first, not timed).
  {
    const compiler::TypeDef* doc = snap->catalog().find_node("Doc");
    const auto& table = static_cast<const engine::TableDataImpl&>(snap->table(*doc));
    const compiler::Property* body = doc->find_property("body");
    std::vector<std::shared_ptr<const storage::Column>> columns;
    for (size_t f = 0; table.table_snapshot() && f < table.table_snapshot()->fragments.size(); ++f)
      columns.push_back(engine::index::fragment_column(table, f, engine::property_column(*body),
                                                       engine::column_type(body->type)));
    std::vector<double> ms, cpu_ms;
    uint64_t rows = 0, terms = 0, bytes = 0;
    for (int rep = 0; rep < 5; ++rep) {
      rows = terms = bytes = 0;
      double encode_ms = 0, encode_cpu_ms = 0;
      auto t0 = Clock::now();
      const double c0 = thread_cpu_ms();
      for (const auto& col : columns) {
        auto seg = engine::search::InvertedSegment::build(
            static_cast<uint32_t>(col->length), [&](uint32_t r) -> std::optional<std::string_view> {
              if (col->is_null(r)) return std::nullopt;
              return col->bytes_at(r);
            });
        rows += seg.row_count();
        terms += seg.term_count();
        if (rep == 0) {  // encode once for the size, not timed
          auto e0 = Clock::now();
          const double ec0 = thread_cpu_ms();
          bytes += seg.encode().size();
          encode_ms += std::chrono::duration<double, std::milli>(Clock::now() - e0).count();
          encode_cpu_ms += thread_cpu_ms() - ec0;
        }
      }
      cpu_ms.push_back(thread_cpu_ms() - c0 - (rep == 0 ? encode_cpu_ms : 0.0));
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count() - (rep == 0 ? encode_ms : 0.0));
      if (rep == 0) std::printf("fts segments  %zu fragments, %llu rows, %llu terms, %.1f MB encoded\n", columns.size(),
                                static_cast<unsigned long long>(rows), static_cast<unsigned long long>(terms),
                                static_cast<double>(bytes) / 1e6);
    }
    std::printf("fts_build     runs  %4zu  median %9.3f ms  (thread CPU %9.3f ms)\n", ms.size(), median(ms),
                median(cpu_ms));
    // Decoding the persisted form (what a query pays per fragment once `optimize` wrote it).
    std::vector<std::string> encoded;
    for (const auto& col : columns)
      encoded.push_back(engine::search::InvertedSegment::build(static_cast<uint32_t>(col->length),
                                                               [&](uint32_t r) -> std::optional<std::string_view> {
                                                                 if (col->is_null(r)) return std::nullopt;
                                                                 return col->bytes_at(r);
                                                               })
                            .encode());
    std::vector<double> dms, dcpu;
    for (int rep = 0; rep < 5; ++rep) {
      auto t0 = Clock::now();
      const double c0 = thread_cpu_ms();
      for (const auto& e : encoded) terms += engine::search::InvertedSegment::decode(e).term_count();
      dcpu.push_back(thread_cpu_ms() - c0);
      dms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    std::printf("fts_decode    runs  %4zu  median %9.3f ms  (thread CPU %9.3f ms)\n", dms.size(), median(dms),
                median(dcpu));
  }

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
    std::printf("%-13s calls %4zu  median %9.3f ms  first %9.3f ms  overlap with truth %.3f\n", c.name, ms.size(),
                median(ms), ms.empty() ? 0.0 : ms[0],
                total ? static_cast<double>(hits) / static_cast<double>(total) : 0.0);
  }
  // Full-text predicates (not in bench.gq): the rows matching a 2-word query as a scan filter,
  // the fuzzy variant (edit distance over the term dictionary), and bm25 as a projection
  // (general path: the per-query score array over all rows, then 10 rows projected).
  const std::string extra =
      "query search_filter($q: String) { match { $d: Doc search($d.body, $q) } return { count($d) as n } }\n"
      "query fuzzy_filter($q: String) { match { $d: Doc fuzzy($d.body, $q, 1) } return { count($d) as n } }\n"
      "query bm25_project($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s } limit 10 }\n";
  for (const char* name : {"search_filter", "fuzzy_filter", "bm25_project"}) {
    const auto& params = queries["bm25"];
    std::vector<double> ms;
    uint64_t rows = 0;
    for (size_t i = 0; i < params.size() && static_cast<int>(i) < iterations; ++i) {
      auto t0 = Clock::now();
      auto r = engine::exec::run_read_query(*snap, extra, name, json{{"q", params[i]}});
      ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
      if (const auto* n = std::get_if<int64_t>(&r.rows.at(0).back().v)) rows += static_cast<uint64_t>(*n);
    }
    std::printf("%-13s calls %4zu  median %9.3f ms", name, ms.size(), median(ms));
    if (rows) std::printf("  (matching rows per call %.0f)", static_cast<double>(rows) / static_cast<double>(ms.size()));
    std::printf("\n");
  }
  return 0;
}
