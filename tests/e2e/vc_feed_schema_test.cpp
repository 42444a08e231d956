// End-to-end: `changes poll|baseline`, `schema plan|apply`, and two-process optimistic
// concurrency (data-plane §3.3) through the `omnigraph` binary.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

// prefix + number (avoids GCC 12's false -Wrestrict on `"x" + std::to_string(n)`).
std::string named(const char* prefix, int n) {
  std::string s = prefix;
  s.append(std::to_string(n));
  return s;
}

constexpr const char* kSchema = "node Person {\n  name: String @key\n  role: String?\n}\n";

class VcFeedSchemaE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    write("schema.pg", kSchema);
    g = (dir.path() / "g.omni").string();
    ASSERT_EQ(og({"init", "--schema", (dir.path() / "schema.pg").string(), g}).exit_code, 0);
  }
  ProcessResult og(const std::vector<std::string>& args) { return run_omnigraph(args, dir.path()); }
  std::string write(const std::string& name, const std::string& text) { return write_file(dir.path() / name, text); }
  std::string people(const std::vector<std::string>& names, const std::string& role = "") {
    std::string nd;
    for (const auto& n : names)
      nd += R"({"type":"Person","data":{"name":")" + n + "\"" +
            (role.empty() ? "" : ",\"role\":\"" + role + "\"") + "}}\n";
    return nd;
  }
  std::string load(const std::string& file, const std::string& mode = "merge") {
    auto r = og({"load", "--data", (dir.path() / file).string(), "--mode", mode, "--json", g});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["commit"]["graph_commit_id"].get<std::string>();
  }
  size_t person_count() {
    auto r = og({"query", "-e", "query c() { match { $p: Person } return { $p.name } }", "--format", "jsonl",
                 "--store", g});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    size_t n = 0;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && !nlohmann::json::parse(line).contains("kind")) ++n;
    return n;
  }

  TempDir dir;
  std::string g;
};

TEST_F(VcFeedSchemaE2e, PollFromBeginningCursorAndBaseline) {
  write("a.jsonl", people({"Ada", "Grace"}));
  auto c1 = load("a.jsonl");
  auto r = og({"changes", "poll", "--uri", g, "--start", "beginning", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["blocks"].size(), 1u);
  EXPECT_EQ(j["blocks"][0]["cause"]["graph_commit_id"], c1);
  EXPECT_EQ(j["caught_up"], true);
  auto cursor = j["cursor"].get<std::string>();

  write("b.jsonl", people({"Ada"}, "eng"));
  auto c2 = load("b.jsonl");
  r = og({"changes", "poll", "--uri", g, "--cursor", cursor});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("commit " + c2 + " (1 changes)\n  update node Person Ada\n"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("caught_up: true"), std::string::npos);

  // A cursor edited by its holder (signature kept) is refused with the spec's prefix; the same
  // cursor presented to another graph is refused too.
  auto dot = cursor.rfind('.');
  auto payload = cursor.substr(0, dot);
  payload[payload.size() / 2] = payload[payload.size() / 2] == 'A' ? 'B' : 'A';
  r = og({"changes", "poll", "--uri", g, "--cursor", payload + cursor.substr(dot)});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: change cursor rejected: "), std::string::npos) << r.err;
  auto other = (dir.path() / "other.omni").string();
  ASSERT_EQ(og({"init", "--schema", (dir.path() / "schema.pg").string(), other}).exit_code, 0);
  r = og({"changes", "poll", "--uri", other, "--cursor", cursor});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("error: change cursor rejected: token signature does not verify"), std::string::npos)
      << r.err;

  auto out = (dir.path() / "base.ndjson").string();
  r = og({"changes", "baseline", "--uri", g, "--out", out});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("snapshot_commit_id: " + c2 + "\n"), std::string::npos) << r.out;
  std::ifstream in(out);
  std::string line, last;
  size_t lines = 0;
  while (std::getline(in, line)) last = line, ++lines;
  EXPECT_EQ(lines, 3u);  // two entities + the baseline line
  EXPECT_EQ(nlohmann::json::parse(last)["baseline"]["snapshot_commit_id"], c2);
}

