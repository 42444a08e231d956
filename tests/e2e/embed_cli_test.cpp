// `omnigraph embed` end to end with the deterministic mock provider: --input/--output/--spec and
// --seed manifests, fill-missing / --reembed-all / --select / --clean, JSON and human summaries,
// and the usage errors (exit 2) of cli-and-cluster.md §A12.3.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "engine/search/embed_pipeline.h"
#include "engine/search/embedding.h"
#include "process_runner.h"

namespace omnigraph::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

std::vector<json> read_jsonl(const fs::path& p) {
  std::ifstream in(p);
  std::vector<json> rows;
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) rows.push_back(json::parse(line));
  return rows;
}

std::vector<float> as_floats(const json& j) {
  return j.get<std::vector<float>>();
}

class EmbedCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(dir.path() / "in.jsonl", R"({"type":"Doc","data":{"slug":"a","title":"Alpha","tags":["x","y"]}})"
                                   "\n"
                                   R"({"type":"Doc","data":{"slug":"b","title":"Beta","vec":[1,0,0,0]}})"
                                   "\n"
                                   R"({"type":"Person","data":{"name":"Zed"}})"
                                   "\n"
                                   R"({"edge":"Knows","from":"a","to":"b"})"
                                   "\n");
    write(dir.path() / "spec.json",
          R"({"dimension":4,"types":{"Doc":{"target":"vec","fields":["title","tags"]}}})");
    env.env = {{"OMNIGRAPH_EMBEDDINGS_MOCK", "1"}, {"OMNIGRAPH_EMBED_MODEL", "mock-model"}};
  }
  ProcessResult embed(std::vector<std::string> extra, bool direct = true) {
    std::vector<std::string> args = {"embed"};
    if (direct) {
      for (auto s : {"--input", "in.jsonl", "--output", "out.jsonl", "--spec", "spec.json"})
        args.push_back(s);
    }
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions o = env;
    o.cwd = dir.path();
    return run_process(omnigraph_bin(), args, o);
  }
  static std::vector<float> mock_of(const std::string& type, const json& data) {
    return engine::search::mock_embedding(
        engine::search::embedding_text(type, data.dump(), {"title", "tags"}), 4);
  }
  TempDir dir;
  RunOptions env;
};

