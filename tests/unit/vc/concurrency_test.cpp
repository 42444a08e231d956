// Optimistic concurrency (§3.3) between two independent handles on one store — the same
// situation as two processes: the head CAS is the only coordination.
#include <gtest/gtest.h>

#include "common/error.h"
#include "engine/vc/commit_log.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

TEST(ConcurrencyTest, InsertOnlyWriterRepreparesAndBothLand) {
  TempGraphDir dir;
  auto a = Graph::init(dir.uri(), kPeopleSchema);
  auto b = Graph::open(dir.uri());
  Graph::WriteOptions o;
  o.reprepare = true;
  int attempts = 0;
  a->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    if (attempts++ == 0) put_people(*b, "main", {"FromB"});  // B publishes first
    txn.put(*base.catalog().find_node("Person"),
            Entity{"FromA", "", "", {Value(std::string("FromA")), {}, {}, {}}});
  });
  EXPECT_EQ(attempts, 2);  // re-prepared once from B's head
  EXPECT_EQ(people(*a->snapshot()), (std::set<std::string>{"FromA", "FromB"}));
  EXPECT_EQ(list_commits(*a).size(), 3u);
}

TEST(ConcurrencyTest, StrictWriterWhoseBranchMovedGetsReadSetConflict) {
  TempGraphDir dir;
  auto a = Graph::init(dir.uri(), kPeopleSchema);
  put_people(*a, "main", {"Ada"});
  auto b = Graph::open(dir.uri());
  auto before = a->refs().head("main").commit_id;
  std::string b_head;
  Graph::WriteOptions o;  // reprepare = false: strict update
  try {
    a->write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
      b_head = put_people(*b, "main", {"Bob"}).id;
      const auto& t = *base.catalog().find_node("Person");
      auto ada = txn.get(t, "Ada");
      ada->values[1] = Value(int64_t{99});
      txn.put(t, std::move(*ada));
    });
    FAIL() << "expected read_set_conflict";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kConflict);
    auto* d = std::get_if<ReadSetConflictDetail>(&e.detail());
    ASSERT_NE(d, nullptr) << e.message();
    EXPECT_EQ(d->member, "graph_head:main");
    EXPECT_EQ(d->expected, std::optional<std::string>(before));
    EXPECT_EQ(d->actual, std::optional<std::string>(b_head));
  }
  // Nothing of A's update landed; B's insert did.
  auto snap = a->snapshot();
  const auto& rows = snap->table(*snap->catalog().find_node("Person"));
  EXPECT_TRUE(rows.value(*rows.find("Ada"), "age").is_null());
  EXPECT_EQ(people(*snap), (std::set<std::string>{"Ada", "Bob"}));
  EXPECT_EQ(a->refs().head("main").commit_id, b_head);
}

}  // namespace
}  // namespace omnigraph::engine::vc
