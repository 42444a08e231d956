// Crash safety: a multi-table commit is interrupted before every one of its object writes (by an
// exception and by killing a forked writer); the graph must reopen at the previous commit with
// all of its data intact, and the same commit must then succeed.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/version.h"
#include "graph_fixture.h"
#include "storage/branch_refs.h"
#include "storage/fault_injection_store.h"
#include "storage/graph_root.h"
#include "storage/local_object_store.h"
#include "storage/storage_error.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

using testing::Row;
using testing::ScratchDir;

// Builds the base graph: genesis with tables person and knows, published on main.
GraphCommit build_base(ObjectStore& store) {
  init_graph_root(store);
  std::string person = testing::write_table_version(store, "t_person", std::nullopt,
                                                    {{1, "ada"}, {2, "bob"}, {3, "cy"}, {4, "dee"}});
  std::string knows =
      testing::write_table_version(store, "t_knows", std::nullopt, {{12, "ada->bob"}, {23, "bob->cy"}});
  GraphCommit genesis =
      testing::write_graph_commit(store, "main", nullptr, {{"t_person", person}, {"t_knows", knows}});
  BranchRefs(store).create("main", genesis.id);
  return genesis;
}

// The commit under test: update + delete in person (new fragment + deletion vector), an insert
// in knows, and a brand-new table; then the commit object and the ref publish. 9 object writes.
void multi_table_commit(ObjectStore& store) {
  BranchRefs refs(store);
  RefEntry head = refs.head("main");
  GraphCommit parent = read_commit(store, head.commit_id);
  std::string person = testing::write_table_version(store, "t_person", parent.tables.at("t_person"),
                                                    {{2, "bob v2"}, {5, "eve"}}, {2, 3});
  std::string knows =
      testing::write_table_version(store, "t_knows", parent.tables.at("t_knows"), {{34, "cy->dee"}});
  std::string tags = testing::write_table_version(store, "t_tag", std::nullopt, {{100, "vip"}});
  GraphCommit next = testing::write_graph_commit(store, "main", &parent,
                                                 {{"t_person", person}, {"t_knows", knows}, {"t_tag", tags}});
  refs.publish("main", head, next.id);
}

const std::map<std::string, std::vector<Row>> kBefore = {
    {"t_person", {{1, "ada"}, {2, "bob"}, {3, "cy"}, {4, "dee"}}},
    {"t_knows", {{12, "ada->bob"}, {23, "bob->cy"}}},
};
const std::map<std::string, std::vector<Row>> kAfter = {
    {"t_person", {{1, "ada"}, {2, "bob v2"}, {4, "dee"}, {5, "eve"}}},
    {"t_knows", {{12, "ada->bob"}, {23, "bob->cy"}, {34, "cy->dee"}}},
    {"t_tag", {{100, "vip"}}},
};

uint64_t count_commit_writes() {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  build_base(*store);
  FaultInjectionStore counter(*store);
  multi_table_commit(counter);
  return counter.writes_done();
}

// Reopens the root the way a fresh process would and checks the graph is exactly at `genesis`.
void expect_at_base(const std::string& root, const GraphCommit& genesis, uint64_t k) {
  auto reopened = LocalObjectStore::open(root);
  EXPECT_EQ(check_graph_root(*reopened), kStorageFormatVersion);
  BranchRefs refs(*reopened);
  RefEntry head = refs.head("main");
  EXPECT_EQ(head.commit_id, genesis.id) << "crash before write " << k + 1;
  EXPECT_EQ(head.seq, 1u);
  GraphCommit c = read_commit(*reopened, head.commit_id);
  EXPECT_EQ(testing::read_graph(*reopened, c), kBefore) << "crash before write " << k + 1;
  EXPECT_EQ(commit_lineage(*reopened, head.commit_id).size(), 1u);
  // The interrupted writer left no damage: the same commit now succeeds from scratch.
  multi_table_commit(*reopened);
  GraphCommit after = read_commit(*reopened, refs.head("main").commit_id);
  EXPECT_EQ(after.sequence, 2u);
  EXPECT_EQ(testing::read_graph(*reopened, after), kAfter);
}

TEST(CrashSafety, CommitInterruptedBeforeEveryWriteLeavesPreviousCommit) {
  const uint64_t total = count_commit_writes();
  ASSERT_EQ(total, 9u) << "the scenario should write fragments, a deletion vector, snapshots, commit, ref";
  for (uint64_t k = 0; k < total; ++k) {
    ScratchDir dir;
    GraphCommit genesis;
    {
      auto store = LocalObjectStore::open(dir.path());
      genesis = build_base(*store);
      FaultInjectionStore faulty(*store, k);
      EXPECT_THROW(multi_table_commit(faulty), InjectedFault) << "k=" << k;
      EXPECT_EQ(faulty.writes_done(), k);
    }
    expect_at_base(dir.path(), genesis, k);
  }
}

TEST(CrashSafety, CompletedCommitIsVisibleAfterReopen) {
  ScratchDir dir;
  {
    auto store = LocalObjectStore::open(dir.path());
    build_base(*store);
    multi_table_commit(*store);
  }
  auto store = LocalObjectStore::open(dir.path());
  GraphCommit head = read_commit(*store, BranchRefs(*store).head("main").commit_id);
  EXPECT_EQ(head.sequence, 2u);
  EXPECT_EQ(testing::read_graph(*store, head), kAfter);
  // Time travel: the parent still reads as before.
  EXPECT_EQ(testing::read_graph(*store, read_commit(*store, head.parents.at(0))), kBefore);
}

TEST(CrashSafety, KilledWriterProcessLeavesPreviousCommit) {
  const uint64_t total = count_commit_writes();
  for (uint64_t k = 0; k < total; ++k) {
    ScratchDir dir;
    GraphCommit genesis;
    {
      auto store = LocalObjectStore::open(dir.path());
      genesis = build_base(*store);
    }
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      try {
        auto store = LocalObjectStore::open(dir.path());
        FaultInjectionStore faulty(*store, k, FaultAction::kExit);
        multi_table_commit(faulty);
      } catch (...) {
        ::_exit(2);
      }
      ::_exit(0);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_EQ(WEXITSTATUS(status), kFaultExitCode) << "writer was not killed at write " << k + 1;
    expect_at_base(dir.path(), genesis, k);
  }
}

}  // namespace
}  // namespace omnigraph::storage
