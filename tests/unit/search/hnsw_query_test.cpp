// nearest through persisted "hnsw" segments in the read executor: a segment published in a
// table snapshot is used (and verified), filters apply before ranking, deleted rows never come
// back, covered and uncovered fragments merge, rrf's nearest arm uses it too.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>
#include <set>

#include "common/error.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/index/fragment_segment.h"
#include "engine/index/segment_writer.h"
#include "engine/load/loader.h"
#include "engine/mutation/mutation_executor.h"
#include "engine/search/hnsw_segment.h"
#include "engine/search/vector_kernel.h"
#include "engine/table_data_impl.h"
#include "storage/graph_commit.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Slugs = std::vector<std::string>;

constexpr uint32_t kDim = 16;
constexpr size_t kPerBatch = 1500;  // two loads → two fragments of the Doc table

const char* kSchema = "node Doc { slug: String @key  vec: Vector(16)?  grp: I32 }";

std::string slug_of(size_t i) {
  char b[16];
  std::snprintf(b, sizeof b, "d%05zu", i);
  return b;
}

// Publishes a commit on main whose Doc table snapshot lists an "hnsw" segment for each fragment
// `which` accepts, encoded by `encode` (default: the registered hnsw writer) — what optimize
// will do, through the storage API.
void persist_hnsw(Graph& g, const std::function<bool(size_t)>& which,
                  const std::function<std::string(const storage::Column&)>& encode = {}) {
  auto& store = g.store();
  auto head = g.refs().head("main");
  storage::GraphCommit commit = storage::read_commit(store, head.commit_id);
  auto snap = g.snapshot();
  const compiler::TypeDef* type = snap->catalog().find_node("Doc");
  const auto& table = static_cast<const TableDataImpl&>(snap->table(*type));
  const compiler::Property* prop = type->find_property("vec");
  const std::string column = property_column(*prop);
  const index::SegmentWriter* writer = nullptr;
  for (const auto& w : index::segment_writers())
    if (w.kind == "hnsw") writer = &w;
  ASSERT_NE(writer, nullptr);
  EXPECT_EQ(writer->serves, compiler::IndexKind::kVector);
  storage::TableSnapshot ts = *table.table_snapshot();
  for (size_t f = 0; f < ts.fragments.size(); ++f) {
    if (!which(f)) continue;
    auto col = index::fragment_column(table, f, column, column_type(prop->type));
    std::string key = storage::index_key(ts.table_id, "hnsw");
    ASSERT_TRUE(store.create_if_absent(key, encode ? encode(*col) : writer->encode(*col)));
    ts.indexes.push_back({"hnsw", column, key, {ts.fragments[f].fragment.key}});
  }
  ts.version += 1;
  storage::GraphCommit next = commit;
  next.id = new_ulid();
  next.parents = {commit.id};
  next.sequence = commit.sequence + 1;
  next.created_at_us = std::chrono::duration_cast<std::chrono::microseconds>(
                           std::chrono::system_clock::now().time_since_epoch())
                           .count();
  next.tables[ts.table_id] = storage::write_table_snapshot(store, ts);
  storage::write_commit(store, next);
  g.refs().publish("main", head, next.id);
}

class HnswQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("og-hnsw-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    graph = Graph::init(dir.string(), kSchema);
    std::mt19937 rng(1234);
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    vecs.resize(2 * kPerBatch * kDim);
    for (size_t i = 0; i < 2 * kPerBatch; ++i) {
      double norm = 0;
      for (uint32_t d = 0; d < kDim; ++d) norm += std::pow(vecs[i * kDim + d] = gauss(rng), 2);
      for (uint32_t d = 0; d < kDim; ++d)
        vecs[i * kDim + d] = static_cast<float>(vecs[i * kDim + d] / std::sqrt(norm));
    }
    for (size_t batch = 0; batch < 2; ++batch) {
      std::string nd;
      for (size_t i = batch * kPerBatch; i < (batch + 1) * kPerBatch; ++i) {
        json data = {{"slug", slug_of(i)}, {"grp", static_cast<int>(i % 50)}};
        if (i % 97 != 5)
          data["vec"] = std::vector<float>(vecs.begin() + i * kDim, vecs.begin() + (i + 1) * kDim);
        nd += json{{"type", "Doc"}, {"data", data}}.dump() + "\n";
      }
      load_ndjson(*graph, nd, {.mode = LoadMode::kAppend});
    }
    auto snap = graph->snapshot();
    const auto& t = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
    ASSERT_EQ(t.table_snapshot()->fragments.size(), 2u);
  }
  void TearDown() override {
    graph.reset();
    fs::remove_all(dir);
  }
  json query_vec(size_t seed) {
    std::mt19937 rng(static_cast<uint32_t>(seed));
    std::normal_distribution<float> gauss(0.0f, 1.0f);
    std::vector<float> q(kDim);
    for (auto& x : q) x = gauss(rng);
    return q;
  }
  Slugs slugs(const std::string& src, const json& params) {
    Slugs out;
    auto snap = graph->snapshot();
    for (const auto& row : exec::run_read_query(*snap, src, "", params).rows)
      out.push_back(std::get<std::string>(row[0].v));
    return out;
  }
  // Exact answer by brute force over the test's own data: live docs accepted by `keep`,
  // non-null vectors, ascending distance then slug.
  Slugs exact(const json& q, size_t k, const std::function<bool(size_t)>& keep) {
    std::vector<float> qv = q.get<std::vector<float>>();
    std::vector<std::pair<double, size_t>> all;
    for (size_t i = 0; i < 2 * kPerBatch; ++i) {
      if (i % 97 == 5 || !keep(i) || deleted.count(i)) continue;
      all.emplace_back(std::sqrt(static_cast<double>(search::l2_squared(qv.data(), &vecs[i * kDim], kDim))),
                       i);
    }
    std::sort(all.begin(), all.end());
    Slugs out;
    for (size_t i = 0; i < all.size() && i < k; ++i) out.push_back(slug_of(all[i].second));
    return out;
  }
  static size_t overlap(const Slugs& a, const Slugs& b) {
    std::set<std::string> s(b.begin(), b.end());
    size_t n = 0;
    for (const auto& x : a) n += s.count(x);
    return n;
  }
  fs::path dir;
  std::unique_ptr<Graph> graph;
  std::vector<float> vecs;
  std::set<size_t> deleted;
};

const char* kTop10 =
    "query q($q: Vector(16)) { match { $d: Doc } return { $d.slug } order { nearest($d.vec, $q) } limit 10 }";
const auto kAll = [](size_t) { return true; };

TEST_F(HnswQueryTest, PersistedSegmentIsUsed) {
  // Segments that deliberately index only even rows: if the query path reads them, odd rows
  // can never be returned from a covered fragment.
  auto even_only = [](const storage::Column& col) {
    std::vector<float> v;
    std::vector<uint32_t> labels;
    for (uint64_t r = 0; r < col.length; r += 2) {
      if (col.is_null(r)) continue;
      auto x = col.vector_at(r);
      v.insert(v.end(), x.begin(), x.end());
      labels.push_back(static_cast<uint32_t>(r));
    }
    return search::HnswSegment::build(v.data(), labels.data(), labels.size(), col.type.dimension)->encode();
  };
  Slugs before = slugs(kTop10, {{"q", query_vec(1)}});
  EXPECT_EQ(before, exact(query_vec(1), 10, kAll));  // no segment: exact
  persist_hnsw(*graph, kAll, even_only);
  for (size_t s = 1; s <= 20; ++s) {
    Slugs got = slugs(kTop10, {{"q", query_vec(s)}});
    ASSERT_EQ(got.size(), 10u);
    for (const auto& slug : got) EXPECT_EQ(std::stoul(slug.substr(1)) % 2, 0u) << slug;
    EXPECT_GE(overlap(got, exact(query_vec(s), 10, [](size_t i) { return i % 2 == 0; })), 9u);
  }
}

