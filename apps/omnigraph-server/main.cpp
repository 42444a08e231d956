// `omnigraph-server`: the HTTP server. All behaviour lives in src/server.
#include <iostream>
#include <string>
#include <vector>

#include "server/server_cli.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return omnigraph::server::run(args, std::cout, std::cerr);
}
