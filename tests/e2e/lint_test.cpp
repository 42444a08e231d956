// End-to-end: `omnigraph lint` through the real binary — the spec's E9 document and human
// output (offline and against a graph's schema), exit codes, Q000, the `check` shim, fixtures.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

constexpr const char* kE9Schema = R"(node Person { name: String @key  age: I32?  nick: String? }
node Company { name: String @key }
edge Knows: Person -> Person { since: Date? }
edge WorksAt: Person -> Company
)";

constexpr const char* kE9Queries = R"(query friends($n: String) { match { $p: Person { name: $n }  $p $w:knows $f } return { $f.name, $w.since } }
query set_age($n: String, $a: I32) { update Person set { age: $a } where name = $n }
query wipe() { delete Knows where since < date("2000-01-01") }
query hire($p: String) { insert WorksAt { from: $p } }
)";

TEST(LintE2E, SpecExampleE9Json) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", kE9Schema);
  write_file(dir.path() / "q.gq", kE9Queries);
  auto r = run_process(omnigraph_bin(), {"lint", "--schema", "schema.pg", "--query", "q.gq", "--json"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto expected = nlohmann::ordered_json::parse(R"({
  "status": "error",
  "schema_source": { "kind": "file", "path": "schema.pg" },
  "query_path": "q.gq",
  "queries_processed": 4, "errors": 1, "warnings": 2, "infos": 0,
  "results": [
    { "name": "friends", "kind": "read", "status": "ok",
      "operation": {
        "result": [ { "name": "name", "kind": "string", "nullable": false },
                    { "name": "since", "kind": "date", "nullable": true } ],
        "reads": [ { "kind": "node", "type_name": "Person" }, { "kind": "edge", "type_name": "Knows" } ],
        "writes": [] } },
    { "name": "set_age", "kind": "mutation", "status": "ok",
      "operation": { "result": [], "reads": [ { "kind": "node", "type_name": "Person" } ],
                     "writes": [ { "kind": "node", "type_name": "Person" } ] } },
    { "name": "wipe", "kind": "mutation", "status": "ok",
      "warnings": [ "mutation declares no params; hardcoded mutations are easy to miss" ],
      "operation": { "result": [], "reads": [ { "kind": "edge", "type_name": "Knows" } ],
                     "writes": [ { "kind": "edge", "type_name": "Knows" } ] } },
    { "name": "hire", "kind": "mutation", "status": "error",
      "error": "type error: T12: insert for `WorksAt` must provide required endpoint `to`" }
  ],
  "findings": [
    { "severity": "warning", "code": "L201",
      "message": "Person.nick exists in schema but no update query sets it",
      "type_name": "Person", "property": "nick", "query_names": [ "set_age" ] }
  ]
})");
  // Pretty-printed with 2-space indent and the spec's key order.
  EXPECT_EQ(r.out, expected.dump(2) + "\n");
}

TEST(LintE2E, SpecExampleE9Human) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", kE9Schema);
  write_file(dir.path() / "q.gq", kE9Queries);
  auto r = run_process(omnigraph_bin(), {"lint", "--schema", "schema.pg", "--query", "q.gq"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.out,
            "OK    query `friends` (read)\n"
            "OK    query `set_age` (mutation)\n"
            "OK    query `wipe` (mutation)\n"
            "WARN  query `wipe`: mutation declares no params; hardcoded mutations are easy to miss\n"
            "ERROR query `hire`: type error: T12: insert for `WorksAt` must provide required endpoint `to`\n"
            "WARN  Person.nick exists in schema but no update query sets it\n"
            "INFO  Lint complete: 4 queries processed (1 error(s), 2 warning(s), 0 info item(s))\n");
}

TEST(LintE2E, WarningsAloneExitZeroAndCheckShimWarns) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", kE9Schema);
  write_file(dir.path() / "q.gq", "query wipe() { delete Knows where since < date(\"2000-01-01\") }\n");
  auto r = run_process(omnigraph_bin(), {"check", "--schema", "schema.pg", "--query", "q.gq"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "warning: `omnigraph check` is deprecated; use `omnigraph lint` instead\n");
  EXPECT_NE(r.out.find("(0 error(s), 1 warning(s), 0 info item(s))"), std::string::npos) << r.out;
}

