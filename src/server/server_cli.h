// Argument handling for `omnigraph-server` (server.md §1.1).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace omnigraph::server {

// Runs the server binary with `args` (without the program name). Returns the
// exit code: 0 after graceful shutdown, 1 startup refusal, 2 usage error.
int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

// Env truthiness of server.md §1.1: trimmed; false if unset, empty, "0" or
// "false" in any letter case; everything else true.
bool env_truthy(const char* value);

}  // namespace omnigraph::server
