// Three-way merge (§7): outcomes, a test per truth-table row (§7.3), each reachable conflict
// kind (§7.4), all-or-nothing, cost following the change, and a randomized test against a
// reference merge computed here.
#include "engine/vc/merge.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;
using Ages = std::map<std::string, int64_t>;

// prefix + number (avoids GCC 12's false -Wrestrict on `"x" + std::to_string(n)`).
std::string named(const char* prefix, uint64_t n) {
  std::string s = prefix;
  s.append(std::to_string(n));
  return s;
}

class MergeTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }

  const compiler::TypeDef& type(const GraphSnapshot& s, const char* name) {
    auto* n = s.catalog().find_node(name);
    return n ? *n : *s.catalog().find_edge(name);
  }
  // Applies puts (name → age) and removals on `branch` in one commit.
  void edit(const std::string& branch, const Ages& puts, const std::vector<std::string>& removes = {}) {
    Graph::WriteOptions o;
    o.branch = branch;
    graph->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      const auto& t = type(base, "Person");
      for (const auto& id : removes) txn.remove(t, id);
      for (const auto& [n, age] : puts) txn.put(t, Entity{n, "", "", {Value(n), Value(age), {}, {}}});
    });
  }
  void put_entity(const std::string& branch, const char* type_name, Entity e) {
    Graph::WriteOptions o;
    o.branch = branch;
    graph->write(
        o, [&](const GraphSnapshot& base, WriteTxn& txn) { txn.put(type(base, type_name), std::move(e)); });
  }
  Ages ages(const std::string& branch) {
    auto s = graph->snapshot({.branch = branch});
    const auto& data = s->table(type(*s, "Person"));
    Ages out;
    for (uint64_t r = 0; r < data.row_count(); ++r)
      out[std::get<std::string>(data.value(r, "id").v)] = std::get<int64_t>(data.value(r, "age").v);
    return out;
  }
  std::vector<MergeConflict> conflicts_of(const std::string& source, const std::string& target = "main") {
    auto before = graph->refs().head(target).commit_id;
    try {
      merge_branches(*graph, source, target, {});
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kConflict) << e.message();
      EXPECT_EQ(graph->refs().head(target).commit_id, before) << "target moved on a failed merge";
      if (auto* d = std::get_if<MergeConflictsDetail>(&e.detail())) return d->conflicts;
      ADD_FAILURE() << "no merge_conflicts detail: " << e.message();
      return {};
    }
    ADD_FAILURE() << "merge succeeded";
    return {};
  }

  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(MergeTest, OutcomesFollowTheCommitGraph) {
  edit("main", {{"Alice", 30}});
  create_branch(*graph, "feature", "main", {});
  auto r = merge_branches(*graph, "feature", "main", {});
  EXPECT_EQ(r.outcome, MergeOutcome::kAlreadyUpToDate);
  EXPECT_FALSE(r.commit);
  edit("main", {{"Bob", 25}});
  EXPECT_EQ(merge_branches(*graph, "feature", "main", {}).outcome, MergeOutcome::kAlreadyUpToDate);

  // Fast forward: a new commit on the target whose parents are (old target head, source head).
  edit("feature", {{"Carol", 40}});
  auto old_feature = graph->refs().head("feature").commit_id;
  auto main_head = graph->refs().head("main").commit_id;
  auto r2 = merge_branches(*graph, "main", "feature", "act");
  EXPECT_EQ(r2.outcome, MergeOutcome::kMerged);
  ASSERT_TRUE(r2.commit);
  EXPECT_EQ(r2.commit->parents, (std::vector<std::string>{old_feature, main_head}));
  EXPECT_EQ(r2.commit->actor, std::optional<std::string>("act"));
  EXPECT_EQ(ages("feature"), (Ages{{"Alice", 30}, {"Bob", 25}, {"Carol", 40}}));
  auto feature_head = graph->refs().head("feature").commit_id;
  auto r3 = merge_branches(*graph, "feature", "main", {});
  EXPECT_EQ(r3.outcome, MergeOutcome::kFastForward);
  ASSERT_TRUE(r3.commit);
  EXPECT_EQ(r3.commit->parents, (std::vector<std::string>{main_head, feature_head}));
  EXPECT_NE(r3.commit->id, feature_head);
  EXPECT_EQ(r3.commit->branch, "main");
  EXPECT_EQ(ages("main"), ages("feature"));
  EXPECT_EQ(graph->refs().head("feature").commit_id, feature_head);  // source never modified
}

