// Full-text view through the read executor on random corpora spread over several fragments:
// BM25 equals the reference formula over the LIVE rows after deletions, fresh fragments are
// searchable at once, a persisted "fts" segment (published as a new commit with the storage
// API) gives the unindexed results and is really read (corrupting it fails the query),
// fuzzy/search over the dictionary equal the per-row semantics, and the bm25 top-k fast path
// ranks exactly like the general path.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <set>

#include "common/time_util.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"
#include "engine/index/fragment_segment.h"
#include "engine/index/segment_writer.h"
#include "engine/mutation/mutation_executor.h"
#include "engine/search/scoring.h"
#include "engine/search/text_analyzer.h"
#include "engine/table_data_impl.h"
#include "storage/branch_refs.h"
#include "storage/graph_commit.h"
#include "storage/storage_error.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kSchema = R"(
node Doc { slug: String @key  body: String? @index  tag: String }
)";

const std::vector<std::string> kVocab = {"graph",   "graphs", "running", "runner", "run",   "the",     "of",
                                         "Café",    "cafe",   "naïve",   "data",   "DATA",  "connect", "connected",
                                         "quickly", "quick",  "store",   "stored", "tabl",  "table",   "grapj"};

struct Doc {
  std::string slug;
  std::optional<std::string> body;
  std::string tag;
};

std::string literal(const std::string& s) { return "\"" + s + "\""; }

class FullTextIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("og-fts-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    graph = Graph::init(dir.string(), kSchema);
  }
  void TearDown() override {
    graph.reset();
    fs::remove_all(dir);
  }
  // Inserts docs d<first>..d<first+n-1> in one mutation (= one new fragment).
  void insert(std::mt19937& rng, size_t first, size_t n) {
    std::string m = "query m() {";
    for (size_t i = first; i < first + n; ++i) {
      Doc d;
      d.slug = "d" + std::to_string(i);
      d.tag = rng() % 2 ? "x" : "y";
      if (rng() % 6 != 0) {
        std::string body;
        size_t words = rng() % 8;
        for (size_t w = 0; w < words; ++w) body += (w ? " " : "") + kVocab[rng() % kVocab.size()];
        d.body = body;
      }
      m += " insert Doc { slug: " + literal(d.slug) + (d.body ? ", body: " + literal(*d.body) : "") +
           ", tag: " + literal(d.tag) + " }";
      docs[d.slug] = d;
    }
    mutation::run_mutation(*graph, m + " }", "", json::object(), {});
  }
  void remove(const std::string& slug) {
    mutation::run_mutation(*graph, "query m() { delete Doc where slug = " + literal(slug) + " }", "", json::object(),
                           {});
    docs.erase(slug);
  }
  void load_random(uint32_t seed) {
    std::mt19937 rng(seed);
    insert(rng, 0, 20);
    insert(rng, 20, 15);
    insert(rng, 35, 25);
    for (const char* s : {"d3", "d4", "d21", "d22", "d40", "d59"}) remove(s);
  }
  exec::ReadResult read(const std::string& src, const json& params = json::object()) {
    auto snap = graph->snapshot();
    return exec::run_read_query(*snap, src, "", params);
  }
  std::vector<std::string> slugs(const std::string& src, const json& params = json::object()) {
    std::vector<std::string> out;
    for (const auto& row : read(src, params).rows) out.push_back(std::get<std::string>(row[0].v));
    return out;
  }
  // Reference Okapi BM25 over the live non-null docs (languages.md §6.11).
  std::map<std::string, double> reference_bm25(const std::string& query) {
    search::TextAnalyzer a;
    std::map<std::string, std::vector<std::string>> tokens;
    double total = 0;
    for (const auto& [slug, d] : docs) {
      if (!d.body) continue;
      tokens[slug] = a.analyze(*d.body);
      total += static_cast<double>(tokens[slug].size());
    }
    const double n = static_cast<double>(tokens.size());
    const double avgdl = n > 0 ? total / n : 0.0;
    std::vector<std::string> terms;
    for (const auto& t : a.analyze(query))
      if (std::find(terms.begin(), terms.end(), t) == terms.end()) terms.push_back(t);
    std::map<std::string, double> out;
    for (const auto& t : terms) {
      double df = 0;
      for (const auto& [slug, toks] : tokens) df += std::count(toks.begin(), toks.end(), t) > 0;
      double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
      for (const auto& [slug, toks] : tokens) {
        double tf = static_cast<double>(std::count(toks.begin(), toks.end(), t));
        if (tf == 0) continue;
        double dl = static_cast<double>(toks.size());
        out[slug] += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * dl / avgdl));
      }
    }
    return out;
  }
  void expect_bm25_matches_reference(const std::string& query) {
    auto expect = reference_bm25(query);
    auto r = read("query q($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s } }",
                  {{"q", query}});
    ASSERT_EQ(r.rows.size(), docs.size());
    size_t scored = 0;
    for (const auto& row : r.rows) {
      const auto& slug = std::get<std::string>(row[0].v);
      auto it = expect.find(slug);
      if (it == expect.end()) {
        EXPECT_TRUE(row[1].is_null()) << query << " " << slug;
        continue;
      }
      ASSERT_FALSE(row[1].is_null()) << query << " " << slug;
      EXPECT_NEAR(std::get<double>(row[1].v), it->second, 1e-12) << query << " " << slug;
      ++scored;
    }
    EXPECT_EQ(scored, expect.size()) << query;
    // The ranking (fast path: one scan, order bm25, limit) follows the same scores, ties by id.
    std::vector<std::pair<std::string, double>> ranked(expect.begin(), expect.end());
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
      if (std::abs(a.second - b.second) > 1e-12) return a.second > b.second;
      return a.first < b.first;
    });
    auto top = slugs("query q($q: String) { match { $d: Doc } return { $d.slug } order { bm25($d.body, $q) } limit 4 }",
                     {{"q", query}});
    ASSERT_EQ(top.size(), std::min<size_t>(4, ranked.size())) << query;
    for (size_t i = 0; i < top.size(); ++i) EXPECT_EQ(top[i], ranked[i].first) << query << " rank " << i;
  }
  // Publishes a commit whose Doc table snapshot lists a persisted fts segment (written with the
  // registered writer, or `override_bytes`) for every fragment. Returns the segment keys.
  std::vector<std::string> persist_segments(const std::optional<std::string>& override_bytes = std::nullopt) {
    auto snap = graph->snapshot();
    const compiler::TypeDef* type = snap->catalog().find_node("Doc");
    const auto& table = static_cast<const TableDataImpl&>(snap->table(*type));
    const compiler::Property* body = type->find_property("body");
    const std::string column = property_column(*body);
    const index::SegmentWriter* writer = nullptr;
    for (const auto& w : index::segment_writers())
      if (w.kind == "fts") writer = &w;
    EXPECT_NE(writer, nullptr);
    EXPECT_EQ(writer->serves, compiler::IndexKind::kFullText);
    storage::TableSnapshot ts = *table.table_snapshot();
    std::vector<std::string> keys;
    for (size_t f = 0; f < ts.fragments.size(); ++f) {
      std::string bytes =
          override_bytes ? *override_bytes : writer->encode(*index::fragment_column(table, f, column, column_type(body->type)));
      std::string key = storage::index_key(ts.table_id, "fts");
      graph->store().put(key, bytes);
      ts.indexes.push_back({"fts", column, key, {ts.fragments[f].fragment.key}});
      keys.push_back(key);
    }
    ts.version += 1;
    std::string ts_key = storage::write_table_snapshot(graph->store(), ts);
    storage::RefEntry head = graph->refs().head("main");
    storage::GraphCommit c = storage::read_commit(graph->store(), head.commit_id);
    c.parents = {c.id};
    c.id = new_ulid();
    c.sequence += 1;
    c.created_at_us = now_epoch_us();
    c.tables[ts.table_id] = ts_key;
    storage::write_commit(graph->store(), c);
    graph->refs().publish("main", head, c.id);
    return keys;
  }
  fs::path dir;
  std::unique_ptr<Graph> graph;
  std::map<std::string, Doc> docs;  // live docs
};

const std::vector<std::string> kQueries = {"graph", "running data", "the of", "cafe naive", "stored tables",
                                           "graph graph run", "quick connection", "zzz", "DATA graphs"};

TEST_F(FullTextIndexTest, Bm25EqualsReferenceOverLiveRowsAfterDeletions) {
  for (uint32_t seed : {1u, 2u, 3u}) {
    TearDown();
    SetUp();
    docs.clear();
    load_random(seed);
    for (const auto& q : kQueries) expect_bm25_matches_reference(q);
  }
}

