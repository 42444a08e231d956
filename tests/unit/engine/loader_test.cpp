// Strict NDJSON loader: the data-plane §2.12 worked example, envelope grammar, value
// encoding, modes, duplicates, limits and atomicity.
#include "engine/load/loader.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <sstream>

#include "common/error.h"
#include "engine/export.h"
#include "engine/graph.h"
#include "engine_test_util.h"

namespace omnigraph::engine {
namespace {

using test::TempGraphDir;

constexpr const char* kSchema = R"(
node Person  { name: String @key   age: I32? }
node Company { name: String @key }
edge WorksAt: Person -> Company @card(0..1) { since: Date? }
node Tagged { label: String?  score: F32?  tags: [String]?  v: Vector(2)?  seen: DateTime?  big: U64?  blob: Blob? }
node Slot { tenant: String  slot: U32  @key(tenant, slot) }
)";

constexpr const char* kSeed =
    "{\"type\":\"Person\",\"data\":{\"name\":\"Ada\",\"age\":36}}\n"
    "{\"type\":\"Person\",\"data\":{\"name\":\"Grace\"}}\n"
    "{\"edge\":\"WorksAt\",\"from\":\"Ada\",\"to\":\"Acme\",\"data\":{\"since\":\"2020-01-15\"}}\n"
    "{\"type\":\"Company\",\"data\":{\"name\":\"Acme\"}}\n";

class LoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    graph = Graph::init(dir.uri(), kSchema);
    load(kSeed, LoadMode::kOverwrite);
  }
  LoadResult load(const std::string& data, LoadMode mode, LoadOptions options = {}) {
    options.mode = mode;
    return load_ndjson(*graph, data, options);
  }
  // Runs a load that must fail; returns the error and checks the head did not move.
  Error fail(const std::string& data, LoadMode mode) {
    auto before = graph->snapshot()->commit().id;
    try {
      load(data, mode);
    } catch (const Error& e) {
      EXPECT_EQ(graph->snapshot()->commit().id, before) << "failed load moved the head";
      return e;
    }
    ADD_FAILURE() << "load succeeded: " << data.substr(0, 200);
    return Error(ErrorCode::kInternal, "");
  }
  Value person_age(const std::string& name) {
    auto snap = graph->snapshot();
    const auto& t = snap->table(*snap->catalog().find_node("Person"));
    return t.value(*t.find(name), "age");
  }
  std::string export_all() {
    std::ostringstream out;
    export_ndjson(*graph->snapshot(), graph->store(), {}, out);
    return out.str();
  }

  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(LoaderTest, WorkedExampleSeed) {
  auto snap = graph->snapshot();
  EXPECT_EQ(snap->commit().sequence, 2u);
  EXPECT_EQ(person_age("Ada"), Value(int64_t{36}));
  EXPECT_TRUE(person_age("Grace").is_null());
  const auto& works = snap->table(*snap->catalog().find_edge("WorksAt"));
  ASSERT_EQ(works.row_count(), 1u);
  EXPECT_EQ(works.value(0, "since"), Value(int64_t{18276}));
  EXPECT_EQ(std::get<std::string>(works.value(0, "id").v).size(), 26u);  // ULID
}

TEST_F(LoaderTest, ResultCountsAndCommit) {
  auto r = load("{\"type\":\"Person\",\"data\":{\"name\":\"Bo\"}}\n{\"type\":\"Person\",\"data\":{\"name\":\"Cy\"}}\n",
                LoadMode::kMerge, {.actor = std::string("act-1")});
  ASSERT_EQ(r.nodes.size(), 1u);
  EXPECT_EQ(r.nodes[0].name, "Person");
  EXPECT_EQ(r.nodes[0].entities_loaded, 2u);
  EXPECT_TRUE(r.edges.empty());
  EXPECT_EQ(r.total_entities, 2u);
  EXPECT_EQ(r.commit.actor, std::optional<std::string>("act-1"));
  EXPECT_EQ(r.commit.sequence, 3u);
}