TEST_F(EmbedCliTest, FillMissingEmbedsOnlyRecordsWithoutTargetAndReportsJson) {
  auto r = embed({"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["records"], 4);
  EXPECT_EQ(s["embedded_records"], 1);
  EXPECT_EQ(s["cleaned_records"], 0);
  EXPECT_EQ(s["mode"], "fill_missing");
  EXPECT_EQ(s["dimension"], 4);
  EXPECT_EQ(s["model"], "mock-model");
  EXPECT_EQ(s["input"], "in.jsonl");
  EXPECT_EQ(s["output"], "out.jsonl");
  const auto rows = read_jsonl(dir.path() / "out.jsonl");
  ASSERT_EQ(rows.size(), 4u);
  const json a_data = {{"slug", "a"}, {"title", "Alpha"}, {"tags", {"x", "y"}}};
  EXPECT_EQ(as_floats(rows[0]["data"]["vec"]), mock_of("Doc", a_data));
  EXPECT_EQ(as_floats(rows[1]["data"]["vec"]), (std::vector<float>{1, 0, 0, 0}));  // present: kept
  EXPECT_FALSE(rows[2]["data"].contains("vec"));                                   // type not in spec
  EXPECT_EQ(rows[3], json::parse(R"({"edge":"Knows","from":"a","to":"b"})"));      // passes through
  EXPECT_FALSE(fs::exists(dir.path() / "out.jsonl.tmp"));
}

TEST_F(EmbedCliTest, ReembedAllAndSelectReplaceExistingVectors) {
  auto r = embed({"--reembed-all"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("embedded 2 records (selected 2, cleaned 0) from in.jsonl -> out.jsonl ["),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find(" 4d]"), std::string::npos) << r.out;
  auto rows = read_jsonl(dir.path() / "out.jsonl");
  EXPECT_EQ(as_floats(rows[1]["data"]["vec"]), mock_of("Doc", {{"slug", "b"}, {"title", "Beta"}}));

  r = embed({"--select", "Doc:slug=b", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["selected_records"], 1);
  EXPECT_EQ(s["embedded_records"], 1);
  rows = read_jsonl(dir.path() / "out.jsonl");
  EXPECT_FALSE(rows[0]["data"].contains("vec"));  // not selected: left missing
  EXPECT_EQ(as_floats(rows[1]["data"]["vec"]), mock_of("Doc", {{"slug", "b"}, {"title", "Beta"}}));
}

TEST_F(EmbedCliTest, CleanRemovesTargetsWithoutAProvider) {
  env.env = {{"OMNIGRAPH_EMBED_PROVIDER", "openai"}};  // no key: must not be needed for --clean
  env.unset_env = {"OPENAI_API_KEY", "OMNIGRAPH_EMBEDDINGS_MOCK"};
  auto r = embed({"--clean", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json s = json::parse(r.out);
  EXPECT_EQ(s["mode"], "clean");
  EXPECT_EQ(s["cleaned_records"], 1);
  EXPECT_EQ(s["model"], "");
  const auto rows = read_jsonl(dir.path() / "out.jsonl");
  EXPECT_FALSE(rows[1]["data"].contains("vec"));
  EXPECT_EQ(rows[1]["data"]["title"], "Beta");
  // Embedding with that unusable provider fails with a runtime error naming the key.
  r = embed({});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("OPENAI_API_KEY"), std::string::npos) << r.err;
}

TEST_F(EmbedCliTest, SeedManifestResolvesPathsRelativeToTheManifest) {
  write(dir.path() / "proj" / "data" / "raw.jsonl", R"({"type":"Doc","data":{"title":"Gamma"}})"
                                                    "\n");
  write(dir.path() / "proj" / "seed.yaml",
        "sources:\n  raw_seed: data/raw.jsonl\n"
        "embeddings:\n  dimension: 4\n  types:\n    Doc:\n      target: vec\n      fields: [title, tags]\n");
  auto r = embed({"--seed", "proj/seed.yaml", "--json"}, /*direct=*/false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path out = dir.path() / "proj" / "build" / "seed.embedded.jsonl";  // the default artifact
  ASSERT_TRUE(fs::exists(out));
  const auto rows = read_jsonl(out);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(as_floats(rows[0]["data"]["vec"]), mock_of("Doc", {{"title", "Gamma"}}));
  EXPECT_EQ(json::parse(r.out)["embedded_records"], 1);

  // Legacy seed.data and an explicit artifact path.
  write(dir.path() / "proj" / "legacy.yaml",
        "seed:\n  data: data/raw.jsonl\nartifacts:\n  embedded_seed: out2.jsonl\n"
        "embeddings:\n  dimension: 4\n  types:\n    Doc: {target: vec, fields: [title]}\n");
  r = embed({"--seed", "proj/legacy.yaml"}, false);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path() / "proj" / "out2.jsonl"));
}

TEST_F(EmbedCliTest, UsageErrorsExitTwo) {
  auto r = embed({"--clean", "--reembed-all"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--clean"), std::string::npos) << r.err;
  r = embed({"--seed", "seed.yaml"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--seed"), std::string::npos) << r.err;
  r = embed({"--input", "in.jsonl", "--output", "o.jsonl"}, false);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = embed({}, false);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  r = embed({"--bogus"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out.jsonl"));
}

TEST_F(EmbedCliTest, BadInputIsARuntimeErrorAndWritesNothing) {
  write(dir.path() / "in.jsonl", R"({"type":"Doc","data":{"title":"A"}})"
                                 "\n"
                                 "[1,2]\n");
  auto r = embed({});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.err.find("record 2"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out.jsonl"));
}

}  // namespace
}  // namespace omnigraph::testing
