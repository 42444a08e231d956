// End-to-end: `omnigraph cleanup` (data-plane §11.2) — the confirm gate, policy and usage
// errors, the JSON/human report, and the grace period keeping just-written versions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

constexpr const char* kSchema = "node Person {\n  name: String @key\n  role: String?\n}\n";

class CleanupE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    write_file(dir.path() / "schema.pg", kSchema);
    g = (dir.path() / "g.omni").string();
    ASSERT_EQ(og({"init", "--schema", (dir.path() / "schema.pg").string(), g}).exit_code, 0);
    // Three versions of Person: v1 load, v2 update, v3 insert.
    commits.push_back(load(R"({"type":"Person","data":{"name":"ada","role":"eng"}})"));
    commits.push_back(load(R"({"type":"Person","data":{"name":"ada","role":"cto"}})"));
    commits.push_back(load(R"({"type":"Person","data":{"name":"bob"}})"));
  }
  ProcessResult og(const std::vector<std::string>& args) { return run_omnigraph(args, dir.path()); }
  std::string load(const std::string& line) {
    write_file(dir.path() / "d.jsonl", line + "\n");
    auto r = og({"load", "--data", (dir.path() / "d.jsonl").string(), "--mode", "merge", "--json", g});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["commit"]["graph_commit_id"].get<std::string>();
  }
  ProcessResult names_at(const std::string& commit) {
    return og({"query", "-e", "query q() { match { $p: Person } return { $p.name, $p.role } order { $p.name } }",
               "--snapshot", commit, "--format", "jsonl", "--store", g});
  }

  TempDir dir;
  std::string g;
  std::vector<std::string> commits;
};

TEST_F(CleanupE2e, WithoutConfirmOnlyPrintsThePolicy) {
  auto r = og({"cleanup", g, "--keep", "1"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("cleanup is destructive — rerun with --confirm. Policy for " + g + ": "), std::string::npos)
      << r.err;
  EXPECT_EQ(names_at(commits[0]).exit_code, 0);  // nothing reclaimed
}

TEST_F(CleanupE2e, PolicyAndUsageErrors) {
  auto none = og({"cleanup", g, "--confirm"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("cleanup requires at least one of --keep or --older-than"), std::string::npos) << none.err;
  auto unit = og({"cleanup", g, "--older-than", "3y", "--confirm"});
  EXPECT_EQ(unit.exit_code, 2);
  EXPECT_NE(unit.err.find("unknown duration unit 'y'. Supported: s, m, h, d, w"), std::string::npos) << unit.err;
  auto as = og({"--as", "alice", "cleanup", g, "--keep", "1", "--confirm"});
  EXPECT_EQ(as.exit_code, 2);
  EXPECT_NE(as.err.find("--as sets the actor"), std::string::npos) << as.err;
}

TEST_F(CleanupE2e, JsonReportAndTheGracePeriodKeepsJustWrittenVersions) {
  // Every version here was current moments ago, so a reader may hold it: nothing is reclaimed
  // (the reclaiming itself is tested with a zero grace period in tests/unit/maintenance).
  auto r = og({"cleanup", g, "--keep", "1", "--confirm", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::ordered_json::parse(r.out);
  std::vector<std::string> keys;
  for (auto it = doc.begin(); it != doc.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"uri", "keep_versions", "older_than_secs", "datasets"}));
  EXPECT_EQ(doc["uri"], g);
  EXPECT_EQ(doc["keep_versions"], 1);
  EXPECT_TRUE(doc["older_than_secs"].is_null());
  EXPECT_TRUE(doc["datasets"].empty()) << r.out;
  EXPECT_EQ(names_at(commits[0]).exit_code, 0);
  auto human = og({"cleanup", g, "--keep", "1", "--older-than", "2h", "--confirm"});
  EXPECT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("removed 0 versions (0 bytes) across 0 datasets"), std::string::npos) << human.out;
  auto huge = og({"cleanup", g, "--older-than", "20000000000w", "--confirm"});
  EXPECT_EQ(huge.exit_code, 2);
  EXPECT_NE(huge.err.find("is too large"), std::string::npos) << huge.err;
}

}  // namespace
}  // namespace omnigraph::testing