TEST_F(MergeTest, NetZeroSourceIsStillFastForward) {
  create_branch(*graph, "feature", "main", {});
  edit("feature", {{"Eve", 1}});
  edit("feature", {}, {"Eve"});
  auto r = merge_branches(*graph, "feature", "main", {});
  EXPECT_EQ(r.outcome, MergeOutcome::kFastForward);
  ASSERT_TRUE(r.commit);
  EXPECT_EQ(r.commit->parents.size(), 2u);
  EXPECT_TRUE(ages("main").empty());
}

TEST_F(MergeTest, SurfaceErrors) {
  auto code_msg = [&](std::string_view s, std::string_view t) {
    try {
      merge_branches(*graph, s, t, {});
    } catch (const Error& e) {
      return std::make_pair(e.code(), e.message());
    }
    return std::make_pair(ErrorCode::kInternal, std::string());
  };
  EXPECT_EQ(code_msg("main", "main"),
            std::make_pair(ErrorCode::kBadRequest,
                           std::string("branch_merge requires distinct source and target branches")));
  EXPECT_EQ(code_msg("ghost", "main"),
            std::make_pair(ErrorCode::kNotFound, std::string("branch 'ghost' not found")));
  EXPECT_EQ(code_msg("__schema_apply_lock__", "main"),
            std::make_pair(
                ErrorCode::kBadRequest,
                std::string(
                    "branch_merge does not allow internal system refs ('__schema_apply_lock__' -> 'main')")));
}

// One §7.3 row: B, S, T ages of entity X (0 = absent); expected age or conflict.
struct Row {
  int64_t b, s, t;
  int64_t result;  // 0 = absent
  std::optional<MergeConflictKind> conflict;
};

class TruthTableTest : public MergeTest, public ::testing::WithParamInterface<Row> {};

TEST_P(TruthTableTest, Row) {
  const Row row = GetParam();
  if (row.b) edit("main", {{"X", row.b}});
  create_branch(*graph, "feature", "main", {});
  auto apply = [&](const std::string& branch, int64_t v, const char* unrelated) {
    // An unrelated change on both sides so the outcome is always `merged`.
    if (v == row.b)
      edit(branch, {{unrelated, 7}});
    else if (v)
      edit(branch, {{"X", v}, {unrelated, 7}});
    else
      edit(branch, {{unrelated, 7}}, {"X"});
  };
  apply("feature", row.s, "Sam");
  apply("main", row.t, "Tom");
  if (row.conflict) {
    auto c = conflicts_of("feature");
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].kind, *row.conflict);
    EXPECT_EQ(c[0].entity_id, std::optional<std::string>("X"));
    EXPECT_EQ(c[0].type_name, "Person");
    EXPECT_EQ(c[0].entity_kind, EntityKind::kNode);
    std::string what = *row.conflict == MergeConflictKind::kDivergentInsert   ? "divergent insert"
                       : *row.conflict == MergeConflictKind::kDivergentUpdate ? "divergent update"
                                                                              : "delete/update conflict";
    EXPECT_EQ(c[0].message, what + " for id 'X'");
    return;
  }
  auto r = merge_branches(*graph, "feature", "main", {});
  EXPECT_EQ(r.outcome, MergeOutcome::kMerged);
  Ages expected{{"Sam", 7}, {"Tom", 7}};
  if (row.result) expected["X"] = row.result;
  EXPECT_EQ(ages("main"), expected);
}

INSTANTIATE_TEST_SUITE_P(Spec73, TruthTableTest,
                         ::testing::Values(Row{0, 1, 0, 1, {}}, Row{0, 0, 1, 1, {}}, Row{0, 1, 1, 1, {}},
                                           Row{0, 1, 2, 0, MergeConflictKind::kDivergentInsert},
                                           Row{1, 1, 1, 1, {}}, Row{1, 2, 1, 2, {}}, Row{1, 1, 2, 2, {}},
                                           Row{1, 2, 2, 2, {}},
                                           Row{1, 2, 3, 0, MergeConflictKind::kDivergentUpdate},
                                           Row{1, 0, 1, 0, {}}, Row{1, 1, 0, 0, {}}, Row{1, 0, 0, 0, {}},
                                           Row{1, 0, 2, 0, MergeConflictKind::kDeleteVsUpdate},
                                           Row{1, 2, 0, 0, MergeConflictKind::kDeleteVsUpdate}));

