// The offline embed pipeline (§13.4) with the deterministic mock embedder.
#include "engine/search/embed_pipeline.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "engine/search/embedding.h"

namespace omnigraph::engine::search {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class EmbedPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::temp_directory_path() / ("og-embed-" + std::to_string(::getpid()) + "-" +
                                       ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir);
    fs::create_directories(dir);
    std::ofstream(dir / "in.jsonl") << R"({"type":"Doc","data":{"title":" Hi ","tags":["a","",null,"b"]}})" "\n"
                                       "\n"
                                       R"({"type":"Doc","data":{"title":"Keep","vec":[1,0,0]}})" "\n"
                                       R"({"edge":"Cites","from":"a","to":"b"})" "\n"
                                       R"({"type":"Person","data":{"name":"P"}})" "\n";
  }
  void TearDown() override { fs::remove_all(dir); }
  std::vector<json> output() {
    std::vector<json> out;
    std::ifstream in(dir / "out.jsonl");
    std::string line;
    while (std::getline(in, line)) out.push_back(json::parse(line));
    return out;
  }
  EmbedSummary run(EmbedPipelineOptions o) {
    return run_embed_pipeline((dir / "in.jsonl").string(), (dir / "out.jsonl").string(), spec, o, "mock-model",
                              [&](const std::string& text, uint32_t n) {
                                texts.push_back(text);
                                return mock_embedding(text, n);
                              });
  }
  fs::path dir;
  std::string spec = R"({"dimension":3,"types":{"Doc":{"target":"vec","fields":["title","tags"]}}})";
  std::vector<std::string> texts;
};

TEST_F(EmbedPipelineTest, FillMissingEmbedsOnlyAbsentTargets) {
  auto s = run({});
  EXPECT_EQ(s.mode, "fill_missing");
  EXPECT_EQ(s.records, 4u);  // blank line not counted
  EXPECT_EQ(s.selected_records, 2u);
  EXPECT_EQ(s.embedded_records, 1u);
  ASSERT_EQ(texts, std::vector<std::string>{"type: Doc\ntitle: Hi\ntags: a, b"});
  auto out = output();
  ASSERT_EQ(out.size(), 4u);
  std::vector<float> v = out[0]["data"]["vec"].get<std::vector<float>>();
  EXPECT_EQ(v, mock_embedding("type: Doc\ntitle: Hi\ntags: a, b", 3));
  EXPECT_EQ(out[0]["data"]["title"], " Hi ");
  EXPECT_EQ(out[1]["data"]["vec"], json::array({1, 0, 0}));
  EXPECT_EQ(out[2]["edge"], "Cites");
  EXPECT_FALSE(out[3]["data"].contains("vec"));
}

TEST_F(EmbedPipelineTest, ReembedAllSelectAndClean) {
  EmbedPipelineOptions all;
  all.mode = EmbedMode::kReembedAll;
  EXPECT_EQ(run(all).embedded_records, 2u);
  EmbedPipelineOptions sel;
  sel.selects = {"Doc:title=Keep"};
  auto s = run(sel);
  EXPECT_EQ(s.mode, "reembed_selected");
  EXPECT_EQ(s.selected_records, 1u);
  EXPECT_EQ(s.embedded_records, 1u);
  EXPECT_NE(output()[1]["data"]["vec"], json::array({1, 0, 0}));
  EmbedPipelineOptions clean;
  clean.mode = EmbedMode::kClean;
  texts.clear();
  s = run(clean);
  EXPECT_EQ(s.cleaned_records, 1u);
  EXPECT_EQ(s.model, "");
  EXPECT_TRUE(texts.empty());
  EXPECT_FALSE(output()[1]["data"].contains("vec"));
  EmbedPipelineOptions other_type;
  other_type.types = {"Person"};
  EXPECT_EQ(run(other_type).selected_records, 0u);  // Person is not in the spec
}

TEST_F(EmbedPipelineTest, BadRecordFailsWithoutOutput) {
  std::ofstream(dir / "in.jsonl") << "\n{\"type\":\"Doc\",\"data\":{}}\n[1]\n";
  try {
    run({});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "record 2 is not a JSON object");
  }
  EXPECT_FALSE(fs::exists(dir / "out.jsonl"));
  EXPECT_FALSE(fs::exists(dir / "out.jsonl.tmp"));
}

}  // namespace
}  // namespace omnigraph::engine::search
