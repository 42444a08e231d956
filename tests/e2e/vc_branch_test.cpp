// End-to-end through the `omnigraph` binary: branch create/list/delete, commit list/show,
// load --from forking a branch, and time travel with `query --snapshot`.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

constexpr const char* kSchema = "node Person {\n  name: String @key\n  role: String?\n}\n";
constexpr const char* kWho = "query who() { match { $p: Person } return { $p.name } }";

class VcBranchE2e : public ::testing::Test {
 protected:
  void SetUp() override {
    write("schema.pg", kSchema);
    g = (dir.path() / "team.omni").string();
    auto r = og({"init", "--schema", (dir.path() / "schema.pg").string(), g});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  ProcessResult og(const std::vector<std::string>& args) { return run_omnigraph(args, dir.path()); }
  std::string write(const std::string& name, const std::string& text) { return write_file(dir.path() / name, text); }
  std::string load(const std::vector<std::string>& names, const std::string& branch,
                   const std::string& from = "") {
    std::string nd;
    for (const auto& n : names) nd += R"({"type":"Person","data":{"name":")" + n + "\"}}\n";
    std::vector<std::string> args{"load", "--data", write("d.jsonl", nd), "--mode", "merge", "--branch",
                                  branch, "--json"};
    if (!from.empty()) args.insert(args.end(), {"--from", from});
    args.push_back(g);
    auto r = og(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out)["commit"]["graph_commit_id"].get<std::string>();
  }
  // Sorted names read by `query` with extra addressing flags.
  std::vector<std::string> names(const std::vector<std::string>& addressing) {
    std::vector<std::string> args{"query", "-e", kWho, "--format", "jsonl"};
    args.insert(args.end(), addressing.begin(), addressing.end());
    args.insert(args.end(), {"--store", g});
    auto r = og(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> out;
    std::istringstream in(r.out);
    std::string line;
    while (std::getline(in, line))
      if (auto row = nlohmann::json::parse(line); !line.empty() && !row.contains("kind"))
        out.push_back(row.begin()->get<std::string>());
    std::sort(out.begin(), out.end());
    return out;
  }

  TempDir dir;
  std::string g;
};

TEST_F(VcBranchE2e, CreateListDeleteHumanAndJson) {
  auto r = og({"branch", "create", "--store", g, "--from", "main", "review/hires"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "created branch review/hires from main\n");
  EXPECT_NE(r.err.find("omnigraph branch create → " + g + " (direct, local)"), std::string::npos) << r.err;
  r = og({"branch", "create", "--uri", g, "--json", "--as", "ann", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out),
            (nlohmann::json{{"uri", g}, {"from", "main"}, {"name", "review"}, {"actor_id", "ann"}}));
  r = og({"branch", "list", "--uri", g});
  EXPECT_EQ(r.out, "main\nreview\nreview/hires\n");
  r = og({"branch", "list", "--uri", g, "--json"});
  EXPECT_EQ(nlohmann::json::parse(r.out)["branches"], (nlohmann::json{"main", "review", "review/hires"}));
  r = og({"branch", "delete", "--uri", g, "--json", "review"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out),
            (nlohmann::json{{"uri", g}, {"name", "review"}, {"actor_id", nullptr}}));
  r = og({"branch", "delete", "--uri", g, "review/hires"});
  EXPECT_EQ(r.out, "deleted branch review/hires\n");
  EXPECT_EQ(og({"branch", "list", "--uri", g}).out, "main\n");
}

TEST_F(VcBranchE2e, ErrorsAreBadRequestNotFoundConflict) {
  auto r = og({"branch", "delete", "--uri", g, "main"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.ends_with("error: cannot delete branch 'main'\n")) << r.err;
  r = og({"branch", "create", "--uri", g, "bad//name"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("invalid branch name 'bad//name'"), std::string::npos) << r.err;
  r = og({"branch", "create", "--uri", g, "--from", "ghost", "x"});
  EXPECT_TRUE(r.err.ends_with("error: branch 'ghost' not found\n")) << r.err;
  ASSERT_EQ(og({"branch", "create", "--uri", g, "x"}).exit_code, 0);
  r = og({"branch", "create", "--uri", g, "x"});
  EXPECT_TRUE(r.err.ends_with("error: branch 'x' already exists\n")) << r.err;
  r = og({"commit", "show", "--uri", g, "01ARZ3NDEKTSV4RRFFQ69G5FAV"});
  EXPECT_TRUE(r.err.ends_with("error: commit '01ARZ3NDEKTSV4RRFFQ69G5FAV' not found\n")) << r.err;
}

TEST_F(VcBranchE2e, CommitListShowAndTimeTravel) {
  auto c1 = load({"Ada"}, "main");
  auto c2 = load({"Grace"}, "main");
  auto f1 = load({"Linus"}, "feature", "main");  // load --from forks the missing branch
  auto r = og({"commit", "list", "--json", g});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto commits = nlohmann::json::parse(r.out)["commits"];
  ASSERT_EQ(commits.size(), 3u);
  EXPECT_EQ(commits[0]["graph_commit_id"], c2);
  EXPECT_EQ(commits[0]["parent_commit_id"], c1);
  EXPECT_EQ(commits[0]["graph_manifest_version"], 3);
  EXPECT_EQ(commits[0]["graph_branch"], nullptr);
  EXPECT_EQ(commits[0]["merged_parent_commit_id"], nullptr);
  EXPECT_EQ(commits[2]["parent_commit_id"], nullptr);
  EXPECT_TRUE(commits[0]["created_at"].is_number_integer());

  r = og({"commit", "list", "--branch", "feature", "--json", g});
  auto fc = nlohmann::json::parse(r.out)["commits"];
  ASSERT_EQ(fc.size(), 4u);
  EXPECT_EQ(fc[0]["graph_commit_id"], f1);
  EXPECT_EQ(fc[0]["graph_branch"], "feature");
  EXPECT_EQ(fc[0]["graph_manifest_version"], 4);

  r = og({"commit", "show", "--uri", g, "--json", f1});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out), fc[0]);
  r = og({"commit", "show", "--uri", g, c1});
  EXPECT_NE(r.out.find("graph_commit_id: " + c1 + "\ngraph_branch: main\ngraph_manifest_version: 2\n"),
            std::string::npos)
      << r.out;

  EXPECT_EQ(names({"--snapshot", c1}), (std::vector<std::string>{"Ada"}));
  EXPECT_EQ(names({"--snapshot", c2}), (std::vector<std::string>{"Ada", "Grace"}));
  EXPECT_EQ(names({"--snapshot", f1}), (std::vector<std::string>{"Ada", "Grace", "Linus"}));
  EXPECT_EQ(names({"--branch", "main"}), (std::vector<std::string>{"Ada", "Grace"}));

  // A branch created from a snapshot reads the past state.
  ASSERT_EQ(og({"branch", "create", "--uri", g, "--from", c1, "past"}).exit_code, 0);
  EXPECT_EQ(names({"--branch", "past"}), (std::vector<std::string>{"Ada"}));

  // Deleting the branch makes its own commits unresolvable.
  ASSERT_EQ(og({"branch", "delete", "--uri", g, "feature"}).exit_code, 0);
  r = og({"commit", "show", "--uri", g, f1});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.ends_with("error: commit '" + f1 + "' not found\n")) << r.err;
}

TEST_F(VcBranchE2e, MergeFastForwardMergedConflictAndDeleteBranch) {
  load({"Ada", "Grace", "Linus"}, "main");
  ASSERT_EQ(og({"branch", "create", "--store", g, "--from", "main", "review/hires"}).exit_code, 0);
  load({"Hopper"}, "review/hires");
  auto r = og({"branch", "merge", "--store", g, "review/hires", "--into", "main", "--delete-branch"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "merged review/hires into main: fast_forward\ndeleted branch review/hires\n");
  EXPECT_EQ(og({"branch", "list", "--uri", g}).out, "main\n");
  EXPECT_EQ(names({}), (std::vector<std::string>{"Ada", "Grace", "Hopper", "Linus"}));
  auto commits = nlohmann::json::parse(og({"commit", "list", "--json", g}).out)["commits"];
  EXPECT_FALSE(commits[0]["merged_parent_commit_id"].is_null());

  ASSERT_EQ(og({"branch", "create", "--uri", g, "side"}).exit_code, 0);
  load({"Side"}, "side");
  load({"Main"}, "main");
  r = og({"branch", "merge", "--uri", g, "side", "--json", "--as", "bo"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(
      nlohmann::json::parse(r.out),
      (nlohmann::json{{"source", "side"}, {"target", "main"}, {"outcome", "merged"}, {"actor_id", "bo"}}));
  r = og({"branch", "merge", "--uri", g, "side"});
  EXPECT_EQ(r.out, "merged side into main: already_up_to_date\n");

  // A divergent insert is a 409 conflict; main is untouched.
  write("a.jsonl", R"({"type":"Person","data":{"name":"Kim","role":"a"}})"
                   "\n");
  write("b.jsonl", R"({"type":"Person","data":{"name":"Kim","role":"b"}})"
                   "\n");
  ASSERT_EQ(
      og({"load", "--data", (dir.path() / "a.jsonl").string(), "--mode", "merge", "--branch", "side", g})
          .exit_code,
      0);
  ASSERT_EQ(og({"load", "--data", (dir.path() / "b.jsonl").string(), "--mode", "merge", g}).exit_code, 0);
  auto before = og({"commit", "list", "--json", g}).out;
  r = og({"branch", "merge", "--uri", g, "side", "--delete-branch"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      r.err.ends_with("error: merge conflicts: node type 'Person', entity id 'Kim' (divergent_insert)\n"))
      << r.err;
  EXPECT_EQ(og({"commit", "list", "--json", g}).out, before);
  EXPECT_EQ(og({"branch", "list", "--uri", g}).out, "main\nside\n");  // not deleted on failure

  // --json: the ErrorOutput body with the structured merge_conflicts records on stdout.
  r = og({"branch", "merge", "--uri", g, "side", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(
      r.err.ends_with("error: merge conflicts: node type 'Person', entity id 'Kim' (divergent_insert)\n"))
      << r.err;
  nlohmann::json expected;
  expected["error"] = "merge conflicts: node type 'Person', entity id 'Kim' (divergent_insert)";
  expected["code"] = "conflict";
  expected["merge_conflicts"] = nlohmann::json::array({nlohmann::json{{"entity_kind", "node"},
                                                                      {"type_name", "Person"},
                                                                      {"entity_id", "Kim"},
                                                                      {"kind", "divergent_insert"},
                                                                      {"message", "divergent insert for id 'Kim'"}}});
  EXPECT_EQ(nlohmann::json::parse(r.out), expected);
  EXPECT_EQ(og({"commit", "list", "--json", g}).out, before);
}

// Validation conflicts through the CLI: every one is a record; entity_id is null (not absent)
// for cardinality; a missing source branch is a 404-class error body.
TEST_F(VcBranchE2e, MergeJsonReportsEveryValidationConflict) {
  write("s2.pg",
        "node Person {\n  name: String @key\n  email: String? @unique\n}\n"
        "node Company {\n  name: String @key\n}\n"
        "edge WorksAt: Person -> Company @card(0..1)\n");
  auto g2 = (dir.path() / "two.omni").string();
  ASSERT_EQ(og({"init", "--schema", (dir.path() / "s2.pg").string(), g2}).exit_code, 0);
  auto load_into = [&](const std::string& branch, const std::string& nd) {
    auto r = og({"load", "--data", write("x.jsonl", nd), "--mode", "merge", "--branch", branch, g2});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  load_into("main",
            R"({"type":"Person","data":{"name":"Ada"}})"
            "\n"
            R"({"type":"Person","data":{"name":"Bo"}})"
            "\n"
            R"({"type":"Person","data":{"name":"Cy"}})"
            "\n"
            R"({"type":"Company","data":{"name":"Acme"}})"
            "\n"
            R"({"type":"Company","data":{"name":"Beta"}})"
            "\n");
  ASSERT_EQ(og({"branch", "create", "--uri", g2, "side"}).exit_code, 0);
  load_into("side",
            R"({"type":"Person","data":{"name":"Ada","email":"a@x"}})"
            "\n"
            R"({"type":"Person","data":{"name":"Bo","email":"b@x"}})"
            "\n"
            R"({"edge":"WorksAt","from":"Ada","to":"Acme","data":{}})"
            "\n");
  load_into("main",
            R"({"type":"Person","data":{"name":"Cy","email":"a@x"}})"
            "\n"
            R"({"type":"Person","data":{"name":"Di","email":"b@x"}})"
            "\n"
            R"({"edge":"WorksAt","from":"Ada","to":"Beta","data":{}})"
            "\n");
  auto r = og({"branch", "merge", "--uri", g2, "side", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["code"], "conflict");
  ASSERT_EQ(j["merge_conflicts"].size(), 3u) << r.out;
  std::set<std::string> unique_ids;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(j["merge_conflicts"][i]["kind"], "unique_violation");
    unique_ids.insert(j["merge_conflicts"][i]["entity_id"].get<std::string>());
  }
  EXPECT_EQ(unique_ids, (std::set<std::string>{"Ada", "Bo"}));
  const auto& card = j["merge_conflicts"][2];
  EXPECT_EQ(card["kind"], "cardinality_violation");
  EXPECT_EQ(card["entity_kind"], "edge");
  EXPECT_EQ(card["type_name"], "WorksAt");
  ASSERT_TRUE(card.contains("entity_id"));
  EXPECT_TRUE(card["entity_id"].is_null());
  EXPECT_EQ(card["message"], "@card violation on edge WorksAt: source 'Ada' has 2 edges (max 1)");
  EXPECT_TRUE(j["error"].get<std::string>().starts_with("merge conflicts: node type 'Person', entity id '"));

  r = og({"branch", "merge", "--uri", g2, "nope", "--json"});
  EXPECT_EQ(r.exit_code, 1);
  j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["code"], "not_found");
  EXPECT_FALSE(j.contains("merge_conflicts"));
}

TEST_F(VcBranchE2e, CommitChangesAllPagesAndOnePage) {
  auto c1 = load({"Ada", "Grace", "Linus"}, "main");
  auto r = og({"commit", "changes", "--uri", g, "--limit", "1", "--json", c1});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["cause"]["graph_commit_id"], c1);
  ASSERT_EQ(j["changes"].size(), 3u);  // every page streamed into one object
  EXPECT_FALSE(j.contains("next_page_token"));
  EXPECT_EQ(j["changes"][0]["id"], "Ada");
  EXPECT_EQ(j["changes"][2]["after"]["properties"], (nlohmann::json{{"name", "Linus"}, {"role", nullptr}}));

  r = og({"commit", "changes", "--uri", g, "--limit", "2", "--op", "insert", "--type", "Person", c1});
  EXPECT_EQ(r.out, "insert node Person Ada\ninsert node Person Grace\ninsert node Person Linus\n");
  auto genesis =
      nlohmann::json::parse(og({"commit", "list", "--json", g}).out)["commits"][1]["graph_commit_id"];
  r = og({"commit", "changes", "--uri", g, genesis.get<std::string>()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("has no parent"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omnigraph::testing
