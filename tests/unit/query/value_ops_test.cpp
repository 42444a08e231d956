// Unit tests of value comparison, ordering and JSON cell rendering.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "engine/exec/result_json.h"
#include "engine/exec/value_ops.h"

namespace omnigraph::engine::exec {
namespace {

using compiler::CompareOp;

TEST(ValueOps, NumericComparisonIsByExactValue) {
  EXPECT_TRUE(apply_compare(CompareOp::kEq, Value{int64_t{2}}, Value{2.0}));
  EXPECT_FALSE(apply_compare(CompareOp::kEq, Value{int64_t{2}}, Value{2.7}));
  EXPECT_TRUE(apply_compare(CompareOp::kGt, Value{uint64_t{18446744073709551615ull}}, Value{int64_t{-1}}));
  EXPECT_TRUE(apply_compare(CompareOp::kLt, Value{int64_t{9007199254740993}}, Value{9007199254740994.0}));
  EXPECT_FALSE(apply_compare(CompareOp::kEq, Value{int64_t{9007199254740993}}, Value{9007199254740992.0}));
  EXPECT_FALSE(apply_compare(CompareOp::kNe, Value{}, Value{int64_t{1}}));
  EXPECT_FALSE(apply_compare(CompareOp::kEq, Value{std::nan("")}, Value{std::nan("")}));
}

TEST(ValueOps, StringPredicates) {
  EXPECT_TRUE(apply_compare(CompareOp::kContains, Value{std::string("the alps")}, Value{std::string("alp")}));
  EXPECT_FALSE(apply_compare(CompareOp::kContains, Value{std::string("Alps")}, Value{std::string("alp")}));
  EXPECT_TRUE(apply_compare(CompareOp::kStartsWith, Value{std::string("abc")}, Value{std::string("")}));
  EXPECT_TRUE(apply_compare(CompareOp::kContains, Value{ValueList{Value{int64_t{1}}, Value{int64_t{3}}}},
                            Value{3.0}));
}

TEST(ValueOps, OrderPutsNullFirstAndNaNLast) {
  EXPECT_LT(order_compare(Value{}, Value{int64_t{-5}}), 0);
  EXPECT_GT(order_compare(Value{std::nan("")}, Value{std::numeric_limits<double>::infinity()}), 0);
  EXPECT_LT(order_compare(Value{false}, Value{true}), 0);
  EXPECT_LT(order_compare(Value{std::string("10")}, Value{std::string("9")}), 0);
}

TEST(ValueOps, GroupKeysTreatEqualNumbersAlike) {
  std::string a, b, c;
  append_group_key(Value{int64_t{1}}, a);
  append_group_key(Value{1.0}, b);
  append_group_key(Value{}, c);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

TEST(ResultJson, FloatFormatting) {
  EXPECT_EQ(render_double_json(30.0), "30.0");
  EXPECT_EQ(render_double_json(2.5), "2.5");
  EXPECT_EQ(render_double_json(static_cast<double>(0.1f)), "0.10000000149011612");
  EXPECT_EQ(render_double_json(1e16), "1e16");
  EXPECT_EQ(render_double_json(1e15), "1000000000000000.0");
  EXPECT_EQ(render_double_json(1.5e-7), "1.5e-7");
  EXPECT_EQ(render_double_json(0.00001), "0.00001");
  EXPECT_EQ(render_double_json(-123.456), "-123.456");
  EXPECT_EQ(render_double_json(std::nan("")), "\"NaN\"");
  EXPECT_EQ(render_double_json(-std::numeric_limits<double>::infinity()), "\"-Infinity\"");
}

TEST(ResultJson, CellsByType) {
  compiler::ValueType date{compiler::ScalarKind::kDate};
  compiler::ValueType dt{compiler::ScalarKind::kDateTime};
  compiler::ValueType u64{compiler::ScalarKind::kU64};
  compiler::ValueType strs{compiler::ScalarKind::kString, true};
  EXPECT_EQ(render_cell_json(Value{int64_t{19723}}, date), "\"2024-01-01\"");
  EXPECT_EQ(render_cell_json(Value{int64_t{1704067200123}}, dt), "\"2024-01-01T00:00:00.123Z\"");
  EXPECT_EQ(render_cell_json(Value{uint64_t{18446744073709551615ull}}, u64), "18446744073709551615");
  EXPECT_EQ(render_cell_json(Value{ValueList{Value{std::string("a\"b")}, Value{}}}, strs),
            "[\"a\\\"b\",null]");
  EXPECT_EQ(render_cell_json(Value{std::vector<float>{1.0f, std::nanf("")}},
                             compiler::ValueType{compiler::ScalarKind::kVector}),
            "[1.0,null]");
}

}  // namespace
}  // namespace omnigraph::engine::exec
