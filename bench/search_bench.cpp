// Search benchmark driver: vector top-10 exact and BM25 top-10 through run_read_query on the
// generator's medium data (bench.gq vector_top10 / bm25_top10), checked against truth.json;
// the full-text segment build time of the Doc.body fragments; the HNSW segment alone (build
// time, ANN vs exact top-10 latency and recall@10 over docs_emb.f32 and the query vectors); and,
// with --indexed DIR, vector_top10 on a copy of the graph whose Doc.embedding fragments carry
// persisted "hnsw" segments.
// Usage: search_bench [--data /tmp/benchdata] [--graph /tmp/benchgraph] [--shared /work/shared]
//                     [--iterations 50] [--indexed /tmp/benchgraph-hnsw] [--segment-only 1]
//                     [--m 16 --ef-construction 100]  (segment section only; --indexed uses the defaults)
//        (the graph must already be loaded, e.g. by engine_bench; --indexed copies it once)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "bench_args.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/index/fragment_segment.h"
#include "engine/index/segment_writer.h"
#include "engine/search/hnsw_segment.h"
#include "engine/search/inverted_segment.h"
#include "engine/search/vector_kernel.h"
#include "engine/table_data_impl.h"
#include "storage/graph_commit.h"
#include "storage/table_snapshot.h"

namespace {

using omnigraph::bench::Clock;
using omnigraph::bench::median;
using omnigraph::bench::ms_since;
using nlohmann::json;


// CPU time of the calling thread (the machine is shared: wall time includes waiting).
double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}


// The HNSW segment on its own: build over docs_emb.f32, then exact and ANN top-10 per query.
void bench_segment(const std::string& data, const json& queries,
                   omnigraph::engine::search::HnswParams params) {
  using namespace omnigraph::engine::search;
  std::string raw = omnigraph::bench::slurp(data + "/docs_emb.f32");
  const uint32_t dim = static_cast<uint32_t>(queries["vector"][0].size());
  const size_t n = raw.size() / (dim * sizeof(float));
  std::vector<float> vecs(n * dim);
  std::memcpy(vecs.data(), raw.data(), n * dim * sizeof(float));
  std::vector<uint32_t> labels(n);
  for (size_t i = 0; i < n; ++i) labels[i] = static_cast<uint32_t>(i);
  auto t0 = Clock::now();
  std::clock_t cpu0 = std::clock();  // process CPU time: the build's cost on a shared machine
  auto seg = HnswSegment::build(vecs.data(), labels.data(), n, dim, params);
  double build_ms = ms_since(t0);
  double build_cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu0) / CLOCKS_PER_SEC;
  t0 = Clock::now();
  std::string bytes = seg->encode();
  double encode_ms = ms_since(t0);
  t0 = Clock::now();
  auto back = HnswSegment::decode(bytes);
  double decode_ms = ms_since(t0);
  std::printf(
      "hnsw build    %zu x %u  M %u  ef_construction %u  threads %u: %.0f ms (cpu %.0f ms); %.1f MB, encode "
      "%.0f ms, "
      "decode %.0f ms\n",
      n, dim, params.m, params.ef_construction, params.threads, build_ms, build_cpu_ms,
      static_cast<double>(bytes.size()) / 1e6, encode_ms, decode_ms);
  std::vector<std::vector<float>> qs;
  for (const auto& q : queries["vector"]) qs.push_back(q.get<std::vector<float>>());
  std::vector<double> exact_ms;
  std::vector<std::set<uint32_t>> truth;
  for (const auto& q : qs) {
    t0 = Clock::now();
    std::vector<std::pair<float, uint32_t>> d(n);
    for (size_t i = 0; i < n; ++i)
      d[i] = {l2_squared(q.data(), vecs.data() + i * dim, dim), static_cast<uint32_t>(i)};
    std::partial_sort(d.begin(), d.begin() + 10, d.end());
    exact_ms.push_back(ms_since(t0));
    std::set<uint32_t> t;
    for (size_t i = 0; i < 10; ++i) t.insert(d[i].second);
    truth.push_back(std::move(t));
  }
  std::printf("exact top-10  kernel scan    calls %4zu  median %9.3f ms\n", qs.size(), median(exact_ms));
  for (size_t ef : {16, 32, 64, 128}) {
    std::vector<double> ms;
    size_t hits = 0;
    for (size_t i = 0; i < qs.size(); ++i) {
      t0 = Clock::now();
      auto hits_i = back->search(qs[i].data(), 10, {}, ef);
      ms.push_back(ms_since(t0));
      for (const auto& h : hits_i) hits += truth[i].count(h.label);
    }
    std::printf("ann top-10    ef_search %3zu  calls %4zu  median %9.3f ms  recall@10 %.3f%s\n", ef,
                qs.size(), median(ms), static_cast<double>(hits) / static_cast<double>(10 * qs.size()),
                ef == params.ef_search ? "  (default)" : "");
  }
}

