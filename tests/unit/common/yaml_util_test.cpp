#include "common/yaml_util.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace omnigraph {
namespace {

TEST(YamlUtilTest, ConvertsScalarsByCoreSchema) {
  auto node = yaml::parse("a: 1\nb: true\nc: 2.5\nd: hello\ne: \"42\"\nf: ~\ng: [x, -3]\nh: +7\n", "t.yaml");
  auto j = yaml::to_json(node);
  EXPECT_EQ(j["a"], 1);
  EXPECT_EQ(j["b"], true);
  EXPECT_DOUBLE_EQ(j["c"].get<double>(), 2.5);
  EXPECT_EQ(j["d"], "hello");
  EXPECT_EQ(j["e"], "42");  // quoted stays a string
  EXPECT_TRUE(j["f"].is_null());
  EXPECT_EQ(j["g"], (nlohmann::json{"x", -3}));
  EXPECT_EQ(j["h"], 7);
}

TEST(YamlUtilTest, SyntaxErrorNamesSourceAndLine) {
  try {
    yaml::parse("a: [1, 2\nb: 3\n", "cluster.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    EXPECT_NE(e.message().find("cluster.yaml"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("line "), std::string::npos) << e.message();
  }
}

TEST(YamlUtilTest, UnknownKeysAreRefusedWithTheirLine) {
  auto node = yaml::parse("version: 1\nbogus: 2\n", "c.yaml");
  yaml::check_known_keys(node, {"version", "bogus"}, "cluster.yaml");
  try {
    yaml::check_known_keys(node, {"version"}, "cluster.yaml");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("unknown key 'bogus' at line 2"), std::string::npos) << e.message();
  }
}

TEST(YamlUtilTest, MissingFileIsNotFound) {
  try {
    yaml::load_file("/nonexistent/dir/cluster.yaml");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
}

}  // namespace
}  // namespace omnigraph