TEST_F(FullTextIndexTest, FreshFragmentsAreSearchableAtOnce) {
  std::mt19937 rng(5);
  insert(rng, 0, 10);
  expect_bm25_matches_reference("graph data");  // builds and caches the first fragment's segment
  mutation::run_mutation(*graph, R"(query m() { insert Doc { slug: "new", body: "zebra graph", tag: "x" } })", "",
                         json::object(), {});
  docs["new"] = Doc{"new", "zebra graph", "x"};
  EXPECT_EQ(slugs(R"(query q() { match { $d: Doc search($d.body, "zebras") } return { $d.slug } })"),
            std::vector<std::string>{"new"});
  expect_bm25_matches_reference("graph data");  // corpus statistics now include the new row
  expect_bm25_matches_reference("zebra");
  remove("new");
  EXPECT_TRUE(slugs(R"(query q() { match { $d: Doc search($d.body, "zebras") } return { $d.slug } })").empty());
  expect_bm25_matches_reference("graph data");
}

TEST_F(FullTextIndexTest, PersistedSegmentsGiveTheUnindexedResults) {
  load_random(7);
  std::map<std::string, exec::ReadResult> before;
  const std::string q =
      "query q($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s, search($d.body, $q) as m,"
      " fuzzy($d.body, $q, 1) as f } order { $d.slug } }";
  for (const auto& text : kQueries) before[text] = read(q, {{"q", text}});
  auto keys = persist_segments();
  ASSERT_EQ(keys.size(), 3u);
  graph = Graph::open(dir.string());  // fresh segment cache: fragments resolve to the persisted segments
  {
    auto snap = graph->snapshot();
    const auto& table = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
    ASSERT_EQ(table.table_snapshot()->indexes.size(), 3u);
  }
  for (const auto& text : kQueries) {
    auto after = read(q, {{"q", text}});
    ASSERT_EQ(after.rows.size(), before[text].rows.size());
    for (size_t i = 0; i < after.rows.size(); ++i) EXPECT_EQ(after.rows[i], before[text].rows[i]) << text << " " << i;
    expect_bm25_matches_reference(text);
  }
  // A later write keeps the fragments, so it carries their segments forward.
  remove("d7");
  {
    auto snap = graph->snapshot();
    const auto& table = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
    EXPECT_EQ(table.table_snapshot()->indexes.size(), 3u);
  }
  for (const auto& text : kQueries) expect_bm25_matches_reference(text);
}

