// Schema parser + catalog: fixtures, every spec'd placement/catalog error, index kinds,
// ids, diagnostics rendering and the JSON round-trip.
#include <gtest/gtest.h>

#include "compiler/catalog.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

using testing::error_of;

std::string schema_error(const std::string& src) {
  return error_of([&] { compile_schema(src); });
}

TEST(SchemaFixtures, EveryFixtureSchemaParsesAndRoundTrips) {
  auto files = testing::files_with_ext(testing::shared_dir() / "fixtures", ".pg");
  files.push_back(testing::shared_dir() / "bench" / "bench.pg");
  ASSERT_GE(files.size(), 5u);
  for (const auto& f : files) {
    SCOPED_TRACE(f.string());
    Catalog c = compile_schema(testing::read_file(f));
    EXPECT_FALSE(c.nodes.empty());
    std::string json = catalog_to_json(c);
    Catalog back = catalog_from_json(json);
    EXPECT_EQ(catalog_to_json(back), json);
  }
}

TEST(SchemaParser, SpecExampleSchema) {
  Catalog c = compile_schema(R"(
    node Person  { name: String @key   age: I32? }
    node Company { name: String @key }
    edge Knows: Person -> Person { since: Date? }
    edge WorksAt: Person -> Company
  )");
  ASSERT_EQ(c.nodes.size(), 2u);
  ASSERT_EQ(c.edges.size(), 2u);
  const TypeDef* person = c.find_node("Person");
  ASSERT_NE(person, nullptr);
  EXPECT_EQ(person->id, 1u);
  EXPECT_EQ(c.find_edge("WorksAt")->id, 4u);
  EXPECT_EQ(person->key_properties(), std::vector<std::string>{"name"});
  EXPECT_EQ(person->find_property("name")->index, IndexKind::kFullText);
  EXPECT_EQ(person->find_property("age")->index, IndexKind::kNone);
  EXPECT_TRUE(person->find_property("age")->type.nullable);
  EXPECT_EQ(c.find_edge("Knows")->physical_columns(), (std::vector<std::string>{"id", "src", "dst"}));
  EXPECT_EQ(person->physical_columns(), std::vector<std::string>{"id"});
  EXPECT_EQ(c.find_edge_folded("worksat"), c.find_edge("WorksAt"));
  EXPECT_EQ(c.find_edge_folded("wORKSAT"), c.find_edge("WorksAt"));
}

TEST(SchemaParser, AllTypesAnnotationsAndComments) {
  Catalog c = compile_schema(R"(
    // line comment
    /* block
       comment */
    interface Named { name: String @index title: String? @custom(x, k=1) }
    node Doc @description("A doc") @instruction("use it") implements Named {
      slug: String @key
      tags: [String]?
      status: enum(open, closed, open-ish, 1st)
      score: F64 @index
      n: U64
      born: Date?
      at: DateTime @index
      emb: Vector(3) @embed("slug", model="m1") @index
      data: Blob?
      flag: Bool @rename_from("old_flag")
      @unique(n)
      @range(score, -1.5..10)
      @check(slug, "^[a-z]+$")
      @index(born, n)
    }
    edge Links: Doc -> Doc @card(0..3) @description("links") { weight: F32? @index  @unique(src, dst) }
  )");
  const TypeDef* doc = c.find_node("Doc");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->find_property("status")->type.enum_values,
            (std::vector<std::string>{"1st", "closed", "open", "open-ish"}));
  EXPECT_EQ(doc->find_property("status")->type.scalar, ScalarKind::kString);
  EXPECT_EQ(doc->find_property("emb")->type.vector_dim, 3u);
  EXPECT_EQ(doc->find_property("emb")->index, IndexKind::kVector);
  EXPECT_EQ(*doc->find_property("emb")->embed_source, "slug");
  EXPECT_EQ(*doc->find_property("emb")->embed_model, "m1");
  EXPECT_EQ(doc->find_property("score")->index, IndexKind::kScalar);
  EXPECT_EQ(doc->find_property("at")->index, IndexKind::kScalar);
  EXPECT_EQ(doc->find_property("born")->index, IndexKind::kNone);  // composite index: none
  EXPECT_EQ(doc->find_property("name")->from_interface, "Named");
  EXPECT_EQ(doc->find_property("name")->index, IndexKind::kFullText);
  EXPECT_EQ(doc->find_property("title")->annotations.size(), 1u);
  EXPECT_EQ(doc->find_property("title")->annotations[0].kwargs[0].second, "1");
  EXPECT_TRUE(doc->find_property("tags")->type.list);
  EXPECT_EQ(doc->find_annotation("description")->value, "A doc");
  bool saw_range = false, saw_check = false;
  for (const auto& k : doc->constraints) {
    if (k.kind == ConstraintKind::kRange) {
      saw_range = true;
      EXPECT_EQ(*k.range_min, -1.5);
      EXPECT_EQ(*k.range_max, 10.0);
    }
    if (k.kind == ConstraintKind::kCheck) {
      saw_check = true;
      EXPECT_EQ(k.pattern, "^[a-z]+$");
    }
  }
  EXPECT_TRUE(saw_range);
  EXPECT_TRUE(saw_check);
  const TypeDef* links = c.find_edge("Links");
  EXPECT_EQ(*links->card_max, 3u);
  EXPECT_EQ(links->find_property("weight")->index, IndexKind::kNone);  // edge @index: none
  // Property ids: ascending name order at creation.
  EXPECT_LT(doc->find_property("at")->id, doc->find_property("born")->id);
  // Round trip keeps everything.
  EXPECT_EQ(catalog_to_json(catalog_from_json(catalog_to_json(c))), catalog_to_json(c));
}