TEST_F(LoaderTest, AppendConflictsMergeReplacesWholeEntity) {
  Error e = fail("{\"type\":\"Person\",\"data\":{\"name\":\"Ada\",\"age\":37}}\n", LoadMode::kAppend);
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_EQ(e.message(), "node type 'Person' already has id 'Ada'");
  auto* kc = std::get_if<KeyConflictDetail>(&e.detail());
  ASSERT_TRUE(kc);
  EXPECT_EQ(kc->entity_id, std::optional<std::string>("Ada"));
  load("{\"type\":\"Person\",\"data\":{\"name\":\"Ada\",\"age\":37}}\n", LoadMode::kMerge);
  EXPECT_EQ(person_age("Ada"), Value(int64_t{37}));
  load("{\"type\":\"Person\",\"data\":{\"name\":\"Ada\"}}\n", LoadMode::kMerge);
  EXPECT_TRUE(person_age("Ada").is_null());
}

TEST_F(LoaderTest, WorkedExampleErrors) {
  EXPECT_EQ(fail("{\"edge\":\"WorksAt\",\"from\":\"Grace\",\"to\":\"Nope\"}\n", LoadMode::kAppend).message(),
            "dst 'Nope' not found in Company");
  EXPECT_EQ(fail("{\"edge\":\"WorksAt\",\"from\":\"Ada\",\"to\":\"Acme\"}\n", LoadMode::kAppend).message(),
            "@card violation on edge WorksAt: source 'Ada' has 2 edges (max 1)");
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"name\":\"Grace\"}}\n", LoadMode::kOverwrite).message(),
            "src 'Ada' not found in Person");
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"id\":\"ada\",\"name\":\"Ada\"}}\n", LoadMode::kMerge).message(),
            "line 1: node Person explicit id 'ada' does not match its canonical @key id 'Ada'");
}

TEST_F(LoaderTest, OverwriteReplacesOnlyTypesInTheFile) {
  load("{\"type\":\"Company\",\"data\":{\"name\":\"Acme\"}}\n{\"type\":\"Company\",\"data\":{\"name\":\"Beta\"}}\n",
       LoadMode::kOverwrite);
  auto snap = graph->snapshot();
  EXPECT_EQ(snap->table(*snap->catalog().find_node("Company")).row_count(), 2u);
  EXPECT_EQ(snap->table(*snap->catalog().find_node("Person")).row_count(), 2u);
  EXPECT_EQ(snap->table(*snap->catalog().find_edge("WorksAt")).row_count(), 1u);
}

TEST_F(LoaderTest, EnvelopeGrammar) {
  auto msg = [&](const std::string& line) { return fail(line + "\n", LoadMode::kMerge).message(); };
  EXPECT_EQ(msg("{\"type\":\"Person\",\"data\":{\"name\":\"X\"},\"extra\":1}"),
            "line 1: unknown top-level graph batch field 'extra'");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"type\":\"Person\",\"data\":{\"name\":\"X\"}}"), "line 1: duplicate member 'type'");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"data\":{\"name\":\"X\",\"name\":\"Y\"}}"), "line 1: duplicate member 'data.name'");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"data\":{\"name\":\"X\",\"nick\":\"Y\"}}"),
            "line 1: unknown input field 'nick' for node type 'Person'");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"data\":{\"name\":\"X\",\"_rowid\":1}}"),
            "line 1: reserved field 'data._rowid' is not allowed");
  EXPECT_EQ(msg("{\"type\":\"Nope\",\"data\":{}}"), "line 1: unknown node type 'Nope'");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"edge\":\"WorksAt\"}"), "line 1: exactly one of 'type' or 'edge' must be present");
  EXPECT_EQ(msg("[1,2]"), "line 1: each line must be one JSON object");
  EXPECT_EQ(msg("{\"type\":\"Person\",\"data\":{\"name\":\"X\"}} {\"a\":1}"),
            "line 1: trailing content after the JSON object");
  EXPECT_EQ(msg("{\"edge\":\"WorksAt\",\"from\":\"Ada\",\"to\":\"Acme\",\"data\":{\"src\":\"x\"}}"),
            "line 1: edge data must not contain 'src'");
  // Envelope errors (step 1) win over typing errors on earlier lines (step 2).
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"name\":1}}\n\n  \n{\"type\":\"Nope\"}\n", LoadMode::kMerge).message(),
            "line 4: unknown node type 'Nope'");
}

TEST_F(LoaderTest, EdgeTypeNamesAreCaseInsensitiveAndDataMayComeFirst) {
  load("{\"type\":\"Company\",\"data\":{\"name\":\"Beta\"}}\n"
       "{\"data\":{\"since\":19000},\"edge\":\"worksat\",\"from\":\"Grace\",\"to\":\"Beta\"}\n",
       LoadMode::kMerge);
  auto snap = graph->snapshot();
  EXPECT_EQ(snap->table(*snap->catalog().find_edge("WorksAt")).row_count(), 2u);
}

