// `omnigraph`: the CLI and embedded engine. All behaviour lives in src/cli.
#include <iostream>
#include <string>
#include <vector>

#include "cli/cli_app.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return omnigraph::cli::run(args, std::cout, std::cerr);
}
