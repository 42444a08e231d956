// The examples of languages.md §10 (E1–E9) and other inline examples of the spec,
// compiled end to end (parse → typecheck → lower) with their expected static outcome.
#include <gtest/gtest.h>

#include "compiler/lowering.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

constexpr const char* kShared = R"(
node Person  { name: String @key   age: I32? }
node Company { name: String @key }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Company
)";

const Catalog& shared() {
  static Catalog c = compile_schema(kShared);
  return c;
}

CompiledQuery compile(const std::string& src, const Catalog& c = shared(), std::string_view name = {}) {
  return compile_query(src, c, name);
}

TEST(SpecExamples, E1MultiHopBounds) {
  for (const char* bounds : {"{1,3}", "{2,2}", "{3,3}", "{1,1}", "{1,2}"}) {
    std::string src = std::string("query reach($n: String) { match { $p: Person { name: $n }  $p knows") + bounds +
                      " $f } return { $f.name }  order { $f.name } }";
    SCOPED_TRACE(src);
    ir::QueryPlan plan = compile(src).plan;
    ASSERT_EQ(plan.read.match.size(), 3u);
    EXPECT_EQ(plan.read.match[2].kind, ir::Op::Kind::kExpand);
    EXPECT_EQ(plan.read.match[2].direction, ir::Direction::kOut);
  }
}

TEST(SpecExamples, E2Undirected) {
  ir::QueryPlan p = compile("query q() { match { $p: Person { name: \"Dan\" }  $p <knows> $f }  return { $f.name } }").plan;
  EXPECT_EQ(p.read.match[2].direction, ir::Direction::kBoth);
  ir::QueryPlan n = compile("query q() { match { $p: Person  not { $p <knows> $_ } } return { $p.name } }").plan;
  ASSERT_EQ(n.read.match[1].kind, ir::Op::Kind::kAntiJoin);
  EXPECT_EQ(n.read.match[1].inner[0].to_var, "");
}

TEST(SpecExamples, E3NegationAndNulls) {
  std::string src =
      "query q1() { match { $p: Person  not { $p.age > 26 } } return { $p.name } order { $p.name } }\n"
      "query q2() { match { $p: Person  $p.age <= 26 }        return { $p.name } order { $p.name } }\n"
      "query q3() { match { $p: Person  not { $p worksAt $_ } } return { $p.name } order { $p.name } }\n"
      "query q4() { match { $p: Person  $p.age != 30 } return { $p.name } }\n";
  for (const char* n : {"q1", "q2", "q3", "q4"}) EXPECT_EQ(compile(src, shared(), n).plan.name, n);
}

TEST(SpecExamples, E4Aggregates) {
  CompiledQuery q = compile(
      "query friends() { match { $p: Person  $p knows $f } "
      "return { $p.name, count($f) as n, avg($f.age) as avg_age, count($f.age) as aged } order { n desc, $p.name } }");
  EXPECT_TRUE(q.plan.read.aggregate);
  ASSERT_EQ(q.plan.read.columns.size(), 4u);
  EXPECT_EQ(q.plan.read.columns[0].name, "p.name");
  EXPECT_EQ(q.plan.read.order[1].expr.kind, ir::Expr::Kind::kColumnRef);
  EXPECT_EQ(q.plan.read.order[1].expr.name, "p.name");
  CompiledQuery global = compile("query g() { match { $p: Person { name: \"Zed\" } } return { count($p) as c, max($p.age) as m } }");
  EXPECT_EQ(global.checked.operation.result[1].kind, "int");
  EXPECT_TRUE(global.checked.operation.result[1].nullable);
}

TEST(SpecExamples, E5Ordering) {
  ir::QueryPlan p = compile("query q() { match { $p: Person } return { $p.name, $p.age } order { $p.age desc } limit 3 }").plan;
  EXPECT_TRUE(p.read.order[0].descending);
  EXPECT_EQ(*p.read.limit, 3u);
  EXPECT_EQ(p.read.tie_break_vars, std::vector<std::string>{"p"});
}

