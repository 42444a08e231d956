// Unit tests of the physical operators and the planner over the in-memory test double.
#include <gtest/gtest.h>

#include "common/error.h"
#include "compiler/lowering.h"
#include "engine/exec/planner.h"
#include "fake_graph.h"
#include "query_test_util.h"

namespace omnigraph::engine::testing {
namespace {

const char* kSchema = R"(
node Person { name: String @key  age: I32?  city: String?  tags: [String]?  seen: DateTime? }
node Company { name: String @key }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Company
)";

class OperatorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g.node("Person", {{"name", S("Alice")},
                      {"age", I(30)},
                      {"city", S("Paris")},
                      {"tags", Value{ValueList{S("a"), S("b")}}},
                      {"seen", I(1704067200000)}});
    g.node("Person", {{"name", S("Bob")}, {"age", I(25)}, {"city", S("Berlin")}});
    g.node("Person", {{"name", S("Carol")}, {"age", I(40)}, {"city", S("Paris")}});
    g.node("Person", {{"name", S("Dan")}});
    g.node("Company", {{"name", S("Acme")}});
    g.node("Company", {{"name", S("Globex")}});
    g.edge("Knows", "Alice", "Bob", {{"since", I(19723)}}, "e1");
    g.edge("Knows", "Alice", "Bob", {}, "e2");  // parallel
    g.edge("Knows", "Bob", "Carol", {}, "e3");
    g.edge("Knows", "Carol", "Carol", {}, "e4");  // self-loop
    g.edge("Knows", "Dan", "Alice", {}, "e5");
    g.edge("WorksAt", "Alice", "Acme");
    g.edge("WorksAt", "Bob", "Acme");
    g.edge("WorksAt", "Carol", "Globex");
    g.freeze();
  }
  FakeGraph g{kSchema};
};

Rows col(std::initializer_list<const char*> values) {
  Rows r;
  for (const char* v : values) r.push_back({v});
  return r;
}

TEST_F(OperatorsTest, NodeScanBindsEveryNode) {
  EXPECT_EQ(sorted(run(g, "query q() { match { $p: Person } return { $p.name } }")),
            col({"\"Alice\"", "\"Bob\"", "\"Carol\"", "\"Dan\""}));
}

TEST_F(OperatorsTest, KeyEqualityBecomesIndexLookup) {
  auto q = compiler::compile_query(
      "query q($n: String) { match { $p: Person { name: $n } } return { $p.age } }", g.catalog());
  auto steps = exec::plan_match(q.plan.read.match, g.catalog());
  EXPECT_EQ(exec::explain_physical(steps), "IndexLookup p: Person filters=1\n");
  EXPECT_EQ(run(g, "query q($n: String) { match { $p: Person { name: $n } } return { $p.age } }",
                R"({"n":"Carol"})"),
            col({"40"}));
  EXPECT_TRUE(
      run(g, "query q($n: String) { match { $p: Person { name: $n } } return { $p.age } }", R"({"n":"Zed"})")
          .empty());
}

TEST_F(OperatorsTest, ProbedScanRunsFirstAndFiltersArePushedDown) {
  auto q = compiler::compile_query(
      "query q() { match { $a: Person  $b: Person { name: \"Bob\" }  $a.age > 20  $a knows $b } return { "
      "$a.name } }",
      g.catalog());
  auto steps = exec::plan_match(q.plan.read.match, g.catalog());
  EXPECT_EQ(exec::explain_physical(steps),
            "IndexLookup b: Person filters=1\nExpand b Knows in {1,1} -> a\nFilter\n");
  EXPECT_EQ(run(g,
                "query q() { match { $a: Person  $b: Person { name: \"Bob\" }  $a.age > 20  $a knows $b } "
                "return { $a.name } }"),
            col({"\"Alice\""}));
}

TEST_F(OperatorsTest, TraversalStartsFromTheProbedEnd) {
  const char* q =
      "query q($c: String) { match { $p: Person  $p worksAt $c  $c: Company { name: $c } } return { $p.name "
      "} }";
  auto plan = compiler::compile_query(q, g.catalog()).plan;
  EXPECT_EQ(exec::explain_physical(exec::plan_match(plan.read.match, g.catalog())),
            "IndexLookup c: Company filters=1\nExpand c WorksAt in {1,1} -> p\n");
  EXPECT_EQ(sorted(run(g, q, R"({"c":"Acme"})")), col({"\"Alice\"", "\"Bob\""}));
  // Multi-hop traversals keep their direction (self-loops make the BFS asymmetric).
  const char* m =
      "query q() { match { $a: Person  $a knows{2,2} $b  $b: Person { name: \"Carol\" } } return { $a.name } "
      "}";
  EXPECT_EQ(exec::explain_physical(
                exec::plan_match(compiler::compile_query(m, g.catalog()).plan.read.match, g.catalog())),
            "NodeScan a: Person\nExpand a Knows out {2,2} -> b\nFilter\n");
  EXPECT_EQ(sorted(run(g, m)),
            col({"\"Alice\"", "\"Bob\""}));  // Bob: Carol is 1 hop away, her self-loop emits her at hop 2
}

