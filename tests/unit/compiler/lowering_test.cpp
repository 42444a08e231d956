// Lowering to the logical IR: operator order, traversal direction, anti-joins,
// projections/aggregates, ordering/ranking, mutations, and the mixing rule.
#include <gtest/gtest.h>

#include "compiler/lowering.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

constexpr const char* kSchema = R"(
node Person { name: String @key  age: I32?  tags: [String]? emb: Vector(2)? }
node Company { name: String @key }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Company
)";

const Catalog& catalog() {
  static Catalog c = compile_schema(kSchema);
  return c;
}

std::string explain_of(const std::string& src) { return ir::explain(compile_query(src, catalog()).plan); }

TEST(Lowering, ScanExpandFilterAntiJoin) {
  EXPECT_EQ(explain_of("query q($n: String) { match { $p: Person { name: $n, tags: \"x\" }  $p knows{1,3} $f  $f.age > 30 "
                       " not { $f worksAt $_ } } return { $f.name, $p } order { $f.name desc } limit 5 }"),
            "Read q\n"
            "Scan p: Person\n"
            "Filter p.name = $n\n"
            "Filter p.tags contains \"x\"\n"
            "Expand p -[Knows out 1..3]-> f: Person\n"
            "Filter f.age > 30\n"
            "AntiJoin\n"
            "  Expand f -[WorksAt out 1..1]-> _: Company\n"
            "Project f.name=f.name p=p.#id\n"
            "Order f.name desc\n"
            "TieBreak f p\n"
            "Limit 5\n");
}

TEST(Lowering, ReverseUndirectedAndBoundTargets) {
  EXPECT_EQ(explain_of("query q() { match { $c: Company  $p worksAt $c  $p <knows> $g  $p $w:knows $g } return { $g.name, $w.since } }"),
            "Read q\n"
            "Scan c: Company\n"
            "Expand c -[WorksAt in 1..1]-> p: Person\n"
            "Expand p -[Knows both 1..1]-> g: Person\n"
            "Expand p -[w:Knows out 1..1]-> g: Person (bound)\n"
            "Project g.name=g.name w.since=w.since\n"
            "TieBreak c g p w\n");
  // Both endpoints new: scan the source first; a later binding only constrains.
  EXPECT_EQ(explain_of("query q() { match { $a knows $b  $a: Person { age: 3 } } return { $b.name } }"),
            "Read q\n"
            "Scan a: Person\n"
            "Expand a -[Knows out 1..1]-> b: Person\n"
            "Filter a.age = 3\n"
            "Project b.name=b.name\n"
            "TieBreak a b\n");
  // Re-binding an outer variable inside not{} constrains the same node (correlated).
  EXPECT_EQ(explain_of("query q() { match { $p: Person  not { $p: Person { age: 30 } } } return { $p.name } }"),
            "Read q\nScan p: Person\nAntiJoin\n  Filter p.age = 30\nProject p.name=p.name\nTieBreak p\n");
}

TEST(Lowering, AggregatesAliasesAndRanking) {
  EXPECT_EQ(explain_of("query q() { match { $p: Person  $p knows $f } return { $p.name, count($f) as n, avg($f.age) } "
                       "order { n desc, $p.name } }"),
            "Read q\nScan p: Person\nExpand p -[Knows out 1..1]-> f: Person\n"
            "Aggregate p.name=p.name n=count(f.#id) f.age=avg(f.age)\n"
            "Order col(n) desc col(p.name) asc\n");
  EXPECT_EQ(explain_of("query q($v: Vector(2)) { match { $p: Person } return { $p.name } order { nearest($p.emb, $v) } limit 3 }"),
            "Read q\nScan p: Person\nProject p.name=p.name\nRank nearest(p.emb, $v) on p\nTieBreak p\nLimit 3\n");
  ir::QueryPlan plan = compile_query("query q() { match { $p: Person } return { $p.age as a, now(), 1 } order { a } }", catalog()).plan;
  ASSERT_EQ(plan.read.columns.size(), 3u);
  EXPECT_EQ(plan.read.columns[1].name, "now");
  EXPECT_EQ(plan.read.columns[2].name, "literal");
  EXPECT_EQ(plan.read.order[0].expr.type.scalar, ScalarKind::kI32);
}

TEST(Lowering, Mutations) {
  EXPECT_EQ(explain_of("query q($n: String, $a: I32?) { insert Person { name: $n, age: $a } }"),
            "Mutation q\nInsert node Person name=$n age=$a\n");
  EXPECT_EQ(explain_of("query q($p: String) { insert WorksAt { from: $p, to: \"Acme\" } }"),
            "Mutation q\nInsert edge WorksAt from=$p to=\"Acme\"\n");
  EXPECT_EQ(explain_of("query q($n: String) { delete Person where name = $n }"),
            "Mutation q\nDelete node Person where name = $n cascade Knows WorksAt\n");
  EXPECT_EQ(explain_of("query q() { delete Knows where from = \"Ann\" }"), "Mutation q\nDelete edge Knows where #src = \"Ann\"\n");
  EXPECT_EQ(explain_of("query q($a: I32) { update Person set { age: $a } where age < 3 }"),
            "Mutation q\nUpdate node Person age=$a where age < 3\n");
}

TEST(Lowering, MixingRuleAndNameSelection) {
  ir::QueryPlan bad = compile_query("query bad($p: String) { insert Person { name: $p }  delete Person where name = \"Bob\" }",
                                    catalog())
                          .plan;
  try {
    check_mutation_mixing(bad);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message().rfind("mutation 'bad' on the same query mixes inserts/updates and deletes; split into separate "
                                "mutations: (1) inserts and updates, then (2) deletes",
                                0),
              0u);
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
  }
  EXPECT_NO_THROW(check_mutation_mixing(
      compile_query("query ok($p: String) { insert Person { name: $p } update Person set { age: 1 } where name = $p }", catalog())
          .plan));
  std::string two = "query a() { match { $p: Person } return { $p } } query b() { match { $p: Person } return { $p } }";
  EXPECT_EQ(compile_query(two, catalog(), "b").plan.name, "b");
  try {
    compile_query(two, catalog());
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "query file contains multiple queries; pass --name");
  }
  try {
    compile_query(two, catalog(), "zz");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), "query 'zz' not found");
  }
}

}  // namespace
}  // namespace omnigraph::compiler
