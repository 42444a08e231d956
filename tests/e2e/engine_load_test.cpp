// End-to-end through the `omnigraph` binary: init, load, snapshot, export round trip and the
// load error kinds, on the shared fixtures.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

ProcessResult og(const std::vector<std::string>& args, const std::filesystem::path& home) {
  return run_omnigraph(args, home);
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

uint64_t non_blank_lines(const std::string& text) {
  uint64_t n = 0;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.find_first_not_of(" \t\r") != std::string::npos) ++n;
  return n;
}

struct Fixture {
  std::string schema, data;
};

class FixtureRoundTrip : public ::testing::TestWithParam<Fixture> {};

TEST_P(FixtureRoundTrip, InitLoadSnapshotExportReload) {
  TempDir dir;
  auto schema = (shared_dir() / "fixtures" / GetParam().schema).string();
  auto data = (shared_dir() / "fixtures" / GetParam().data).string();
  auto g1 = (dir.path() / "g1.omni").string();
  auto g2 = (dir.path() / "g2.omni").string();

  auto init = og({"init", "--schema", schema, g1}, dir.path());
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(init.out, "initialized " + g1 + "\n");

  auto load = og({"load", "--data", data, "--mode", "overwrite", "--json", g1}, dir.path());
  ASSERT_EQ(load.exit_code, 0) << load.err;
  auto lj = nlohmann::json::parse(load.out);
  uint64_t records = non_blank_lines(read_file(data));
  EXPECT_EQ(lj["total_entities"], records);
  EXPECT_EQ(lj["mode"], "overwrite");
  EXPECT_EQ(lj["branch"], "main");
  EXPECT_FALSE(lj.contains("base_branch"));
  EXPECT_TRUE(lj["commit"]["graph_branch"].is_null());
  EXPECT_EQ(lj["commit"]["graph_manifest_version"], 2);
  EXPECT_NE(load.err.find("omnigraph load \u2192 " + g1 + " (direct, local)"), std::string::npos);

  auto snap = og({"snapshot", "--json", "--store", g1}, dir.path());
  ASSERT_EQ(snap.exit_code, 0) << snap.err;
  auto sj = nlohmann::json::parse(snap.out);
  EXPECT_EQ(sj["graph_manifest_version"], 2);
  uint64_t total = 0;
  std::string prev_key;
  for (const auto& d : sj["datasets"]) {
    total += d["entity_count"].get<uint64_t>();
    std::string key = d["entity_kind"].get<std::string>() + ":" + d["type_name"].get<std::string>();
    EXPECT_LT(prev_key, key) << "datasets not sorted by type key";
    prev_key = key;
  }
  // Every record is an entity unless merge-dedupe collapsed some (fixtures have none).
  EXPECT_EQ(total, records);

  auto ex1 = og({"export", g1}, dir.path());
  ASSERT_EQ(ex1.exit_code, 0) << ex1.err;
  EXPECT_EQ(non_blank_lines(ex1.out), records);
  write_file(dir.path() / "export.jsonl", ex1.out);
  ASSERT_EQ(og({"init", "--schema", schema, g2}, dir.path()).exit_code, 0);
  auto reload = og({"--quiet", "load", "--data", (dir.path() / "export.jsonl").string(), "--mode", "overwrite", g2}, dir.path());
  ASSERT_EQ(reload.exit_code, 0) << reload.err;
  EXPECT_EQ(reload.err, "");
  auto ex2 = og({"export", g2}, dir.path());
  EXPECT_EQ(ex2.out, ex1.out) << "export → load overwrite → export is not byte-identical";
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureRoundTrip,
                         ::testing::Values(Fixture{"vc-os/schema.pg", "vc-os/seed.jsonl"},
                                           Fixture{"second-brain/schema.pg", "second-brain/seed.jsonl"},
                                           Fixture{"upstream/test.pg", "upstream/test.jsonl"},
                                           Fixture{"upstream/signals.pg", "upstream/signals.jsonl"},
                                           Fixture{"upstream/context.pg", "upstream/context.jsonl"},
                                           Fixture{"upstream/search.pg", "upstream/search.jsonl"}));