TEST_F(OperatorsTest, ExpandCollapsesParallelEdges) {
  EXPECT_EQ(run(g, "query q() { match { $a: Person { name: \"Alice\" }  $a knows $f } return { $f.name } }"),
            col({"\"Bob\""}));
}

TEST_F(OperatorsTest, ExpandReverseAndDifferentEndpointTypes) {
  EXPECT_EQ(
      sorted(
          run(g, "query q() { match { $c: Company { name: \"Acme\" }  $p worksAt $c } return { $p.name } }")),
      col({"\"Alice\"", "\"Bob\""}));
  EXPECT_TRUE(run(g, "query q() { match { $p: Person  $p worksAt{2,3} $c } return { $c.name } }").empty());
}

TEST_F(OperatorsTest, MultiHopUsesShortestDistance) {
  EXPECT_EQ(
      run(g, "query q() { match { $a: Person { name: \"Alice\" }  $a knows{2,2} $f } return { $f.name } }"),
      col({"\"Carol\""}));
  EXPECT_EQ(
      sorted(run(
          g, "query q() { match { $a: Person { name: \"Alice\" }  $a knows{1,3} $f } return { $f.name } }")),
      col({"\"Bob\"", "\"Carol\""}));
  // The source is never returned through a cycle: Dan -> Alice -> Bob -> Carol.
  EXPECT_EQ(
      sorted(run(
          g, "query q() { match { $a: Person { name: \"Dan\" }  $a knows{1,5} $f } return { $f.name } }")),
      col({"\"Alice\"", "\"Bob\"", "\"Carol\""}));
}

TEST_F(OperatorsTest, SelfLoopEmitsTheSourceOnce) {
  EXPECT_EQ(
      run(g, "query q() { match { $c: Person { name: \"Carol\" }  $c knows{1,2} $x } return { $x.name } }"),
      col({"\"Carol\""}));
}

TEST_F(OperatorsTest, UndirectedTraversal) {
  EXPECT_EQ(sorted(run(
                g, "query q() { match { $b: Person { name: \"Bob\" }  $b <knows> $x } return { $x.name } }")),
            col({"\"Alice\"", "\"Carol\""}));
  EXPECT_EQ(run(g,
                "query q() { match { $c: Person { name: \"Carol\" }  $c $k:<knows> $x  $x.name = \"Carol\" } "
                "return { $x.name } }"),
            col({"\"Carol\""}));
}

TEST_F(OperatorsTest, EdgeBindingYieldsOneRowPerEdgeInEdgeIdOrder) {
  EXPECT_EQ(run(g,
                "query q() { match { $a: Person { name: \"Alice\" }  $a $k:knows $b } return { $b.name, "
                "$k.since } }"),
            (Rows{{"\"Bob\"", "\"2024-01-01\""}, {"\"Bob\"", "null"}}));
}

TEST_F(OperatorsTest, BoundTargetIsASemiJoin) {
  EXPECT_EQ(run(g,
                "query q() { match { $a: Person { name: \"Alice\" }  $c: Person { name: \"Carol\" }  "
                "$a knows{1,2} $c } return { $c.name } }"),
            col({"\"Carol\""}));
  EXPECT_TRUE(run(g,
                  "query q() { match { $a: Person { name: \"Alice\" }  $c: Person { name: \"Carol\" }  "
                  "$a knows $c } return { $c.name } }")
                  .empty());
}

TEST_F(OperatorsTest, FilterRules) {
  auto names = [&](const std::string& pred) {
    return sorted(run(g, "query q() { match { $p: Person  " + pred + " } return { $p.name } }"));
  };
  EXPECT_EQ(names("$p.age > 28"), col({"\"Alice\"", "\"Carol\""}));
  EXPECT_EQ(names("$p.age != 30"), col({"\"Bob\"", "\"Carol\""}));  // null never matches
  EXPECT_EQ(names("$p.age = 30.0"), col({"\"Alice\""}));
  EXPECT_TRUE(names("$p.age = 29.5").empty());
  EXPECT_EQ(names("$p.tags contains \"a\""), col({"\"Alice\""}));
  EXPECT_EQ(names("$p.name contains \"ar\""), col({"\"Carol\""}));
  EXPECT_EQ(names("$p.name starts_with \"Da\""), col({"\"Dan\""}));
  EXPECT_EQ(names("$p.name starts_with \"\""), col({"\"Alice\"", "\"Bob\"", "\"Carol\"", "\"Dan\""}));
  EXPECT_EQ(names("$p.name > \"B\""), col({"\"Bob\"", "\"Carol\"", "\"Dan\""}));
}