TEST(SchemaParser, EmptyFileAndKeywordsNotWordDelimited) {
  EXPECT_TRUE(compile_schema("").nodes.empty());
  EXPECT_TRUE(compile_schema("  // nothing\n").nodes.empty());
  // Declarations need no separators.
  Catalog c = compile_schema("node A{x: I32}node B{y: I32}edge E:A->B");
  EXPECT_EQ(c.nodes.size(), 2u);
  EXPECT_EQ(c.edges.size(), 1u);
  // Same name in different namespaces.
  EXPECT_NO_THROW(compile_schema("node Shared { a: I32 } edge Shared: Shared -> Shared"));
}

TEST(SchemaParser, CompositeKeyComponentsOrderedByName) {
  Catalog c = compile_schema("node Slot { tenant: String  slot: U32  @key(tenant, slot) }");
  const TypeDef* slot = c.find_node("Slot");
  EXPECT_EQ(slot->key_properties(), (std::vector<std::string>{"tenant", "slot"}));
  EXPECT_EQ(slot->key_components(), (std::vector<std::string>{"slot", "tenant"}));
  EXPECT_EQ(slot->find_property("slot")->index, IndexKind::kNone);
}

TEST(SchemaParser, PropertyPlusBodyConstraintOnSameLine) {
  Catalog c = compile_schema("node P { name: String @unique(name) }");
  ASSERT_EQ(c.find_node("P")->constraints.size(), 1u);
  EXPECT_EQ(c.find_node("P")->constraints[0].kind, ConstraintKind::kUnique);
}

struct ErrorCase {
  const char* schema;
  const char* expected;
};

