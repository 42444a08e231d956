// End-to-end `omnigraph optimize`: §11.1 JSON and human output, write-target echo, export
// unchanged, one actor-null commit then steady state, empty change block, direct-only usage
// errors, and two processes (strict mutations vs optimize) that never fail each other.
#include <gtest/gtest.h>

#include <atomic>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

using nlohmann::json;

constexpr const char* kSchema =
    "node Person {\n  name: String @key\n  age: I32? @index\n  tags: [String]?\n}\n"
    "node Company {\n  name: String @key\n}\n"
    "edge WorksAt: Person -> Company\n";

class OptimizeE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir.path() / "schema.pg", kSchema);
    g = (dir.path() / "g.omni").string();
    auto r = og({"init", "--schema", (dir.path() / "schema.pg").string(), g});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ProcessResult og(const std::vector<std::string>& args) { return run_omnigraph(args, dir.path()); }
  void load(const std::string& ndjson) {
    auto path = write_file(dir.path() / "d.jsonl", ndjson);
    auto r = og({"load", "--data", path, "--mode", "merge", "--quiet", g});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  std::string person(int i, int age) {
    return R"({"type":"Person","data":{"name":"p)" + std::to_string(i) + R"(","age":)" + std::to_string(age) +
           R"(,"tags":["x","y)" + std::to_string(i) +
           R"("]}})"
           "\n";
  }
  std::string export_all() {
    auto r = og({"export", g});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  json commits() {
    auto r = og({"commit", "list", g, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out)["commits"];
  }
  TempDir dir;
  std::string g;
};

TEST_F(OptimizeE2e, CompactsWithOneActorNullCommitThenIsSteady) {
  std::string first;
  for (int i = 0; i < 10; ++i) first += person(i, i);
  load(first +
       R"({"type":"Company","data":{"name":"acme"}})"
       "\n" +
       R"({"edge":"WorksAt","from":"p1","to":"acme"})"
       "\n");
  load(person(3, 33) + person(20, 20));
  load(person(21, 21));
  auto r = og({"mutate", "--store", g, "--as", "ann", "-e", "query m() { delete Person where age = 5 }"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string before = export_all();
  size_t commits_before = commits().size();

  r = og({"optimize", g, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "omnigraph optimize \u2192 " + g + " (direct, local)\n");
  nlohmann::ordered_json out = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(out["uri"], g);
  ASSERT_EQ(out["datasets"].size(), 3u);
  std::vector<std::string> keys;
  for (const auto& d : out["datasets"]) {
    keys.push_back(d["type_key"]);
    std::vector<std::string> fields;
    for (const auto& [k, v] : d.items()) fields.push_back(k);
    EXPECT_EQ(fields, (std::vector<std::string>{"type_key", "fragments_removed", "fragments_added", "committed",
                                                "skipped", "published_dataset_version", "lance_head_version",
                                                "pending_indexes"}));  // §11.1 order
    EXPECT_TRUE(d["skipped"].is_null());
    EXPECT_TRUE(d["published_dataset_version"].is_null());
    EXPECT_TRUE(d["lance_head_version"].is_null());
    EXPECT_TRUE(d["pending_indexes"].is_array());
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"edge:WorksAt", "node:Company", "node:Person"}));
  const auto& p = out["datasets"][2];
  EXPECT_EQ(p["committed"], true);
  EXPECT_EQ(p["fragments_removed"], 3);
  EXPECT_EQ(p["fragments_added"], 1);
  // Company needs no compaction but gets its first index segment (full-text on `name @key`).
  EXPECT_EQ(out["datasets"][1]["committed"], true);
  EXPECT_EQ(out["datasets"][1]["fragments_removed"], 0);

  EXPECT_EQ(export_all(), before);
  json list = commits();
  ASSERT_EQ(list.size(), commits_before + 1);
  EXPECT_TRUE(list[0]["actor_id"].is_null());
  std::string optimize_commit = list[0]["graph_commit_id"];
  r = og({"commit", "changes", optimize_commit, "--uri", g, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["changes"].empty()) << r.out;
  r = og({"changes", "poll", "--start", "after:" + list[1]["graph_commit_id"].get<std::string>(), "--uri", g,
          "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json feed = json::parse(r.out);
  ASSERT_EQ(feed["blocks"].size(), 1u) << r.out;
  EXPECT_TRUE(feed["blocks"][0]["changes"].empty());

  // Steady state: no commit; human form.
  r = og({"optimize", g, "--quiet"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out,
            "optimize " + g +
                " \u2014 3 datasets\n  edge:WorksAt: no-op\n  node:Company: no-op\n  node:Person: no-op\n");
  EXPECT_EQ(commits().size(), commits_before + 1);
  // Time travel to the pre-optimize head reads the same data.
  r = og({"query", "--store", g, "--snapshot", list[1]["graph_commit_id"], "-e",
          "query q() { match { $p: Person } return { count($p) as n } }", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["rows"][0]["n"], 11);
}

TEST_F(OptimizeE2e, HumanFormReportsRewrittenTypes) {
  load(person(1, 1));
  load(person(2, 2));
  auto r = og({"optimize", g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // name (full-text) and age (btree) get a segment on the compacted fragment.
  EXPECT_NE(r.out.find("  node:Person: frags 2 \u2192 1 \u2713 (+2 index segments)\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  node:Company: no-op\n"), std::string::npos) << r.out;
}

TEST_F(OptimizeE2e, DirectOnlyUsageErrors) {
  const std::string remedy = " Pass a storage URI, or --cluster <dir> --graph <id>.";
  auto r = og({"optimize", g, "--as", "bob"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: `optimize` is a direct (storage-native) command; --as sets the actor for a direct-engine or "
      "actor-bound cluster operation and does not apply." +
          remedy + "\n");
  r = og({"optimize", "--server", "prod"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: `optimize` is a direct (storage-native) command; --server addresses a served graph and does "
      "not apply." +
          remedy + "\n");
  r = og({"optimize", "https://graph.example.com"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(
      r.err,
      "error: `optimize` is a direct (storage-native) command and needs direct storage access; the "
      "resolved target is a remote server (https://graph.example.com). Pass the graph's file:// or s3:// "
      "URI.\n");
  r = og({"optimize"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("no graph addressed"), std::string::npos) << r.err;
  EXPECT_EQ(commits().size(), 1u);  // nothing ran
  // --store addresses it too.
  r = og({"optimize", "--store", g, "--quiet"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(OptimizeE2e, TwoProcessesStrictMutationsNeverFailBecauseOfOptimize) {
  std::string first;
  for (int i = 0; i < 10; ++i) first += person(i, i);
  load(first);
  std::vector<ProcessResult> mutations, optimizes;
  std::atomic<bool> done{false};
  std::thread maint([&] {  // optimizes back to back for as long as the mutations run
    while (!done) optimizes.push_back(og({"optimize", g, "--quiet", "--json"}));
  });
  for (int i = 0; i < 12; ++i) {
    // update + insert: a strict write (read_set_conflict on any data commit in between).
    mutations.push_back(
        og({"mutate", "--store", g, "-e",
            "query m() { update Person set { age: " + std::to_string(100 + i) +
                " } where name = \"p2\"  insert Person { name: \"n" + std::to_string(i) + "\" } }"}));
  }
  done = true;
  maint.join();
  for (const auto& m : mutations) EXPECT_EQ(m.exit_code, 0) << m.err;
  int published = 0;
  for (const auto& o : optimizes) {
    ASSERT_EQ(o.exit_code, 0) << o.err;
    json report = json::parse(o.out);
    for (const auto& d : report["datasets"]) published += d["committed"].get<bool>() ? 1 : 0;
  }
  EXPECT_GT(published, 0) << optimizes.size() << " optimize runs";
  auto r = og({"query", "--store", g, "-e",
               "query q() { match { $p: Person { name: \"p2\" } } return { $p.age } }", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["rows"][0]["p.age"], 111);
  r = og({"query", "--store", g, "-e", "query q() { match { $p: Person } return { count($p) as n } }",
          "--json"});
  EXPECT_EQ(json::parse(r.out)["rows"][0]["n"], 22);
}

}  // namespace
}  // namespace omnigraph::testing
