// Flag parsing and boot-source checks for `omnigraph-server`. Serving itself
// comes with the cluster and server modules; until then a valid invocation is
// refused at startup with a message that says so.
#include "server/server_cli.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <ostream>

#include "common/logging.h"
#include "common/version.h"

namespace omnigraph::server {

bool env_truthy(const char* value) {
  if (value == nullptr) return false;
  std::string v(value);
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  v.erase(v.begin(), std::find_if(v.begin(), v.end(), not_space));
  v.erase(std::find_if(v.rbegin(), v.rend(), not_space).base(), v.end());
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return !(v.empty() || v == "0" || v == "false");
}

int run(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  logging::init(logging::Level::kInfo);
  CLI::App app{"Omnigraph HTTP server: boots from a cluster directory or storage-root URI",
               "omnigraph-server"};
  app.set_version_flag("-v,--version", std::string("omnigraph-server ") + kReleaseVersion);
  std::string cluster;
  std::string bind = "127.0.0.1:8080";
  bool unauthenticated = false;
  bool require_all_graphs = false;
  app.add_option("--cluster", cluster, "Cluster config directory, or a storage-root URI (s3://…, file:///…)");
  app.add_option("--bind", bind, "Listen address HOST:PORT (port 0 = OS-chosen)")->capture_default_str();
  app.add_flag("--unauthenticated", unauthenticated, "Opt in to fully open mode when no tokens exist");
  app.add_flag("--require-all-graphs", require_all_graphs, "Abort startup if any graph is quarantined");

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    return 0;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return 0;
  } catch (const CLI::ParseError& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  }
  unauthenticated = unauthenticated || env_truthy(std::getenv("OMNIGRAPH_UNAUTHENTICATED"));
  require_all_graphs = require_all_graphs || env_truthy(std::getenv("OMNIGRAPH_REQUIRE_ALL_GRAPHS"));

  if (cluster.empty()) {
    err << "error: omnigraph-server boots from a cluster: pass --cluster <dir|s3://…>\n";
    return 1;
  }
  err << "error: startup refused: this build cannot serve clusters yet (the cluster and server "
         "modules are not implemented)\n";
  return 1;
}

}  // namespace omnigraph::server
