// End-to-end tests of `omnigraph query` / `mutate` through the binary on the shared fixtures:
// init + load seed, every read query of every fixture query file with real parameters
// (taken from the seed), asserted rows, and every mutation of the mutation files.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "compiler/catalog.h"
#include "compiler/lowering.h"
#include "compiler/query_ast.h"
#include "process_runner.h"

namespace omnigraph::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

ProcessResult og(const std::vector<std::string>& args) {
  return run_process(omnigraph_bin(), args);
}

// A graph initialised from a fixture schema and loaded with its seed.
struct Fixture {
  TempDir dir;
  std::string uri;
  compiler::Catalog catalog;
  std::vector<json> seed;
  explicit Fixture(const fs::path& schema, const fs::path& data) {
    uri = (dir.path() / "g").string();
    auto init = og({"init", "--schema", schema.string(), uri});
    EXPECT_EQ(init.exit_code, 0) << init.err;
    auto load = og({"load", "--data", data.string(), "--mode", "overwrite", uri});
    EXPECT_EQ(load.exit_code, 0) << load.err;
    catalog = compiler::compile_schema(slurp(schema));
    std::ifstream in(data);
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) seed.push_back(json::parse(line));
  }
  json query_json(const std::string& file, const std::string& name, const json& params) {
    auto r = og({"query", "--store", uri, "--query", file, name, "--params", params.dump(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << name << ": " << r.err;
    if (r.exit_code != 0) return json::object();
    return json::parse(r.out);
  }
  // The first seed value of `type.prop` (nodes by "type", edges by "edge").
  std::optional<json> seed_value(const std::string& type, const std::string& prop) const {
    for (const auto& e : seed) {
      if (e.value("type", e.value("edge", "")) != type) continue;
      const json& d = e.contains("data") ? e["data"] : e;
      if (d.contains(prop) && !d[prop].is_null()) return d[prop];
    }
    return std::nullopt;
  }
};

// Finds `$param` compared with a property in `ops`; returns (type of the var, property).
void param_targets(const std::vector<compiler::ir::Op>& ops, std::map<std::string, std::string>& var_types,
                   std::map<std::string, std::pair<std::string, std::string>>& out) {
  using compiler::ir::Expr;
  using compiler::ir::Op;
  for (const auto& op : ops) {
    if (op.kind == Op::Kind::kScan) var_types[op.var] = op.type_name;
    if (op.kind == Op::Kind::kExpand && !op.to_var.empty()) var_types[op.to_var] = op.to_type;
    if (op.kind == Op::Kind::kAntiJoin) param_targets(op.inner, var_types, out);
    if (op.kind != Op::Kind::kFilter || op.predicate.kind != Expr::Kind::kCompare) continue;
    const auto& a = op.predicate.args[0];
    const auto& b = op.predicate.args[1];
    if (a.kind == Expr::Kind::kProperty && b.kind == Expr::Kind::kParam)
      out[b.name] = {var_types[a.var], a.property};
    if (b.kind == Expr::Kind::kProperty && a.kind == Expr::Kind::kParam)
      out[a.name] = {var_types[b.var], b.property};
  }
}

json default_param(const compiler::ValueType& t) {
  using compiler::ScalarKind;
  if (t.list) return json::array();
  switch (t.scalar) {
    case ScalarKind::kDate:
      return "2026-01-01";
    case ScalarKind::kDateTime:
      return "2026-01-01T00:00:00Z";
    case ScalarKind::kBool:
      return true;
    case ScalarKind::kString:
      return t.is_enum() ? json(t.enum_values.front()) : json("e2e");
    case ScalarKind::kF32:
    case ScalarKind::kF64:
      return 1.5;
    default:
      return 1;
  }
}

int skipped_search = 0;
int seed_checked = 0;

// Cell comparison between the seed's JSON and a result cell (DateTime renders with millis).
json normalise(const json& v, const compiler::ValueType& t) {
  if (v.is_string() && t.scalar == compiler::ScalarKind::kDateTime && !t.list)
    return v.get<std::string>().substr(0, 19);
  if (v.is_number()) return v.get<double>();
  return v;
}

// For plain single-type queries (one scan, equality filters with constants/parameters,
// projections of that variable's properties, no aggregate), the expected rows computed
// straight from the seed file: an evaluator independent of the engine.
std::optional<std::vector<json>> seed_rows(const Fixture& fx, const compiler::ir::QueryPlan& plan,
                                           const json& params) {
  using compiler::ir::Expr;
  using compiler::ir::Op;
  const auto& m = plan.read.match;
  if (m.empty() || m[0].kind != Op::Kind::kScan || plan.read.aggregate) return std::nullopt;
  const std::string var = m[0].var;
  std::vector<std::pair<std::string, json>> equalities;
  for (size_t i = 1; i < m.size(); ++i) {
    if (m[i].kind != Op::Kind::kFilter || m[i].predicate.kind != Expr::Kind::kCompare ||
        m[i].predicate.op != compiler::CompareOp::kEq)
      return std::nullopt;
    const Expr& a = m[i].predicate.args[0];
    const Expr& b = m[i].predicate.args[1];
    if (a.kind != Expr::Kind::kProperty || a.var != var || a.type.list) return std::nullopt;
    if (b.kind == Expr::Kind::kConst && b.constant.kind == compiler::Literal::Kind::kString)
      equalities.emplace_back(a.property, b.constant.text);
    else if (b.kind == Expr::Kind::kParam && params.contains(b.name))
      equalities.emplace_back(a.property, params[b.name]);
    else
      return std::nullopt;
  }
  for (const auto& c : plan.read.columns)
    if (c.expr.kind != Expr::Kind::kProperty || c.expr.var != var) return std::nullopt;
  std::vector<json> rows;
  for (const auto& e : fx.seed) {
    if (e.value("type", "") != m[0].type_name) continue;
    const json& d = e["data"];
    bool ok = true;
    for (const auto& [prop, value] : equalities) ok = ok && d.contains(prop) && d[prop] == value;
    if (!ok) continue;
    json row = json::object();
    for (const auto& c : plan.read.columns)
      row[c.name] = normalise(d.contains(c.expr.property) ? d[c.expr.property] : json(nullptr), c.expr.type);
    rows.push_back(row);
  }
  return rows;
}

void run_read_queries(Fixture& fx, const fs::path& dir, int& total, int& with_rows) {
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() != ".gq" || entry.path().stem() == "mutations") continue;
    std::string source = slurp(entry.path());
    for (const auto& decl : compiler::parse_queries(source).queries) {
      if (decl.is_mutation) continue;
      auto plan = compiler::compile_query(source, fx.catalog, decl.name).plan;
      if (compiler::ir::explain(plan).find("search(") != std::string::npos ||
          compiler::ir::explain(plan).find("fuzzy(") != std::string::npos ||
          compiler::ir::explain(plan).find("nearest(") != std::string::npos ||
          compiler::ir::explain(plan).find("bm25(") != std::string::npos ||
          compiler::ir::explain(plan).find("match_text(") != std::string::npos ||
          compiler::ir::explain(plan).find("rrf(") != std::string::npos) {
        // Search functions run (semantics: tests/unit/search); a String query to nearest()
        // needs an embedding provider, which is not configured here: a clear error.
        json sp = json::object();
        for (const auto& p : plan.params) sp[p.name] = default_param(p.type);
        auto r = og(
            {"query", "--store", fx.uri, "--query", entry.path().string(), decl.name, "--params", sp.dump()});
        if (r.exit_code != 0) {
          EXPECT_NE(r.err.find("embedding provider"), std::string::npos) << decl.name << ": " << r.err;
        }
        ++skipped_search;
        continue;
      }
      std::map<std::string, std::string> var_types;
      std::map<std::string, std::pair<std::string, std::string>> targets;
      param_targets(plan.read.match, var_types, targets);
      json params = json::object();
      for (const auto& p : plan.params) {
        auto it = targets.find(p.name);
        std::optional<json> v;
        if (it != targets.end()) v = fx.seed_value(it->second.first, it->second.second);
        params[p.name] = v ? *v : default_param(p.type);
      }
      json out = fx.query_json(entry.path().string(), decl.name, params);
      ASSERT_TRUE(out.contains("rows")) << entry.path() << " " << decl.name;
      ++total;
      EXPECT_EQ(out["query_name"], decl.name);
      EXPECT_EQ(out["target"]["branch"], "main");
      EXPECT_EQ(out["row_count"].get<size_t>(), out["rows"].size());
      EXPECT_EQ(out["graph_commit_id"].get<std::string>().size(), 26u);
      std::vector<std::string> names;
      for (const auto& c : plan.read.columns) names.push_back(c.name);
      if (!names.empty()) {
        EXPECT_EQ(out["columns"].get<std::vector<std::string>>(), names) << decl.name;
      }
      for (const auto& row : out["rows"])
        for (const auto& n : names) EXPECT_TRUE(row.contains(n)) << decl.name << " row lacks " << n;
      if (plan.read.limit) {
        EXPECT_LE(out["rows"].size(), *plan.read.limit) << decl.name;
      }
      if (!out["rows"].empty()) ++with_rows;
      if (auto expected = seed_rows(fx, plan, params)) {
        std::vector<json> got;
        for (const auto& row : out["rows"]) {
          json n = json::object();
          for (const auto& c : plan.read.columns) n[c.name] = normalise(row[c.name], c.expr.type);
          got.push_back(n);
        }
        auto by_dump = [](const json& x, const json& y) { return x.dump() < y.dump(); };
        std::sort(got.begin(), got.end(), by_dump);
        std::sort(expected->begin(), expected->end(), by_dump);
        if (plan.read.limit) {
          // With a limit only the count and membership are determined by the seed alone.
          EXPECT_EQ(got.size(), std::min<size_t>(expected->size(), *plan.read.limit)) << decl.name;
          for (const auto& g : got)
            EXPECT_TRUE(std::binary_search(expected->begin(), expected->end(), g, by_dump))
                << decl.name << g.dump();
        } else {
          EXPECT_EQ(got, *expected) << decl.name << " " << params.dump();
        }
        ++seed_checked;
      }
      // A lookup by a key-like property taken from the seed must find that entity, and the
      // projected properties of that variable must equal the seed's values.
      if (plan.read.match.size() >= 2 && plan.read.match[0].kind == compiler::ir::Op::Kind::kScan &&
          !plan.read.aggregate && plan.params.size() == 1) {
        auto it = targets.find(plan.params[0].name);
        if (it != targets.end() && it->second.second == "slug" &&
            var_types[plan.read.match[0].var] == it->second.first && plan.read.match.size() == 2) {
          ASSERT_EQ(out["rows"].size(), 1u) << decl.name << " " << params.dump();
          for (const auto& e : fx.seed) {
            if (e.value("type", "") != it->second.first || e["data"]["slug"] != params[plan.params[0].name])
              continue;
            for (const auto& c : plan.read.columns) {
              if (c.expr.kind != compiler::ir::Expr::Kind::kProperty) continue;
              const json& expect =
                  e["data"].contains(c.expr.property) ? e["data"][c.expr.property] : json(nullptr);
              const json& got = out["rows"][0][c.name];
              if (expect.is_string() && got.is_string() &&
                  c.expr.type.scalar == compiler::ScalarKind::kDateTime) {
                EXPECT_EQ(got.get<std::string>().substr(0, 19), expect.get<std::string>().substr(0, 19))
                    << decl.name;
              } else {
                EXPECT_EQ(got, expect) << decl.name << " column " << c.name;
              }
            }
          }
        }
      }
    }
  }
}