TEST_F(MergeTest, StructuralConflictsAreSortedAndSummarised) {
  edit("main", {{"A", 1}, {"B", 1}, {"C", 1}, {"D", 1}});
  create_branch(*graph, "feature", "main", {});
  edit("feature", {{"A", 2}, {"B", 2}, {"C", 2}, {"D", 2}});
  edit("main", {{"A", 3}, {"B", 3}, {"C", 3}, {"D", 3}});
  try {
    merge_branches(*graph, "feature", "main", {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.message(),
              "merge conflicts: node type 'Person', entity id 'A' (divergent_update); node type 'Person', "
              "entity id "
              "'B' (divergent_update); node type 'Person', entity id 'C' (divergent_update); and 1 more");
    EXPECT_EQ(e.http_status(), 409);
  }
}

TEST_F(MergeTest, OrphanEdgeWhenTargetDeletedAnEndpoint) {
  edit("main", {{"Alice", 30}, {"Carol", 40}});
  create_branch(*graph, "feature", "main", {});
  put_entity("feature", "Knows", Entity{"k1", "Alice", "Carol", {}});
  edit("main", {}, {"Alice"});
  auto c = conflicts_of("feature");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, MergeConflictKind::kOrphanEdge);
  EXPECT_EQ(c[0].entity_kind, EntityKind::kEdge);
  EXPECT_EQ(c[0].type_name, "Knows");
  EXPECT_EQ(c[0].entity_id, std::optional<std::string>("k1"));
}

TEST_F(MergeTest, OrphanEdgeWhenSourceDeletedAnEndpointOfASurvivingTargetEdge) {
  edit("main", {{"Alice", 30}, {"Carol", 40}});
  create_branch(*graph, "feature", "main", {});
  edit("feature", {}, {"Alice"});
  put_entity("main", "Knows", Entity{"k1", "Alice", "Carol", {}});
  put_entity("main", "Knows", Entity{"k0", "Carol", "Alice", {}});
  put_entity("main", "Knows", Entity{"k2", "Carol", "Carol", {}});
  auto c = conflicts_of("feature");
  ASSERT_EQ(c.size(), 2u);  // every orphan is reported, by type then id
  EXPECT_EQ(c[0].kind, MergeConflictKind::kOrphanEdge);
  EXPECT_EQ(c[0].entity_id, std::optional<std::string>("k0"));
  EXPECT_EQ(c[1].entity_id, std::optional<std::string>("k1"));
  EXPECT_EQ(c[1].type_name, "Knows");
}

TEST_F(MergeTest, UniqueViolationAcrossSides) {
  edit("main", {{"Alice", 30}, {"Bob", 25}});
  create_branch(*graph, "feature", "main", {});
  put_entity(
      "feature", "Person",
      Entity{
          "Alice", "", "", {Value(std::string("Alice")), Value(int64_t{30}), {}, Value(std::string("a@x"))}});
  put_entity(
      "main", "Person",
      Entity{"Bob", "", "", {Value(std::string("Bob")), Value(int64_t{25}), {}, Value(std::string("a@x"))}});
  auto c = conflicts_of("feature");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, MergeConflictKind::kUniqueViolation);
  EXPECT_EQ(c[0].type_name, "Person");
  EXPECT_TRUE(c[0].entity_id == std::optional<std::string>("Alice") ||
              c[0].entity_id == std::optional<std::string>("Bob"));
}

TEST_F(MergeTest, CardinalityViolationAcrossSides) {
  edit("main", {{"Alice", 30}});
  put_entity("main", "Company", Entity{"Acme", "", "", {Value(std::string("Acme"))}});
  put_entity("main", "Company", Entity{"Beta", "", "", {Value(std::string("Beta"))}});
  create_branch(*graph, "feature", "main", {});
  put_entity("feature", "WorksAt", Entity{"w1", "Alice", "Acme", {}});
  put_entity("main", "WorksAt", Entity{"w2", "Alice", "Beta", {}});
  auto c = conflicts_of("feature");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].kind, MergeConflictKind::kCardinalityViolation);
  EXPECT_EQ(c[0].type_name, "WorksAt");
  EXPECT_EQ(c[0].entity_kind, EntityKind::kEdge);
}

