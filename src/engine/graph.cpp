// Graph handle: init/open over a local object store, snapshot pinning with shared caches,
// and the write loop (prepare → validate → write objects → one CAS on the branch head).
#include "engine/graph.h"

#include <filesystem>

#include "common/error.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "compiler/catalog.h"
#include "engine/column_mapping.h"
#include "engine/graph_state.h"
#include "engine/write_txn_impl.h"
#include "storage/graph_root.h"
#include "storage/local_object_store.h"

namespace omnigraph::engine {

// ---------------------------------------------------------------- GraphState

std::shared_ptr<const SchemaObject> GraphState::schema(const std::string& identity) {
  {
    std::lock_guard lock(mu);
    auto it = schemas.find(identity);
    if (it != schemas.end()) return it->second;
  }
  auto obj = read_schema_object(*store, identity);
  std::lock_guard lock(mu);
  return schemas.emplace(identity, std::move(obj)).first->second;
}

std::shared_ptr<const TableDataImpl> GraphState::table(const std::shared_ptr<const SchemaObject>& schema,
                                                       const compiler::TypeDef& type, const std::string& snapshot_key) {
  std::string key = schema->identity + "|" + std::to_string(type.id) + "|" + snapshot_key;
  std::shared_ptr<const storage::TableSnapshot> snap;
  {
    std::lock_guard lock(mu);
    auto it = tables.find(key);
    if (it != tables.end()) return it->second;
    if (!snapshot_key.empty()) {
      auto s = snaps.find(snapshot_key);
      if (s != snaps.end()) snap = s->second;
    }
  }
  if (!snapshot_key.empty() && !snap)
    snap = std::make_shared<const storage::TableSnapshot>(read_history_snapshot(*store, snapshot_key));
  std::optional<storage::TableSnapshot> copy;
  if (snap) copy = *snap;
  auto data = std::make_shared<const TableDataImpl>(schema, type, *store, cache.get(), std::move(copy), &segments);
  std::lock_guard lock(mu);
  if (snap) snaps.emplace(snapshot_key, snap);
  if (tables.size() >= 128) tables.clear();  // bounded: old entries live on in the snapshots using them
  return tables.emplace(key, std::move(data)).first->second;
}

search::EmbeddingClient& GraphState::embedder() {
  std::lock_guard lock(mu);
  if (!embedding_client) embedding_client = search::EmbeddingClient::from_env();
  return *embedding_client;
}

std::shared_ptr<const AdjacencyImpl> GraphState::adjacency_for(const std::string& key, const TableData& edges,
                                                               const TableData& sources, const TableData& targets) {
  {
    std::lock_guard lock(mu);
    auto it = adjacency.find(key);
    if (it != adjacency.end()) return it->second;
  }
  auto adj = std::make_shared<const AdjacencyImpl>(edges, sources, targets);
  std::lock_guard lock(mu);
  if (adjacency.size() >= 64) adjacency.clear();
  return adjacency.emplace(key, std::move(adj)).first->second;
}

// ---------------------------------------------------------------- SnapshotImpl

SnapshotImpl::SnapshotImpl(std::shared_ptr<GraphState> state, storage::GraphCommit commit,
                           std::optional<std::string> branch)
    : state_(std::move(state)), commit_(std::move(commit)), branch_(std::move(branch)) {
  schema_ = state_->schema(commit_.schema_identity);
}

const compiler::TypeDef* SnapshotImpl::type_by_id(uint32_t id) const {
  for (const auto& t : schema_->catalog.nodes)
    if (t.id == id) return &t;
  for (const auto& t : schema_->catalog.edges)
    if (t.id == id) return &t;
  return nullptr;
}

const TableDataImpl& SnapshotImpl::table_impl(const compiler::TypeDef& type) const {
  {
    std::lock_guard lock(mu_);
    auto it = tables_.find(type.id);
    if (it != tables_.end()) return *it->second;
  }
  const compiler::TypeDef* own = type_by_id(type.id);
  if (!own || own->kind == compiler::DeclKind::kInterface)
    throw Error(ErrorCode::kBadRequest, "type '" + type.name + "' does not exist at this snapshot");
  auto tid = table_id(*own);
  auto it = commit_.tables.find(tid);
  std::shared_ptr<const TableDataImpl> data;
  try {
    data = state_->table(schema_, *own, it == commit_.tables.end() ? std::string() : it->second);
  } catch (const Error& e) {
    if (!std::holds_alternative<HistoryReclaimedDetail>(e.detail())) throw;
    throw Error(e.code(), "historical data of type '" + own->name + "' at commit '" + commit_.id + "' was reclaimed",
                HistoryReclaimedDetail{});
  }
  std::lock_guard lock(mu_);
  return *tables_.emplace(type.id, std::move(data)).first->second;
}

const Adjacency& SnapshotImpl::adjacency(const compiler::TypeDef& edge_type) const {
  {
    std::lock_guard lock(mu_);
    auto it = adjacency_.find(edge_type.id);
    if (it != adjacency_.end()) return *it->second;
  }
  const compiler::TypeDef* own = type_by_id(edge_type.id);
  if (!own || own->kind != compiler::DeclKind::kEdge)
    throw Error(ErrorCode::kBadRequest, "'" + edge_type.name + "' is not an edge type");
  const auto* src = schema_->catalog.find_node(own->source);
  const auto* dst = schema_->catalog.find_node(own->target);
  if (!src || !dst) throw Error(ErrorCode::kInternal, "edge '" + own->name + "' has unknown endpoint types");
  const auto& e = table_impl(*own);
  const auto& s = table_impl(*src);
  const auto& t = table_impl(*dst);
  auto key_of = [&](const TableDataImpl& d) {
    auto it = commit_.tables.find(table_id(d.type()));
    return it == commit_.tables.end() ? std::string("-") : it->second;
  };
  std::string key = schema_->identity + "|" + key_of(e) + "|" + key_of(s) + "|" + key_of(t);
  auto adj = state_->adjacency_for(key, e, s, t);
  std::lock_guard lock(mu_);
  return *adjacency_.emplace(edge_type.id, std::move(adj)).first->second;
}

// ---------------------------------------------------------------- Graph

struct Graph::Impl {
  std::shared_ptr<GraphState> state;
};

namespace {

std::string local_root(const std::string& uri) {
  if (uri.rfind("file://", 0) == 0) {
    std::string path = uri.substr(7);
    if (path.empty() || path[0] != '/')
      throw Error(ErrorCode::kBadRequest, "file URI must name an absolute path: '" + uri + "'");
    return path;
  }
  if (uri.find("://") != std::string::npos)
    throw Error(ErrorCode::kBadRequest, "unsupported storage URI '" + uri + "' (supported: a local path or file://)");
  if (uri.empty()) throw Error(ErrorCode::kBadRequest, "empty graph URI");
  return uri;
}

std::shared_ptr<GraphState> make_state(const std::string& uri, std::unique_ptr<storage::ObjectStore> store,
                                       const GraphOptions& options) {
  auto state = std::make_shared<GraphState>();
  state->uri = uri;
  state->store = std::move(store);
  state->refs = std::make_unique<storage::BranchRefs>(*state->store);
  state->cache = std::make_unique<storage::ColumnCache>(options.cache_bytes);
  return state;
}

bool root_exists(const std::string& root) {
  std::error_code ec;
  return std::filesystem::exists(root, ec);
}

}  // namespace

Graph::Graph(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Graph::~Graph() = default;

std::unique_ptr<Graph> Graph::init(const std::string& uri, std::string_view schema_source, bool force,
                                   GraphOptions options) {
  std::string root = local_root(uri);
  compiler::Catalog catalog = compiler::compile_schema(schema_source);  // CompileError: nothing written
  if (root_exists(root)) {
    // Strict init refuses anything that holds a graph; --force only clears orphan schema
    // artifacts (a root with schema objects but no format marker / branch).
    auto probe = storage::LocalObjectStore::open(root);
    if (probe->head(storage::kFormatMarkerKey)) {
      if (force)
        throw Error(ErrorCode::kConflict, "force init refuses graph root '" + uri +
                                              "' because it already holds a graph; initialize an empty root instead");
      throw Error(ErrorCode::kConflict, "a graph already exists at " + uri);
    }
    auto leftovers = probe->list("schemas/");
    if (!leftovers.empty()) {
      if (!force)
        throw Error(ErrorCode::kConflict, "'" + uri + "' holds schema artifacts of an unfinished init; pass --force to replace them");
      if (!probe->list("refs/").empty() || !probe->list("commits/").empty())
        throw Error(ErrorCode::kConflict, "force init refuses graph root '" + uri +
                                              "' because it already holds a graph; initialize an empty root instead");
      for (const auto& k : leftovers) probe->remove(k);
    }
  }
  auto state = make_state(uri, storage::LocalObjectStore::open(root), options);
  auto& store = *state->store;
  auto schema = write_schema_object(store, std::string(schema_source), std::move(catalog));
  storage::init_graph_root(store);

  storage::GraphCommit genesis;
  genesis.id = new_ulid();
  genesis.branch = "main";
  genesis.sequence = 1;
  genesis.created_at_us = now_epoch_us();
  genesis.schema_identity = schema->identity;
  auto add_empty = [&](const compiler::TypeDef& t) {
    storage::TableSnapshot snap;
    snap.table_id = table_id(t);
    snap.version = 1;
    snap.columns.push_back({"id", storage::ColumnType::scalar(storage::TypeKind::kString)});
    if (t.kind == compiler::DeclKind::kEdge) {
      snap.columns.push_back({"src", storage::ColumnType::scalar(storage::TypeKind::kString)});
      snap.columns.push_back({"dst", storage::ColumnType::scalar(storage::TypeKind::kString)});
    }
    for (const auto& p : t.properties) snap.columns.push_back({property_column(p), column_type(p.type)});
    genesis.tables[snap.table_id] = storage::write_table_snapshot(store, snap);
  };
  for (const auto& t : schema->catalog.nodes) add_empty(t);
  for (const auto& t : schema->catalog.edges) add_empty(t);
  storage::write_commit(store, genesis);
  state->refs->create("main", genesis.id);
  {
    std::lock_guard lock(state->mu);
    state->schemas.emplace(schema->identity, schema);
  }
  return std::unique_ptr<Graph>(new Graph(std::make_unique<Impl>(Impl{std::move(state)})));
}

std::unique_ptr<Graph> Graph::open(const std::string& uri, GraphOptions options) {
  std::string root = local_root(uri);
  if (!root_exists(root)) throw Error(ErrorCode::kNotFound, "no graph at " + uri);
  auto state = make_state(uri, storage::LocalObjectStore::open(root), options);
  storage::check_graph_root(*state->store);
  return std::unique_ptr<Graph>(new Graph(std::make_unique<Impl>(Impl{std::move(state)})));
}

std::unique_ptr<Graph> Graph::open_store(std::unique_ptr<storage::ObjectStore> store, const std::string& uri,
                                         GraphOptions options) {
  auto state = make_state(uri, std::move(store), options);
  storage::check_graph_root(*state->store);
  return std::unique_ptr<Graph>(new Graph(std::make_unique<Impl>(Impl{std::move(state)})));
}

const std::string& Graph::uri() const { return impl_->state->uri; }
storage::ObjectStore& Graph::store() { return *impl_->state->store; }
storage::BranchRefs& Graph::refs() { return *impl_->state->refs; }

std::shared_ptr<const GraphSnapshot> Graph::snapshot(const ReadTarget& target) {
  auto& st = impl_->state;
  if (target.branch && target.snapshot)
    throw Error(ErrorCode::kBadRequest, "branch and snapshot are mutually exclusive");
  if (target.snapshot) {
    auto commit = storage::read_commit(*st->store, *target.snapshot);
    return std::make_shared<SnapshotImpl>(st, std::move(commit), std::nullopt);
  }
  std::string branch = target.branch.value_or("main");
  auto head = st->refs->head(branch);
  auto commit = storage::read_commit(*st->store, head.commit_id);
  return std::make_shared<SnapshotImpl>(st, std::move(commit), branch);
}

std::optional<storage::GraphCommit> Graph::write(
    const WriteOptions& options, const std::function<void(const GraphSnapshot& base, WriteTxn& txn)>& prepare) {
  auto& st = impl_->state;
  constexpr int kMaxAttempts = 32;
  std::string last_expected, last_actual;
  // Maintenance commits (optimize) change no entity, so a head that moved only by them counts
  // as unmoved: the precondition holds and the write is re-prepared onto the new head.
  auto same_state = [&](const std::string& expected, const std::string& actual) {
    return expected == actual || (!actual.empty() && storage::moved_only_by_maintenance(*st->store, expected, actual));
  };
  for (int attempt = 0; attempt <= kMaxAttempts; ++attempt) {
    auto head = st->refs->head(options.branch);
    if (options.expected_head && !same_state(*options.expected_head, head.commit_id))
      throw Error(ErrorCode::kConflict,
                  "precondition failed on branch '" + options.branch + "': expected head '" + *options.expected_head +
                      "' but current is " + head.commit_id,
                  PreconditionFailureDetail{*options.expected_head, head.commit_id});
    auto base = std::make_shared<const SnapshotImpl>(st, storage::read_commit(*st->store, head.commit_id), options.branch);
    WriteTxnImpl txn(base);
    prepare(*base, txn);
    if (txn.empty() && !options.commit_if_empty) {
      // A conditional no-op is checked at the moment it would have committed.
      if (options.expected_head) {
        auto now = st->refs->head(options.branch);
        if (!same_state(*options.expected_head, now.commit_id))
          throw Error(ErrorCode::kConflict,
                      "precondition failed on branch '" + options.branch + "': expected head '" +
                          *options.expected_head + "' but current is " + now.commit_id,
                      PreconditionFailureDetail{*options.expected_head, now.commit_id});
      }
      return std::nullopt;
    }
    if (!options.validated_in_prepare) txn.validate();
    storage::GraphCommit commit = txn.write_objects(head, options.branch, options.actor, options.merged_parent);
    try {
      st->refs->publish(options.branch, head, commit.id, options.actor);
      return commit;
    } catch (const storage::PublishConflict&) {
      auto now = st->refs->tail(options.branch);
      std::string actual = now && now->live() ? now->commit_id : std::string();
      last_expected = head.commit_id;
      last_actual = actual;
      if (same_state(head.commit_id, actual)) continue;  // only maintenance commits landed: re-prepare
      if (options.expected_head)
        throw Error(ErrorCode::kConflict,
                    "precondition failed on branch '" + options.branch + "': expected head '" + *options.expected_head +
                        "' but current is " + actual,
                    PreconditionFailureDetail{*options.expected_head, actual});
      if (!options.reprepare) break;
    }
  }
  throw Error(ErrorCode::kConflict,
              "branch '" + options.branch + "' moved during the write (expected head " + last_expected + ", now " +
                  last_actual + "); retry",
              ReadSetConflictDetail{"graph_head:" + options.branch, last_expected, last_actual});
}

}  // namespace omnigraph::engine
