// Builds and renders the `snapshot` report.
#include "engine/snapshot_info.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/version.h"
#include "engine/column_mapping.h"
#include "storage/graph_commit.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine {

SnapshotInfo describe_snapshot(Graph& graph, const std::string& branch) {
  auto snap = graph.snapshot({.branch = branch});
  const auto& commit = snap->commit();
  SnapshotInfo info;
  info.graph_branch = branch;
  info.graph_manifest_version = commit.sequence;
  info.internal_schema_version = kStorageFormatVersion;
  // Lineage (newest first) to find which commit introduced each table's current snapshot.
  auto lineage = storage::commit_lineage(graph.store(), commit.id, 10000);
  auto add = [&](const compiler::TypeDef& t, const char* kind) {
    DatasetInfo d;
    d.entity_kind = kind;
    d.type_name = t.name;
    std::string tid = table_id(t);
    d.dataset_path = "tables/" + tid;
    d.entity_count = snap->table(t).row_count();
    auto it = commit.tables.find(tid);
    if (it != commit.tables.end()) {
      d.published_dataset_version = storage::read_table_snapshot(graph.store(), it->second).version;
      std::string owner = commit.branch;
      for (const auto& c : lineage) {
        auto ct = c.tables.find(tid);
        if (ct == c.tables.end() || ct->second != it->second) break;
        owner = c.branch;
      }
      if (owner != "main") d.native_dataset_branch = owner;
    }
    info.datasets.push_back(std::move(d));
  };
  std::vector<const compiler::TypeDef*> edges, nodes;
  for (const auto& t : snap->catalog().edges) edges.push_back(&t);
  for (const auto& t : snap->catalog().nodes) nodes.push_back(&t);
  auto by_name = [](const compiler::TypeDef* a, const compiler::TypeDef* b) { return a->name < b->name; };
  std::sort(edges.begin(), edges.end(), by_name);
  std::sort(nodes.begin(), nodes.end(), by_name);
  for (const auto* t : edges) add(*t, "edge");
  for (const auto* t : nodes) add(*t, "node");
  return info;
}

std::string snapshot_info_json(const SnapshotInfo& info) {
  nlohmann::json j;
  j["graph_branch"] = info.graph_branch;
  j["graph_manifest_version"] = info.graph_manifest_version;
  j["internal_schema_version"] = info.internal_schema_version;
  j["datasets"] = nlohmann::json::array();
  for (const auto& d : info.datasets) {
    j["datasets"].push_back({{"entity_kind", d.entity_kind},
                             {"type_name", d.type_name},
                             {"dataset_path", d.dataset_path},
                             {"published_dataset_version", d.published_dataset_version},
                             {"native_dataset_branch", d.native_dataset_branch ? nlohmann::json(*d.native_dataset_branch)
                                                                               : nlohmann::json(nullptr)},
                             {"entity_count", d.entity_count}});
  }
  return j.dump(2);
}

std::string snapshot_info_human(const SnapshotInfo& info) {
  std::string out = "graph_branch: " + info.graph_branch + "\n";
  out += "graph_manifest_version: " + std::to_string(info.graph_manifest_version) + "\n";
  out += "internal_schema_version: " + std::to_string(info.internal_schema_version) + "\n";
  for (const auto& d : info.datasets)
    out += d.entity_kind + " type '" + d.type_name + "' published_dataset_version=" +
           std::to_string(d.published_dataset_version) +
           " native_dataset_branch=" + d.native_dataset_branch.value_or("main") +
           " entities=" + std::to_string(d.entity_count) + "\n";
  return out;
}

}  // namespace omnigraph::engine
