// Query parser: fixtures, grammar coverage and the §4 disambiguation rules.
#include <gtest/gtest.h>

#include "compiler/query_ast.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

std::string parse_error_of(const std::string& src) {
  return testing::error_of([&] { parse_queries(src); });
}

const Clause& only_clause(const QueryFile& f) { return f.queries.at(0).read.clauses.at(0); }

TEST(QueryFixtures, EveryFixtureQueryFileParses) {
  auto files = testing::files_with_ext(testing::shared_dir() / "fixtures", ".gq");
  files.push_back(testing::shared_dir() / "bench" / "bench.gq");
  ASSERT_GE(files.size(), 10u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    QueryFile qf = parse_queries(testing::read_file(f));
    EXPECT_FALSE(qf.queries.empty());
  }
}

TEST(QueryParser, EmptyFileAndKeywordsNotDelimited) {
  EXPECT_TRUE(parse_queries("").queries.empty());
  QueryFile f = parse_queries("queryfoo() { match { $p: P } return { $p.name asdf } }");
  ASSERT_EQ(f.queries.size(), 1u);
  EXPECT_EQ(f.queries[0].name, "foo");
  EXPECT_EQ(*f.queries[0].read.projections[0].alias, "df");
}

TEST(QueryParser, ParamsAnnotationsAndLiterals) {
  QueryFile f = parse_queries(R"(
    query q($a: String, $b: [I32]?, $v: Vector(4), $d: DateTime?)
      @instruction("do it") @description("desc") {
      match {
        $p: Person { name: "x", tags: $a, when: now(), n: 3, f: 1.5, ok: true, l: [1, 2], d: date("2024-01-01"), t: datetime("2024-01-01T00:00:00Z") }
      }
      return { $p.name as n, count($p) as c, 1e3 } order { $p.name desc, c } limit 10
    })");
  const auto& q = f.queries.at(0);
  ASSERT_EQ(q.params.size(), 4u);
  EXPECT_TRUE(q.params[1].type.list && q.params[1].type.nullable);
  EXPECT_EQ(q.params[2].type.vector_dim, 4u);
  EXPECT_EQ(*q.description, "desc");
  EXPECT_EQ(*q.instruction, "do it");
  const auto& b = q.read.clauses[0].binding;
  ASSERT_EQ(b.matches.size(), 9u);
  EXPECT_EQ(b.matches[1].value.kind, Value::Kind::kVariable);
  EXPECT_EQ(b.matches[2].value.kind, Value::Kind::kNow);
  EXPECT_EQ(b.matches[4].value.literal.kind, Literal::Kind::kFloat);
  EXPECT_EQ(b.matches[6].value.literal.elements.size(), 2u);
  EXPECT_EQ(b.matches[7].value.literal.kind, Literal::Kind::kDate);
  EXPECT_EQ(b.matches[8].value.literal.kind, Literal::Kind::kDateTime);
  // `1e3` = literal 1 followed by alias reference e3 (rule 6).
  ASSERT_EQ(q.read.projections.size(), 4u);
  EXPECT_EQ(q.read.projections[2].expr.literal.int_value, 1);
  EXPECT_EQ(q.read.projections[3].expr.kind, Expr::Kind::kAliasRef);
  EXPECT_EQ(q.read.projections[3].expr.name, "e3");
  EXPECT_TRUE(q.read.order[0].descending);
  EXPECT_EQ(*q.read.limit, 10u);
}

TEST(QueryParser, TraversalForms) {
  QueryFile f = parse_queries(
      "query q() { match { $p: P  $p knows $f  $p <knows>{1,3} $g  $p $w : knows $h  $p knows{2,} $i  not { $p worksAt $_ } } return { $p } }");
  const auto& cl = f.queries[0].read.clauses;
  ASSERT_EQ(cl.size(), 6u);
  EXPECT_EQ(cl[1].kind, Clause::Kind::kTraversal);
  EXPECT_EQ(cl[1].traversal.edge_name, "knows");
  EXPECT_TRUE(cl[2].traversal.undirected);
  EXPECT_EQ(cl[2].traversal.min_hops, 1u);
  EXPECT_EQ(*cl[2].traversal.max_hops, 3u);
  EXPECT_EQ(*cl[3].traversal.edge_var, "w");
  EXPECT_FALSE(cl[4].traversal.max_hops.has_value());
  EXPECT_EQ(cl[5].kind, Clause::Kind::kNegation);
  EXPECT_EQ(cl[5].negation->clauses[0].traversal.dst, "_");
}

