// Migration planner: one test per step kind, each unsupported change, hint errors,
// ordering, id inheritance and the JSON / human renderings.
#include <gtest/gtest.h>

#include "compiler/catalog.h"
#include "compiler/migration_planner.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

MigrationPlan plan(const std::string& from, const std::string& to, bool allow_data_loss = false) {
  return plan_migration(compile_schema(from), compile_schema(to), MigrationOptions{allow_data_loss});
}

std::vector<std::string> lines(const MigrationPlan& p) {
  std::vector<std::string> out;
  for (const auto& s : p.steps) out.push_back(render_step(s));
  return out;
}

using Lines = std::vector<std::string>;

constexpr const char* kBase = "node Person { name: String @key  age: I32?  status: enum(a, b) }\n"
                              "node Company { name: String @key }\n"
                              "edge WorksAt: Person -> Company\n";

TEST(MigrationPlanner, IdenticalSchemaHasNoSteps) {
  MigrationPlan p = plan(kBase, kBase);
  EXPECT_TRUE(p.supported);
  EXPECT_TRUE(p.steps.empty());
}

TEST(MigrationPlanner, BrandNewGraphAddsEveryTypeAndIgnoresHints) {
  MigrationPlan p = plan("", "interface I { x: I32? } node A @rename_from(\"Zed\") { x: I32 } edge E: A -> A");
  EXPECT_TRUE(p.supported);
  EXPECT_EQ(lines(p), (Lines{"add interface type 'I'", "add node type 'A'", "add edge type 'E'"}));
}

TEST(MigrationPlanner, AddNullablePropertyAndIndex) {
  MigrationPlan p = plan(kBase,
                         "node Person { name: String @key  age: I32? @index  status: enum(a, b)  nick: String? @index }\n"
                         "node Company { name: String @key }\nedge WorksAt: Person -> Company\n");
  EXPECT_TRUE(p.supported);
  EXPECT_EQ(lines(p), (Lines{"add property 'Person.nick' (String?) on node 'Person'",
                             "add constraint @index(age) on node 'Person'", "add constraint @index(nick) on node 'Person'"}));
  EXPECT_EQ(step_to_json(p.steps[0]),
            R"({"kind":"add_property","type_kind":"node","type_name":"Person","property_name":"nick","property_type":{"scalar":"String","nullable":true,"list":false,"enum_values":null}})");
  EXPECT_EQ(step_to_json(p.steps[1]), R"({"kind":"add_constraint","type_kind":"node","type_name":"Person","constraint":{"Index":["age"]}})");
}

TEST(MigrationPlanner, RenamesKeepIdentity) {
  Catalog accepted = compile_schema(kBase);
  Catalog desired = compile_schema(
      "node Human @rename_from(\"Person\") { name: String @key  years: I32? @rename_from(\"age\")  status: enum(a, b) }\n"
      "node Company { name: String @key }\nedge WorksAt: Human -> Company\n");
  MigrationPlan p = plan_migration(accepted, desired);
  EXPECT_TRUE(p.supported) << lines(p).back();
  EXPECT_EQ(lines(p), (Lines{"rename node type 'Person' -> 'Human'", "rename property 'Human.age' -> 'Human.years' on node 'Human'"}));
  EXPECT_EQ(p.result.find_node("Human")->id, accepted.find_node("Person")->id);
  EXPECT_EQ(p.result.find_node("Human")->find_property("years")->id, accepted.find_node("Person")->find_property("age")->id);
  EXPECT_EQ(step_to_json(p.steps[0]), R"({"kind":"rename_type","type_kind":"node","from":"Person","to":"Human"})");
}

// A dropped property's id is never handed out again, across applies (the high-water mark
// travels in the catalog and its JSON), so a re-added namesake gets a fresh column.
TEST(MigrationPlanner, DroppedPropertyIdsAreNeverReused) {
  // Ids follow name order at creation: name = 1, zed = 2 (the highest, so the one a naive
  // "max id + 1" would hand out again after the drop).
  const std::string with = "node Person { name: String @key  zed: String? }\nnode Company { name: String @key }\n";
  const std::string without = "node Person { name: String @key }\nnode Company { name: String @key }\n";
  Catalog v1 = compile_schema(with);
  uint32_t zed_id = v1.find_node("Person")->find_property("zed")->id;
  MigrationPlan drop = plan_migration(v1, compile_schema(without));
  ASSERT_TRUE(drop.supported);
  EXPECT_GT(drop.result.find_node("Person")->next_property_id, zed_id);
  Catalog stored = catalog_from_json(catalog_to_json(drop.result));
  EXPECT_EQ(stored.find_node("Person")->next_property_id, drop.result.find_node("Person")->next_property_id);
  MigrationPlan readd = plan_migration(stored, compile_schema(with));
  ASSERT_TRUE(readd.supported) << lines(readd).back();
  EXPECT_EQ(lines(readd), (Lines{"add property 'Person.zed' (String?) on node 'Person'"}));
  EXPECT_GT(readd.result.find_node("Person")->find_property("zed")->id, zed_id);
  // Unchanged ids elsewhere; a type that never dropped records nothing.
  EXPECT_EQ(readd.result.find_node("Person")->find_property("name")->id,
            v1.find_node("Person")->find_property("name")->id);
  EXPECT_EQ(readd.result.find_node("Company")->next_property_id, 0u);
}

