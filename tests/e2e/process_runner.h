// End-to-end test harness: runs a built binary as a child process in a
// temporary directory and captures exit status, stdout and stderr.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace omnigraph::testing {

struct ProcessResult {
  int exit_code = -1;  // 128 + signal number when killed by a signal
  std::string out;
  std::string err;
};

struct RunOptions {
  std::filesystem::path cwd;                  // empty: inherit
  std::map<std::string, std::string> env;     // added to (or overriding) the parent's environment
  std::vector<std::string> unset_env;         // removed from the environment
  std::string stdin_data;                     // written to the child's stdin, then closed
  int timeout_seconds = 120;                  // the child is killed after this
};

// Runs `program` with `args`. Never throws for a failing child; throws
// std::runtime_error only if the process cannot be started.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const RunOptions& options = {});

// Runs the omnigraph CLI with OMNIGRAPH_HOME=home, so no operator config applies unless
// the test writes one there.
ProcessResult run_omnigraph(const std::vector<std::string>& args, const std::filesystem::path& home);

// Writes `text` to `path` (bytes as given); returns the path as a string.
std::string write_file(const std::filesystem::path& path, std::string_view text);

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Paths of the binaries under test (set by CMake).
inline std::string omnigraph_bin() { return OMNIGRAPH_BIN; }
inline std::string omnigraph_server_bin() { return OMNIGRAPH_SERVER_BIN; }
inline std::filesystem::path shared_dir() { return OMNIGRAPH_SHARED_DIR; }

}  // namespace omnigraph::testing
