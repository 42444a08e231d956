// WriteTxn::validate through Graph::write: each §2.7 check with its exact message shape.
#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/graph.h"
#include "engine/write_txn.h"
#include "engine_test_util.h"

namespace omnigraph::engine {
namespace {

using test::kPeopleSchema;
using test::TempGraphDir;

Entity person(const std::string& name, Value age = {}, Value mood = {}, Value email = {}) {
  return Entity{name, "", "", {Value(name), std::move(age), std::move(mood), std::move(email)}};
}
Entity company(const std::string& name) { return Entity{name, "", "", {Value(name)}}; }

class ValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph = Graph::init(dir.uri(), kPeopleSchema);
    graph->write({}, [](const GraphSnapshot& b, WriteTxn& t) {
      t.put(*b.catalog().find_node("Person"), person("Ada", int64_t{36}, {}, std::string("ada@x")));
      t.put(*b.catalog().find_node("Company"), company("Acme"));
      t.put(*b.catalog().find_edge("WorksAt"), Entity{"w1", "Ada", "Acme", {}});
    });
  }
  // Runs a write and returns its error message ("" on success).
  std::string attempt(const std::function<void(const GraphSnapshot&, WriteTxn&)>& fn) {
    try {
      graph->write({}, fn);
      return "";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest) << e.message();
      return e.message();
    }
  }
  static const compiler::TypeDef& P(const GraphSnapshot& b) { return *b.catalog().find_node("Person"); }

  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(ValidationTest, Enum) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", {}, std::string("meh"))); }),
            "invalid enum value 'meh' for Person.mood (expected: happy, sad)");
}

TEST_F(ValidationTest, RangeBothSides) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", int64_t{-1})); }),
            "@range violation on Person.age: value -1 < min 0");
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", int64_t{151})); }),
            "@range violation on Person.age: value 151 > max 150");
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", int64_t{150})); }), "");
}

TEST_F(ValidationTest, CheckIsAnUnanchoredSearch) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", {}, {}, std::string("nope"))); }),
            "@check violation on Person.email: value 'nope' does not match pattern '@'");
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", {}, {}, std::string("b@y"))); }), "");
}

TEST_F(ValidationTest, NonNullable) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), Entity{"Bob", "", "", {Value(), Value(), Value(), Value()}}); }),
            "non-nullable property 'name' has null or invalid values");
}

TEST_F(ValidationTest, UniqueAgainstCommittedAndWithinWrite) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Bob", {}, {}, std::string("ada@x"))); }),
            "@unique violation on Person.email: value 'ada@x' held by 'Ada' and 'Bob'");
  EXPECT_EQ(attempt([](auto& b, auto& t) {
              t.put(P(b), person("Bob", {}, {}, std::string("z@z")));
              t.put(P(b), person("Cy", {}, {}, std::string("z@z")));
            }),
            "@unique violation on Person.email: value 'z@z' held by 'Bob' and 'Cy'");
  // Re-upserting the holder itself, or moving the value off it in the same write, is fine.
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(P(b), person("Ada", {}, {}, std::string("ada@x"))); }), "");
}

TEST_F(ValidationTest, ReferentialIntegrity) {
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.put(*b.catalog().find_edge("Knows"), Entity{"k", "Ada", "Nope", {}}); }),
            "dst 'Nope' not found in Person");
  EXPECT_EQ(attempt([](auto& b, auto& t) { t.remove(*b.catalog().find_node("Company"), "Acme"); }),
            "dst 'Acme' not found in Company");
  // Removing both the node and its edge is fine.
  EXPECT_EQ(attempt([](auto& b, auto& t) {
              t.remove(*b.catalog().find_node("Company"), "Acme");
              t.remove(*b.catalog().find_edge("WorksAt"), "w1");
            }),
            "");
}

TEST_F(ValidationTest, CardinalityPerSource) {
  EXPECT_EQ(attempt([](auto& b, auto& t) {
              t.put(*b.catalog().find_node("Company"), company("Beta"));
              t.put(*b.catalog().find_edge("WorksAt"), Entity{"w2", "Ada", "Beta", {}});
            }),
            "@card violation on edge WorksAt: source 'Ada' has 2 edges (max 1)");
}

TEST(ValidationEdges, UniquePairAndCardMinAndEnums) {
  TempGraphDir dir;
  auto graph = Graph::init(dir.uri(), R"(
node N { k: String @key  tags: enum(a, b)? }
edge Pair: N -> N @card(1..) {
    @unique(src, dst)
}
)");
  auto N = [](const GraphSnapshot& b) -> const compiler::TypeDef& { return *b.catalog().find_node("N"); };
  auto E = [](const GraphSnapshot& b) -> const compiler::TypeDef& { return *b.catalog().find_edge("Pair"); };
  auto node = [](const std::string& k, Value tags = {}) { return Entity{k, "", "", {Value(k), std::move(tags)}}; };
  auto attempt = [&](const std::function<void(const GraphSnapshot&, WriteTxn&)>& fn) -> std::string {
    try {
      graph->write({}, fn);
      return "";
    } catch (const Error& e) {
      return e.message();
    }
  };
  EXPECT_EQ(attempt([&](auto& b, auto& t) {
              t.put(N(b), node("x", Value(std::string("c"))));
            }),
            "invalid enum value 'c' for N.tags (expected: a, b)");
  // A new node without edges does not violate @card min (only touched sources are checked).
  EXPECT_EQ(attempt([&](auto& b, auto& t) {
              t.put(N(b), node("x"));
              t.put(N(b), node("y"));
              t.put(E(b), Entity{"e1", "x", "y", {}});
            }),
            "");
  EXPECT_EQ(attempt([&](auto& b, auto& t) { t.put(E(b), Entity{"e2", "x", "y", {}}); }),
            "@unique violation on Pair.(src, dst): value '(x, y)' held by 'e1' and 'e2'");
  // Removing the only edge of source x leaves it below min 1.
  EXPECT_EQ(attempt([&](auto& b, auto& t) { t.remove(E(b), "e1"); }),
            "@card violation on edge Pair: source 'x' has 0 edges (min 1)");
}

}  // namespace
}  // namespace omnigraph::engine