TEST_F(HnswQueryTest, AnnMatchesExactAndCorruptSegmentIsAnIntegrityError) {
  persist_hnsw(*graph, kAll);
  size_t hits = 0;
  for (size_t s = 1; s <= 30; ++s) {
    Slugs got = slugs(kTop10, {{"q", query_vec(s)}});
    ASSERT_EQ(got.size(), 10u);
    hits += overlap(got, exact(query_vec(s), 10, kAll));
  }
  EXPECT_GE(hits, 285u);  // recall@10 ≥ 0.95
  // Damage one stored segment: the next query that needs it fails loudly.
  auto snap = graph->snapshot();
  const auto& t = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
  std::string key = t.table_snapshot()->indexes.at(0).key;
  std::string bytes = graph->store().get(key);
  bytes[bytes.size() / 2] ^= 1;
  graph->store().put(key, bytes);
  graph = Graph::open(dir.string());  // a fresh handle: nothing cached
  try {
    slugs(kTop10, {{"q", query_vec(1)}});
    ADD_FAILURE() << "corrupt segment accepted";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("integrity error: " + key + ": hnsw segment: checksum mismatch"),
              std::string::npos)
        << e.message();
  }
}

TEST_F(HnswQueryTest, SelectiveFilterReturnsTheExactAnswer) {
  persist_hnsw(*graph, kAll);
  // grp = 7 keeps 2% of each fragment (< 10%): the exact kernel ranks the allowed rows.
  const char* q =
      "query q($q: Vector(16)) { match { $d: Doc $d.grp = 7 } return { $d.slug } "
      "order { nearest($d.vec, $q) } limit 10 }";
  for (size_t s = 1; s <= 10; ++s)
    EXPECT_EQ(slugs(q, {{"q", query_vec(s)}}), exact(query_vec(s), 10, [](size_t i) { return i % 50 == 7; }));
  // grp < 10 keeps 20%: the segment is searched with the filter; every row passes it.
  const char* q20 =
      "query q($q: Vector(16)) { match { $d: Doc $d.grp < 10 } return { $d.slug, $d.grp } "
      "order { nearest($d.vec, $q) } limit 10 }";
  size_t hits = 0;
  for (size_t s = 1; s <= 10; ++s) {
    auto snap = graph->snapshot();
    auto r = exec::run_read_query(*snap, q20, "", {{"q", query_vec(s)}});
    ASSERT_EQ(r.rows.size(), 10u);
    Slugs got;
    for (const auto& row : r.rows) {
      EXPECT_LT(std::get<int64_t>(row[1].v), 10);
      got.push_back(std::get<std::string>(row[0].v));
    }
    hits += overlap(got, exact(query_vec(s), 10, [](size_t i) { return i % 50 < 10; }));
  }
  EXPECT_GE(hits, 90u);
}

TEST_F(HnswQueryTest, DeletedRowsAreNeverReturned) {
  persist_hnsw(*graph, kAll);
  // Delete the exact top-5 of a query (in both fragments' segments), after the index was built.
  json q = query_vec(3);
  Slugs top = exact(q, 5, kAll);
  std::string del = "query m() {";
  for (const auto& s : top) {
    del += " delete Doc where slug = \"" + s + "\"";
    deleted.insert(std::stoul(s.substr(1)));
  }
  mutation::run_mutation(*graph, del + " }", "", json::object(), {});
  auto snap = graph->snapshot();
  const auto& t = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
  ASSERT_FALSE(t.table_snapshot()->indexes.empty());  // the segments were carried forward
  Slugs got = slugs(kTop10, {{"q", q}});              // the unfiltered fast path
  ASSERT_EQ(got.size(), 10u);
  for (const auto& s : top) EXPECT_EQ(std::count(got.begin(), got.end(), s), 0) << s;
  EXPECT_GE(overlap(got, exact(q, 10, kAll)), 9u);
  // The ranking path (a 50 % filter keeps the segment in use) filters them out as well.
  const char* half =
      "query q($q: Vector(16)) { match { $d: Doc $d.grp < 25 } return { $d.slug } "
      "order { nearest($d.vec, $q) } limit 10 }";
  got = slugs(half, {{"q", q}});
  ASSERT_EQ(got.size(), 10u);
  for (const auto& s : top) EXPECT_EQ(std::count(got.begin(), got.end(), s), 0) << s;
  EXPECT_GE(overlap(got, exact(q, 10, [](size_t i) { return i % 50 < 25; })), 9u);
}