TEST(MigrationPlanner, EnumWideningAndTypeChanges) {
  MigrationPlan widen = plan(kBase, "node Person { name: String @key  age: I32?  status: enum(a, b, c, d) }\n"
                                    "node Company { name: String @key }\nedge WorksAt: Person -> Company\n");
  EXPECT_TRUE(widen.supported);
  EXPECT_EQ(lines(widen), (Lines{"extend enum 'Person.status' (+c, +d) on node 'Person'"}));
  EXPECT_EQ(step_to_json(widen.steps[0]),
            R"({"kind":"extend_enum","type_kind":"node","type_name":"Person","property_name":"status","added_values":["c","d"]})");
  for (const char* changed : {"status: enum(a)", "status: enum(a, b)?", "status: String", "status: enum(a, c)"}) {
    SCOPED_TRACE(changed);
    MigrationPlan p = plan(kBase, std::string("node Person { name: String @key  age: I32?  ") + changed +
                                      " }\nnode Company { name: String @key }\nedge WorksAt: Person -> Company\n");
    EXPECT_FALSE(p.supported);
    EXPECT_EQ(lines(p), (Lines{"unsupported change on node:Person.status [OG-MF-106, destructive]: changing property type for "
                               "'Person.status' is not supported in schema migration v1"}));
    EXPECT_EQ(*unsupported_message(p),
              "[OG-MF-106] changing property type for 'Person.status' is not supported in schema migration v1");
  }
}

TEST(MigrationPlanner, AddRequiredPropertyIsMF103) {
  MigrationPlan p = plan(kBase, "node Person { name: String @key  age: I32?  status: enum(a, b)  email: String }\n"
                                "node Company { name: String @key }\nedge WorksAt: Person -> Company\n");
  EXPECT_FALSE(p.supported);
  ASSERT_EQ(p.steps.size(), 1u);
  EXPECT_EQ(*p.steps[0].code, "OG-MF-103");
  EXPECT_EQ(p.steps[0].entity, "node:Person.email");
  EXPECT_TRUE(render_step(p.steps[0]).starts_with("unsupported change on node:Person.email [OG-MF-103, validated]: "));
}

TEST(MigrationPlanner, DropsAreSoftOrHard) {
  const char* to = "node Person { name: String @key  status: enum(a, b) }\n";
  EXPECT_EQ(lines(plan(kBase, to)), (Lines{"drop property 'Person.age' of node 'Person' (soft mode)",
                                           "drop node type 'Company' (soft mode)", "drop edge type 'WorksAt' (soft mode)"}));
  MigrationPlan hard = plan(kBase, to, true);
  EXPECT_TRUE(hard.supported);
  EXPECT_EQ(lines(hard), (Lines{"drop property 'Person.age' of node 'Person' (hard mode)",
                                "drop node type 'Company' (hard mode)", "drop edge type 'WorksAt' (hard mode)"}));
  EXPECT_EQ(step_to_json(hard.steps[1]), R"({"kind":"drop_type","type_kind":"node","name":"Company","mode":"hard"})");
}

TEST(MigrationPlanner, MetadataUpdates) {
  MigrationPlan p = plan(kBase, "node Person @description(\"people\") { name: String @key  age: I32? @description(\"years\")  "
                                "status: enum(a, b) }\nnode Company { name: String @key }\nedge WorksAt: Person -> Company\n");
  EXPECT_TRUE(p.supported);
  EXPECT_EQ(lines(p), (Lines{"update metadata on node 'Person' (@description(\"people\"))",
                             "update metadata on property 'Person.age' of node 'Person' (@description(\"years\"))"}));
  EXPECT_EQ(step_to_json(p.steps[0]),
            R"({"kind":"update_type_metadata","type_kind":"node","name":"Person","annotations":[{"name":"description","value":"people"}]})");
}