TEST(LintE2E, ParseFailureIsQ000) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", kE9Schema);
  write_file(dir.path() / "q.gq", "query q() { match { $p: Person { } } return { $p } }\n");
  auto r = run_process(omnigraph_bin(), {"lint", "--schema", "schema.pg", "--query", "q.gq", "--json"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["status"], "error");
  EXPECT_EQ(j["queries_processed"], 0);
  EXPECT_EQ(j["errors"], 1);
  EXPECT_TRUE(j["results"].empty());
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["code"], "Q000");
  EXPECT_EQ(j["findings"][0]["severity"], "error");
  EXPECT_TRUE(j["findings"][0]["message"].get<std::string>().starts_with("parse error: ")) << r.out;
}

TEST(LintE2E, BadSchemaIsACommandErrorWithCaret) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", "node A {\n  x: Nope\n}\n");
  write_file(dir.path() / "q.gq", "");
  auto r = run_process(omnigraph_bin(), {"lint", "--schema", "schema.pg", "--query", "q.gq"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_TRUE(r.err.starts_with("error: parse error: expected")) << r.err;
  EXPECT_NE(r.err.find("--> 2:6"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("^"), std::string::npos) << r.err;
}

TEST(LintE2E, MissingSchemaNeedsAGraphTarget) {
  TempDir dir;
  write_file(dir.path() / "q.gq", "");
  auto r = run_process(omnigraph_bin(), {"lint", "--query", "q.gq"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("lint requires --schema <schema.pg> (offline) or a graph target"), std::string::npos) << r.err;
  auto usage = run_process(omnigraph_bin(), {"lint", "--schema", "x.pg"}, {.cwd = dir.path()});
  EXPECT_EQ(usage.exit_code, 2);  // --query is required
}

TEST(LintE2E, WithoutSchemaLintsAgainstTheGraphsSchema) {
  TempDir dir;
  write_file(dir.path() / "schema.pg", kE9Schema);
  write_file(dir.path() / "q.gq", kE9Queries);
  const std::string graph = (dir.path() / "g").string();
  ASSERT_EQ(run_omnigraph({"init", graph, "--schema", (dir.path() / "schema.pg").string()}, dir.path()).exit_code, 0);
  auto r = run_omnigraph({"lint", graph, "--query", (dir.path() / "q.gq").string(), "--json"}, dir.path());
  EXPECT_EQ(r.exit_code, 1) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  EXPECT_EQ(doc["schema_source"], (nlohmann::json{{"kind", "graph"}, {"uri", graph}}));
  EXPECT_EQ(doc["errors"], 1);
  EXPECT_EQ(doc["warnings"], 2);
  EXPECT_EQ(doc["results"][3]["error"], "type error: T12: insert for `WorksAt` must provide required endpoint `to`");
  // --store addresses the graph the same way; a missing graph is a command error, not lint output.
  auto via_store = run_omnigraph({"--store", graph, "lint", "--query", (dir.path() / "q.gq").string(), "--json"}, dir.path());
  EXPECT_EQ(via_store.out, r.out);
  auto missing = run_omnigraph({"lint", (dir.path() / "nope").string(), "--query", (dir.path() / "q.gq").string()}, dir.path());
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(missing.out.empty()) << missing.out;
}

TEST(LintE2E, CookbookFixturesLintWithoutErrors) {
  int linted = 0;
  for (const auto& entry : std::filesystem::directory_iterator(shared_dir() / "fixtures")) {
    auto schema = entry.path() / "schema.pg";
    auto queries = entry.path() / "queries";
    if (!std::filesystem::exists(schema) || !std::filesystem::exists(queries)) continue;
    for (const auto& q : std::filesystem::directory_iterator(queries)) {
      if (q.path().extension() != ".gq") continue;
      auto r = run_process(omnigraph_bin(), {"lint", "--schema", schema.string(), "--query", q.path().string(), "--json"});
      SCOPED_TRACE(q.path().string());
      EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
      auto j = nlohmann::json::parse(r.out);
      EXPECT_EQ(j["errors"], 0);
      EXPECT_GT(j["queries_processed"].get<int>(), 0);
      ++linted;
    }
  }
  EXPECT_GE(linted, 10);
}

}  // namespace
}  // namespace omnigraph::testing