TEST(QueryParser, DisambiguationRules) {
  // Rule 2: bare variables on both sides of contains parse as a traversal.
  EXPECT_EQ(only_clause(parse_queries("query q() { match { $a contains $b } return { $a } }")).kind,
            Clause::Kind::kTraversal);
  EXPECT_EQ(only_clause(parse_queries("query q() { match { $a contains \"x\" } return { $a } }")).kind,
            Clause::Kind::kFilter);
  EXPECT_EQ(only_clause(parse_queries("query q() { match { $a.tags contains $b } return { $a } }")).kind,
            Clause::Kind::kFilter);
  // Rule 3: empty braces.
  EXPECT_NE(parse_error_of("query q() { match { $d: Doc { } } return { $d } }"), "");
  // Rule 4: nearest takes no direction.
  EXPECT_NE(parse_error_of("query q($v: Vector(2)) { match { $d: D } return { $d } order { nearest($d.e, $v) asc } limit 1 }"), "");
  // Rule 5: bm25 alone is not a clause, but parses as a filter.
  EXPECT_NE(parse_error_of("query q() { match { $d: D  bm25($d.t, \"x\") } return { $d } }"), "");
  EXPECT_EQ(parse_error_of("query q() { match { $d: D  bm25($d.t, \"x\") > 1.0 } return { $d } }"), "");
  // Search clause.
  EXPECT_EQ(only_clause(parse_queries("query q() { match { search($d.t, \"x\") } return { $d } }")).kind,
            Clause::Kind::kSearch);
  // Rule 7: juxtaposed statements.
  QueryFile m = parse_queries("query q() { update P set { a: 1 } where b = 2  delete P where a = 1 }");
  EXPECT_EQ(m.queries[0].mutations.size(), 2u);
  // Rule 8: hop bounds need the comma.
  EXPECT_NE(parse_error_of("query q() { match { $p: P  $p knows{2} $f } return { $f } }"), "");
  // `$Foo` is not a variable; `$ x` neither.
  EXPECT_NE(parse_error_of("query q($Foo: String) { match { $p: P } return { $p } }"), "");
  // Edge named `not` cannot be traversed.
  EXPECT_NE(parse_error_of("query q() { match { $p: P  $p not $f } return { $f } }"), "");
  EXPECT_NE(parse_error_of("query q() { match { $p: P  $p not_x $f } return { $f } }"), "");
  EXPECT_EQ(parse_error_of("query q() { match { $p: P  $p note $f } return { $f } }"), "");
}

TEST(QueryParser, NestingIsBounded) {
  std::string deep_list = "query q() { match { $p: P { x: " + std::string(10000, '[') + " } } return { $p } }";
  EXPECT_EQ(parse_error_of(deep_list), "parse error: nesting too deep (limit 64)");
  std::string deep_not = "query q() { match { $p: P ";
  for (int i = 0; i < 200; ++i) deep_not += "not { ";
  EXPECT_EQ(parse_error_of(deep_not), "parse error: nesting too deep (limit 64)");
  EXPECT_EQ(parse_error_of("query q() { match { $p: P { x: [[[1]]] } } return { $p } }"), "");
}

TEST(QueryParser, ParseErrors) {
  EXPECT_EQ(parse_error_of("query q() { match { $p: P { name: \"\\u0041\" } } return { $p } }"),
            "parse error: unsupported escape sequence: \\u");
  EXPECT_EQ(parse_error_of("query q() @description(\"a\") @description(\"b\") { match { $p: P } return { $p } }"),
            "parse error: query `q` cannot include duplicate @description annotations");
  EXPECT_EQ(parse_error_of("query q() @instruction(\"a\") @instruction(\"b\") { match { $p: P } return { $p } }"),
            "parse error: query `q` cannot include duplicate @instruction annotations");
  EXPECT_EQ(parse_error_of("query q() { match { $p: P { n: 9223372036854775808 } } return { $p } }"),
            "parse error: integer literal out of range: 9223372036854775808");
  EXPECT_NE(parse_error_of("query q() { match { $p: P { x: 1. } } return { $p } }"), "");
  EXPECT_NE(parse_error_of("query q($a: String,) { match { $p: P } return { $p } }"), "");
  EXPECT_NE(parse_error_of("query q($e: enum(a)) { match { $p: P } return { $p } }"), "");
  EXPECT_NE(parse_error_of("query q() { match { $p: P } return { $p } order { $p.a, } }"), "");
  EXPECT_NE(parse_error_of("query q() { match { } return { $p } }"), "");
  EXPECT_NE(parse_error_of("# x\nquery q() { match { $p: P } return { $p } }"), "");
  try {
    parse_queries("query q() {\n  match { $p: P }\n  return { $p }\n  limit x\n}");
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.pos()->line, 4u);
    EXPECT_EQ(e.pos()->column, 9u);
    EXPECT_EQ(e.plain(), "parse error: expected integer, found 'x'");
  }
}

}  // namespace
}  // namespace omnigraph::compiler
