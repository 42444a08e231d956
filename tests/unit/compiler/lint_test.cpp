// Lint procedure: counts, per-query warnings, L201 rules and ordering, Q000.
#include <gtest/gtest.h>

#include "compiler/lint.h"
#include "test_util.h"

namespace omnigraph::compiler {
namespace {

constexpr const char* kSchema = R"(
node Person { name: String @key  age: I32?  nick: String?  bio: String?  emb: Vector(2)? @embed("bio")  zed: I32 }
node Team { slug: String @key  label: String? }
edge Knows: Person -> Person { since: Date? }
)";

LintReport lint(const std::string& queries) {
  static Catalog c = compile_schema(kSchema);
  return lint_queries(c, queries, LintSchemaSource{}, "q.gq");
}

TEST(Lint, L201ListsUnsetNullablePropertiesSorted) {
  LintReport r = lint(
      "query b($n: String) { update Team set { label: $n } where slug = $n }\n"
      "query a($n: String, $a: I32) { update Person set { age: $a } where name = $n }\n"
      "query c($n: String) { update Person set { nick: $n } where name = $n }\n"
      "query bad() { update Person set { bio: 1 } where name = \"x\" }\n");
  EXPECT_EQ(r.queries_processed, 4);
  EXPECT_EQ(r.errors, 1);  // `bad` fails typecheck and does not count as setting bio
  // Team.label is set; Person.age/nick set; emb is an @embed target; zed is required; name is the key.
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].code, "L201");
  EXPECT_EQ(r.findings[0].message, "Person.bio exists in schema but no update query sets it");
  EXPECT_EQ(r.findings[0].query_names, (std::vector<std::string>{"a", "c"}));
  // warnings: 1 finding + 1 no-params warning on `bad`
  EXPECT_EQ(r.warnings, 2);
  EXPECT_TRUE(r.has_errors());
}

TEST(Lint, ParseFailureIsOneQ000Finding) {
  LintReport r = lint("query q() {\n  match { $p Person } return { $p }\n}");
  EXPECT_EQ(r.queries_processed, 0);
  EXPECT_EQ(r.errors, 1);
  EXPECT_TRUE(r.results.empty());
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].code, "Q000");
  EXPECT_TRUE(r.findings[0].message.starts_with("parse error: expected")) << r.findings[0].message;
  EXPECT_TRUE(r.findings[0].message.ends_with(" at 2:14")) << r.findings[0].message;
  EXPECT_NE(lint_report_human(r).find("ERROR parse error: "), std::string::npos);
}

TEST(Lint, CleanFileIsOk) {
  LintReport r = lint("query q($n: String) { match { $p: Person { name: $n } } return { $p.name, $p.emb } }");
  EXPECT_FALSE(r.has_errors());
  EXPECT_EQ(r.warnings, 0);
  std::string json = lint_report_json(r);
  EXPECT_NE(json.find("\"status\": \"ok\""), std::string::npos);
  EXPECT_NE(json.find("\"vector_dim\": 2"), std::string::npos) << json;
  EXPECT_EQ(lint_report_human(r),
            "OK    query `q` (read)\nINFO  Lint complete: 1 queries processed (0 error(s), 0 warning(s), 0 info item(s))\n");
}

}  // namespace
}  // namespace omnigraph::compiler
