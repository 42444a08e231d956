// End-to-end: `omnigraph cleanup` (data-plane §11.2) — the confirm gate, policy errors, version
// retention per type, 410 on reclaimed history for reads and change diffs, convergence.
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

TEST_F(CleanupE2e, KeepOneReclaimsOldVersionsAndTheirReadsFailWith410) {
  auto before = names_at(commits[2]);
  ASSERT_EQ(before.exit_code, 0) << before.err;
  auto r = og({"cleanup", g, "--keep", "1", "--confirm", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = nlohmann::ordered_json::parse(r.out);
  EXPECT_EQ(doc["uri"], g);
  EXPECT_EQ(doc["keep_versions"], 1);
  EXPECT_TRUE(doc["older_than_secs"].is_null());
  ASSERT_EQ(doc["datasets"].size(), 1u);
  const auto& d = doc["datasets"][0];
  std::vector<std::string> keys;
  for (auto it = d.begin(); it != d.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"type_key", "bytes_removed", "old_versions_removed", "error"}));
  EXPECT_EQ(d["type_key"], "node:Person");
  EXPECT_EQ(d["old_versions_removed"], 3);  // init's empty version + the first two loads
  EXPECT_GT(d["bytes_removed"].get<uint64_t>(), 0u);
  EXPECT_TRUE(d["error"].is_null());

  // The head reads as before; reclaimed versions fail with the 410 message; metadata stays.
  auto head = names_at(commits[2]);
  EXPECT_EQ(head.exit_code, 0) << head.err;
  EXPECT_EQ(head.out, before.out);
  auto old = names_at(commits[0]);
  EXPECT_EQ(old.exit_code, 1);
  EXPECT_NE(old.err.find("was reclaimed"), std::string::npos) << old.err;
  auto show = og({"commit", "show", commits[0], "--store", g});
  EXPECT_EQ(show.exit_code, 0) << show.err;
  // Change diffs that need a reclaimed version report the gap.
  auto diff = og({"commit", "changes", commits[1], "--store", g});
  EXPECT_EQ(diff.exit_code, 1);
  EXPECT_NE(diff.err.find("were reclaimed"), std::string::npos) << diff.err;
  auto feed = og({"changes", "poll", "--start", "beginning", "--store", g});
  EXPECT_EQ(feed.exit_code, 1);
  EXPECT_NE(feed.err.find("were reclaimed"), std::string::npos) << feed.err;

  // Converges: a second run reclaims nothing; human output names the totals.
  auto again = og({"cleanup", g, "--keep", "1", "--confirm"});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("removed 0 versions (0 bytes) across 0 datasets"), std::string::npos) << again.out;
}

TEST_F(CleanupE2e, OlderThanKeepsYoungVersionsAndBranchHeadsAreAlwaysKept) {
  ASSERT_EQ(og({"branch", "create", "--from", "main", "side", "--store", g}).exit_code, 0);
  auto young = og({"cleanup", g, "--older-than", "1d", "--confirm", "--json"});
  ASSERT_EQ(young.exit_code, 0) << young.err;
  EXPECT_TRUE(nlohmann::json::parse(young.out)["datasets"].empty());
  EXPECT_EQ(names_at(commits[0]).exit_code, 0);
  // The branch shares main's head version: keeping one version keeps it for both.
  ASSERT_EQ(og({"cleanup", g, "--keep", "1", "--confirm"}).exit_code, 0);
  auto side = og({"query", "-e", "query q() { match { $p: Person } return { $p.name } }", "--branch", "side",
                  "--format", "jsonl", "--store", g});
  EXPECT_EQ(side.exit_code, 0) << side.err;
  EXPECT_NE(side.out.find("bob"), std::string::npos);
}

}  // namespace
}  // namespace omnigraph::testing
