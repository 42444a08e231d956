// Parameter binding from JSON (§5.3): accepted shapes, typed constants, every error.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "compiler/param_binding.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

using nlohmann::json;

ValueType type_of(const std::string& decl) {
  // Parse a one-parameter query to get the declared type exactly as the parser builds it.
  QueryFile f = parse_queries("query q($x: " + decl + ") { delete A where a = 1 }");
  return f.queries[0].params[0].type;
}

std::map<std::string, BoundParam> bind_one(const std::string& decl, const json& params, ParamMode mode = ParamMode::kStandard) {
  return bind_params({{"x", type_of(decl)}}, params, mode);
}

std::string bind_error(const std::string& decl, const json& params, ParamMode mode = ParamMode::kStandard) {
  try {
    bind_one(decl, params, mode);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
    return e.message();
  }
  return "";
}

TEST(ParamBinding, AcceptedValues) {
  EXPECT_EQ(bind_one("String", json{{"x", "a"}})["x"].value.text, "a");
  EXPECT_TRUE(bind_one("Bool", json{{"x", true}})["x"].value.bool_value);
  EXPECT_EQ(bind_one("I32", json{{"x", -5}})["x"].value.int_value, -5);
  EXPECT_EQ(bind_one("I64", json{{"x", "9223372036854775807"}})["x"].value.int_value, 9223372036854775807LL);
  EXPECT_EQ(bind_one("I64", json{{"x", "-9223372036854775808"}})["x"].value.int_value, std::numeric_limits<int64_t>::min());
  EXPECT_EQ(bind_one("U64", json{{"x", 9223372036854775807ULL}})["x"].value.int_value, 9223372036854775807LL);
  EXPECT_EQ(bind_one("F64", json{{"x", 3}})["x"].value.float_value, 3.0);  // integers accepted for floats
  EXPECT_EQ(bind_one("Date", json{{"x", "2024-01-01"}})["x"].value.int_value, 19723);
  EXPECT_EQ(bind_one("DateTime", json{{"x", "1970-01-01T00:00:01Z"}})["x"].value.int_value, 1000);
  EXPECT_EQ(bind_one("Blob", json{{"x", "base64:AAAA"}})["x"].value.text, "base64:AAAA");
  auto list = bind_one("[I32]", json{{"x", {1, 2}}})["x"].value;
  ASSERT_EQ(list.elements.size(), 2u);
  EXPECT_EQ(list.elements[1].int_value, 2);
  auto vec = bind_one("Vector(2)", json{{"x", {1, 0.5}}})["x"].value;
  EXPECT_EQ(vec.elements[1].float_value, 0.5);
  EXPECT_TRUE(bind_one("String?", json::object())["x"].is_null);
  EXPECT_TRUE(bind_one("String?", json{{"x", nullptr}})["x"].is_null);
  EXPECT_EQ(bind_one("String", json{{"x", "a"}, {"extra", 1}}).size(), 1u);  // undeclared keys ignored
  EXPECT_EQ(bind_one("I64", json{{"x", 9007199254740993LL}})["x"].value.int_value, 9007199254740993LL);
}

TEST(ParamBinding, Errors) {
  EXPECT_EQ(bind_error("String", json::array()), "params must be a JSON object");
  EXPECT_EQ(bind_error("String", json::object()), "parameter 'x' not provided");
  EXPECT_EQ(bind_error("String", json{{"x", nullptr}}), "param 'x': null is not accepted for non-nullable parameter");
  EXPECT_EQ(bind_error("String", json{{"x", 1}}), "param 'x': expected string, got number");
  EXPECT_EQ(bind_error("Bool", json{{"x", 1}}), "param 'x': expected boolean");
  EXPECT_EQ(bind_error("I32", json{{"x", 2147483648LL}}), "param 'x': value 2147483648 exceeds I32");
  EXPECT_EQ(bind_error("U32", json{{"x", 4294967296LL}}), "param 'x': value 4294967296 exceeds U32");
  EXPECT_EQ(bind_error("U64", json{{"x", 9223372036854775808ULL}}),
            "param 'x': value 9223372036854775808 exceeds current engine range for U64 (max 9223372036854775807)");
  EXPECT_EQ(bind_error("U32", json{{"x", -1}}), "param 'x': value -1 is negative but U32 is unsigned");
  EXPECT_EQ(bind_error("I32", json{{"x", 1.5}}), "param 'x': expected integer, got number");
  EXPECT_EQ(bind_error("F32", json{{"x", "1"}}), "param 'x': expected float");
  EXPECT_EQ(bind_error("Date", json{{"x", 1}}), "param 'x': expected date string");
  EXPECT_EQ(bind_error("Date", json{{"x", "nope"}}), "param 'x': invalid Date literal 'nope'");
  EXPECT_EQ(bind_error("DateTime", json{{"x", 1}}), "param 'x': expected datetime string");
  EXPECT_EQ(bind_error("Blob", json{{"x", 1}}), "param 'x': expected blob URI string, got number");
  EXPECT_EQ(bind_error("[String]", json{{"x", "a"}}), "param 'x': expected array for [String]");
  EXPECT_EQ(bind_error("[String]", json{{"x", {"a", nullptr}}}), "param 'x': null elements are not accepted in [String]");
  EXPECT_EQ(bind_error("Vector(3)", json{{"x", {1, 2}}}), "param 'x': expected 3 values for Vector(3), got 2");
  EXPECT_EQ(bind_error("Vector(2)", json{{"x", {1, "a"}}}), "param 'x': vector elements must be numeric");
  EXPECT_EQ(bind_error("I64", json{{"x", 9007199254740993LL}}, ParamMode::kJavaScript),
            "param 'x': value 9007199254740993 exceeds JS safe integer range; pass a decimal string for exact values");
  EXPECT_EQ(bind_error("I64", json{{"x", "9007199254740993"}}, ParamMode::kJavaScript), "");
}

}  // namespace
}  // namespace omnigraph::compiler
