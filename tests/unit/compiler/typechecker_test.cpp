// Typechecker: every fixture query typechecks; one negative test (at least) per error
// code; orientation, descriptor and fact computation.
#include <gtest/gtest.h>

#include <map>

#include "compiler/catalog.h"
#include "compiler/typechecker.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSchema = R"(
node Person { name: String @key  age: I32?  nick: String?  tags: [String]?  score: F64?  born: Date?
              seen: DateTime?  photo: Blob?  emb: Vector(3)?  status: enum(open, closed)?  count: U64? }
node Company { name: String @key  founded: Date? }
node Doc { slug: String @key  title: String  body: String?  emb: Vector(4) @embed("title")  data: Blob? }
edge Knows: Person -> Person { since: Date?  weight: F32? }
edge WorksAt: Person -> Company { role: String? }
interface Named { name: String }
)";

const Catalog& catalog() {
  static Catalog c = compile_schema(kSchema);
  return c;
}

CheckedQuery check(const std::string& src) {
  QueryFile f = parse_queries(src);
  return typecheck_query(f.queries.at(0), catalog(), src);
}

std::string type_error(const std::string& src) {
  return testing::error_of([&] { check(src); });
}

int check_fixture_dir(const fs::path& schema, const std::vector<fs::path>& queries) {
  int checked = 0;
  std::string schema_text = testing::read_file(schema);
  Catalog c = compile_schema(schema_text);
  for (const auto& q : queries) {
    std::string text = testing::read_file(q);
    QueryFile f = parse_queries(text);
    for (auto& decl : f.queries) {
      SCOPED_TRACE(q.string() + " :: " + decl.name);
      try {
        typecheck_query(decl, c, text);
        ++checked;
      } catch (const CompileError& e) {
        ADD_FAILURE() << e.message();
      }
    }
  }
  return checked;
}

TEST(TypecheckFixtures, CookbookQueriesTypecheckAgainstTheirSchema) {
  int dirs = 0;
  int checked = 0;
  for (const auto& e : fs::directory_iterator(testing::shared_dir() / "fixtures")) {
    if (!fs::exists(e.path() / "schema.pg") || !fs::exists(e.path() / "queries")) continue;
    ++dirs;
    checked += check_fixture_dir(e.path() / "schema.pg", testing::files_with_ext(e.path() / "queries", ".gq"));
  }
  EXPECT_GE(dirs, 2);
  EXPECT_GE(checked, 50);  // the cookbook folders hold well over 50 queries
}

TEST(TypecheckFixtures, UpstreamAndBenchQueriesTypecheck) {
  auto up = testing::shared_dir() / "fixtures" / "upstream";
  int n = 0;
  for (const auto& gq : testing::files_with_ext(up, ".gq")) {
    fs::path pg = gq;
    pg.replace_extension(".pg");
    ASSERT_TRUE(fs::exists(pg)) << pg;
    EXPECT_GE(check_fixture_dir(pg, {gq}), 1);
    ++n;
  }
  EXPECT_GE(n, 2);
  EXPECT_GE(check_fixture_dir(testing::shared_dir() / "bench" / "bench.pg", {testing::shared_dir() / "bench" / "bench.gq"}), 1);
}

TEST(Typechecker, OrientationFollowsBoundEndpoint) {
  std::string src = "query q() { match { $c: Company  $c worksAt $p  $p knows $f } return { $p.name, $f.name } }";
  QueryFile f = parse_queries(src);
  typecheck_query(f.queries[0], catalog(), src);
  const auto& t1 = f.queries[0].read.clauses[1].traversal;
  EXPECT_EQ(t1.resolved_edge, "WorksAt");
  EXPECT_TRUE(t1.reversed);
  EXPECT_EQ(t1.dst_type, "Person");
  EXPECT_TRUE(t1.dst_new);
  const auto& t2 = f.queries[0].read.clauses[2].traversal;
  EXPECT_FALSE(t2.reversed);
  EXPECT_FALSE(t2.src_new);
}