// Copies `graph_dir` to `indexed` (once) and publishes a commit whose Doc table lists an "hnsw"
// segment for every fragment of Doc.embedding (what optimize will do). Returns the build ms.
double make_indexed_copy(const std::string& graph_dir, const std::string& indexed) {
  using namespace omnigraph;
  namespace fs = std::filesystem;
  if (fs::exists(indexed)) return 0;
  fs::copy(graph_dir, indexed, fs::copy_options::recursive);
  auto g = engine::Graph::open(indexed);
  auto& store = g->store();
  auto head = g->refs().head("main");
  storage::GraphCommit commit = storage::read_commit(store, head.commit_id);
  auto snap = g->snapshot();
  const auto* type = snap->catalog().find_node("Doc");
  const auto& table = static_cast<const engine::TableDataImpl&>(snap->table(*type));
  const auto* prop = type->find_property("embedding");
  std::string column = engine::property_column(*prop);
  const engine::index::SegmentWriter* writer = nullptr;
  for (const auto& w : engine::index::segment_writers())
    if (w.kind == "hnsw") writer = &w;
  storage::TableSnapshot ts = *table.table_snapshot();
  auto t0 = Clock::now();
  for (size_t f = 0; f < ts.fragments.size(); ++f) {
    auto col = engine::index::fragment_column(table, f, column, engine::column_type(prop->type));
    std::string key = storage::index_key(ts.table_id, "hnsw");
    store.create_if_absent(key, writer->encode(*col));
    ts.indexes.push_back({"hnsw", column, key, {ts.fragments[f].fragment.key}});
  }
  double build_ms = ms_since(t0);
  ts.version += 1;
  storage::GraphCommit next = commit;
  next.id = new_ulid();
  next.parents = {commit.id};
  next.sequence = commit.sequence + 1;
  next.tables[ts.table_id] = storage::write_table_snapshot(store, ts);
  storage::write_commit(store, next);
  g->refs().publish("main", head, next.id);
  std::printf("indexed copy  %s: %zu Doc fragment(s), hnsw segments built in %.0f ms\n", indexed.c_str(),
              ts.fragments.size(), build_ms);
  return build_ms;
}

// Full-text segment build of every Doc.body fragment (columns decoded first, not timed), and
// decoding of the persisted form.
void bench_fulltext_build(const omnigraph::engine::GraphSnapshot* snap) {
  using namespace omnigraph;
  // Full-text segment build of every Doc.body fragment (columns decoded first, not timed).
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
      auto seg = engine::search::InvertedSegment::build(static_cast<uint32_t>(col->length),
                                                        [&](uint32_t r) -> std::optional<std::string_view> {
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
    ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count() -
                 (rep == 0 ? encode_ms : 0.0));
    if (rep == 0)
      std::printf("fts segments  %zu fragments, %llu rows, %llu terms, %.1f MB encoded\n", columns.size(),
                  static_cast<unsigned long long>(rows), static_cast<unsigned long long>(terms),
                  static_cast<double>(bytes) / 1e6);
  }
  std::printf("fts_build     runs  %4zu  median %9.3f ms  (thread CPU %9.3f ms)\n", ms.size(), median(ms),
              median(cpu_ms));
  // Decoding the persisted form (what a query pays per fragment once `optimize` wrote it).
  std::vector<std::string> encoded;
  for (const auto& col : columns)
    encoded.push_back(
        engine::search::InvertedSegment::build(static_cast<uint32_t>(col->length),
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
  std::string indexed;
  bool segment_only = false;
  engine::search::HnswParams params;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--indexed") indexed = argv[i + 1];
    if (flag == "--segment-only") segment_only = std::string(argv[i + 1]) == "1";
    if (flag == "--m") params.m = static_cast<uint32_t>(std::stoul(argv[i + 1]));
    if (flag == "--ef-construction") params.ef_construction = static_cast<uint32_t>(std::stoul(argv[i + 1]));
  }
  bench_segment(data, queries, params);
  if (segment_only) return 0;
  std::vector<std::pair<std::string, std::string>> graphs = {{"", graph_dir}};
  if (!indexed.empty()) {
    make_indexed_copy(graph_dir, indexed);
    graphs.emplace_back(" (hnsw)", indexed);
  }
  for (const auto& [label, dir] : graphs) {
    auto graph = engine::Graph::open(dir);
    auto snap = graph->snapshot();
    if (label.empty()) bench_fulltext_build(snap.get());

    struct Case {
      const char* name;
      const char* field;  // queries.json / truth.json key
    };
    for (Case c : {Case{"vector_top10", "vector"}, Case{"bm25_top10", "bm25"}}) {
      if (!label.empty() && std::string(c.field) != "vector") continue;
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
      std::printf("%-13s%s calls %4zu  median %9.3f ms  first %9.3f ms  overlap with truth %.3f\n", c.name,
                  label.c_str(), ms.size(), median(ms), ms.empty() ? 0.0 : ms[0],
                  total ? static_cast<double>(hits) / static_cast<double>(total) : 0.0);
    }
    if (!label.empty()) continue;
    // Full-text predicates (not in bench.gq): the rows matching a 2-word query as a scan filter,
    // the fuzzy variant (edit distance over the term dictionary), and bm25 as a projection
    // (general path: the per-query score array over all rows, then 10 rows projected).
    const std::string extra =
        "query search_filter($q: String) { match { $d: Doc search($d.body, $q) } return { count($d) as n } "
        "}\n"
        "query fuzzy_filter($q: String) { match { $d: Doc fuzzy($d.body, $q, 1) } return { count($d) as n } "
        "}\n"
        "query bm25_project($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s } limit "
        "10 }\n";
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
      if (rows)
        std::printf("  (matching rows per call %.0f)",
                    static_cast<double>(rows) / static_cast<double>(ms.size()));
      std::printf("\n");
    }
  }
  return 0;
}