TEST_F(LoaderTest, StrictValueEncoding) {
  auto msg = [&](const std::string& data) {
    return fail("{\"type\":\"Tagged\",\"data\":" + data + "}\n", LoadMode::kMerge).message();
  };
  EXPECT_EQ(msg("{\"label\":5}"), "line 1: strict property 'label' expects String, got number");
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"name\":\"Z\",\"age\":1.5}}\n", LoadMode::kMerge).message(),
            "line 1: strict property 'age' expects I32, got a fractional number");
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"name\":\"Z\",\"age\":3000000000}}\n", LoadMode::kMerge).message(),
            "line 1: strict property 'age' value 3000000000 is out of range for I32");
  EXPECT_EQ(fail("{\"type\":\"Person\",\"data\":{\"age\":3}}\n", LoadMode::kMerge).message(),
            "line 1: non-nullable property 'name' has null or invalid values");
  EXPECT_EQ(msg("{\"v\":[1,2,3]}"), "line 1: vector property 'v' expects 2 dimensions, got 3");
  EXPECT_EQ(msg("{\"v\":[1,\"a\"]}"), "line 1: vector property 'v' elements must be numeric, got \"a\"");
  EXPECT_EQ(msg("{\"tags\":[\"a\",null]}"), "line 1: list property 'tags' must not contain null elements");
  EXPECT_EQ(msg("{\"big\":-1}"), "line 1: strict property 'big' value -1 is out of range for U64");
}

TEST_F(LoaderTest, ValuesRoundTripThroughExport) {
  load("{\"type\":\"Tagged\",\"data\":{\"id\":\"t1\",\"label\":\"a\\\"b\\n\",\"score\":0.1,\"tags\":[\"x\",\"y\"],"
       "\"v\":[0.5,-2],\"seen\":\"2024-01-01T01:00:00+01:00\",\"big\":18446744073709551615,\"blob\":\"base64:aGk=\"}}\n",
       LoadMode::kMerge);
  std::string out = export_all();
  EXPECT_NE(out.find("{\"type\":\"Tagged\",\"data\":{\"id\":\"t1\",\"label\":\"a\\\"b\\n\",\"score\":0.10000000149011612,"
                     "\"tags\":[\"x\",\"y\"],\"v\":[0.5,-2],\"seen\":1704067200000,\"big\":18446744073709551615,"
                     "\"blob\":\"base64:aGk=\"}}"),
            std::string::npos)
      << out;
  // Order: edge types first, then node types by name, ascending id.
  EXPECT_EQ(out.rfind("{\"edge\":\"WorksAt\"", 0), 0u) << out;
  EXPECT_LT(out.find("\"type\":\"Company\""), out.find("\"type\":\"Person\""));
  EXPECT_LT(out.find("\"id\":\"Ada\""), out.find("\"id\":\"Grace\""));

  TempGraphDir other;
  auto copy = Graph::init(other.uri(), kSchema);
  load_ndjson(*copy, out, {.mode = LoadMode::kOverwrite});
  std::ostringstream again;
  export_ndjson(*copy->snapshot(), copy->store(), {}, again);
  EXPECT_EQ(again.str(), out);
}

TEST_F(LoaderTest, DuplicatesInsideOneFile) {
  std::string twice_keyed = "{\"type\":\"Person\",\"data\":{\"name\":\"Q\"}}\n{\"type\":\"Person\",\"data\":{\"name\":\"Q\"}}\n";
  for (auto mode : {LoadMode::kAppend, LoadMode::kMerge, LoadMode::kOverwrite})
    EXPECT_EQ(fail(twice_keyed, mode).message(), "line 2: @unique violation on Person.name: value 'Q' held by 'Q' and 'Q'");
  std::string twice_id = "{\"type\":\"Tagged\",\"data\":{\"id\":\"d\",\"label\":\"1\"}}\n"
                         "{\"type\":\"Tagged\",\"data\":{\"id\":\"d\",\"label\":\"2\"}}\n";
  Error e = fail(twice_id, LoadMode::kAppend);
  EXPECT_EQ(e.code(), ErrorCode::kConflict);
  EXPECT_TRUE(std::holds_alternative<KeyConflictDetail>(e.detail()));
  EXPECT_EQ(fail(twice_id, LoadMode::kOverwrite).code(), ErrorCode::kConflict);
  auto r = load(twice_id, LoadMode::kMerge);  // last occurrence wins, counted as 2 records
  EXPECT_EQ(r.nodes[0].entities_loaded, 2u);
  auto snap = graph->snapshot();
  const auto& t = snap->table(*snap->catalog().find_node("Tagged"));
  ASSERT_EQ(t.row_count(), 1u);
  EXPECT_EQ(t.value(0, "label"), Value(std::string("2")));
}