class EngineCli : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir.path() / "s.pg",
               "node Person { name: String @key  age: I32? }\nnode Company { name: String @key }\n"
               "edge WorksAt: Person -> Company @card(0..1) { since: Date? }\n");
    write_file(dir.path() / "seed.jsonl",
               "{\"type\":\"Person\",\"data\":{\"name\":\"Ada\",\"age\":36}}\n"
               "{\"type\":\"Person\",\"data\":{\"name\":\"Grace\"}}\n"
               "{\"edge\":\"WorksAt\",\"from\":\"Ada\",\"to\":\"Acme\",\"data\":{\"since\":\"2020-01-15\"}}\n"
               "{\"type\":\"Company\",\"data\":{\"name\":\"Acme\"}}\n");
    ASSERT_EQ(og({"init", "--schema", path("s.pg"), graph()}, dir.path()).exit_code, 0);
    auto r = og({"load", "--data", path("seed.jsonl"), "--mode", "overwrite", graph()}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "loaded " + graph() + " on branch main with overwrite: 4 entities across 2 node types and 1 edge types\n");
  }
  std::string path(const char* name) { return (dir.path() / name).string(); }
  std::string graph() { return (dir.path() / "g.omni").string(); }
  ProcessResult load_line(const std::string& line, const std::string& mode, std::vector<std::string> extra = {}) {
    write_file(dir.path() / "one.jsonl", line + "\n");
    std::vector<std::string> args{"load", "--data", path("one.jsonl"), "--mode", mode, graph()};
    args.insert(args.end(), extra.begin(), extra.end());
    return og(args, dir.path());
  }
  std::string head() {
    auto s = og({"snapshot", "--json", graph()}, dir.path());
    return s.out;
  }

  TempDir dir;
};

TEST_F(EngineCli, LoadErrorsNameLineAndLeaveGraphUnchanged) {
  std::string before = head();
  struct Case {
    std::string line, mode, message;
  } cases[] = {
      {R"({"type":"Person","data":{"name":"Ada","age":37}})", "append", "node type 'Person' already has id 'Ada'"},
      {R"({"edge":"WorksAt","from":"Grace","to":"Nope"})", "append", "dst 'Nope' not found in Company"},
      {R"({"edge":"WorksAt","from":"Ada","to":"Acme"})", "append", "@card violation on edge WorksAt: source 'Ada' has 2 edges (max 1)"},
      {R"({"type":"Person","data":{"name":"Grace"}})", "overwrite", "src 'Ada' not found in Person"},
      {R"({"type":"Person","data":{"id":"ada","name":"Ada"}})", "merge", "line 1: node Person explicit id 'ada' does not match its canonical @key id 'Ada'"},
      {R"({"type":"Person","data":{"name":"Bo","age":"x"}})", "merge", "line 1: strict property 'age' expects I32, got string"},
      {R"({"type":"Person","data":{"name":"Bo","nick":1}})", "merge", "line 1: unknown input field 'nick' for node type 'Person'"},
      {R"({"type":"Robot","data":{}})", "merge", "line 1: unknown node type 'Robot'"},
      {R"({"type":"Person","data":{"name":"Bo"},"x":1})", "merge", "line 1: unknown top-level graph batch field 'x'"},
      {R"(not json)", "merge", "line 1: each line must be one JSON object"},
  };
  for (const auto& c : cases) {
    auto r = load_line(c.line, c.mode);
    EXPECT_EQ(r.exit_code, 1) << c.line;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << c.line << " → " << r.err;
    EXPECT_EQ(r.out, "");
  }
  EXPECT_EQ(head(), before);
}

TEST_F(EngineCli, MergeReplacesAndBranchFromCreates) {
  auto r = load_line(R"({"type":"Person","data":{"name":"Ada"}})", "merge", {"--branch", "feature"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("branch 'feature' not found"), std::string::npos);
  r = load_line(R"({"type":"Person","data":{"name":"Ada"}})", "merge", {"--branch", "feature", "--from", "main", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["branch_created"], true);
  EXPECT_EQ(j["base_branch"], "main");
  EXPECT_EQ(j["commit"]["graph_branch"], "feature");
  auto main_export = og({"export", "--type", "Person", graph()}, dir.path());
  EXPECT_NE(main_export.out.find("\"age\":36"), std::string::npos);
  auto feature_export = og({"export", "--type", "Person", "--branch", "feature", graph()}, dir.path());
  EXPECT_NE(feature_export.out.find("{\"type\":\"Person\",\"data\":{\"id\":\"Ada\",\"name\":\"Ada\",\"age\":null}}"),
            std::string::npos)
      << feature_export.out;
  auto snap = og({"snapshot", "--branch", "feature", graph()}, dir.path());
  EXPECT_NE(snap.out.find("node type 'Person' published_dataset_version=3 native_dataset_branch=feature entities=2"),
            std::string::npos)
      << snap.out;
  EXPECT_NE(snap.out.find("node type 'Company' published_dataset_version=2 native_dataset_branch=main entities=1"),
            std::string::npos)
      << snap.out;
}

TEST_F(EngineCli, ExportOrderAndTypeFilter) {
  auto r = og({"export", graph()}, dir.path());
  ASSERT_EQ(r.exit_code, 0);
  std::istringstream in(r.out);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0].rfind("{\"edge\":\"WorksAt\",\"from\":\"Ada\",\"to\":\"Acme\",\"data\":{\"id\":\"", 0), 0u);
  EXPECT_NE(lines[0].find("\"since\":18276}}"), std::string::npos);
  EXPECT_EQ(lines[1], "{\"type\":\"Company\",\"data\":{\"id\":\"Acme\",\"name\":\"Acme\"}}");
  EXPECT_EQ(lines[2], "{\"type\":\"Person\",\"data\":{\"id\":\"Ada\",\"name\":\"Ada\",\"age\":36}}");
  EXPECT_EQ(lines[3], "{\"type\":\"Person\",\"data\":{\"id\":\"Grace\",\"name\":\"Grace\",\"age\":null}}");
  auto only = og({"export", "--type", "Company", graph()}, dir.path());
  EXPECT_EQ(only.out, lines[1] + "\n");
  auto bad = og({"export", "--type", "Nope", graph()}, dir.path());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("unknown export type 'Nope'"), std::string::npos);
}