TEST(Typechecker, DescriptorForSpecE9) {
  CheckedQuery q = check(
      "query friends($n: String) { match { $p: Person { name: $n }  $p $w:knows $f } return { $f.name, $w.since } }");
  ASSERT_EQ(q.operation.result.size(), 2u);
  EXPECT_EQ(q.operation.result[0].name, "name");
  EXPECT_EQ(q.operation.result[0].kind, "string");
  EXPECT_FALSE(q.operation.result[0].nullable);
  EXPECT_EQ(q.operation.result[1].name, "since");
  EXPECT_EQ(q.operation.result[1].kind, "date");
  EXPECT_TRUE(q.operation.result[1].nullable);
  ASSERT_EQ(q.operation.reads.size(), 2u);
  EXPECT_EQ(q.operation.reads[0], (TypeFact{DeclKind::kNode, "Person"}));
  EXPECT_EQ(q.operation.reads[1], (TypeFact{DeclKind::kEdge, "Knows"}));
  EXPECT_TRUE(q.operation.writes.empty());
}

TEST(Typechecker, DescriptorKindsNonAggregate) {
  CheckedQuery q = check(
      "query q($x: I64?, $v: Vector(3)) { match { $p: Person } return { $p, $p.tags, $p.emb, $x, 1, now() as t, $p.count, "
      "nearest($p.emb, $v) as d } order { nearest($p.emb, $v) } limit 3 }");
  const auto& r = q.operation.result;
  ASSERT_EQ(r.size(), 8u);
  EXPECT_EQ(r[0].kind, "object");
  EXPECT_EQ(r[0].name, "p");
  EXPECT_FALSE(r[0].nullable);
  EXPECT_EQ(r[1].kind, "list");
  EXPECT_EQ(*r[1].item_kind, "string");
  EXPECT_EQ(r[2].kind, "vector");
  EXPECT_EQ(*r[2].vector_dim, 3u);
  EXPECT_EQ(r[3].kind, "bigint");
  EXPECT_TRUE(r[3].nullable);
  EXPECT_EQ(r[4].name, "literal");
  EXPECT_EQ(r[5].name, "t");
  EXPECT_EQ(r[5].kind, "datetime");
  EXPECT_EQ(r[6].kind, "bigint");
  EXPECT_EQ(r[7].kind, "float");
  EXPECT_FALSE(r[7].nullable);
}

TEST(Typechecker, AggregateDescriptor) {
  CheckedQuery q = check(
      "query q() { match { $p: Person  $p knows $f } return { $p.name, count($f) as n, avg($f.age) as a, max($f.age) } "
      "order { n desc, $p.name } }");
  const auto& r = q.operation.result;
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[1].kind, "bigint");
  EXPECT_TRUE(r[1].nullable);
  EXPECT_EQ(r[2].kind, "float");
  EXPECT_EQ(r[3].name, "max");
  EXPECT_EQ(r[3].kind, "int");
  EXPECT_TRUE(r[3].nullable);
}

TEST(Typechecker, MutationFacts) {
  CheckedQuery del = check("query q($n: String) { delete Person where name = $n }");
  EXPECT_TRUE(del.is_mutation);
  std::vector<TypeFact> expected{{DeclKind::kNode, "Person"}, {DeclKind::kEdge, "Knows"}, {DeclKind::kEdge, "WorksAt"}};
  EXPECT_EQ(del.operation.reads, expected);
  EXPECT_EQ(del.operation.writes, expected);
  CheckedQuery ins = check("query q($p: String, $c: String) { insert WorksAt { from: $p, to: $c } }");
  EXPECT_EQ(ins.operation.reads, (std::vector<TypeFact>{{DeclKind::kNode, "Company"}, {DeclKind::kNode, "Person"},
                                                        {DeclKind::kEdge, "WorksAt"}}));
  EXPECT_EQ(ins.operation.writes, (std::vector<TypeFact>{{DeclKind::kEdge, "WorksAt"}}));
}