// §7.4: every violation of the merged delta is a conflict record, not just the first, in §2.7
// evaluation order: node unique groups, then per edge type (catalog order) unique,
// orphan, cardinality.
TEST_F(MergeTest, EveryValidationViolationIsReportedInEvaluationOrder) {
  edit("main", {{"Alice", 30}, {"Bob", 25}, {"Carol", 40}, {"Dan", 50}});
  put_entity("main", "Company", Entity{"Acme", "", "", {Value(std::string("Acme"))}});
  put_entity("main", "Company", Entity{"Beta", "", "", {Value(std::string("Beta"))}});
  create_branch(*graph, "feature", "main", {});
  auto person = [](const char* n, int64_t age, const char* email) {
    return Entity{n, "", "", {Value(std::string(n)), Value(age), {}, Value(std::string(email))}};
  };
  put_entity("feature", "Person", person("Alice", 30, "a@x"));
  put_entity("feature", "Person", person("Carol", 40, "c@x"));
  put_entity("feature", "WorksAt", Entity{"w1", "Alice", "Acme", {}});
  put_entity("feature", "Knows", Entity{"k1", "Alice", "Dan", {}});
  put_entity("main", "Person", person("Bob", 25, "a@x"));
  put_entity("main", "Person", person("Erin", 20, "c@x"));
  put_entity("main", "WorksAt", Entity{"w2", "Alice", "Beta", {}});
  edit("main", {}, {"Dan"});
  auto c = conflicts_of("feature");
  ASSERT_EQ(c.size(), 4u);
  std::set<std::optional<std::string>> unique_ids;
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(c[i].kind, MergeConflictKind::kUniqueViolation);
    EXPECT_EQ(c[i].type_name, "Person");
    EXPECT_EQ(c[i].entity_kind, EntityKind::kNode);
    unique_ids.insert(c[i].entity_id);  // the source's entity, brought in by the merge
  }
  EXPECT_EQ(unique_ids, (std::set<std::optional<std::string>>{"Alice", "Carol"}));
  auto snap = graph->snapshot({.branch = "main"});
  bool works_first = snap->catalog().edges[0].name == "WorksAt";
  const auto& card = works_first ? c[2] : c[3];
  const auto& orphan = works_first ? c[3] : c[2];
  EXPECT_EQ(card.kind, MergeConflictKind::kCardinalityViolation);
  EXPECT_EQ(card.type_name, "WorksAt");
  EXPECT_FALSE(card.entity_id.has_value());
  EXPECT_EQ(card.message, "@card violation on edge WorksAt: source 'Alice' has 2 edges (max 1)");
  EXPECT_EQ(orphan.kind, MergeConflictKind::kOrphanEdge);
  EXPECT_EQ(orphan.entity_id, std::optional<std::string>("k1"));
  EXPECT_EQ(ages("main").count("Bob"), 1u);
}

// The list is bounded: at most kMaxMergeConflicts records, and the summary says it stopped.
TEST_F(MergeTest, ViolationListIsBoundedAndSaysSo) {
  const int n = static_cast<int>(kMaxMergeConflicts) + 50;
  Ages people;
  for (int i = 0; i < n; ++i) people[named("P", i)] = 1;
  edit("main", people);
  create_branch(*graph, "feature", "main", {});
  auto set_emails = [&](const std::string& branch, const char* prefix) {
    Graph::WriteOptions o;
    o.branch = branch;
    graph->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      const auto& t = type(base, "Person");
      for (int i = 0; i < n; ++i) {
        auto id = named(prefix, i);
        txn.put(t, Entity{id, "", "", {Value(id), Value(int64_t{1}), {}, Value(named("m@", i))}});
      }
    });
  };
  set_emails("feature", "P");
  set_emails("main", "Q");
  auto before = graph->refs().head("main").commit_id;
  try {
    merge_branches(*graph, "feature", "main", {});
    ADD_FAILURE() << "merge succeeded";
  } catch (const Error& e) {
    auto* d = std::get_if<MergeConflictsDetail>(&e.detail());
    ASSERT_NE(d, nullptr) << e.message();
    EXPECT_EQ(d->conflicts.size(), kMaxMergeConflicts);
    for (const auto& c : d->conflicts) EXPECT_EQ(c.kind, MergeConflictKind::kUniqueViolation);
    EXPECT_NE(e.message().find("; and " + std::to_string(kMaxMergeConflicts - 3) +
                               " more (listing stopped at the first " + std::to_string(kMaxMergeConflicts) +
                               " conflicts)"),
              std::string::npos)
        << e.message();
  }
  EXPECT_EQ(graph->refs().head("main").commit_id, before);
}