TEST_F(VcFeedSchemaE2e, SchemaPlanAndApply) {
  write("a.jsonl", people({"Ada"}, "eng"));
  auto c1 = load("a.jsonl");
  write("v2.pg",
        "node Human @rename_from(\"Person\") {\n  name: String @key\n  role: String?\n  email: String?\n}\n");
  auto r = og({"schema", "plan", "--schema", (dir.path() / "v2.pg").string(), g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("supported: yes\n- rename node type 'Person' -> 'Human'\n"), std::string::npos)
      << r.out;
  r = og({"schema", "apply", "--schema", (dir.path() / "v2.pg").string(), "--json", g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["applied"], true);
  EXPECT_EQ(j["step_count"], 2);
  EXPECT_EQ(j["graph_manifest_version"], 3);
  // The renamed type keeps its data; the old name still reads the old commit.
  r = og({"query", "-e", "query q() { match { $h: Human } return { $h.role } }", "--format", "csv", "--store",
          g});
  EXPECT_NE(r.out.find("eng"), std::string::npos) << r.out << r.err;
  r = og({"query", "-e", "query q() { match { $p: Person } return { $p.role } }", "--format", "csv",
          "--snapshot", c1, "--store", g});
  EXPECT_NE(r.out.find("eng"), std::string::npos) << r.out << r.err;
  write("bad.pg", "node Human {\n  name: String @key\n  role: String?\n  email: String?\n  age: I32\n}\n");
  r = og({"schema", "apply", "--schema", (dir.path() / "bad.pg").string(), g});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("[OG-MF-103]"), std::string::npos) << r.err;
}

// A hard property drop removes the values from the new head: re-adding a property of the same
// name later reads null, while the pre-drop commit still reads the old value.
TEST_F(VcFeedSchemaE2e, HardPropertyDropThenReAddReadsNull) {
  write("a.jsonl", people({"Ada"}, "eng"));
  auto c1 = load("a.jsonl");
  write("nrole.pg", "node Person {\n  name: String @key\n}\n");
  auto r = og({"schema", "apply", "--schema", (dir.path() / "nrole.pg").string(), "--allow-data-loss", g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("- drop property 'Person.role' of node 'Person' (hard mode)\n"), std::string::npos) << r.out;
  r = og({"schema", "apply", "--schema", (dir.path() / "schema.pg").string(), g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const char* q = "query q() { match { $p: Person } return { $p.name, $p.role } }";
  r = og({"query", "-e", q, "--format", "jsonl", "--store", g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("eng"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"Ada\""), std::string::npos) << r.out;
  r = og({"query", "-e", q, "--format", "jsonl", "--snapshot", c1, "--store", g});
  EXPECT_NE(r.out.find("eng"), std::string::npos) << r.out << r.err;
}

TEST_F(VcFeedSchemaE2e, ConcurrentAppendsFromSeveralProcessesAllLand) {
  constexpr int kProcs = 4;
  for (int i = 0; i < kProcs; ++i) {
    std::vector<std::string> names;
    for (int k = 0; k < 50; ++k) names.push_back(named("p", i) + named("_", k));
    write(named("w", i) + ".jsonl", people(names));
  }
  std::vector<ProcessResult> results(kProcs);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcs; ++i)
    threads.emplace_back([&, i] {
      results[i] = og({"load", "--data", (dir.path() / (named("w", i) + ".jsonl")).string(), "--mode",
                       "append", "--quiet", g});
    });
  for (auto& t : threads) t.join();
  for (const auto& r : results) EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(person_count(), 200u);
  auto commits = nlohmann::json::parse(og({"commit", "list", "--json", g}).out)["commits"];
  EXPECT_EQ(commits.size(), kProcs + 1u);
}

TEST_F(VcFeedSchemaE2e, ConcurrentOverwritesEitherLandWholeOrFailWithReadSetConflict) {
  constexpr int kProcs = 4;
  for (int i = 0; i < kProcs; ++i) {
    std::vector<std::string> names;
    for (int k = 0; k <= i; ++k) names.push_back(named("o", i) + named("_", k));
    write(named("o", i) + ".jsonl", people(names));
  }
  std::vector<ProcessResult> results(kProcs);
  std::vector<std::thread> threads;
  for (int i = 0; i < kProcs; ++i)
    threads.emplace_back([&, i] {
      results[i] = og({"load", "--data", (dir.path() / (named("o", i) + ".jsonl")).string(), "--mode",
                       "overwrite", "--quiet", g});
    });
  for (auto& t : threads) t.join();
  int landed = 0;
  for (const auto& r : results) {
    if (r.exit_code == 0) {
      ++landed;
    } else {
      EXPECT_NE(r.err.find("moved during the write"), std::string::npos) << r.err;
    }
  }
  EXPECT_GE(landed, 1);
  auto commits = nlohmann::json::parse(og({"commit", "list", "--json", g}).out)["commits"];
  EXPECT_EQ(commits.size(), landed + 1u);
  // Nothing half-applied: the head holds exactly one file's entities (sizes are 1..4, distinct).
  auto n = person_count();
  bool matches_a_landed_file = false;
  for (int i = 0; i < kProcs; ++i)
    if (results[i].exit_code == 0 && n == static_cast<size_t>(i + 1)) matches_a_landed_file = true;
  EXPECT_TRUE(matches_a_landed_file) << n;
}

}  // namespace
}  // namespace omnigraph::testing