TEST(Typechecker, AcceptedForms) {
  const char* ok[] = {
      "query q() { match { $p: Person { tags: \"x\" } } return { $p.name } }",
      "query q($d: Date) { match { $p: Person { born: $d, seen: now() } } return { $p.name } }",
      "query q() { match { $p: Person  $p.score = 2 } return { $p.name } }",
      "query q() { match { $p: Person  \"the alps\" contains $p.name } return { $p.name } }",
      "query q() { match { $p: Person  $p.name starts_with \"A\" } return { $p.name } }",
      "query q() { match { $p: Person  $p.seen < now() } return { $p.name } }",
      "query q() { match { $p: Person  $p knows{1,3} $f  not { $f worksAt $_ } } return { $f.name } }",
      "query q() { match { $p: Person  $p <knows> $f } return { $f.name } }",
      "query q() { match { $p: Person { status: \"open\" } } return { $p.name } }",
      "query q() { match { $p: Person  $p: Person { age: 3 } } return { $p.name } }",
      "query q() { match { $p: Person  not { $p: Person { age: 30 } } } return { $p.name } }",
      "query q($q: String) { match { $d: Doc  search($d.title, $q)  fuzzy($d.title, $q, 1)  match_text($d.body, $q) } return { $d.slug } order { bm25($d.title, $q) } limit 2 }",
      "query q($q: String) { match { $d: Doc } return { $d.slug } order { nearest($d.emb, $q) } limit 2 }",
      "query q() { match { $d: Doc } return { $d.slug } order { nearest($d.emb, [1, 0, 0.5, 2]) } limit 2 }",
      "query q($a: Vector(4), $q: String) { match { $d: Doc } return { $d.slug, rrf(nearest($d.emb, $a), bm25($d.title, $q), 10) as r } order { rrf(nearest($d.emb, $a), bm25($d.title, $q)) } limit 3 }",
      "query q($n: String, $a: I32?) { insert Person { name: $n, age: $a } }",
      "query q($n: String) { insert Person { name: $n, score: 5, born: date(\"2024-01-01\"), tags: [] } }",
      "query q($n: String, $b: String) { insert Doc { slug: $n, title: \"t\", data: $b } }",
      "query q() { insert Person { name: \"x\", seen: now(), status: \"open\" } }",
      "query q($p: String) { insert WorksAt { from: $p, to: \"Acme\", role: \"dev\" } }",
      "query q($n: String, $a: I32) { update Person set { age: $a } where name = $n }",
      "query q() { delete Knows where since < date(\"2000-01-01\") }",
      "query q() { delete Knows where from = \"Ann\" }",
      "query q() { match { $p: Person  $p $w:knows $f  $w.since >= date(\"2020-01-01\") } return { $f.name, count($w.since) as dated } }",
      "query q() { match { $p: Person } return { $p.name as n } order { n } }",
  };
  for (const char* src : ok) {
    SCOPED_TRACE(src);
    EXPECT_EQ(type_error(src), "");
  }
}

struct Case {
  const char* query;
  const char* expected;  // exact plain text
};

