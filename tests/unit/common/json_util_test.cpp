#include "common/json_util.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace omnigraph {
namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.message();
  }
  return "<no error>";
}

TEST(JsonUtilTest, ParseErrorNamesSourceLineAndColumn) {
  auto msg = error_of([] { json::parse("{\n  \"a\": 1,\n  \"b\": }\n", "request body"); });
  EXPECT_NE(msg.find("request body"), std::string::npos) << msg;
  EXPECT_NE(msg.find("line 3"), std::string::npos) << msg;
}

TEST(JsonUtilTest, StrictFieldAccess) {
  auto doc = json::parse(R"({"name": "x", "n": 3})", "doc");
  EXPECT_EQ(json::require_string(doc, "name", "branch create"), "x");
  EXPECT_NE(error_of([&] { json::require_string(doc, "n", "ctx"); }).find("field 'n' must be a string"),
            std::string::npos);
  EXPECT_NE(error_of([&] { json::require_field(doc, "missing", "ctx"); }).find("missing required field 'missing'"),
            std::string::npos);
  EXPECT_NE(error_of([&] { json::check_known_fields(doc, {"name"}, "ctx"); }).find("unknown field 'n'"),
            std::string::npos);
  json::check_known_fields(doc, {"name", "n"}, "ctx");
  EXPECT_NE(error_of([] { json::require_object(nlohmann::json::array(), "ctx"); }).find("expected a JSON object"),
            std::string::npos);
}

TEST(JsonUtilTest, PrettyOutputUsesTwoSpaces) {
  auto doc = json::parse(R"({"a":[1,2]})", "doc");
  EXPECT_EQ(json::dump_pretty(doc), "{\n  \"a\": [\n    1,\n    2\n  ]\n}");
  EXPECT_EQ(json::dump_compact(doc), R"({"a":[1,2]})");
}

}  // namespace
}  // namespace omnigraph
