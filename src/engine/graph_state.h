// Engine-internal shared state of an open graph (store, refs, caches) and the concrete
// snapshot type. Snapshots hold the state by shared_ptr, so they stay valid after the Graph
// handle is destroyed. Not for use outside src/engine.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "engine/graph_snapshot.h"
#include "engine/index/segment_cache.h"
#include "engine/schema_object.h"
#include "engine/search/embedding_client.h"
#include "engine/table_data_impl.h"
#include "storage/branch_refs.h"
#include "storage/column_cache.h"
#include "storage/graph_commit.h"
#include "storage/object_store.h"

namespace omnigraph::engine {

// Thread-safe: every cache is guarded by `mu`; cached objects are immutable.
struct GraphState {
  std::string uri;
  std::unique_ptr<storage::ObjectStore> store;
  std::unique_ptr<storage::BranchRefs> refs;
  std::unique_ptr<storage::ColumnCache> cache;
  index::SegmentCache segments;  // per-fragment index segments, shared across table snapshots

  std::mutex mu;
  std::unordered_map<std::string, std::shared_ptr<const SchemaObject>> schemas;              // identity
  std::unordered_map<std::string, std::shared_ptr<const storage::TableSnapshot>> snaps;      // snapshot key
  // Bounded (cleared when full): entries also live on in the snapshots that use them.
  std::unordered_map<std::string, std::shared_ptr<const TableDataImpl>> tables;              // see table()
  std::unordered_map<std::string, std::shared_ptr<const AdjacencyImpl>> adjacency;           // see adjacency()

  std::unique_ptr<search::EmbeddingClient> embedding_client;  // see embedder()

  std::shared_ptr<const SchemaObject> schema(const std::string& identity);
  // This handle's embedding client, created from the environment on first use and kept for the
  // handle's life (connection reuse, query cache). Throws like EmbeddingClient::from_env, and
  // then keeps nothing.
  search::EmbeddingClient& embedder();
  // The live rows of `type` for table snapshot `snapshot_key` (empty = no data), shared by
  // every snapshot that references the same immutable table snapshot.
  std::shared_ptr<const TableDataImpl> table(const std::shared_ptr<const SchemaObject>& schema,
                                             const compiler::TypeDef& type, const std::string& snapshot_key);
  std::shared_ptr<const AdjacencyImpl> adjacency_for(const std::string& key, const TableData& edges,
                                                     const TableData& sources, const TableData& targets);
};

class SnapshotImpl final : public GraphSnapshot {
 public:
  SnapshotImpl(std::shared_ptr<GraphState> state, storage::GraphCommit commit, std::optional<std::string> branch);

  const storage::GraphCommit& commit() const override { return commit_; }
  const std::optional<std::string>& branch() const override { return branch_; }
  const compiler::Catalog& catalog() const override { return schema_->catalog; }
  const std::string& schema_source() const override { return schema_->source; }
  const TableData& table(const compiler::TypeDef& type) const override { return table_impl(type); }
  const Adjacency& adjacency(const compiler::TypeDef& edge_type) const override;

  const TableDataImpl& table_impl(const compiler::TypeDef& type) const;
  const std::shared_ptr<const SchemaObject>& schema() const { return schema_; }
  GraphState& state() const { return *state_; }
  // The catalog's TypeDef for a type id (the same object table() keys on); nullptr if none.
  const compiler::TypeDef* type_by_id(uint32_t id) const;

 private:
  std::shared_ptr<GraphState> state_;
  storage::GraphCommit commit_;
  std::optional<std::string> branch_;
  std::shared_ptr<const SchemaObject> schema_;
  mutable std::mutex mu_;
  mutable std::unordered_map<uint32_t, std::shared_ptr<const TableDataImpl>> tables_;
  mutable std::unordered_map<uint32_t, std::shared_ptr<const AdjacencyImpl>> adjacency_;
};

}  // namespace omnigraph::engine