TEST(QueryFixturesE2E, SecondBrainEveryReadQuery) {
  auto base = shared_dir() / "fixtures" / "second-brain";
  Fixture fx(base / "schema.pg", base / "seed.jsonl");
  int total = 0, with_rows = 0;
  run_read_queries(fx, base / "queries", total, with_rows);
  EXPECT_GT(total, 40);
  EXPECT_GT(with_rows, total / 2);
  EXPECT_GT(seed_checked, 10);
  std::printf(
      "second-brain: %d read queries, %d with rows, %d checked row-for-row against the seed, %d search\n",
      total, with_rows, seed_checked, skipped_search);
}

TEST(QueryFixturesE2E, VcOsEveryReadQuery) {
  auto base = shared_dir() / "fixtures" / "vc-os";
  Fixture fx(base / "schema.pg", base / "seed.jsonl");
  int total = 0, with_rows = 0;
  run_read_queries(fx, base / "queries", total, with_rows);
  EXPECT_GT(total, 40);
  EXPECT_GT(with_rows, total / 2);
}

TEST(QueryFixturesE2E, UpstreamTestQueriesExactRows) {
  auto base = shared_dir() / "fixtures" / "upstream";
  Fixture fx(base / "test.pg", base / "test.jsonl");
  std::string file = (base / "test.gq").string();
  auto rows = [&](const std::string& name, const json& params = json::object()) {
    return fx.query_json(file, name, params)["rows"];
  };
  auto sorted = [](json a) {
    std::sort(a.begin(), a.end(), [](const json& x, const json& y) { return x.dump() < y.dump(); });
    return a;
  };
  EXPECT_EQ(rows("get_person", {{"name", "Alice"}}), json::parse(R"([{"p.name":"Alice","p.age":30}])"));
  EXPECT_EQ(rows("adults"), json::parse(R"([{"p.name":"Charlie","p.age":35}])"));
  EXPECT_EQ(sorted(rows("friends_of", {{"name", "Alice"}})),
            json::parse(R"([{"f.name":"Bob","f.age":25},{"f.name":"Charlie","f.age":35}])"));
  EXPECT_EQ(rows("employees_of", {{"company", "Acme"}}), json::parse(R"([{"p.name":"Alice"}])"));
  EXPECT_EQ(rows("friends_of_friends", {{"name", "Alice"}}), json::parse(R"([{"fof.name":"Diana"}])"));
  EXPECT_EQ(sorted(rows("unemployed")), json::parse(R"([{"p.name":"Charlie"},{"p.name":"Diana"}])"));
  EXPECT_EQ(rows("friend_counts"),
            json::parse(R"([{"p.name":"Alice","friends":2},{"p.name":"Bob","friends":1}])"));
  EXPECT_EQ(rows("top_by_age"),
            json::parse(R"([{"p.name":"Charlie","p.age":35},{"p.name":"Alice","p.age":30}])"));
  EXPECT_EQ(rows("total_people"), json::parse(R"([{"total":4}])"));
  EXPECT_EQ(sorted(rows("age_stats")),
            sorted(json::parse(
                R"([{"c.name":"Acme","total_age":30.0,"avg_age":30.0,"youngest":30,"oldest":30,"headcount":1},
                            {"c.name":"Globex","total_age":25.0,"avg_age":25.0,"youngest":25,"oldest":25,"headcount":1}])")));
  EXPECT_EQ(rows("top_connected"), json::parse(R"([{"p.name":"Alice","friends":2}])"));

  // Float formatting in the raw text: integral F64 values keep ".0".
  auto raw = og({"query", "--store", fx.uri, "--query", file, "age_stats", "--json"});
  EXPECT_NE(raw.out.find("\"avg_age\": 30.0"), std::string::npos) << raw.out;
}

TEST(QueryFixturesE2E, OutputFormats) {
  auto base = shared_dir() / "fixtures" / "upstream";
  Fixture fx(base / "test.pg", base / "test.jsonl");
  std::string file = (base / "test.gq").string();
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"query", "--store", fx.uri, "--query", file, "top_by_age"};
    args.insert(args.end(), extra.begin(), extra.end());
    return og(args);
  };
  EXPECT_EQ(run({"--format", "csv"}).out, "p.name,p.age\nCharlie,35\nAlice,30\n");
  EXPECT_EQ(run({"--format", "table"}).out,
            "2 rows from branch main via top_by_age\np.name  | p.age\n--------+------\nCharlie | 35   "
            "\nAlice   | 30   \n");
  EXPECT_EQ(run({}).out, run({"--format", "table"}).out);  // table is the default
  EXPECT_EQ(run({"--format", "kv"}).out,
            "2 rows from branch main via top_by_age\nrow 1\np.name: Charlie\np.age: 35\n\nrow 2\np.name: "
            "Alice\np.age: 30\n");
  EXPECT_EQ(run({"--format", "jsonl"}).out,
            "{\"kind\":\"metadata\",\"query_name\":\"top_by_age\",\"target\":{\"branch\":\"main\","
            "\"snapshot\":null},"
            "\"row_count\":2}\n{\"p.name\":\"Charlie\",\"p.age\":35}\n{\"p.name\":\"Alice\",\"p.age\":30}\n");
  auto both = run({"--format", "csv", "--json"});
  EXPECT_EQ(both.exit_code, 2);
  auto bad = run({"--format", "xml"});
  EXPECT_EQ(bad.exit_code, 2);
  // Snapshot reads report the snapshot target.
  json j = json::parse(run({"--json"}).out);
  std::string commit = j["graph_commit_id"];
  auto snap = run({"--snapshot", commit, "--format", "jsonl"});
  EXPECT_EQ(snap.exit_code, 0) << snap.err;
  EXPECT_NE(snap.out.find("\"target\":{\"branch\":null,\"snapshot\":\"" + commit + "\"}"), std::string::npos);
  // defaults.output from the operator config applies below --format / --json.
  {
    TempDir home;
    std::ofstream(home.path() / "config.yaml") << "defaults:\n  output: csv\n";
    RunOptions env;
    env.env["OMNIGRAPH_HOME"] = home.path().string();
    auto cfg =
        run_process(omnigraph_bin(), {"query", "--store", fx.uri, "--query", file, "total_people"}, env);
    EXPECT_EQ(cfg.out, "total\n4\n") << cfg.err;
    auto over =
        run_process(omnigraph_bin(),
                    {"query", "--store", fx.uri, "--query", file, "total_people", "--format", "kv"}, env);
    EXPECT_EQ(over.out, "1 rows from branch main via total_people\nrow 1\ntotal: 4\n");
  }
  // Deprecated alias.
  auto read = og({"read", "--store", fx.uri, "--query", file, "total_people", "--format", "csv"});
  EXPECT_EQ(read.out, "total\n4\n");
  EXPECT_NE(read.err.find("warning: `omnigraph read` is deprecated; use `omnigraph query` instead"),
            std::string::npos);
  // Multi-query source without a name, and a blank -e.
  auto multi = og({"query", "--store", fx.uri, "--query", file});
  EXPECT_EQ(multi.exit_code, 1);
  EXPECT_NE(
      multi.err.find("query file contains multiple queries; pass the query name as the positional NAME"),
      std::string::npos)
      << multi.err;
  auto unknown = og({"query", "--store", fx.uri, "--query", file, "nope"});
  EXPECT_NE(unknown.err.find("query 'nope' not found"), std::string::npos) << unknown.err;
  EXPECT_EQ(og({"query", "--store", fx.uri, "-e", "  "}).exit_code, 2);
  auto as = og({"query", "--store", fx.uri, "--as", "bob", "--query", file, "total_people"});
  EXPECT_EQ(as.exit_code, 2);
  EXPECT_NE(as.err.find("`query` is a data command; --as sets the actor"), std::string::npos) << as.err;
  auto catalog_lane = og({"query", "--store", fx.uri, "some_name"});
  EXPECT_NE(catalog_lane.err.find("needs a server"), std::string::npos) << catalog_lane.err;
}

