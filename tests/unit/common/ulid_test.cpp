#include "common/ulid.h"

#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <set>
#include <thread>

namespace omnigraph {
namespace {

bool is_crockford(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z' && c != 'I' && c != 'L' && c != 'O' && c != 'U');
}

TEST(UlidTest, FormatIs26CrockfordChars) {
  auto s = new_ulid();
  ASSERT_EQ(s.size(), 26u);
  for (char c : s) EXPECT_TRUE(is_crockford(c)) << s;
  EXPECT_LE(s[0], '7');  // 128 bits: first digit carries 3 bits
}

TEST(UlidTest, EncodesTimeInFirstTenChars) {
  Ulid u;
  u.time_ms = 1469918176385;  // example from the ULID spec: 01ARYZ6S41
  EXPECT_EQ(u.to_string().substr(0, 10), "01ARYZ6S41");
  Ulid max;
  max.time_ms = 0xFFFFFFFFFFFFULL;
  max.random.fill(0xFF);
  EXPECT_EQ(max.to_string(), "7ZZZZZZZZZZZZZZZZZZZZZZZZZ");
}

TEST(UlidTest, ParseRoundTripsAndRejectsMalformed) {
  UlidGenerator gen;
  Ulid u = gen.next_at(1700000000000);
  auto parsed = Ulid::parse(u.to_string());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(*parsed, u);
  std::string lower = u.to_string();
  for (auto& c : lower) c = static_cast<char>(std::tolower(c));
  EXPECT_EQ(Ulid::parse(lower), u);
  EXPECT_FALSE(Ulid::parse("short"));
  EXPECT_FALSE(Ulid::parse("8ZZZZZZZZZZZZZZZZZZZZZZZZZ"));  // overflows 128 bits
  EXPECT_FALSE(Ulid::parse("01ARYZ6S41UUUUUUUUUUUUUUUU"));  // U is not in the alphabet
}

TEST(UlidTest, MonotonicWithinOneMillisecond) {
  UlidGenerator gen;
  Ulid prev = gen.next_at(1000);
  for (int i = 0; i < 10000; ++i) {
    Ulid next = gen.next_at(1000);
    EXPECT_LT(prev, next);
    EXPECT_LT(prev.to_string(), next.to_string());
    EXPECT_EQ(next.time_ms, 1000u);
    prev = next;
  }
}

TEST(UlidTest, MonotonicWhenClockStepsBackwards) {
  UlidGenerator gen;
  Ulid a = gen.next_at(5000);
  Ulid b = gen.next_at(4000);  // clock went back
  EXPECT_LT(a.to_string(), b.to_string());
  EXPECT_EQ(b.time_ms, 5000u);
  Ulid c = gen.next_at(6000);
  EXPECT_LT(b.to_string(), c.to_string());
  EXPECT_EQ(c.time_ms, 6000u);
}

TEST(UlidTest, ConcurrentThreadsNeverCollideAndStayOrderedPerThread) {
  UlidGenerator gen;
  constexpr int kThreads = 4, kPer = 5000;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPer; ++i) ids[t].push_back(gen.next().to_string());
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all;
  for (const auto& v : ids) {
    for (size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);
    all.insert(v.begin(), v.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPer));
}

TEST(UlidTest, ForkedChildrenInTheSameMillisecondMintDistinctIds) {
  UlidGenerator gen;
  gen.next_at(42);  // state both children inherit
  std::vector<std::string> ids;
  for (int child = 0; child < 2; ++child) {
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      std::string id = gen.next_at(42).to_string();
      ssize_t n = write(fds[1], id.data(), id.size());
      _exit(n == static_cast<ssize_t>(id.size()) ? 0 : 1);
    }
    close(fds[1]);
    char buf[26];
    ASSERT_EQ(read(fds[0], buf, sizeof buf), 26);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    ids.emplace_back(buf, 26);
  }
  EXPECT_NE(ids[0], ids[1]);
}

}  // namespace
}  // namespace omnigraph
