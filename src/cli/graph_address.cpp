// Global flags, operator config, embedded scope resolution, actor chain and write echo.
#include "cli/graph_address.h"

#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "common/error.h"

namespace omnigraph::cli {

namespace {
GlobalFlags g_flags;

bool is_local_uri(const std::string& uri) {
  return uri.find("://") == std::string::npos || uri.rfind("file://", 0) == 0;
}

void warn_unknown(const YAML::Node& map, std::initializer_list<std::string_view> allowed, const std::string& prefix,
                  const std::string& path, std::ostream& err) {
  if (!map.IsMap()) return;
  for (const auto& kv : map) {
    auto key = kv.first.as<std::string>();
    bool known = false;
    for (auto a : allowed) known = known || key == a;
    if (!known)
      err << "warning: unknown key `" << prefix << key << "` (newer CLI feature or typo); ignored in operator config '"
          << path << "'\n";
  }
}

std::optional<std::string> opt_string(const YAML::Node& map, const char* key) {
  if (!map || !map.IsMap() || !map[key] || map[key].IsNull()) return std::nullopt;
  return map[key].as<std::string>();
}

}  // namespace

void add_global_flags(CLI::App& app) {
  g_flags = GlobalFlags{};
  app.fallthrough(true);
  app.add_option("--store", g_flags.store, "One graph's storage URI, addressed directly (embedded engine)");
  app.add_option("--as", g_flags.as, "Actor recorded on direct-engine writes");
  app.add_flag("--quiet", g_flags.quiet, "Suppress the stderr write-target echo");
  app.add_flag("--yes", g_flags.yes, "Consent for destructive writes against non-local targets");
}

const GlobalFlags& global_flags() { return g_flags; }

OperatorConfig load_operator_config(std::ostream& err) {
  OperatorConfig config;
  std::string home;
  if (const char* h = std::getenv("OMNIGRAPH_HOME"); h && *h) {
    home = h;
    if (home == "~" || home.rfind("~/", 0) == 0) {
      const char* user_home = std::getenv("HOME");
      if (!user_home) return config;
      home = std::string(user_home) + home.substr(1);
    }
  } else if (const char* user_home = std::getenv("HOME"); user_home && *user_home) {
    home = std::string(user_home) + "/.omnigraph";
  } else {
    return config;
  }
  config.path = home + "/config.yaml";
  std::error_code ec;
  if (!std::filesystem::exists(config.path, ec)) return config;
  std::ifstream in(config.path, std::ios::binary);
  if (!in) throw Error::bad_request("could not read operator config '" + config.path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  YAML::Node root;
  try {
    root = YAML::Load(ss.str());
  } catch (const YAML::Exception& e) {
    throw Error::bad_request("could not parse operator config '" + config.path + "': " + e.what());
  }
  if (root.IsNull()) return config;
  if (!root.IsMap()) throw Error::bad_request("could not parse operator config '" + config.path + "': expected a mapping");
  try {
    warn_unknown(root, {"operator", "defaults", "servers", "clusters", "profiles", "aliases"}, "", config.path, err);
    auto op = root["operator"];
    warn_unknown(op, {"actor"}, "operator.", config.path, err);
    config.actor = opt_string(op, "actor");
    auto d = root["defaults"];
    warn_unknown(d, {"output", "table_max_column_width", "table_cell_layout", "server", "store", "default_graph"},
                 "defaults.", config.path, err);
    config.output = opt_string(d, "output");
    config.store = opt_string(d, "store");
    config.server = opt_string(d, "server");
    config.default_graph = opt_string(d, "default_graph");
    if (auto w = opt_string(d, "table_max_column_width")) {
      long v = std::strtol(w->c_str(), nullptr, 10);
      if (v <= 0) throw Error::bad_request("defaults.table_max_column_width must be a positive integer");
      config.table_max_column_width = static_cast<uint32_t>(v);
    }
    if (auto l = opt_string(d, "table_cell_layout")) {
      if (*l != "truncate" && *l != "wrap") throw Error::bad_request("defaults.table_cell_layout must be truncate or wrap");
      config.table_cell_layout = *l;
    }
    if (config.output && *config.output != "table" && *config.output != "kv" && *config.output != "csv" &&
        *config.output != "jsonl" && *config.output != "json")
      throw Error::bad_request("defaults.output must be one of table, kv, csv, jsonl, json");
  } catch (const YAML::Exception& e) {
    throw Error::bad_request("could not parse operator config '" + config.path + "': " + e.what());
  } catch (const Error& e) {
    throw Error::bad_request("could not parse operator config '" + config.path + "': " + e.message());
  }
  if (config.server && config.store)
    throw Error::bad_request("could not parse operator config '" + config.path +
                             "': defaults.server and defaults.store are both set; a default scope binds one entity");
  if (config.store && config.default_graph)
    throw Error::bad_request("could not parse operator config '" + config.path +
                             "': defaults.store is already a single graph; remove defaults.default_graph");
  return config;
}

ResolvedGraph resolve_graph(std::string_view label, const std::string& positional, const OperatorConfig& config) {
  const auto& flags = global_flags();
  if (!positional.empty() && !flags.store.empty())
    throw UsageError("positional URI and --store are mutually exclusive — pick one way to address the graph");
  std::string uri = !positional.empty() ? positional : flags.store;
  if (uri.empty()) {
    if (config.server)
      throw Error::bad_request("`" + std::string(label) + "` resolves the served default scope '" + *config.server +
                               "' from the operator config, but this build runs graphs embedded only; pass --store <uri>");
    if (config.store) uri = *config.store;
  }
  if (uri.empty())
    throw UsageError(
        "no graph addressed — pass a positional URI, --store <uri>, --server <name>, --profile <name>, or set a "
        "default scope in ~/.omnigraph/config.yaml");
  if (uri.rfind("http://", 0) == 0 || uri.rfind("https://", 0) == 0)
    throw Error::bad_request(
        "a remote graph must be addressed with `--server <url>` — a positional (or `--uri`) http(s):// URL no longer "
        "dispatches to a server");
  return ResolvedGraph{uri, is_local_uri(uri)};
}

std::optional<std::string> resolve_actor(const OperatorConfig& config) {
  if (!global_flags().as.empty()) return global_flags().as;
  return config.actor;
}

void reject_flag(std::string_view label, std::string_view capability_phrase, std::string_view flag,
                 std::string_view remedy) {
  std::string clause;
  if (flag == "--store") clause = "--store addresses a single graph's storage directly";
  else if (flag == "--server") clause = "--server addresses a served graph";
  else if (flag == "--as") clause = "--as sets the actor for a direct-engine or actor-bound cluster operation";
  else clause = std::string(flag) + " does not apply";
  std::string article = capability_phrase.empty() ? "a" : (capability_phrase[0] == 'a' ? "an" : "a");
  throw UsageError("`" + std::string(label) + "` is " + article + " " + std::string(capability_phrase) + " command; " +
                   clause + " and does not apply." + std::string(remedy));
}

void echo_write_target(std::ostream& err, std::string_view label, const ResolvedGraph& graph) {
  if (global_flags().quiet) return;
  err << "omnigraph " << label << " \u2192 " << graph.uri << " (" << (graph.local ? "direct, local" : "direct, remote")
      << ")\n";
}

void confirm_destructive(std::ostream& err, std::string_view gate_label, const ResolvedGraph& graph, bool json) {
  if (graph.local || global_flags().yes) return;
  if (json || !isatty(STDIN_FILENO))
    throw Error::bad_request("refusing destructive `" + std::string(gate_label) + "` against non-local target " +
                             graph.uri +
                             " without confirmation; pass --yes to confirm (an interactive TTY would be prompted instead)");
  err << "About to run a destructive `" << gate_label << "` against " << graph.uri << " (not local). Type 'yes' to continue: ";
  err.flush();
  std::string answer;
  std::getline(std::cin, answer);
  for (auto& c : answer) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (answer != "yes" && answer != "y")
    throw Error::bad_request("aborted: destructive `" + std::string(gate_label) + "` not confirmed");
}

std::string read_text_file(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error::bad_request("cannot read " + std::string(what) + " '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace omnigraph::cli
