// Schema plan and apply: the compiler's planner plus one schema commit on main.
#include "engine/vc/schema_apply.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/error.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "engine/schema_object.h"
#include "engine/vc/branch_ops.h"
#include "engine/vc/drop_columns.h"

namespace omnigraph::engine::vc {

compiler::MigrationPlan plan_schema(Graph& graph, std::string_view desired_source, bool allow_data_loss) {
  auto head = graph.snapshot({.branch = "main"});
  auto desired = compiler::compile_schema(desired_source);
  return compiler::plan_migration(head->catalog(), desired, {.allow_data_loss = allow_data_loss});
}

SchemaApplyResult apply_schema(Graph& graph, std::string_view desired_source, bool allow_data_loss,
                               std::optional<std::string> actor) {
  std::string others;
  for (const auto& b : list_branches(graph))
    if (b != "main") others += (others.empty() ? "" : ", ") + b;
  if (!others.empty())
    throw Error::bad_request("schema apply requires a graph with only main; found non-main branches: " +
                             others);

  auto& store = graph.store();
  // Re-planned onto the new head when only maintenance commits (optimize) landed meanwhile.
  for (int attempt = 0;; ++attempt) {
    auto head_ref = graph.refs().head("main");
    auto head = storage::read_commit(store, head_ref.commit_id);
    auto snap = graph.snapshot({.snapshot = head.id});
    SchemaApplyResult result;
    result.plan = compiler::plan_migration(snap->catalog(), compiler::compile_schema(desired_source),
                                           {.allow_data_loss = allow_data_loss});
    if (auto why = compiler::unsupported_message(result.plan)) throw Error::bad_request(*why);
    result.graph_manifest_version = head.sequence;
    if (result.plan.steps.empty()) return result;

    auto schema = write_schema_object(store, std::string(desired_source), result.plan.result);
    storage::GraphCommit commit;
    commit.id = new_ulid();
    commit.parents = {head.id};
    commit.branch = "main";
    commit.sequence = head.sequence + 1;
    commit.actor = actor;
    commit.created_at_us = now_epoch_us();
    commit.schema_identity = schema->identity;
    commit.tables = head.tables;  // stable ids: renamed types and properties keep their data
    for (const auto& step : result.plan.steps) {
      if (step.kind != "drop_type" || step.mode != compiler::DropMode::kHard) continue;
      const auto& old = snap->catalog();
      const compiler::TypeDef* t =
          step.type_kind == compiler::DeclKind::kEdge ? old.find_edge(step.name) : old.find_node(step.name);
      if (t) commit.tables.erase(table_id(*t));
    }
    // Hard property drops: the new head must not reference the dropped values, so the tables
    // that lose columns get fragments rewritten without them (older commits keep theirs).
    if (allow_data_loss) {
      std::map<std::string, const compiler::TypeDef*> old_types;
      for (const auto& t : snap->catalog().nodes) old_types[table_id(t)] = &t;
      for (const auto& t : snap->catalog().edges) old_types[table_id(t)] = &t;
      auto rewrite = [&](const compiler::TypeDef& now) {
        auto tid = table_id(now);
        auto key = commit.tables.find(tid);
        auto was = old_types.find(tid);
        if (key == commit.tables.end() || was == old_types.end()) return;
        std::set<std::string> kept;
        for (const auto& p : now.properties) kept.insert(property_column(p));
        bool drops = false;
        uint32_t high = std::max<uint32_t>(1, was->second->next_property_id);
        for (const auto& p : was->second->properties) {
          drops = drops || !kept.count(property_column(p));
          high = std::max(high, p.id + 1);
        }
        if (!drops) return;
        // Every column id the type ever used that the new schema lacks: this plan's drops and
        // the leftovers of earlier soft drops in the same fragments.
        std::set<std::string> dropped;
        for (uint32_t id = 1; id < high; ++id) {
          compiler::Property p;
          p.id = id;
          if (!kept.count(property_column(p))) dropped.insert(property_column(p));
        }
        key->second = drop_columns(store, key->second, dropped);
      };
      for (const auto& t : result.plan.result.nodes) rewrite(t);
      for (const auto& t : result.plan.result.edges) rewrite(t);
    }
    storage::write_commit(store, commit);
    try {
      graph.refs().publish("main", head_ref, commit.id, actor);
    } catch (const storage::PublishConflict&) {
      auto now = graph.refs().tail("main");
      std::string actual = now && now->live() ? now->commit_id : std::string();
      if (attempt < 32 && !actual.empty() && storage::moved_only_by_maintenance(store, head.id, actual))
        continue;
      throw Error(ErrorCode::kConflict,
                  "branch 'main' moved during schema apply (expected head " + head.id + ", now " + actual +
                      "); retry",
                  ReadSetConflictDetail{"graph_head:main", head.id, actual});
    }
    result.applied = true;
    result.commit = commit;
    result.graph_manifest_version = commit.sequence;
    return result;
  }
}

}  // namespace omnigraph::engine::vc
