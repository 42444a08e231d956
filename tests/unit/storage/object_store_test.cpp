// LocalObjectStore semantics and FaultInjectionStore behaviour.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "common/error.h"
#include "storage/fault_injection_store.h"
#include "storage/local_object_store.h"
#include "storage/storage_error.h"
#include "test_util.h"

namespace omnigraph::storage {
namespace {

using testing::ScratchDir;

TEST(LocalObjectStore, PutGetHeadRangeDelete) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path() + "/g.omni");
  EXPECT_FALSE(store->head("a/b/c").has_value());
  store->put("a/b/c", "hello world");
  EXPECT_EQ(store->get("a/b/c"), "hello world");
  auto info = store->head("a/b/c");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->size, 11u);
  EXPECT_FALSE(info->etag.empty());
  EXPECT_EQ(store->get_range("a/b/c", 6, 5), "world");
  EXPECT_EQ(store->get_range("a/b/c", 6, 100), "world");
  EXPECT_EQ(store->get_range("a/b/c", 11, 3), "");
  EXPECT_THROW(store->get_range("a/b/c", 12, 1), Error);
  store->put("a/b/c", "replaced");
  EXPECT_EQ(store->get("a/b/c"), "replaced");
  EXPECT_NE(store->head("a/b/c")->etag, info->etag);
  store->remove("a/b/c");
  store->remove("a/b/c");  // idempotent
  try {
    store->get("a/b/c");
    FAIL() << "expected not_found";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kNotFound);
  }
  EXPECT_THROW(store->get_range("a/b/c", 0, 1), Error);
}

TEST(LocalObjectStore, CreateIfAbsentNeverReplaces) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  EXPECT_TRUE(store->create_if_absent("refs/main/1", "first"));
  EXPECT_FALSE(store->create_if_absent("refs/main/1", "second"));
  EXPECT_EQ(store->get("refs/main/1"), "first");
  // No temp files are left behind in listings.
  EXPECT_EQ(store->list(""), std::vector<std::string>{"refs/main/1"});
}

TEST(LocalObjectStore, ListByStringPrefixSorted) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  for (const char* k : {"refs/b/2", "refs/a/1", "refs/a%2Fx/1", "refs/ab/1", "tables/t1/f", "x"})
    store->put(k, k);
  EXPECT_EQ(store->list("refs/a"), (std::vector<std::string>{"refs/a%2Fx/1", "refs/a/1", "refs/ab/1"}));
  EXPECT_EQ(store->list("refs/a/"), (std::vector<std::string>{"refs/a/1"}));
  EXPECT_EQ(store->list("tables/"), (std::vector<std::string>{"tables/t1/f"}));
  EXPECT_EQ(store->list("nope/"), std::vector<std::string>{});
  EXPECT_EQ(store->list("").size(), 6u);
}

TEST(LocalObjectStore, RejectsInvalidKeys) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  for (const char* k : {"", "/a", "a/", "a//b", "../x", "a/.tmp/x", "a b", "a\\b"}) {
    try {
      store->put(k, "x");
      FAIL() << "accepted key '" << k << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest) << k;
      EXPECT_NE(e.message().find("invalid object key"), std::string::npos);
    }
  }
}

TEST(LocalObjectStore, ReportsPublishMethodAndRoot) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path() + "/nested/root/");
  EXPECT_EQ(store->describe(), "file://" + dir.path() + "/nested/root");
  EXPECT_TRUE(store->publish_method() == ExclusivePublish::kLink ||
              store->publish_method() == ExclusivePublish::kRenameNoReplace);
}

TEST(LocalObjectStore, RefusesUnwritableRoot) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write anywhere";
  ScratchDir dir;
  std::filesystem::create_directory(dir.path() + "/ro");
  std::filesystem::permissions(dir.path() + "/ro",
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  EXPECT_THROW(LocalObjectStore::open(dir.path() + "/ro/g"), Error);
  std::filesystem::permissions(dir.path() + "/ro", std::filesystem::perms::owner_all);
}

TEST(LocalObjectStore, ConcurrentCreateIfAbsentHasOneWinnerAcrossProcesses) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  constexpr int kProcs = 4, kKeys = 50;
  std::vector<pid_t> pids;
  for (int p = 0; p < kProcs; ++p) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int wins = 0;
      try {
        auto s = LocalObjectStore::open(dir.path());
        for (int k = 0; k < kKeys; ++k)
          if (s->create_if_absent("race/" + std::to_string(k), std::to_string(p))) ++wins;
      } catch (...) {
        ::_exit(255);
      }
      ::_exit(wins);
    }
    pids.push_back(pid);
  }
  int total = 0;
  for (pid_t pid : pids) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    ASSERT_TRUE(WIFEXITED(status));
    ASSERT_NE(WEXITSTATUS(status), 255);
    total += WEXITSTATUS(status);
  }
  EXPECT_EQ(total, kKeys);
  EXPECT_EQ(store->list("race/").size(), static_cast<size_t>(kKeys));
}

TEST(FaultInjectionStore, FailsAfterBudgetAndStaysCrashed) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  FaultInjectionStore faulty(*store, 2);
  faulty.put("a", "1");
  EXPECT_TRUE(faulty.create_if_absent("b", "2"));
  EXPECT_EQ(faulty.writes_done(), 2u);
  EXPECT_THROW(faulty.put("c", "3"), InjectedFault);
  EXPECT_TRUE(faulty.crashed());
  EXPECT_THROW(faulty.get("a"), InjectedFault);
  EXPECT_THROW(faulty.list(""), InjectedFault);
  // The failing write never reached the inner store.
  EXPECT_FALSE(store->head("c").has_value());
  EXPECT_EQ(store->get("b"), "2");
}

TEST(FaultInjectionStore, ExitActionTerminatesProcess) {
  ScratchDir dir;
  auto store = LocalObjectStore::open(dir.path());
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    FaultInjectionStore faulty(*store, 1, FaultAction::kExit);
    faulty.put("a", "1");
    faulty.put("b", "2");
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), kFaultExitCode);
  EXPECT_TRUE(store->head("a").has_value());
  EXPECT_FALSE(store->head("b").has_value());
}

}  // namespace
}  // namespace omnigraph::storage
