// `omnigraph schema show` (alias `get`): print the graph's accepted schema source;
// `schema plan|apply --schema PATH [--allow-data-loss]`: migration plan / one schema commit.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "common/error.h"
#include "engine/graph.h"
#include "engine/vc/schema_apply.h"

namespace omnigraph::cli {

namespace {
struct SchemaShowOptions {
  std::string uri;
  bool json = false;
};
struct SchemaChangeOptions {
  std::string uri;
  std::string schema;
  bool allow_data_loss = false;
  bool json = false;
};
}  // namespace

CommandSpec add_schema_command(CLI::App& parent, Io io) {
  CommandSpec spec{"schema", Capability::kAny};
  auto options = std::make_shared<SchemaShowOptions>();
  spec.app = parent.add_subcommand("schema", "Show the graph's schema");
  spec.app->require_subcommand(1);
  CLI::App* show = spec.app->add_subcommand("show", "Print the accepted schema source");
  show->alias("get");
  show->add_option("uri", options->uri, "Graph URI");
  show->add_flag("--json", options->json, "Print {\"schema_source\": …}");
  auto plan_o = std::make_shared<SchemaChangeOptions>();
  auto apply_o = std::make_shared<SchemaChangeOptions>();
  CLI::App* plan = spec.app->add_subcommand("plan", "Plan the migration to a desired schema");
  CLI::App* apply = spec.app->add_subcommand("apply", "Apply a desired schema as one commit on main");
  for (auto [app, o] : {std::pair{plan, plan_o.get()}, std::pair{apply, apply_o.get()}}) {
    app->add_option("uri", o->uri, "Graph URI");
    app->add_option("--schema", o->schema, "Desired .pg schema file")->required();
    app->add_flag("--allow-data-loss", o->allow_data_loss, "Promote every drop to hard (data removed)");
    app->add_flag("--json", o->json, "Print JSON");
  }
  spec.run = [io, options, show, plan, plan_o, apply_o] {
    if (plan->parsed()) {
      auto config = load_operator_config(io.err);
      auto target = resolve_graph("schema plan", plan_o->uri, config);
      auto graph = engine::Graph::open(target.uri);
      auto source = read_text_file(plan_o->schema, "schema");
      auto p = engine::vc::plan_schema(*graph, source, plan_o->allow_data_loss);
      if (plan_o->json) {
        io.out << compiler::migration_plan_json(p, target.uri) << "\n";
      } else {
        io.out << "schema plan for " << target.uri << "\nsupported: " << (p.supported ? "yes" : "no") << "\n";
        if (p.steps.empty()) io.out << "no schema changes\n";
        for (const auto& st : p.steps) io.out << "- " << compiler::render_step(st) << "\n";
      }
      return 0;
    }
    if (!show->parsed()) {
      auto config = load_operator_config(io.err);
      auto target = resolve_graph("schema apply", apply_o->uri, config);
      auto graph = engine::Graph::open(target.uri);
      auto source = read_text_file(apply_o->schema, "schema");
      echo_write_target(io.err, "schema apply", target);
      auto r = engine::vc::apply_schema(*graph, source, apply_o->allow_data_loss, resolve_actor(config));
      if (apply_o->json) {
        auto steps = nlohmann::json::array();
        for (const auto& st : r.plan.steps)
          steps.push_back(nlohmann::json::parse(compiler::step_to_json(st)));
        io.out << nlohmann::json{{"uri", target.uri},
                                 {"supported", r.plan.supported},
                                 {"applied", r.applied},
                                 {"step_count", r.plan.steps.size()},
                                 {"graph_manifest_version", r.graph_manifest_version},
                                 {"steps", steps}}
                      .dump()
               << "\n";
      } else {
        io.out << "schema apply for " << target.uri << "\nsupported: " << (r.plan.supported ? "yes" : "no")
               << "\napplied: " << (r.applied ? "yes" : "no")
               << "\ngraph_manifest_version: " << r.graph_manifest_version << "\n";
        if (r.plan.steps.empty()) io.out << "no schema changes\n";
        for (const auto& st : r.plan.steps) io.out << "- " << compiler::render_step(st) << "\n";
      }
      return 0;
    }
    auto config = load_operator_config(io.err);
    auto target = resolve_graph("schema show", options->uri, config);
    auto graph = engine::Graph::open(target.uri);
    auto snap = graph->snapshot();
    if (options->json) {
      io.out << nlohmann::json{{"schema_source", snap->schema_source()}}.dump(2) << "\n";
    } else {
      io.out << snap->schema_source();
      if (!snap->schema_source().empty() && snap->schema_source().back() != '\n') io.out << "\n";
    }
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
