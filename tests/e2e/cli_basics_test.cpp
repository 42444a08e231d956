// End-to-end: the binaries' version, help and usage-error contracts.
#include <gtest/gtest.h>

#include <regex>

#include "process_runner.h"

namespace omnigraph::testing {
namespace {

TEST(CliBasicsTest, VersionCommandPrintsReleaseAndStorageFormat) {
  TempDir dir;
  auto r = run_process(omnigraph_bin(), {"version"}, {.cwd = dir.path()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  ASSERT_NE(r.out.find('\n'), std::string::npos);
  std::string first = r.out.substr(0, r.out.find('\n'));
  std::string second = r.out.substr(first.size() + 1);
  EXPECT_TRUE(first.starts_with("omnigraph ")) << r.out;
  EXPECT_TRUE(second.starts_with("internal-schema ")) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 2);
}

TEST(CliBasicsTest, VersionFlagsPrintOnlyTheFirstLine) {
  auto full = run_process(omnigraph_bin(), {"version"});
  std::string first = full.out.substr(0, full.out.find('\n') + 1);
  for (const char* flag : {"-v", "--version"}) {
    auto r = run_process(omnigraph_bin(), {flag});
    EXPECT_EQ(r.exit_code, 0) << flag;
    EXPECT_EQ(r.out, first) << flag;
  }
}

TEST(CliBasicsTest, HelpListsOnlyExistingCommandsWithCapabilityLegend) {
  auto r = run_process(omnigraph_bin(), {"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("version"), std::string::npos);
  EXPECT_NE(r.out.find("COMMANDS BY CAPABILITY:"), std::string::npos);
  EXPECT_NE(r.out.find("local (local): version"), std::string::npos) << r.out;
  // A command is advertised when it starts a subcommand line or is named in the legend.
  auto advertised = [&](const std::string& name) {
    std::regex listed("(^|\\n) +" + name + "( |$)|: .*\\b" + name + "\\b");
    return std::regex_search(r.out, listed);
  };
  EXPECT_TRUE(advertised("version")) << r.out;
  for (const char* present : {"query", "mutate", "load", "init", "branch", "commit", "embed"}) {
    EXPECT_TRUE(advertised(present)) << present << " not in\n" << r.out;
  }
  for (const char* absent : {"cluster"}) {
    EXPECT_FALSE(advertised(absent)) << absent << " in\n" << r.out;
  }
}

TEST(CliBasicsTest, UnknownSubcommandIsAUsageError) {
  auto r = run_process(omnigraph_bin(), {"frobnicate"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.out.empty());
  EXPECT_NE(r.err.find("frobnicate"), std::string::npos) << r.err;
}

TEST(CliBasicsTest, UnknownFlagIsAUsageError) {
  auto r = run_process(omnigraph_bin(), {"version", "--bogus"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--bogus"), std::string::npos) << r.err;
}

TEST(ServerBasicsTest, MissingClusterIsRefusedWithGuidance) {
  auto r = run_process(omnigraph_server_bin(), {}, {.unset_env = {"OMNIGRAPH_CLUSTER"}});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("boots from a cluster"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--cluster <dir|s3://"), std::string::npos) << r.err;
}

TEST(ServerBasicsTest, UnknownArgumentIsAUsageError) {
  auto r = run_process(omnigraph_server_bin(), {"--target", "x"});
  EXPECT_EQ(r.exit_code, 2);
  auto positional = run_process(omnigraph_server_bin(), {"./graph.omni"});
  EXPECT_EQ(positional.exit_code, 2);
}

TEST(HarnessTest, CapturesStdinStdoutStderrAndExitCode) {
  TempDir dir;
  auto r = run_process("/bin/sh", {"-c", "cat; echo oops >&2; pwd; exit 3"},
                       {.cwd = dir.path(), .stdin_data = "hello\n"});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "hello\n" + std::filesystem::canonical(dir.path()).string() + "\n");
  EXPECT_EQ(r.err, "oops\n");
}

}  // namespace
}  // namespace omnigraph::testing