TEST(MigrationPlanner, UnsupportedChanges) {
  struct Case {
    const char* from;
    const char* to;
    const char* entity;
  };
  const Case cases[] = {
      {"interface I { x: I32? } node A implements I { y: I32 }", "node A { x: I32?  y: I32 }", "interface:I"},
      {"interface I { x: I32? } node A { y: I32 }", "interface I { x: I32? } node A implements I { y: I32 }", "node:A"},
      {"node A { x: I32 } node B { x: I32 } edge E: A -> A", "node A { x: I32 } node B { x: I32 } edge E: A -> B", "edge:E"},
      {"node A { x: I32 } edge E: A -> A", "node A { x: I32 } edge E: A -> A @card(0..1)", "edge:E"},
      {"node A { x: I32 }", "node A { x: I32 @unique }", "node:A"},
      {"node A { x: I32 }", "node A { x: I32 @range(x, 0..1) }", "node:A"},
      {"node A { x: I32 @index }", "node A { x: I32 }", "node:A"},
      {"node A { s: String  v: Vector(2) @embed(s) }", "node A { s: String  v: Vector(2) @embed(s, model=\"m\") }", "node:A.v"},
      {"node A { x: I32 @custom }", "node A { x: I32 @custom(2) }", "node:A.x"},
      {"node A @custom { x: I32 }", "node A { x: I32 }", "node:A"},
      // Interfaces take no annotations, so a "rename" is a removal (unsupported) plus an add.
      {"interface I { x: I32? } node A implements I { y: I32 }", "interface J { x: I32? } node A implements J { y: I32 }",
       "interface:I"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.from) + " => " + c.to);
    MigrationPlan p = plan(c.from, c.to);
    EXPECT_FALSE(p.supported);
    bool found = false;
    for (const auto& s : p.steps)
      if (s.kind == "unsupported_change" && s.entity == c.entity && !s.code) found = true;
    EXPECT_TRUE(found) << ::testing::PrintToString(lines(p));
  }
}

TEST(MigrationPlanner, HintErrors) {
  auto err = [](const char* from, const char* to) {
    try {
      plan(from, to);
    } catch (const Error& e) {
      return e.message();
    }
    return std::string();
  };
  EXPECT_EQ(err("node A { x: I32 }", "node B @rename_from(\"X\") { x: I32 }"),
            "catalog error: node B declares @rename_from(\"X\") but no accepted declaration has that name");
  EXPECT_NE(err("node A { x: I32 } edge E: A -> A", "node A { x: I32 } node B @rename_from(\"E\") { x: I32 }").find("cannot cross kinds"),
            std::string::npos);
  EXPECT_NE(err("node A { x: I32 }", "node A { x: I32 } node B @rename_from(\"A\") { x: I32 }").find("consume one identity"),
            std::string::npos);
  EXPECT_NE(err("node A { x: I32 }", "node A { x: I32 } node B { y: I32 @rename_from(\"x\") }").find("is new"), std::string::npos);
  EXPECT_NE(err("node A { x: I32 }", "node A { y: I32? @rename_from(\"q\") }").find("no accepted declaration"), std::string::npos);
  // A hint on an exact-name match is ignored.
  EXPECT_TRUE(plan("node A { x: I32 }", "node A @rename_from(\"Q\") { x: I32 }").steps.empty());
}

TEST(MigrationPlanner, StepOrderAndPlanJson) {
  MigrationPlan p = plan("node A { x: I32 } node Z { x: I32 } edge E: A -> A",
                         "node B @rename_from(\"A\") { x: I32  y: String? } node N { x: I32 } edge E: B -> B edge F: B -> N");
  EXPECT_EQ(lines(p), (Lines{"rename node type 'A' -> 'B'", "add property 'B.y' (String?) on node 'B'", "add node type 'N'",
                             "drop node type 'Z' (soft mode)", "add edge type 'F'"}));
  std::string json = migration_plan_json(p, "./g.omni");
  EXPECT_TRUE(json.starts_with("{\n  \"uri\": \"./g.omni\",\n  \"supported\": true,\n  \"step_count\": 5,\n  \"steps\": [")) << json;
  // New types get fresh ids after the accepted maximum.
  EXPECT_GT(p.result.find_node("N")->id, 3u);
  EXPECT_EQ(render_prop_type(compile_schema("node A { s: enum(b, a)? v: Vector(4) l: [I32] }").nodes[0].properties[0].type),
            "Enum(a|b)?");
}

}  // namespace
}  // namespace omnigraph::compiler