TEST(SchemaErrors, SpecMessages) {
  const ErrorCase cases[] = {
      {"node A { x: [Vector(3)] }", "parse error: expected"},
      {"node A { x: [enum(a)] }", "parse error: expected"},
      {"node A { x: [[I32]] }", "parse error: expected"},
      {"node A { x: I32?? }", "parse error: expected"},
      {"node A { x: [Blob] }", "parse error: list of Blob is not supported"},
      {"node A { x: Vector(0) }", "parse error: Vector dimension must be greater than zero"},
      {"node A { x: enum(a, b, a) }", "parse error: enum type cannot include duplicate values"},
      {"# comment\nnode A { x: I32 }", "parse error: expected"},
      {"node A { x: String @x(model=\"m\") }", "parse error: expected"},
      {"node A { s: String \"\\u0041\" }", "parse error: expected"},
      {"node A { x: I32 } node A { y: I32 }", "catalog error: duplicate node type: A"},
      {"node A { x: I32 } edge E: A -> A edge E: A -> A", "catalog error: duplicate edge type: E"},
      {"interface I { x: I32 } interface I { y: I32 }", "catalog error: duplicate interface type: I"},
      {"node A { x: I32 } edge KNOWS: A -> A edge Knows: A -> A",
       "catalog error: edge name collision after case folding: 'Knows' conflicts with 'KNOWS'"},
      {"node A { x: I32 } edge E: X -> A", "catalog error: edge E references unknown source type: X"},
      {"node A { x: I32 } edge E: A -> Y", "catalog error: edge E references unknown target type: Y"},
      {"interface I { x: I32 } edge E: I -> I", "catalog error: edge E references unknown source type: I"},
      {"node A { _rowid: I32 }", "parse error: property name '_rowid' is reserved (A._rowid)"},
      {"node A { x: I32 x: String }", "parse error: duplicate property A.x"},
      {"node A @key { x: I32 }", "parse error: @key is only supported on node properties or as body constraint (node A)"},
      {"node A { x: I32 } edge E: A -> A @unique", "parse error: @unique is not supported on edges (edge E)"},
      {"node A { x: I32 } edge E: A -> A { y: I32 @key }",
       "parse error: @key is only supported on node properties or as body constraint (edge E)"},
      {"node A { x: I32 } edge E: A -> A { y: I32 @key(y) }", "parse error: @key is not supported on edges (edge E)"},
      {"node A { x: I32 } edge E: A -> A { y: I32 @range(y, 1..2) }", "parse error: @range is not supported on edges (edge E)"},
      {"node A { x: I32 } edge E: A -> A { y: String @check(y, \"a\") }", "parse error: @check is not supported on edges (edge E)"},
      {"node A { x: [String] @unique }", "parse error: @unique is not supported on list property A.x"},
      {"node A { x: Vector(2) @key }", "parse error: @key is not supported on vector property A.x"},
      {"node A { x: Blob @index }", "parse error: @index is not supported on blob property A.x"},
      {"node A { x: Blob @unique(x) }", "parse error: @unique is not supported on blob property A.x"},
      {"node A { x: Blob @key(x) }", "parse error: @key is not supported on blob property A.x"},
      {"node A { x: I32 @key(p) }", "parse error: @key on A references unknown property 'p'"},
      {"node A { x: I32? @key }", "parse error: @key on A requires non-nullable property 'x'"},
      {"node A { x: I32 @unique(\"x\") }", "parse error: expected property name in constraint"},
      {"node A { x: I32 @range(x) }", "parse error: expected range bounds (min..max) in @range constraint"},
      {"node A { x: String @range(x, 1..2) }", "parse error: @range on A.x requires a numeric type, got String"},
      {"node A { x: I32 @check(x, \"a\") }", "parse error: @check on A.x requires a String type, got I32"},
      {"node A { x: I32 @unique @unique }", "parse error: property A.x declares @unique multiple times"},
      {"node A { x: I32 @key y: I32 @key }", "parse error: node type A has multiple @key constraints; only one is supported"},
      {"node A { x: I32 } edge E: A -> A @card(2..1)", "parse error: cardinality min (2) exceeds max (1)"},
      {"node A { v: Vector(2) @embed(s) }", "catalog error: @embed on A.v references unknown source property s"},
      {"node A { s: I32 v: Vector(2) @embed(s) }", "catalog error: @embed source property A.s must be String"},
      {"node A { s: String v: Vector(2) @embed(s, dim=3) }",
       "parse error: @embed on A.v has unknown argument 'dim=' (only 'model' is supported)"},
      {"node A { s: String @embed(s) }", "parse error: @embed on A.s requires a Vector property, got String"},
      {"node A { s: String @instruction(\"x\") }",
       "parse error: @instruction is only supported on node and edge types (property A.s)"},
      {"node A @description(\"a\") @description(\"b\") { s: String }", "parse error: @description declared multiple times on node A"},
      {"node A @description(\"  \") { s: String }", "parse error: @description on node A must not be empty"},
      {"node A implements I { s: String }", "catalog error: node A implements unknown interface 'I'"},
      {"interface I { p: I32 } node N implements I { p: String }",
       "catalog error: node N property 'p' has type String but interface I declares it as I32"},
      {"node A { id: String }", "parse error: property name 'id' is reserved for the physical id column (A.id)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.schema);
    std::string err = schema_error(c.schema);
    EXPECT_EQ(err.substr(0, std::string(c.expected).size()), c.expected) << err;
  }
}

TEST(SchemaErrors, UnsupportedEscapeMessage) {
  EXPECT_EQ(schema_error("node A @description(\"\\u0041\") { x: I32 }"), "parse error: unsupported escape sequence: \\u");
}

TEST(SchemaErrors, DiagnosticHasLineColumnAndCaret) {
  try {
    compile_schema("node A {\n  x: I32\n  y: Nope\n}");
    FAIL() << "expected an error";
  } catch (const CompileError& e) {
    ASSERT_TRUE(e.pos().has_value());
    EXPECT_EQ(e.pos()->line, 3u);
    EXPECT_EQ(e.pos()->column, 6u);
    EXPECT_NE(e.message().find("--> 3:6"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("3 |   y: Nope"), std::string::npos) << e.message();
    EXPECT_NE(e.message().find("  |      ^"), std::string::npos) << e.message();
    EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
  }
}

TEST(CatalogJson, RejectsBadDocumentsNamingTheField) {
  EXPECT_THROW(catalog_from_json("[]"), Error);
  try {
    catalog_from_json(R"({"format":"omnigraph-catalog","version":1,"next_type_id":1,"interfaces":[],"nodes":[{"name":"A"}],"edges":[]})");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(e.message().find("'id'"), std::string::npos) << e.message();
  }
}

}  // namespace
}  // namespace omnigraph::compiler
