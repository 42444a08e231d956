// Helpers for compiler unit tests: fixture paths, file reading, error capture.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diagnostics.h"

namespace omnigraph::compiler::testing {

inline std::filesystem::path shared_dir() { return OMNIGRAPH_SHARED_DIR; }

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// All files under `dir` (recursively) with extension `ext`, sorted.
inline std::vector<std::filesystem::path> files_with_ext(const std::filesystem::path& dir, const std::string& ext) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

// Runs `fn`, returns the CompileError's plain text ("" if nothing was thrown).
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const CompileError& e) {
    return e.plain();
  }
  return "";
}

}  // namespace omnigraph::compiler::testing
