// Two writer processes race to publish on one branch, round after round, in lock step so that
// both always build on the same head: exactly one wins each round, the loser sees a conflict,
// and the branch ends up holding every winning commit and every winning row.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

#include "graph_fixture.h"
#include "storage/graph_root.h"
#include "storage/local_object_store.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

using testing::Row;
using testing::ScratchDir;

constexpr int kRounds = 150;

void send_line(int fd, const std::string& line) {
  std::string msg = line + "\n";
  const char* p = msg.data();
  size_t left = msg.size();
  while (left) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) ::_exit(3);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::string recv_line(int fd) {
  std::string out;
  char c;
  while (true) {
    ssize_t n = ::read(fd, &c, 1);
    if (n <= 0) return out.empty() ? "EOF" : out;
    if (c == '\n') return out;
    out.push_back(c);
  }
}

// Child: per round, read the head, prepare a commit adding one row (round, writer), report
// "ready <seq>", wait for the go signal, then try to publish and report won/lost.
[[noreturn]] void writer(const std::string& root, int writer_id, int cmd_fd, int out_fd) {
  // A forked child inherits the parent's ULID generator state; within the parent's last
  // millisecond both children would mint the same next id. Step past that millisecond so each
  // child draws fresh randomness (separately started processes never share state).
  ::usleep(3000);
  try {
    auto store = LocalObjectStore::open(root);
    BranchRefs refs(*store);
    while (true) {
      std::string cmd = recv_line(cmd_fd);
      if (cmd != "round") ::_exit(0);
      RefEntry head = refs.head("main");
      GraphCommit parent = read_commit(*store, head.commit_id);
      int64_t round = static_cast<int64_t>(parent.sequence);  // the round this attempt is for
      std::string snap = testing::write_table_version(*store, "t_events", parent.tables.at("t_events"),
                                                      {{round, "writer-" + std::to_string(writer_id)}});
      GraphCommit next = testing::write_graph_commit(*store, "main", &parent, {{"t_events", snap}},
                                                     "writer-" + std::to_string(writer_id));
      send_line(out_fd, "ready " + std::to_string(head.seq));
      if (recv_line(cmd_fd) != "go") ::_exit(4);
      try {
        refs.publish("main", head, next.id);
        send_line(out_fd, "won " + next.id);
      } catch (const PublishConflict&) {
        send_line(out_fd, "lost");
      }
    }
  } catch (const std::exception& e) {
    send_line(out_fd, std::string("error ") + e.what());
    ::_exit(5);
  }
}

TEST(Concurrency, TwoProcessesRaceOnOneBranchExactlyOneWinsEachRound) {
  ScratchDir dir;
  GraphCommit genesis;
  {
    auto store = LocalObjectStore::open(dir.path());
    init_graph_root(*store);
    std::string snap = testing::write_table_version(*store, "t_events", std::nullopt, {});
    genesis = testing::write_graph_commit(*store, "main", nullptr, {{"t_events", snap}});
    BranchRefs(*store).create("main", genesis.id);
  }
  int cmd[2][2], out[2][2];
  pid_t pids[2];
  for (int w = 0; w < 2; ++w) {
    ASSERT_EQ(::pipe(cmd[w]), 0);
    ASSERT_EQ(::pipe(out[w]), 0);
    pids[w] = ::fork();
    ASSERT_GE(pids[w], 0);
    if (pids[w] == 0) {
      ::close(cmd[w][1]);
      ::close(out[w][0]);
      writer(dir.path(), w, cmd[w][0], out[w][1]);
    }
    ::close(cmd[w][0]);
    ::close(out[w][1]);
  }
  std::vector<std::string> winners_ids;
  std::vector<Row> expected_rows;
  int wins[2] = {0, 0};
  for (int round = 1; round <= kRounds; ++round) {
    for (int w = 0; w < 2; ++w) send_line(cmd[w][1], "round");
    std::string ready[2] = {recv_line(out[0][0]), recv_line(out[1][0])};
    ASSERT_EQ(ready[0], "ready " + std::to_string(round)) << "writer 0, round " << round;
    ASSERT_EQ(ready[1], ready[0]) << "writers built on different heads in round " << round;
    // Alternate who hears "go" first so neither writer is structurally favoured.
    send_line(cmd[round % 2][1], "go");
    send_line(cmd[1 - round % 2][1], "go");
    std::string result[2] = {recv_line(out[0][0]), recv_line(out[1][0])};
    int won = -1;
    for (int w = 0; w < 2; ++w) {
      if (result[w].starts_with("won ")) {
        ASSERT_EQ(won, -1) << "two winners in round " << round;
        won = w;
        winners_ids.push_back(result[w].substr(4));
      } else {
        ASSERT_EQ(result[w], "lost") << "writer " << w << " round " << round;
      }
    }
    ASSERT_NE(won, -1) << "no winner in round " << round;
    ++wins[won];
    expected_rows.emplace_back(round, "writer-" + std::to_string(won));
  }
  for (int w = 0; w < 2; ++w) {
    send_line(cmd[w][1], "quit");
    int status = 0;
    ::waitpid(pids[w], &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ::close(cmd[w][1]);
    ::close(out[w][0]);
  }
  // Both writers must have won some rounds, or the test did not really race.
  EXPECT_GT(wins[0], 0);
  EXPECT_GT(wins[1], 0);
  RecordProperty("wins_writer0", wins[0]);
  RecordProperty("wins_writer1", wins[1]);

  auto store = LocalObjectStore::open(dir.path());
  BranchRefs refs(*store);
  RefEntry head = refs.head("main");
  EXPECT_EQ(head.seq, static_cast<uint64_t>(kRounds + 1));
  EXPECT_EQ(refs.log("main").size(), static_cast<size_t>(kRounds + 1));
  auto lineage = commit_lineage(*store, head.commit_id);
  ASSERT_EQ(lineage.size(), static_cast<size_t>(kRounds + 1));
  for (int i = 0; i < kRounds; ++i) {
    const GraphCommit& c = lineage[static_cast<size_t>(kRounds - 1 - i)];
    EXPECT_EQ(c.id, winners_ids[static_cast<size_t>(i)]);
    EXPECT_EQ(c.sequence, static_cast<uint64_t>(i + 2));
  }
  EXPECT_EQ(lineage.back().id, genesis.id);
  std::sort(expected_rows.begin(), expected_rows.end());
  EXPECT_EQ(testing::read_table(*store, lineage.front().tables.at("t_events")), expected_rows);
}

}  // namespace
}  // namespace omnigraph::storage