TEST(SpecExamples, E6EdgeBinding) {
  ir::QueryPlan p = compile(
                        "query links() { match { $p: Person { name: \"Ann\" }  $p $w:knows $f  $w.since >= date(\"2020-01-01\") } "
                        "return { $f.name, $w.since }  order { $f.name } }")
                        .plan;
  EXPECT_EQ(*p.read.match[2].edge_var, "w");
  EXPECT_EQ(p.read.match[3].predicate.args[1].constant.int_value, 18262);  // 2020-01-01 in epoch days (2024-01-01 = 19723)
  EXPECT_EQ(p.read.tie_break_vars, (std::vector<std::string>{"f", "p", "w"}));
  EXPECT_NO_THROW(compile("query q() { match { $p: Person { name: \"Ann\" }  $p $w:knows $f } return { $f.name, count($w.since) as dated } }"));
}

TEST(SpecExamples, E7Mutations) {
  std::string src =
      "query set_person($n: String, $a: I32?) { insert Person { name: $n, age: $a } }\n"
      "query hire($p: String, $c: String)     { insert WorksAt { from: $p, to: $c } }\n"
      "query fire($p: String)                 { delete Person where name = $p }\n"
      "query bad($p: String)                  { insert Person { name: $p }  delete Person where name = \"Bob\" }\n";
  for (const char* n : {"set_person", "hire", "fire"}) EXPECT_NO_THROW(check_mutation_mixing(compile(src, shared(), n).plan));
  EXPECT_THROW(check_mutation_mixing(compile(src, shared(), "bad").plan), Error);
  Catalog slot = compile_schema("node Slot { tenant: String  slot: U32  @key(tenant, slot) }");
  EXPECT_EQ(slot.find_node("Slot")->key_components(), (std::vector<std::string>{"slot", "tenant"}));
}

TEST(SpecExamples, E8NearestAndRrf) {
  Catalog doc = compile_schema("node Doc { slug: String @key  status: enum(open, closed)  emb: Vector(2) }");
  ir::QueryPlan n = compile("query q($q: Vector(2)) { match { $d: Doc { status: \"open\" } } return { $d.slug } "
                            "order { nearest($d.emb, $q) } limit 2 }",
                            doc)
                        .plan;
  ASSERT_TRUE(n.read.ranking.has_value());
  EXPECT_EQ(n.read.ranking->kind, ir::Ranking::Kind::kNearest);
  EXPECT_EQ(n.read.ranking->var, "d");
  ir::QueryPlan r = compile("query q($q1: Vector(2), $q2: Vector(2)) { match { $d: Doc } return { $d.slug } "
                            "order { rrf(nearest($d.emb, $q1), nearest($d.emb, $q2)) } limit 3 }",
                            doc)
                        .plan;
  EXPECT_EQ(r.read.ranking->kind, ir::Ranking::Kind::kRrf);
  ASSERT_EQ(r.read.ranking->expr.args.size(), 3u);  // k = 60 made explicit
  EXPECT_EQ(r.read.ranking->expr.args[2].constant.int_value, 60);
}

TEST(SpecExamples, E9LintSchemaQueries) {
  Catalog c = compile_schema(
      "node Person { name: String @key  age: I32?  nick: String? } node Company { name: String @key }"
      " edge Knows: Person -> Person { since: Date? } edge WorksAt: Person -> Company");
  EXPECT_NO_THROW(compile("query friends($n: String) { match { $p: Person { name: $n }  $p $w:knows $f } return { $f.name, $w.since } }", c));
  EXPECT_EQ(testing::error_of([&] { compile("query hire($p: String) { insert WorksAt { from: $p } }", c); }),
            "type error: T12: insert for `WorksAt` must provide required endpoint `to`");
}

TEST(SpecExamples, E10GetQuery) {
  CompiledQuery q = compile("query get($n: String) { match { $p: Person { name: $n } } return { $p.name, $p.age } }");
  EXPECT_EQ(q.plan.read.columns[0].name, "p.name");
  EXPECT_EQ(q.plan.read.columns[1].name, "p.age");
  EXPECT_EQ(q.checked.operation.result[1].kind, "int");
}

TEST(SpecExamples, InterfaceConstraintsApplyToImplementers) {
  Catalog c = compile_schema("interface Named { name: String @index } node A implements Named { name: String  x: I32 }"
                             " node B implements Named { y: I32 }");
  EXPECT_EQ(c.find_node("A")->find_property("name")->index, IndexKind::kFullText);
  EXPECT_EQ(c.find_node("B")->find_property("name")->index, IndexKind::kFullText);
  EXPECT_EQ(c.find_node("B")->find_property("name")->from_interface, "Named");
}

}  // namespace
}  // namespace omnigraph::compiler