TEST(Typechecker, ErrorCatalogue) {
  const Case cases[] = {
      {"query q() { match { $p: Persons } return { $p } }", "type error: T1: unknown node type `Persons`"},
      {"query q() { match { $p: Named } return { $p } }", "type error: T1: unknown node type `Named`"},
      {"query q() { match { $p: Knows } return { $p } }", "type error: T1: unknown node type `Knows`"},
      {"query q() { match { $p: Person { nope: 1 } } return { $p } }", "type error: T2: type `Person` has no property `nope`"},
      {"query q() { match { $p: Person { age: \"x\" } } return { $p } }", "type error: T3: property `age` has type I32 but got String"},
      {"query q() { match { $p: Person { age: 1.5 } } return { $p } }", "type error: T3: property `age` has type I32 but got F64"},
      {"query q() { match { $p: Person { status: \"bogus\" } } return { $p } }",
       "type error: T3: property `status` expects one of [closed, open], got 'bogus'"},
      {"query q() { match { $p: Person { tags: 3 } } return { $p } }",
       "type error: T3: property `tags` has type [String] but membership match got I64"},
      {"query q() { match { $p: Person { photo: \"x\" } } return { $p } }",
       "type error: T3: blob property `Person.photo` cannot be used in match patterns"},
      {"query q() { match { $p: Person { born: date(\"nope\") } } return { $p } }", "type error: T3: invalid Date literal 'nope'"},
      {"query q() { match { $p: Person  $p likes $f } return { $p } }", "type error: T4: unknown edge type `likes`"},
      {"query q() { match { $c: Company  $c knows $f } return { $c } }",
       "type error: T5: variable `$c` has type `Company` but edge `Knows` expects `Person`"},
      {"query q() { match { $p: Person  $p.nope = 1 } return { $p } }", "type error: T6: type `Person` has no property `nope`"},
      {"query q() { match { $p: Person  $f.age = 1 } return { $p } }", "type error: T6: variable `$f` is not bound"},
      {"query q() { match { $p: Person  $p $w:knows $f  $w.nope = 1 } return { $p } }",
       "type error: T6: edge `Knows` has no property `nope`"},
      {"query q() { match { $p: Person  $p.born = \"2024-01-01\" } return { $p } }", "type error: T7: cannot compare Date with String"},
      {"query q() { match { $p: Person  $p.tags = \"x\" } return { $p } }",
       "type error: T7: list comparisons in filters are not supported; use `contains` for list membership"},
      {"query q() { match { $p: Person  $p.emb = [1, 2, 3] } return { $p } }",
       "type error: T7: list comparisons in filters are not supported; use `contains` for list membership"},
      {"query q($v: Vector(3)) { match { $p: Person  $p.emb = $v } return { $p } }",
       "type error: T7: vector comparisons in filters are not supported"},
      {"query q() { match { $p: Person  $p = \"x\" } return { $p } }",
       "type error: T7: filter comparisons require scalar operands, got node `Person` and String"},
      {"query q() { match { $p: Person  $p.tags contains [\"x\"] } return { $p } }",
       "type error: T7: contains requires a scalar right operand"},
      {"query q() { match { $p: Person  $p.tags contains 1 } return { $p } }",
       "type error: T7: cannot test membership of I64 in [String]"},
      {"query q() { match { $p: Person  $p.name contains 1 } return { $p } }",
       "type error: T7: string contains requires a String right operand, got I64"},
      {"query q() { match { $p: Person  $p.age contains 1 } return { $p } }",
       "type error: T7: contains requires a list property (membership) or a String property (substring) on the left, got I32"},
      {"query q() { match { $p: Person  $p.age starts_with \"1\" } return { $p } }",
       "type error: T7: starts_with requires a String property on the left, got I32"},
      {"query q($b: Blob) { match { $p: Person  $p.name = $b } return { $p } }",
       "type error: T7: blob comparisons in filters are not supported"},
      {"query q($a: String) { match { $p: Person { age: $a } } return { $p } }",
       "type error: T7: cannot assign/compare String with I32 for property `age`"},
      {"query q() { match { $p: Person { born: now() } } return { $p } }",
       "type error: T7: cannot assign/compare DateTime with Date for property `born`"},
      {"query q() { match { $p: Person } return { sum($p.name) as s } }", "type error: T8: sum requires numeric type, got String"},
      {"query q() { match { $p: Person } return { min($p.born) as s } }",
       "type error: T8: min requires numeric or string type, got Date"},
      {"query q() { match { $p: Person } return { count($p) as c, 1 } }",
       "type error: T9: non-aggregate expressions in an aggregate query must be property accesses or variables"},
      {"query q() { match { $p: Person  not { $x: Company } } return { $p } }",
       "type error: T9: negation block must reference at least one outer-bound variable"},
      {"query q() { insert Nope { a: 1 } }", "type error: T10: unknown node/edge type `Nope`"},
      {"query q() { insert Person { name: \"a\", nope: 1 } }", "type error: T11: type `Person` has no property `nope`"},
      {"query q($b: String) { delete Doc where data = $b }", "type error: T11: blob property `data` cannot be used in WHERE predicates"},
      {"query q() { insert Person { age: 1 } }", "type error: T12: insert for `Person` must provide non-nullable property `name`"},
      {"query q($p: String) { insert WorksAt { from: $p } }", "type error: T12: insert for `WorksAt` must provide required endpoint `to`"},
      {"query q() { insert Doc { slug: \"a\" } }",
       "type error: T12: insert for `Doc` must provide non-nullable property `title`"},
      {"query q() { insert Person { name: \"a\", name: \"b\" } }", "type error: T13: duplicate assignment for property `name`"},
      {"query q() { insert Person { name: $x } }", "type error: T14: mutation variable `$x` must be a declared query parameter"},
      {"query q() { match { $p: Person  $p knows{0,2} $f } return { $f } }", "type error: T15: traversal min hop bound must be >= 1"},
      {"query q() { match { $p: Person  $p knows{3,2} $f } return { $f } }",
       "type error: T15: invalid traversal bounds {3,2}; max must be >= min"},
      {"query q() { match { $p: Person  $p knows{2,} $f } return { $f } }",
       "type error: T15: unbounded traversal is disabled; use bounded traversal {min,max}"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { nearest($p.name, $v) } limit 1 }",
       "type error: T15: nearest requires a Vector property, got Person.name: String"},
      {"query q($v: Vector(4)) { match { $p: Person } return { $p } order { nearest($p.emb, $v) } limit 1 }",
       "type error: T15: nearest vector dimension mismatch: property is Vector(3), query is Vector(4)"},
      {"query q() { match { $p: Person } return { $p } order { nearest($p.emb, [1, 2]) } limit 1 }",
       "type error: T15: nearest vector dimension mismatch: property is Vector(3), query literal has 2 elements"},
      {"query q($v: I64) { match { $p: Person } return { $p } order { nearest($p.emb, $v) } limit 1 }",
       "type error: T15: nearest query must be Vector(3) or String, got I64"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { nearest($x.emb, $v) } limit 1 }",
       "type error: T15: variable `$x` is not bound"},
      {"query q() { update Knows set { since: date(\"2020-01-01\") } where since = date(\"2020-01-01\") }",
       "type error: T16: update mutation for edge type `Knows` is not supported"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { nearest($p.emb, $v) } }",
       "type error: T17: nearest ordering requires a limit clause"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p.name as n } order { nearest($p.emb, $v), n } limit 2 }",
       "type error: T18: alias-based ordering is not supported together with nearest in phase 1"},
      {"query q() { match { $p: Person  search($p.age, \"x\") } return { $p } }", "type error: T19: search field must be String, got I32"},
      {"query q() { match { $p: Person  search($p.name, 1) } return { $p } }", "type error: T19: search query must be String, got I64"},
      {"query q() { match { $p: Person  fuzzy($p.name, \"x\", 1.5) } return { $p } }",
       "type error: T19: fuzzy max_edits must be an integer scalar, got F64"},
      {"query q() { match { $p: Person  match_text($p.age, \"x\") } return { $p } }",
       "type error: T20: match_text field must be String, got I32"},
      {"query q() { match { $p: Person } return { $p } order { bm25($p.age, \"x\") } }",
       "type error: T20: bm25 field must be String, got I32"},
      {"query q() { match { $p: Person } return { $p } order { bm25($p.name, 3) } }",
       "type error: T20: bm25 query must be String, got I64"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { rrf(nearest($p.emb, $v), bm25($p.name, \"x\"), 1.5) } limit 1 }",
       "type error: T21: rrf k must be an integer scalar, got F64"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { rrf(nearest($p.emb, $v), bm25($p.name, \"x\"), 0) } limit 1 }",
       "type error: T21: rrf k must be greater than 0"},
      {"query q($v: Vector(3)) { match { $p: Person } return { $p } order { rrf(nearest($p.emb, $v), bm25($p.name, \"x\")) } }",
       "type error: T21: rrf ordering requires a limit clause"},
      {"query q($v: Vector(3)) { match { $p: Person } return { rrf(nearest($p.emb, $v), bm25($p.name, \"x\")) as r } order { r } }",
       "type error: T21: rrf ordering requires a limit clause"},
      {"query q() { match { $p: Person  $p <worksAt> $c } return { $p } }",
       "type error: T22: undirected traversal `<worksAt>` requires a same-endpoint-type edge, but `WorksAt: Person -> Company` is asymmetric; use the directional form"},
      {"query q() { match { $p: Person  $p $w:knows{1,2} $f } return { $p } }",
       "type error: T23: edge binding `$w` cannot be combined with traversal bounds; edge bindings are single-hop"},
      {"query q() { match { $p: Person  $p $p:knows $f } return { $p } }",
       "type error: T23: edge binding `$p` cannot reuse a traversal endpoint name; choose a distinct name"},
      {"query q() { match { $p: Person  $x: Person  $p $x:knows $f } return { $p } }",
       "type error: T23: edge binding `$x` is already bound; an edge binding needs a fresh name"},
      {"query q() { match { $p: Person  $p $w:knows $f } return { $w } }",
       "type error: T23: edge binding `$w` cannot be used bare; access one of its properties (`$w.{prop}`)"},
      {"query q() { match { $p: Person  $p $w:knows $f  $w knows $g } return { $p } }",
       "type error: T23: edge binding `$w` cannot be used as a traversal endpoint; use a node variable"},
      {"query q() { match { $p: Person  $p $w:knows $f  $w: Knows } return { $p } }",
       "type error: T1: unknown node type `Knows`"},
      {"query q() { match { $p: Person  $p $w:knows $f  $w: Person } return { $p } }",
       "type error: T23: variable `$w` is bound to edge type `Knows` and cannot be rebound as node type `Person`"},
      {"query q() { match { $p: Person  $p $w:knows $f  search($w.since, \"x\") } return { $p } }",
       "type error: T23: search cannot target edge property `$w.since`; search functions apply to node properties"},
      {"query q() { match { $p: Person } return { $p.photo } }",
       "type error: T24: Blob property `$p.photo` is not available as a .gq read value; Blob values require a dedicated API"},
      {"query q($b: Blob) { match { $p: Person } return { $b } }",
       "type error: T24: Blob parameter `$b` is not available as a .gq read value; Blob values require a dedicated API"},
      {"query q() { match { $p: Person } return { $p.name } order { $p.photo } }",
       "type error: T24: Blob property `$p.photo` is not available as a .gq read value; Blob values require a dedicated API"},
      {"query q() { match { $p: Person } return { count($p.photo) as c } }",
       "type error: T24: Blob property `$p.photo` is not available as a .gq read value; Blob values require a dedicated API"},
      {"query q() { match { $p: Person  $p.photo = \"x\" } return { $p } }",
       "type error: T24: Blob property `$p.photo` is not available as a .gq read value; Blob values require a dedicated API"},
      {"query q() { match { $p: Person } return { $x } }", "type error: variable `$x` is not bound"},
      {"query q() { match { $p: Person  $p: Company } return { $p } }",
       "type error: variable `$p` already bound to type `Person`, cannot rebind to `Company`"},
      {"query q($__nanograph_now: DateTime) { match { $p: Person } return { $p } }",
       "type error: parameter name `$__nanograph_now` is reserved for runtime timestamp injection"},
      {"query q($q: Vector(0)) { match { $p: Person } return { $p } }", "type error: unknown parameter type `Vector(0)` for `$q`"},
      {"query q() { match { $p: Person { tags: [[\"a\"]] } } return { $p } }", "type error: nested list literals are not supported"},
      {"query q() { insert Person { name: \"a\", tags: [\"a\", 1] } }",
       "type error: list literal elements must share a compatible scalar type"},
      {"query q() { match { $p: Person { age: $nope } } return { $p } }", "type error: variable `$nope` is not bound"},
      {"query q() { match { $a knows $b } return { $a.name } }",
       "type error: variable `$a` is not connected to any binding; bind one variable of its traversal group with `$x: Type`"},
      {"query q() { match { $p: Person } return { n } }",
       "type error: unknown alias `n`; an alias must be defined by an earlier projection"},
      {"query q() { insert Person { name: \"a\", status: \"bad\" } }",
       "type error: T3: property `status` expects one of [closed, open], got 'bad'"},
      {"query q() { insert Person { name: \"a\", emb: [1, 2] } }",
       "type error: T3: property `emb` has type Vector(3) but got vector literal with 2 elements"},
      {"query q() { insert Person { name: \"a\", age: 2.5 } }", "type error: T3: property `age` has type I32 but got F64"},
      {"query q() { insert Doc { slug: \"a\", title: \"t\", data: \"x\" } }",
       "type error: T3: property `data` has type Blob but got String; Blob values can only be assigned from a parameter"},
      {"query q($a: F64) { insert Person { name: \"a\", age: $a } }",
       "type error: T7: cannot assign/compare F64 with I32 for property `age`"},
      {"query q() { insert Person { name: \"a\", born: now() } }",
       "type error: T7: cannot assign/compare DateTime with Date for property `born`"},
      {"query q($v: Vector(3)) { match { $p: Person  nearest($p.emb, $v) > 1.0 } return { $p } }",
       "type error: T15: nearest(...) is a ranking and cannot be used as a filter; use it as the first `order` entry"},
      {"query q() { match { $p: Person  bm25($p.name, \"x\") > 1.0 } return { $p } }",
       "type error: T20: bm25(...) is a ranking and cannot be used as a filter; use it as the first `order` entry"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query);
    EXPECT_EQ(type_error(c.query), c.expected);
  }
}

TEST(Typechecker, ParamDescriptors) {
  QueryFile f = parse_queries("query q($v: Vector(3), $tags: [String]?, $n: U64, $d: Date?) { match { $p: Person } return { $p } }");
  const auto& ps = f.queries[0].params;
  ResultField v = param_descriptor(ps[0]);
  EXPECT_EQ(v.kind, "vector");
  EXPECT_EQ(*v.vector_dim, 3u);
  EXPECT_FALSE(v.nullable);
  ResultField tags = param_descriptor(ps[1]);
  EXPECT_EQ(tags.kind, "list");
  EXPECT_EQ(*tags.item_kind, "string");
  EXPECT_TRUE(tags.nullable);
  EXPECT_EQ(param_descriptor(ps[2]).kind, "bigint");
  EXPECT_EQ(param_descriptor(ps[3]).kind, "date");
}

TEST(Typechecker, ErrorsCarryPosition) {
  std::string src = "query q() {\n  match {\n    $p: Person\n    $p.nope = 1\n  }\n  return { $p }\n}";
  QueryFile f = parse_queries(src);
  try {
    typecheck_query(f.queries[0], catalog(), src);
    FAIL();
  } catch (const CompileError& e) {
    EXPECT_EQ(e.pos()->line, 4u);
    EXPECT_EQ(e.pos()->column, 5u);
    EXPECT_NE(e.message().find("4 |     $p.nope = 1"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace omnigraph::compiler
