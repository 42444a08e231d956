// `omnigraph query` (deprecated alias `read`): run a read query in the ad-hoc lane against
// an embedded graph and print it in a read format (cli-and-cluster.md §A7, §A12.1).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>

#include "cli/command.h"
#include "cli/graph_address.h"
#include "cli/output_format.h"
#include "cli/query_source.h"
#include "common/error.h"
#include "engine/exec/executor.h"
#include "engine/graph.h"

namespace omnigraph::cli {

namespace {
struct QueryOptions {
  QuerySourceOptions source;
  std::string branch;
  std::string snapshot;
  std::string format;
  bool json = false;
};
}  // namespace

CommandSpec add_query_command(CLI::App& parent, Io io) {
  CommandSpec spec{"query", Capability::kAny};
  auto o = std::make_shared<QueryOptions>();
  spec.app = parent.add_subcommand("query", "Run a read query (.gq) against a graph");
  add_query_source_options(*spec.app, o->source);
  auto* b = spec.app->add_option("--branch", o->branch, "Branch to read (default main)");
  auto* s = spec.app->add_option("--snapshot", o->snapshot, "Commit id to read");
  b->excludes(s);
  auto* f = spec.app->add_option("--format", o->format, "Output format: table, kv, csv, jsonl, json");
  auto* j = spec.app->add_flag("--json", o->json, "Print the JSON read envelope");
  f->excludes(j);
  spec.run = [io, o] {
    if (!global_flags().as.empty()) reject_flag("query", capability_phrase(Capability::kAny), "--as", "");
    auto config = load_operator_config(io.err);
    std::string format = o->json ? "json" : !o->format.empty() ? o->format : config.output.value_or("table");
    if (!is_read_format(format))
      throw UsageError("invalid --format '" + format + "'; expected one of table, kv, csv, jsonl, json");
    std::string source = load_query_source(o->source, "query");
    nlohmann::json params = load_params(o->source);
    auto target = resolve_graph("query", "", config);
    auto graph = engine::Graph::open(target.uri);
    engine::ReadTarget rt;
    if (!o->snapshot.empty())
      rt.snapshot = o->snapshot;
    else
      rt.branch = o->branch.empty() ? "main" : o->branch;
    auto snap = graph->snapshot(rt);
    ReadOutput out;
    engine::exec::ReadResult result = with_query_name_hint(
        [&] { return engine::exec::run_read_query(*snap, source, o->source.name, params, &out.query_name); });
    out.branch = rt.branch;
    out.snapshot = rt.snapshot;
    out.graph_commit_id = snap->commit().id;
    out.result = &result;
    TableSettings table{config.table_max_column_width, config.table_cell_layout == "wrap"};
    io.out << render_read_output(out, format, table);
    return 0;
  };
  return spec;
}

}  // namespace omnigraph::cli
