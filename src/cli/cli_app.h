// The `omnigraph` command-line front end. It parses arguments, calls the engine
// and formats results; it decides nothing the engine or cluster module owns.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace omnigraph::cli {

// Runs the CLI with `args` (without the program name), writing results to `out`
// and diagnostics to `err`. Returns the process exit code (cli-and-cluster.md §A6):
// 0 success, 1 runtime error, 2 usage error, 4 lost compare-and-swap.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace omnigraph::cli