TEST(QueryFixturesE2E, MutationsReadYourWritesAndConditionalWrites) {
  auto base = shared_dir() / "fixtures" / "upstream";
  Fixture fx(base / "test.pg", base / "test.jsonl");
  auto mutate = [&](const std::string& src, const json& params, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"mutate", "--store", fx.uri, "-e", src, "--params", params.dump()};
    args.insert(args.end(), extra.begin(), extra.end());
    return og(args);
  };
  auto q = [&](const std::string& src) {
    auto r = og({"query", "--store", fx.uri, "-e", src, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  };
  // Keyed insert is an upsert; unassigned nullable properties become null.
  auto r = mutate("query m($n: String, $a: I32) { insert Person { name: $n, age: $a } }",
                  {{"n", "Eve"}, {"a", 41}}, {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json out = json::parse(r.out);
  EXPECT_EQ(out["affected_nodes"], 1);
  EXPECT_EQ(out["commit"]["graph_manifest_version"], 3);
  r = mutate("query m($n: String) { insert Person { name: $n } }", {{"n", "Eve"}});
  EXPECT_EQ(r.out, "changed main via m: 1 nodes, 0 edges\n");
  EXPECT_EQ(r.err, "");  // mutate does not echo its write target
  EXPECT_EQ(q("query r() { match { $p: Person { name: \"Eve\" } } return { $p.age } }")["rows"],
            json::parse(R"([{"p.age":null}])"));
  // Update with read-your-writes inside one query, and the key immutability rule.
  r = mutate(
      "query m() { insert Person { name: \"Finn\", age: 1 }  update Person set { age: 2 } where age < 5 }",
      json::object(), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["affected_nodes"], 2);
  EXPECT_EQ(q("query r() { match { $p: Person { name: \"Finn\" } } return { $p.age } }")["rows"][0]["p.age"],
            2);
  r = mutate("query m() { update Person set { name: \"X\" } where age = 2 }", json::object());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot update @key property 'name'"), std::string::npos) << r.err;
  // Edge insert + delete node cascades its edges.
  r = mutate("query m() { insert Knows { from: \"Finn\", to: \"Alice\" } }", json::object(), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["affected_edges"], 1);
  r = mutate("query m() { delete Person where name = \"Alice\" }", json::object(), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = json::parse(r.out);
  EXPECT_EQ(out["affected_nodes"], 1);
  EXPECT_EQ(out["affected_edges"], 4);  // Alice->Bob, Alice->Charlie, Finn->Alice, WorksAt Acme
  EXPECT_EQ(q("query r() { match { $a: Person  $a knows $b } return { count($b) as n } }")["rows"][0]["n"],
            1);
  // No-op: nothing matched, no commit.
  r = mutate("query m() { delete Person where name = \"Nobody\" }", json::object(), {"--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["commit"].is_null());
  // Mixing rule.
  r = mutate("query m() { insert Company { name: \"Z\" }  delete Company where name = \"Acme\" }",
             json::object());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(
      r.err.find("mutation 'm' on the same query mixes inserts/updates and deletes; split into separate "
                 "mutations: (1) inserts and updates, then (2) deletes"),
      std::string::npos)
      << r.err;
  // --if-commit: stale head → exit 4 with the structured body; current head → success; actor from --as.
  std::string head = q("query r() { match { $p: Person } return { count($p) as n } }")["graph_commit_id"];
  r = mutate("query m() { insert Company { name: \"Initech\" } }", json::object(),
             {"--if-commit", "01ARZ3NDEKTSV4RRFFQ69G5FAV", "--json"});
  EXPECT_EQ(r.exit_code, 4);
  out = json::parse(r.out);
  EXPECT_EQ(out["precondition_failure"]["expected"], "01ARZ3NDEKTSV4RRFFQ69G5FAV");
  EXPECT_EQ(out["precondition_failure"]["actual"], head);
  r = mutate("query m() { insert Company { name: \"Initech\" } }", json::object(),
             {"--if-commit", head, "--json", "--as", "alice"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  out = json::parse(r.out);
  EXPECT_EQ(out["actor_id"], "alice");
  EXPECT_EQ(out["commit"]["parent_commit_id"], head);
  EXPECT_EQ(out["commit"]["actor_id"], "alice");
  // Constraint failures leave the graph unchanged.
  r = mutate("query m() { insert Knows { from: \"Ghost\", to: \"Bob\" } }", json::object());
  EXPECT_EQ(r.exit_code, 1);
  // Deprecated alias.
  r = og({"change", "--store", fx.uri, "-e", "query m() { insert Company { name: \"Hooli\" } }"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: `omnigraph change` is deprecated; use `omnigraph mutate` instead"),
            std::string::npos);
}

// Runs every mutation of a fixture's mutations.gq with parameters built from the schema and
// the seed (edge endpoints are existing node ids); each must succeed and commit.
void run_fixture_mutations(const std::string& fixture) {
  auto base = shared_dir() / "fixtures" / fixture;
  Fixture fx(base / "schema.pg", base / "seed.jsonl");
  std::string file = (base / "queries" / "mutations.gq").string();
  std::string source = slurp(file);
  int ran = 0;
  std::map<std::string, std::string> inserted;  // node type -> id of the node this test inserted
  for (const auto& decl : compiler::parse_queries(source).queries) {
    if (!decl.is_mutation) continue;
    auto plan = compiler::compile_query(source, fx.catalog, decl.name).plan;
    json params = json::object();
    for (const auto& p : plan.params) params[p.name] = default_param(p.type);
    bool missing_endpoint = false;  // an endpoint type with no node to link (none seeded or insertable)
    for (const auto& s : plan.statements) {
      const auto* edge = s.is_edge ? fx.catalog.find_edge(s.type_name) : nullptr;
      for (const auto& a : s.assignments) {
        if (a.value.kind != compiler::ir::Expr::Kind::kParam) continue;
        if (edge && (a.property == "from" || a.property == "to")) {
          std::string node_type = a.property == "from" ? edge->source : edge->target;
          if (inserted.count(node_type))
            params[a.value.name] = inserted[node_type];
          else if (auto id = fx.seed_value(node_type, "id"))
            params[a.value.name] = *id;
          else if (auto slug = fx.seed_value(node_type, "slug"))
            params[a.value.name] = *slug;
          else
            missing_endpoint = true;
        } else if (a.property == "slug" || a.property == "id") {
          params[a.value.name] = "e2e-" + decl.name;
        } else if (const auto* t = edge ? edge : fx.catalog.find_node(s.type_name)) {
          if (const auto* prop = t->find_property(a.property); prop && prop->type.is_enum())
            params[a.value.name] = prop->type.enum_values.front();
        }
      }
      if (s.predicate && s.predicate->args[1].kind == compiler::ir::Expr::Kind::kParam) {
        if (auto v = fx.seed_value(s.type_name, s.predicate->args[0].property))
          params[s.predicate->args[1].name] = *v;
      }
    }
    auto r =
        og({"mutate", "--store", fx.uri, "--query", file, decl.name, "--params", params.dump(), "--json"});
    // A required @embed vector cannot be computed by a write: the spec keeps upstream's error.
    bool embed_required = false;
    for (const auto& s : plan.statements)
      if (const auto* t = fx.catalog.find_node(s.type_name))
        for (const auto& p : t->properties)
          embed_required = embed_required || (p.embed_source && !p.type.nullable);
    if (missing_endpoint) {
      EXPECT_EQ(r.exit_code, 1) << decl.name;
      EXPECT_NE(r.err.find("not found in"), std::string::npos) << r.err;
      continue;
    }
    if (embed_required) {
      EXPECT_EQ(r.exit_code, 1) << decl.name;
      EXPECT_NE(r.err.find("missing required property '"), std::string::npos) << r.err;
      continue;
    }
    for (const auto& s : plan.statements) {
      if (s.is_edge || s.kind != compiler::ir::Statement::Kind::kInsert) continue;
      for (const auto& a : s.assignments)
        if ((a.property == "slug" || a.property == "id") && a.value.kind == compiler::ir::Expr::Kind::kParam)
          inserted[s.type_name] = params[a.value.name].get<std::string>();
    }
    ASSERT_EQ(r.exit_code, 0) << decl.name << " " << params.dump() << ": " << r.err;
    json out = json::parse(r.out);
    EXPECT_EQ(out["query_name"], decl.name);
    uint64_t affected = out["affected_nodes"].get<uint64_t>() + out["affected_edges"].get<uint64_t>();
    if (!plan.has_deletes) {
      EXPECT_GE(affected, 1u) << decl.name;
    }
    EXPECT_EQ(out["commit"].is_null(), affected == 0) << decl.name;
    ++ran;
  }
  EXPECT_GT(ran, 10);
}

TEST(QueryFixturesE2E, SecondBrainMutations) {
  run_fixture_mutations("second-brain");
}
TEST(QueryFixturesE2E, VcOsMutations) {
  run_fixture_mutations("vc-os");
}

}  // namespace
}  // namespace omnigraph::testing
