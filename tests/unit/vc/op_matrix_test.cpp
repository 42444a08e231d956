// The upstream op-pair matrix of data-plane §7.7: every (source op, target op) pair on the
// Person{Alice 30, Bob 25, Carol 40, Dan 50}, Knows{Bob→Carol} fixture, merged feature → main.
#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/merge.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

enum Op { kNone, kAN, kRN, kAE, kRE, kSP, kNZ };
const char* kOpName[] = {"none", "AN", "RN", "AE", "RE", "SP", "NZ"};

// Expected cell: U / FF / M, or a conflict kind.
struct Cell {
  std::optional<MergeOutcome> outcome;
  std::optional<MergeConflictKind> conflict;
};
constexpr auto U = MergeOutcome::kAlreadyUpToDate;
constexpr auto FF = MergeOutcome::kFastForward;
constexpr auto M = MergeOutcome::kMerged;

Cell expected(Op s, Op t) {
  if (s == kNone) return {U, {}};
  if (t == kNone) return {FF, {}};
  if (s == kAN && t == kAN) return {{}, MergeConflictKind::kDivergentInsert};
  if ((s == kRN && t == kAE) || (s == kAE && t == kRN)) return {{}, MergeConflictKind::kOrphanEdge};
  if ((s == kRN && t == kSP) || (s == kSP && t == kRN)) return {{}, MergeConflictKind::kDeleteVsUpdate};
  if (s == kSP && t == kSP) return {{}, MergeConflictKind::kDivergentUpdate};
  return {M, {}};
}

class OpMatrixTest : public ::testing::TestWithParam<std::tuple<Op, Op>> {
 protected:
  void SetUp() override {
    graph = Graph::init(dir.uri(), kPeopleSchema);
    write("main", [&](const GraphSnapshot& b, WriteTxn& t) {
      for (auto [n, a] : {std::pair{"Alice", 30}, {"Bob", 25}, {"Carol", 40}, {"Dan", 50}})
        t.put(person(b), P(n, a));
      t.put(knows(b), Entity{"bc", "Bob", "Carol", {}});
    });
    create_branch(*graph, "feature", "main", {});
  }
  static const compiler::TypeDef& person(const GraphSnapshot& b) { return *b.catalog().find_node("Person"); }
  static const compiler::TypeDef& knows(const GraphSnapshot& b) { return *b.catalog().find_edge("Knows"); }
  static Entity P(const std::string& n, int64_t age) {
    return Entity{n, "", "", {Value(n), Value(age), {}, {}}};
  }
  void write(const std::string& branch, const std::function<void(const GraphSnapshot&, WriteTxn&)>& fn) {
    Graph::WriteOptions o;
    o.branch = branch;
    graph->write(o, fn);
  }
  // Applies `op` on `branch`; `source` picks the side-specific values (Eve's age, SP's value).
  void apply(Op op, const std::string& branch, bool source) {
    std::string side = source ? "s" : "t";
    switch (op) {
      case kNone:
        return;
      case kAN:
        write(branch,
              [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Eve", source ? 20 : 21)); });
        return;
      case kRN:
        write(branch, [&](const GraphSnapshot& b, WriteTxn& t) { t.remove(person(b), "Alice"); });
        return;
      case kAE:
        write(branch, [&](const GraphSnapshot& b, WriteTxn& t) {
          t.put(knows(b), Entity{"ae-" + side, "Alice", "Carol", {}});
        });
        return;
      case kRE:
        write(branch, [&](const GraphSnapshot& b, WriteTxn& t) { t.remove(knows(b), "bc"); });
        return;
      case kSP:
        write(branch,
              [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Alice", source ? 31 : 32)); });
        return;
      case kNZ:
        write(branch, [&](const GraphSnapshot& b, WriteTxn& t) {
          t.put(knows(b), Entity{"nz-" + side, "Alice", "Carol", {}});
        });
        write(branch, [&](const GraphSnapshot& b, WriteTxn& t) { t.remove(knows(b), "nz-" + side); });
        return;
    }
  }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_P(OpMatrixTest, Cell) {
  auto [s, t] = GetParam();
  apply(s, "feature", true);
  apply(t, "main", false);
  auto want = expected(s, t);
  auto before = graph->refs().head("main").commit_id;
  try {
    auto r = merge_branches(*graph, "feature", "main", {});
    ASSERT_TRUE(want.outcome) << "expected a conflict";
    EXPECT_EQ(r.outcome, *want.outcome);
  } catch (const Error& e) {
    ASSERT_TRUE(want.conflict) << e.message();
    auto* d = std::get_if<MergeConflictsDetail>(&e.detail());
    ASSERT_NE(d, nullptr) << e.message();
    ASSERT_FALSE(d->conflicts.empty());
    EXPECT_EQ(d->conflicts[0].kind, *want.conflict) << e.message();
    EXPECT_EQ(graph->refs().head("main").commit_id, before);
    return;
  }
  // Spot checks of the merged content.
  auto snap = graph->snapshot();
  const auto& kn = snap->table(knows(*snap));
  if (s == kAE && t == kAE) {
    EXPECT_EQ(kn.row_count(), 3u);  // bc + one Alice→Carol edge from each side
  }
  const auto& people = snap->table(person(*snap));
  if (s == kSP) {
    EXPECT_EQ(people.value(*people.find("Alice"), "age"), Value(int64_t{31}));
  }
  if (s == kRN) {
    EXPECT_FALSE(people.find("Alice").has_value());
  }
  if (s == kNZ && t == kNone) {
    EXPECT_EQ(kn.row_count(), 1u);
  }
}

TEST_F(OpMatrixTest, IdenticalInsertsAndIdenticalUpdatesMergeWithoutConflict) {
  write("feature", [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Eve", 20)); });
  write("main", [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Eve", 20)); });
  EXPECT_EQ(merge_branches(*graph, "feature", "main", {}).outcome, MergeOutcome::kMerged);
  write("feature", [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Alice", 31)); });
  write("main", [&](const GraphSnapshot& b, WriteTxn& t) { t.put(person(b), P("Alice", 31)); });
  EXPECT_EQ(merge_branches(*graph, "feature", "main", {}).outcome, MergeOutcome::kMerged);
}

INSTANTIATE_TEST_SUITE_P(Spec77, OpMatrixTest,
                         ::testing::Combine(::testing::Values(kNone, kAN, kRN, kAE, kRE, kSP, kNZ),
                                            ::testing::Values(kNone, kAN, kRN, kAE, kRE, kSP, kNZ)),
                         [](const auto& info) {
                           return std::string(kOpName[std::get<0>(info.param)]) + "_vs_" +
                                  kOpName[std::get<1>(info.param)];
                         });

}  // namespace
}  // namespace omnigraph::engine::vc
