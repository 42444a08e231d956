// Unit tests of the CLI read formats (languages.md §9.2–§9.6).
#include <gtest/gtest.h>

#include "cli/output_format.h"

// GCC 12 reports a false -Wrestrict on string construction here (GCC bug 105329).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

namespace omnigraph::cli {
namespace {

using engine::Value;
using engine::exec::ReadResult;

compiler::ValueType type(compiler::ScalarKind k, bool list = false) {
  compiler::ValueType t;
  t.scalar = k;
  t.list = list;
  return t;
}

ReadOutput output(const ReadResult& r) {
  ReadOutput o;
  o.query_name = "q";
  o.branch = "main";
  o.graph_commit_id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  o.result = &r;
  return o;
}

ReadResult sample() {
  ReadResult r;
  r.columns = {{"name", type(compiler::ScalarKind::kString)},
               {"score", type(compiler::ScalarKind::kF64)},
               {"tags", type(compiler::ScalarKind::kString, true)},
               {"born", type(compiler::ScalarKind::kDate)}};
  r.rows.push_back({Value{std::string("a,\"b\"")}, Value{30.0},
                    Value{engine::ValueList{Value{std::string("x")}}}, Value{int64_t{19723}}});
  r.rows.push_back({Value{std::string("line1\nline2")}, Value{}, Value{engine::ValueList{}}, Value{}});
  return r;
}

TEST(OutputFormat, Csv) {
  ReadResult r = sample();
  EXPECT_EQ(render_read_output(output(r), "csv"),
            "name,score,tags,born\n\"a,\"\"b\"\"\",30.0,\"[\"\"x\"\"]\",2024-01-01\n\"line1\nline2\",null,[],"
            "null\n");
}

TEST(OutputFormat, JsonEnvelope) {
  ReadResult r = sample();
  EXPECT_EQ(
      render_read_output(output(r), "json"),
      "{\n  \"query_name\": \"q\",\n  \"target\": {\n    \"branch\": \"main\",\n    \"snapshot\": null\n  "
      "},\n"
      "  \"row_count\": 2,\n  \"columns\": [\n    \"name\",\n    \"score\",\n    \"tags\",\n    \"born\"\n  "
      "],\n"
      "  \"rows\": [\n    {\n      \"name\": \"a,\\\"b\\\"\",\n      \"score\": 30.0,\n      \"tags\": [\n"
      "        \"x\"\n      ],\n      \"born\": \"2024-01-01\"\n    },\n    {\n      \"name\": "
      "\"line1\\nline2\",\n"
      "      \"score\": null,\n      \"tags\": [],\n      \"born\": null\n    }\n  ],\n"
      "  \"graph_commit_id\": \"01HZZZZZZZZZZZZZZZZZZZZZZZ\"\n}\n");
}

TEST(OutputFormat, TableTruncatesAndEscapesNewlines) {
  ReadResult r;
  r.columns = {{"id", type(compiler::ScalarKind::kI64)}, {"text", type(compiler::ScalarKind::kString)}};
  r.rows.push_back({Value{int64_t{1}}, Value{std::string("abcdefghijkl")}});
  r.rows.push_back({Value{int64_t{22}}, Value{std::string("a\nb")}});
  TableSettings narrow{8, false};
  EXPECT_EQ(render_read_output(output(r), "table", narrow),
            "2 rows from branch main via q\nid | text    \n---+---------\n1  | abcdefg…\n22 | a\\nb    \n");
  TableSettings wrap{8, true};
  EXPECT_EQ(render_read_output(output(r), "table", wrap),
            "2 rows from branch main via q\nid | text    \n---+---------\n1  | abcdefgh\n   | ijkl    \n22 | "
            "a\\nb    \n");
}

TEST(OutputFormat, EmptyResults) {
  ReadResult r;
  r.columns = {{"n", type(compiler::ScalarKind::kI64)}};
  EXPECT_EQ(render_read_output(output(r), "table"), "0 rows from branch main via q\nn\n-\n");
  EXPECT_EQ(render_read_output(output(r), "kv"), "0 rows from branch main via q\n(no rows)\n");
  EXPECT_EQ(render_read_output(output(r), "csv"), "n\n");
  ReadOutput snap = output(r);
  snap.branch.reset();
  snap.snapshot = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
  EXPECT_EQ(render_read_output(snap, "jsonl"),
            "{\"kind\":\"metadata\",\"query_name\":\"q\",\"target\":{\"branch\":null,\"snapshot\":"
            "\"01HZZZZZZZZZZZZZZZZZZZZZZZ\"},\"row_count\":0}\n");
}

}  // namespace
}  // namespace omnigraph::cli