TEST_F(LoaderTest, CompositeKeyIds) {
  load("{\"type\":\"Slot\",\"data\":{\"tenant\":\"acme\",\"slot\":7}}\n", LoadMode::kMerge);
  auto snap = graph->snapshot();
  EXPECT_TRUE(snap->table(*snap->catalog().find_node("Slot")).find("[\"7\",\"acme\"]"));
}

TEST_F(LoaderTest, EmptyLoadCommitsAndBranchTargeting) {
  auto before = graph->snapshot()->commit();
  auto r = load("\n  \n", LoadMode::kMerge);
  EXPECT_EQ(r.commit.parents, std::vector<std::string>{before.id});
  EXPECT_EQ(r.total_entities, 0u);
}

TEST_F(LoaderTest, MissingBranchNeedsFrom) {
  try {
    load(kSeed, LoadMode::kMerge, {.branch = "feature"});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
    EXPECT_EQ(e.message(), "branch 'feature' not found");
  }
  auto r = load("{\"type\":\"Person\",\"data\":{\"name\":\"Zed\"}}\n", LoadMode::kMerge,
                {.branch = "feature", .from = std::string("main")});
  EXPECT_TRUE(r.branch_created);
  EXPECT_EQ(r.commit.branch, "feature");
  auto main_snap = graph->snapshot();
  EXPECT_FALSE(main_snap->table(*main_snap->catalog().find_node("Person")).find("Zed"));
  auto feature = graph->snapshot({.branch = std::string("feature")});
  EXPECT_TRUE(feature->table(*feature->catalog().find_node("Person")).find("Zed"));
  auto again = load("", LoadMode::kMerge, {.branch = "feature", .from = std::string("main")});
  EXPECT_FALSE(again.branch_created);
}

TEST_F(LoaderTest, LineLimitIsAResourceLimit) {
  std::string big = "{\"type\":\"Tagged\",\"data\":{\"tags\":[";
  for (int i = 0; i < 140000; ++i) big += (i ? ",\"\"" : "\"\"");
  big += "]}}\n";
  Error e = fail(big, LoadMode::kMerge);
  auto* rl = std::get_if<ResourceLimitDetail>(&e.detail());
  ASSERT_TRUE(rl) << e.message();
  EXPECT_EQ(rl->resource, "graph_batch_json_structural_slots");
  EXPECT_EQ(rl->limit, 131072u);
}

TEST_F(LoaderTest, ParallelParseKeepsLineOrderSemantics) {
  // The same inputs parsed by 1 and by 3 worker threads give the same outcome.
  std::string good;
  for (int i = 0; i < 300; ++i)
    good += "{\"type\":\"Person\",\"data\":{\"name\":\"n" + std::to_string(i) + "\",\"age\":" + std::to_string(i % 100) + "}}\n";
  std::string typing_then_envelope = good + "{\"type\":\"Person\",\"data\":{\"name\":1}}\n" + good + "{\"type\":\"Nope\"}\n";
  std::string dup_then_typing = good + good.substr(0, good.find('\n') + 1) + good + "{\"type\":\"Person\",\"data\":{\"name\":1}}\n";
  for (const char* threads : {"1", "3"}) {
    ::setenv("OMNIGRAPH_LOAD_THREADS", threads, 1);
    EXPECT_EQ(fail(typing_then_envelope, LoadMode::kMerge).message(), "line 602: unknown node type 'Nope'") << threads;
    EXPECT_EQ(fail(dup_then_typing, LoadMode::kMerge).message(),
              "line 301: @unique violation on Person.name: value 'n0' held by 'n0' and 'n0'")
        << threads;
    auto r = load(good, LoadMode::kMerge);
    EXPECT_EQ(r.nodes[0].entities_loaded, 300u);
  }
  ::unsetenv("OMNIGRAPH_LOAD_THREADS");
  auto snap = graph->snapshot();
  EXPECT_EQ(snap->table(*snap->catalog().find_node("Person")).row_count(), 302u);
}

}  // namespace
}  // namespace omnigraph::engine