TEST_F(EngineCli, UsageErrorsAndAddressing) {
  auto no_mode = og({"load", "--data", path("seed.jsonl"), graph()}, dir.path());
  EXPECT_EQ(no_mode.exit_code, 2);
  auto nothing = og({"snapshot"}, dir.path());
  EXPECT_EQ(nothing.exit_code, 2);
  EXPECT_NE(nothing.err.find("no graph addressed"), std::string::npos);
  auto both = og({"snapshot", graph(), "--store", graph()}, dir.path());
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_NE(both.err.find("are mutually exclusive — pick one way to address the graph"), std::string::npos);
  auto again = og({"init", "--schema", path("s.pg"), graph()}, dir.path());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("a graph already exists at"), std::string::npos);
  auto forced = og({"init", "--force", "--schema", path("s.pg"), graph()}, dir.path());
  EXPECT_EQ(forced.exit_code, 1);
  EXPECT_NE(forced.err.find("force init refuses graph root"), std::string::npos);
  auto show = og({"schema", "get", "--json", "--store", graph()}, dir.path());
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(nlohmann::json::parse(show.out)["schema_source"], nlohmann::json(std::string(
      "node Person { name: String @key  age: I32? }\nnode Company { name: String @key }\n"
      "edge WorksAt: Person -> Company @card(0..1) { since: Date? }\n")));
  // defaults.store and operator.actor from the operator config.
  write_file(dir.path() / "config.yaml", "operator:\n  actor: act-cfg\ndefaults:\n  store: " + graph() + "\n");
  write_file(dir.path() / "one.jsonl", "{\"type\":\"Person\",\"data\":{\"name\":\"Cy\"}}\n");
  auto cfg = og({"load", "--data", path("one.jsonl"), "--mode", "merge", "--json"}, dir.path());
  ASSERT_EQ(cfg.exit_code, 0) << cfg.err;
  EXPECT_EQ(nlohmann::json::parse(cfg.out)["commit"]["actor_id"], "act-cfg");
  auto as = og({"load", "--data", path("one.jsonl"), "--mode", "merge", "--json", "--as", "act-flag"}, dir.path());
  EXPECT_EQ(nlohmann::json::parse(as.out)["commit"]["actor_id"], "act-flag");
}

// The example the demo runs stays loadable and answers its queries.
TEST(EngineExample, FilmClubLoadsAndAnswers) {
  TempDir dir;
  std::filesystem::path ex = std::filesystem::path(OMNIGRAPH_SOURCE_DIR) / "examples" / "film-club";
  auto g = (dir.path() / "fc.omni").string();
  ASSERT_EQ(og({"init", "--schema", (ex / "schema.pg").string(), g}, dir.path()).exit_code, 0);
  auto load = og({"load", "--data", (ex / "data.jsonl").string(), "--mode", "overwrite", "--json", g}, dir.path());
  ASSERT_EQ(load.exit_code, 0) << load.err;
  EXPECT_EQ(nlohmann::json::parse(load.out)["total_entities"], non_blank_lines(read_file(ex / "data.jsonl")));
  auto q = og({"query", "--store", g, "--query", (ex / "queries.gq").string(), "films_by", "--params",
               R"({"director":"agnes-varda"})", "--json"},
              dir.path());
  ASSERT_EQ(q.exit_code, 0) << q.err;
  auto rows = nlohmann::json::parse(q.out)["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0]["f.title"], "Faces Places");
  EXPECT_EQ(rows[1]["f.title"], "Cl\u00e9o from 5 to 7");
}

}  // namespace
}  // namespace omnigraph::testing