TEST_F(FullTextIndexTest, CorruptPersistedSegmentFailsTheQuery) {
  load_random(8);
  std::string bad = "OMNIFTS";
  bad.resize(64, 'x');
  persist_segments(bad);
  graph = Graph::open(dir.string());
  try {
    read(R"(query q() { match { $d: Doc search($d.body, "graph") } return { $d.slug } })");
    FAIL() << "a corrupt persisted segment must not be read as data";
  } catch (const storage::IntegrityError& e) {
    EXPECT_NE(std::string(e.what()).find("fts segment of p"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("checksum mismatch"), std::string::npos) << e.what();
  }
}

TEST_F(FullTextIndexTest, FuzzyAndSearchOverTheDictionaryEqualPerRowSemantics) {
  for (uint32_t seed : {11u, 12u}) {
    TearDown();
    SetUp();
    docs.clear();
    load_random(seed);
    search::TextAnalyzer a;
    const std::vector<std::string> queries = {"grap", "runing dta", "cafes", "naive", "xyzzy", "stor", "the", "quik"};
    for (const auto& text : queries) {
      for (int edits : {0, 1, 2}) {
        std::vector<std::string> expect_fuzzy, expect_search;
        for (const auto& [slug, d] : docs) {
          if (!d.body) continue;
          auto field = a.analyze(*d.body);
          if (search::fuzzy_matches(field, a.analyze(text), static_cast<uint64_t>(edits))) expect_fuzzy.push_back(slug);
          if (search::any_token_matches(field, a.analyze(text))) expect_search.push_back(slug);
        }
        auto got = slugs("query q($q: String) { match { $d: Doc fuzzy($d.body, $q, " + std::to_string(edits) +
                             ") } return { $d.slug } order { $d.slug } }",
                         {{"q", text}});
        std::sort(expect_fuzzy.begin(), expect_fuzzy.end());
        EXPECT_EQ(got, expect_fuzzy) << text << " edits " << edits;
        auto got_search = slugs(
            "query q($q: String) { match { $d: Doc search($d.body, $q) } return { $d.slug } order { $d.slug } }",
            {{"q", text}});
        std::sort(expect_search.begin(), expect_search.end());
        EXPECT_EQ(got_search, expect_search) << text;
      }
    }
  }
}

TEST_F(FullTextIndexTest, TopKFastPathRanksLikeTheGeneralPath) {
  load_random(21);
  for (const auto& text : kQueries) {
    // No limit → general path (rank_rows over the full scan); limit → the postings fast path.
    auto all = slugs(R"(query q($q: String) { match { $d: Doc $d.tag = "x" } return { $d.slug } order { bm25($d.body, $q) } })",
                     {{"q", text}});
    auto top = slugs(
        R"(query q($q: String) { match { $d: Doc $d.tag = "x" } return { $d.slug } order { bm25($d.body, $q) } limit 3 })",
        {{"q", text}});
    all.resize(std::min<size_t>(all.size(), 3));
    EXPECT_EQ(top, all) << text;
    for (const auto& s : top) EXPECT_EQ(docs.at(s).tag, "x");
  }
}

TEST_F(FullTextIndexTest, PerRowQueryUsesTheSameStatistics) {
  load_random(31);
  // The query text comes from another row: evaluated per row through the view's lookups.
  auto per_row = read(R"(query q() { match { $d: Doc $e: Doc $e.slug = "d0" } return { $d.slug, bm25($d.body, $e.body) as s,
      search($d.body, $e.body) as m } order { $d.slug } })");
  const std::string q0 = docs.at("d0").body.value_or("");
  auto constant = read("query q($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s,"
                       " search($d.body, $q) as m } order { $d.slug } }",
                       {{"q", q0}});
  ASSERT_EQ(per_row.rows.size(), constant.rows.size());
  for (size_t i = 0; i < per_row.rows.size(); ++i) EXPECT_EQ(per_row.rows[i], constant.rows[i]) << i;
}

TEST_F(FullTextIndexTest, EmptyTableAndMostlyDeletedFragments) {
  const std::string top = "query q($q: String) { match { $d: Doc } return { $d.slug } order { bm25($d.body, $q) } limit 3 }";
  EXPECT_TRUE(slugs(top, {{"q", "graph"}}).empty());  // a type without data
  EXPECT_TRUE(slugs(R"(query q() { match { $d: Doc fuzzy($d.body, "graph") } return { $d.slug } })").empty());
  std::mt19937 rng(41);
  insert(rng, 0, 8);
  insert(rng, 8, 6);
  insert(rng, 14, 8);
  for (size_t i = 8; i < 13; ++i) remove("d" + std::to_string(i));  // the middle fragment keeps one live row
  {
    auto snap = graph->snapshot();
    const auto& table = static_cast<const TableDataImpl&>(snap->table(*snap->catalog().find_node("Doc")));
    ASSERT_EQ(table.table_snapshot()->fragments.size(), 3u);
    EXPECT_EQ(table.table_snapshot()->fragments[1].live_rows(), 1u);
  }
  for (const auto& q : kQueries) expect_bm25_matches_reference(q);
  // Per-row queries locate each dense row's fragment (dense → physical through the deletions).
  ASSERT_TRUE(docs.at("d15").body.has_value());
  std::string src = "query q() { match { $d: Doc $e: Doc $e.slug = \"d15\" } return { $d.slug, bm25($d.body, $e.body) as s } "
                    "order { $d.slug } }";
  auto per_row = read(src);
  auto constant = read("query q($q: String) { match { $d: Doc } return { $d.slug, bm25($d.body, $q) as s } order { $d.slug } }",
                       {{"q", docs.at("d15").body.value_or("")}});
  ASSERT_EQ(per_row.rows.size(), 17u);
  ASSERT_EQ(per_row.rows.size(), constant.rows.size());
  for (size_t i = 0; i < per_row.rows.size(); ++i) EXPECT_EQ(per_row.rows[i], constant.rows[i]) << i;
}

}  // namespace
}  // namespace omnigraph::engine