TEST_F(HnswQueryTest, SeveralRowsPerRankedEntityKeepTheIdTieBreak) {
  persist_hnsw(*graph, kAll);
  // Every $d pairs with the 60 docs of grp 3: the 10 best rows are the nearest doc (the query is
  // its own vector) with the 10 smallest $e slugs, by the §6.8 tie-break ($d, then $e).
  const char* q =
      "query q($q: Vector(16)) { match { $d: Doc  $e: Doc $e.grp = 3 } return { $d.slug, $e.slug } "
      "order { nearest($d.vec, $q) } limit 10 }";
  json v = std::vector<float>(vecs.begin() + 1234 * kDim, vecs.begin() + 1235 * kDim);
  auto snap = graph->snapshot();
  auto r = exec::run_read_query(*snap, q, "", {{"q", v}});
  ASSERT_EQ(r.rows.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    EXPECT_EQ(std::get<std::string>(r.rows[i][0].v), slug_of(1234));
    EXPECT_EQ(std::get<std::string>(r.rows[i][1].v), slug_of(3 + 50 * i));
  }
}

TEST_F(HnswQueryTest, CoveredAndUncoveredFragmentsMerge) {
  persist_hnsw(*graph, [](size_t f) { return f == 0; });  // fragment 1 stays exact
  size_t hits = 0;
  for (size_t s = 1; s <= 20; ++s) {
    json q = query_vec(s);
    Slugs got = slugs(kTop10, {{"q", q}});
    ASSERT_EQ(got.size(), 10u);
    // Everything from the uncovered fragment is exact: its rows in the exact top-10 are all there,
    // in order.
    Slugs want = exact(q, 10, kAll);
    Slugs want_uncovered, got_uncovered;
    for (const auto& x : want)
      if (std::stoul(x.substr(1)) >= kPerBatch) want_uncovered.push_back(x);
    for (const auto& x : got)
      if (std::stoul(x.substr(1)) >= kPerBatch) got_uncovered.push_back(x);
    EXPECT_EQ(Slugs(got_uncovered.begin(),
                    got_uncovered.begin() + std::min(got_uncovered.size(), want_uncovered.size())),
              want_uncovered);
    hits += overlap(got, want);
  }
  EXPECT_GE(hits, 190u);
  // A doc equal to the query in the uncovered fragment comes first; ties break by slug.
  json q = std::vector<float>(vecs.begin() + 2000 * kDim, vecs.begin() + 2001 * kDim);
  EXPECT_EQ(slugs(kTop10, {{"q", q}}).at(0), slug_of(2000));
  json q0 = std::vector<float>(vecs.begin() + 10 * kDim, vecs.begin() + 11 * kDim);
  EXPECT_EQ(slugs(kTop10, {{"q", q0}}).at(0), slug_of(10));
}

TEST_F(HnswQueryTest, RrfNearestArmUsesTheSegment) {
  const char* q =
      "query q($q: Vector(16)) { match { $d: Doc } return { $d.slug } "
      "order { rrf(nearest($d.vec, $q), nearest($d.vec, $q)) } limit 10 }";
  Slugs before = slugs(q, {{"q", query_vec(4)}});
  EXPECT_EQ(before, exact(query_vec(4), 10, kAll));
  persist_hnsw(*graph, kAll);
  size_t hits = 0;
  for (size_t s = 1; s <= 10; ++s) {
    Slugs got = slugs(q, {{"q", query_vec(s)}});
    ASSERT_EQ(got.size(), 10u);
    hits += overlap(got, exact(query_vec(s), 10, kAll));
  }
  EXPECT_GE(hits, 90u);
}

}  // namespace
}  // namespace omnigraph::engine