TEST_F(MergeTest, SharedFragmentsAreNeverRead) {
  Ages many;
  for (int i = 0; i < 2000; ++i) many[named("P", i)] = i % 100;
  edit("main", many);
  put_entity("main", "Company", Entity{"Acme", "", "", {Value(std::string("Acme"))}});
  create_branch(*graph, "feature", "main", {});
  edit("feature", {{"P7", 99}, {"New", 1}});
  edit("main", {{"Other", 2}});
  auto r = merge_branches(*graph, "feature", "main", {});
  EXPECT_EQ(r.outcome, MergeOutcome::kMerged);
  // Source: the base fragment's new deletion vector (row P7) + its new fragment; target: its
  // new fragment. The 2000-row base fragment is read only for the one replaced row's image.
  EXPECT_LE(r.reads.fragments_read, 3u);
  auto a = ages("main");
  EXPECT_EQ(a.size(), 2002u);
  EXPECT_EQ(a["P7"], 99);
  EXPECT_EQ(a["New"], 1);
  EXPECT_EQ(a["Other"], 2);
}

// Random edit scripts on both sides; the merge must equal a reference three-way merge.
TEST_F(MergeTest, RandomizedAgainstReferenceMerge) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 12; ++round) {
    auto branch = named("r", round);
    auto target = named("t", round);
    Ages base = ages("main");
    create_branch(*graph, branch, "main", {});
    create_branch(*graph, target, "main", {});
    auto script = [&](const std::string& b) {
      Ages state = base;
      int commits = 1 + static_cast<int>(rng() % 3);
      for (int c = 0; c < commits; ++c) {
        Ages puts;
        std::vector<std::string> removes;
        for (int k = 0; k < 4; ++k) {
          auto id = named("E", rng() % 12);
          if (rng() % 3 == 0) {
            if (state.count(id) && !puts.count(id) &&
                std::find(removes.begin(), removes.end(), id) == removes.end()) {
              removes.push_back(id);
              state.erase(id);
            }
          } else if (std::find(removes.begin(), removes.end(), id) == removes.end()) {
            auto v = static_cast<int64_t>(1 + rng() % 3);
            puts[id] = v;
            state[id] = v;
          }
        }
        edit(b, puts, removes);
      }
      return state;
    };
    Ages s = script(branch), t = script(target);
    // Reference merge (§7.3).
    std::set<std::string> ids;
    for (const auto* m : {&base, &s, &t})
      for (const auto& [k, v] : *m) ids.insert(k);
    Ages expected;
    std::vector<std::string> conflict_ids;
    for (const auto& id : ids) {
      auto get = [&](const Ages& m) -> std::optional<int64_t> {
        auto it = m.find(id);
        return it == m.end() ? std::nullopt : std::optional<int64_t>(it->second);
      };
      auto b = get(base), sv = get(s), tv = get(t);
      std::optional<int64_t> out;
      if (sv == b)
        out = tv;
      else if (tv == b || sv == tv)
        out = sv;
      else {
        conflict_ids.push_back(id);
        continue;
      }
      if (out) expected[id] = *out;
    }
    if (!conflict_ids.empty()) {
      auto c = conflicts_of(branch, target);
      std::vector<std::string> got;
      for (const auto& x : c) got.push_back(*x.entity_id);
      EXPECT_EQ(got, conflict_ids) << "round " << round;
      EXPECT_EQ(ages(target), t);
    } else {
      merge_branches(*graph, branch, target, {});
      EXPECT_EQ(ages(target), expected) << "round " << round;
    }
    // Evolve main so later rounds start from a different base.
    edit("main", {{named("E", rng() % 12), static_cast<int64_t>(1 + rng() % 3)}});
  }
}

}  // namespace
}  // namespace omnigraph::engine::vc
