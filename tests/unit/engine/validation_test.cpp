// WriteTxn::validate through Graph::write: each §2.7 check with its exact message shape;
// WriteTxn::violations collecting every violation (bounded) in evaluation order.
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

// violations() keeps going after the first failure: every check, in §2.7 order (values →
// unique groups → edges), each with its kind, type and offending id; validate() on the same
// delta still stops at the first.
TEST_F(ValidationTest, ViolationsCollectsEveryFailureInEvaluationOrder) {
  Violations got;
  std::string first;
  try {
    graph->write({}, [&](const GraphSnapshot& b, WriteTxn& t) {
      t.put(P(b), person("Bob", {}, {}, std::string("ada@x")));        // unique vs committed Ada
      t.put(P(b), person("Cy", int64_t{200}));                          // @range
      t.put(P(b), person("Di", {}, std::string("meh")));                // enum
      t.put(*b.catalog().find_edge("WorksAt"), Entity{"w2", "Ada", "Nope", {}});  // dst missing
      t.put(*b.catalog().find_edge("WorksAt"), Entity{"w3", "Ada", "Acme", {}});  // @card 0..1
      got = t.violations(100);
      t.validate();
    });
  } catch (const Error& e) {
    first = e.message();
  }
  EXPECT_EQ(first, "@range violation on Person.age: value 200 > max 150");
  ASSERT_EQ(got.items.size(), 5u);
  EXPECT_FALSE(got.truncated);
  using K = Violation::Kind;
  EXPECT_EQ(got.items[0].kind, K::kValue);
  EXPECT_EQ(got.items[0].message, "@range violation on Person.age: value 200 > max 150");
  EXPECT_EQ(got.items[1].kind, K::kValue);
  EXPECT_EQ(got.items[1].message, "invalid enum value 'meh' for Person.mood (expected: happy, sad)");
  EXPECT_EQ(got.items[2].kind, K::kUnique);
  EXPECT_EQ(got.items[2].type->name, "Person");
  EXPECT_EQ(got.items[2].entity_id, std::optional<std::string>("Bob"));
  EXPECT_EQ(got.items[3].kind, K::kReferential);
  EXPECT_EQ(got.items[3].entity_id, std::optional<std::string>("w2"));
  EXPECT_EQ(got.items[3].message, "dst 'Nope' not found in Company");
  EXPECT_EQ(got.items[4].kind, K::kCardinality);
  EXPECT_EQ(got.items[4].type->name, "WorksAt");
  EXPECT_FALSE(got.items[4].entity_id.has_value());
  EXPECT_EQ(got.items[4].message, "@card violation on edge WorksAt: source 'Ada' has 3 edges (max 1)");
}

TEST_F(ValidationTest, ViolationsStopAtTheBoundAndSaySo) {
  auto name = [](int i) {
    std::string n = "P";
    n.append(std::to_string(i));
    return n;
  };
  Violations got;
  try {
    graph->write({}, [&](const GraphSnapshot& b, WriteTxn& t) {
      for (int i = 0; i < 10; ++i) t.put(P(b), person(name(i), int64_t{-1 - i}));
      got = t.violations(4);
    });
  } catch (const Error&) {
  }
  ASSERT_EQ(got.items.size(), 4u);
  EXPECT_TRUE(got.truncated);
  Violations exact;
  try {
    graph->write({}, [&](const GraphSnapshot& b, WriteTxn& t) {
      for (int i = 0; i < 4; ++i) t.put(P(b), person(name(i), int64_t{-1 - i}));
      exact = t.violations(4);
    });
  } catch (const Error&) {
  }
  EXPECT_EQ(exact.items.size(), 4u);
  EXPECT_FALSE(exact.truncated);
}

}  // namespace
}  // namespace omnigraph::engine
