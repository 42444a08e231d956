// `omnigraph mutate` (deprecated alias `change`): run a mutation query in the ad-hoc lane
// as one commit (data-plane.md §3), with --if-commit compare-and-swap (exit 4 on loss).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "cli/query_source.h"
#include "common/error.h"
#include "engine/commit_output.h"
#include "engine/graph.h"
#include "engine/mutation/mutation_executor.h"

namespace omnigraph::cli {

namespace {
struct MutateOptions {
  QuerySourceOptions source;
  std::string branch;
  std::string if_commit;
  bool json = false;
};
}  // namespace

CommandSpec add_mutate_command(CLI::App& parent, Io io) {
  CommandSpec spec{"mutate", Capability::kAny};
  auto o = std::make_shared<MutateOptions>();
  spec.app = parent.add_subcommand("mutate", "Run a mutation query (.gq) as one commit");
  add_query_source_options(*spec.app, o->source);
  spec.app->add_option("--branch", o->branch, "Branch to write (default main)");
  spec.app->add_option("--if-commit", o->if_commit,
                       "Only write if the branch head is this commit (exit 4 otherwise)");
  spec.app->add_flag("--json", o->json, "Print the JSON change output");
  spec.run = [io, o] {
    auto config = load_operator_config(io.err);
    std::string source = load_query_source(o->source, "mutate");
    nlohmann::json params = load_params(o->source);
    auto target = resolve_graph("mutate", "", config);
    engine::mutation::MutationOptions m;
    m.branch = o->branch.empty() ? "main" : o->branch;
    m.actor = resolve_actor(config);
    if (!o->if_commit.empty()) m.expected_head = o->if_commit;
    // `mutate` does not echo its write target (§A5).
    auto graph = engine::Graph::open(target.uri);
    engine::mutation::MutationOutcome r;
    try {
      r = with_query_name_hint(
          [&] { return engine::mutation::run_mutation(*graph, source, o->source.name, params, m); });
    } catch (const Error& e) {
      if (o->json && std::holds_alternative<PreconditionFailureDetail>(e.detail())) {
        io.out << nlohmann::ordered_json::parse(e.to_json()).dump(2) << "\n";
        io.err << "error: " << e.message() << "\n";
        return e.cli_exit_code();
      }
      throw;
    }
    if (o->json) {
      nlohmann::ordered_json doc;
      doc["branch"] = r.branch;
      doc["query_name"] = r.query_name;
      doc["affected_nodes"] = r.affected_nodes;
      doc["affected_edges"] = r.affected_edges;
      doc["actor_id"] = r.actor ? nlohmann::ordered_json(*r.actor) : nlohmann::ordered_json(nullptr);
      doc["commit"] = r.commit ? engine::commit_output(*r.commit)
                               : nlohmann::ordered_json(nullptr);
      io.out << doc.dump(2) << "\n";
    } else {
      io.out << "changed " << r.branch << " via " << r.query_name << ": " << r.affected_nodes << " nodes, "
             << r.affected_edges << " edges\n";
      if (r.actor) io.out << "actor_id: " << *r.actor << "\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