TEST_F(OperatorsTest, AntiJoin) {
  EXPECT_EQ(run(g, "query q() { match { $p: Person  not { $p worksAt $_ } } return { $p.name } }"),
            col({"\"Dan\""}));
  EXPECT_EQ(sorted(run(g, "query q() { match { $p: Person  not { $p.age > 30 } } return { $p.name } }")),
            col({"\"Alice\"", "\"Bob\"", "\"Dan\""}));
  EXPECT_EQ(sorted(run(g,
                       "query q() { match { $p: Person  not { $p knows $x  $x.city = \"Paris\" } } "
                       "return { $p.name } }")),
            col({"\"Alice\""}));  // Bob knows Carol, Carol herself, Dan knows Alice (all Paris)
  // Rebinding an outer variable inside the block constrains the same node.
  EXPECT_EQ(
      sorted(run(g, "query q() { match { $p: Person  not { $p: Person { age: 30 } } } return { $p.name } }")),
      col({"\"Bob\"", "\"Carol\"", "\"Dan\""}));
}

TEST_F(OperatorsTest, AggregatesGroupImplicitly) {
  EXPECT_EQ(sorted(run(g,
                       "query q() { match { $p: Person  $p worksAt $c } return { $c.name, count($p) as n, "
                       "sum($p.age) as s, avg($p.age) as a, min($p.age) as lo, max($p.name) as hi } }")),
            (Rows{{"\"Acme\"", "2", "55.0", "27.5", "25", "\"Bob\""},
                  {"\"Globex\"", "1", "40.0", "40.0", "40", "\"Carol\""}}));
  EXPECT_EQ(
      run(g, "query q() { match { $p: Person  $p.age > 100 } return { count($p) as n, sum($p.age) as s } }"),
      (Rows{{"0", "null"}}));
  EXPECT_TRUE(
      run(g, "query q() { match { $p: Person  $p.age > 100 } return { $p.city, count($p) as n } }").empty());
  // Null group keys form one group; count(x) skips nulls.
  EXPECT_EQ(sorted(run(g, "query q() { match { $p: Person } return { $p.city, count($p.age) as n } }")),
            (Rows{{"\"Berlin\"", "1"}, {"\"Paris\"", "2"}, {"null", "0"}}));
}

TEST_F(OperatorsTest, AggregateOrderAndLimit) {
  EXPECT_EQ(run(g,
                "query q() { match { $p: Person  $p knows $f } return { $p.name, count($f) as n } "
                "order { n desc, $p.name } limit 2 }"),
            (Rows{{"\"Alice\"", "1"}, {"\"Bob\"", "1"}}));
}

TEST_F(OperatorsTest, OrderNullPlacementAndTieBreak) {
  EXPECT_EQ(run(g, "query q() { match { $p: Person } return { $p.name } order { $p.age desc } }"),
            col({"\"Carol\"", "\"Alice\"", "\"Bob\"", "\"Dan\""}));
  EXPECT_EQ(run(g, "query q() { match { $p: Person } return { $p.name } order { $p.age } }"),
            col({"\"Dan\"", "\"Bob\"", "\"Alice\"", "\"Carol\""}));
  // Ties on city are broken by the id of $p.
  EXPECT_EQ(run(g,
                "query q() { match { $p: Person  $p.city = \"Paris\" } return { $p.name } order { $p.city } "
                "limit 1 }"),
            col({"\"Alice\""}));
  EXPECT_EQ(run(g,
                "query q() { match { $p: Person } return { $p.age as years, $p.name } order { years desc } "
                "limit 1 }"),
            (Rows{{"40", "\"Carol\""}}));
  EXPECT_TRUE(run(g, "query q() { match { $p: Person } return { $p.name } limit 0 }").empty());
}

TEST_F(OperatorsTest, ProjectionOfVariablesParamsLiteralsAndNow) {
  auto r = exec::run_read_query(g,
                                "query q($x: I64) { match { $p: Person { name: \"Bob\" } } return { $p, $x, "
                                "7 as seven, now() as t1, now() as t2 } }",
                                "", nlohmann::json::parse(R"({"x": 9223372036854775807})"));
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.columns[0].name, "p");
  EXPECT_EQ(r.columns[1].name, "x");
  auto rows = to_rows(r);
  EXPECT_EQ(rows[0][0], "\"Bob\"");
  EXPECT_EQ(rows[0][1], "9223372036854775807");
  EXPECT_EQ(rows[0][2], "7");
  EXPECT_EQ(rows[0][3], rows[0][4]);  // one now() per query
  EXPECT_EQ(rows[0][3].size(), 26u);  // "YYYY-MM-DDTHH:MM:SS.mmmZ"
}

TEST_F(OperatorsTest, NowInFilters) {
  EXPECT_EQ(run(g, "query q() { match { $p: Person  $p.seen < now() } return { $p.name } }"),
            col({"\"Alice\""}));
  EXPECT_TRUE(run(g, "query q() { match { $p: Person  $p.seen > now() } return { $p.name } }").empty());
}

TEST_F(OperatorsTest, SearchFunctionsRunAsFilters) {
  // Search semantics are tested in tests/unit/search; here: the executor dispatches them.
  EXPECT_EQ(run(g, "query q() { match { $p: Person  fuzzy($p.name, \"Alic\") } return { $p.name } }"),
            col({"\"Alice\""}));
}

}  // namespace
}  // namespace omnigraph::engine::testing
