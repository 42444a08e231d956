// The graph handle: opens a graph root on an object store, pins read snapshots and
// publishes writes. Every front end (CLI embedded mode, server) goes through it.
//
// Addressing: a URI is a local path (relative or absolute) or file:///abs/path;
// s3://bucket/prefix arrives with the S3 store and needs no change here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "engine/graph_snapshot.h"
#include "storage/branch_refs.h"
#include "storage/column_cache.h"
#include "storage/graph_commit.h"
#include "storage/object_store.h"

namespace omnigraph::engine {

// What a read addresses: a branch head (default "main") or a commit id. Exactly one is set
// after resolution; both set is a bad_request.
struct ReadTarget {
  std::optional<std::string> branch;
  std::optional<std::string> snapshot;
};

struct GraphOptions {
  uint64_t cache_bytes = 1ull << 30;  // decoded-column cache budget
};

// Thread-safe: snapshots may be taken and writes run from several threads. Several
// processes may open the same graph; the branch-head CAS keeps them consistent.
class Graph {
 public:
  // Creates a graph at `uri`: format marker, schema object, genesis commit (version 1,
  // actor null) and branch `main`. Throws CompileError for a bad schema (nothing written),
  // conflict "a graph already exists at <uri>" unless `force` allows re-initialising per
  // cli-and-cluster.md (`init --force`).
  static std::unique_ptr<Graph> init(const std::string& uri, std::string_view schema_source, bool force = false,
                                     GraphOptions options = {});
  // Opens an existing graph; not_found "no graph at <uri>", format-version errors.
  static std::unique_ptr<Graph> open(const std::string& uri, GraphOptions options = {});
  // Opens the graph held by an already constructed store (crash tests wrap the local store in a
  // storage::FaultInjectionStore). `uri` is only reported. Format checks as open(uri).
  static std::unique_ptr<Graph> open_store(std::unique_ptr<storage::ObjectStore> store, const std::string& uri,
                                           GraphOptions options = {});

  Graph(const Graph&) = delete;
  Graph& operator=(const Graph&) = delete;
  ~Graph();

  const std::string& uri() const;
  storage::ObjectStore& store();
  storage::BranchRefs& refs();

  // Pins a consistent snapshot (one commit). Branch default "main". Throws not_found
  // "branch '<b>' not found" / "commit '<id>' not found".
  std::shared_ptr<const GraphSnapshot> snapshot(const ReadTarget& target = {});

  // Runs a write on `branch`: pins the head, calls `prepare(base, txn)` to stage changes,
  // validates and publishes one commit with a CAS on the head. If the head moved before the
  // publish and `reprepare` is true, discards and repeats from the new head (up to 32 times,
  // then conflict with read_set_conflict); if false, throws conflict with read_set_conflict
  // {member "graph_head:<branch>", expected, actual}. `expected_head` (--if-commit) fails
  // with precondition_failure (412, never retried) when the head differs, also for a no-op.
  // A head that moved only by maintenance commits (optimize: no entity changed) counts as
  // unmoved for both checks: the write is re-prepared onto the new head and still succeeds.
  // Returns the published commit, or nullopt when the txn staged nothing and
  // `commit_if_empty` is false (mutation no-op).
  struct WriteOptions {
    std::string branch = "main";
    std::optional<std::string> actor;
    bool reprepare = false;
    bool commit_if_empty = false;
    std::optional<std::string> expected_head;
    // Merge commits only: the source head recorded as the commit's second parent.
    std::optional<std::string> merged_parent;
    // The prepare callback itself checked the delta (WriteTxn::violations / validate) and
    // threw on any violation, so write() does not check it a second time. Merge only.
    bool validated_in_prepare = false;
  };
  std::optional<storage::GraphCommit> write(const WriteOptions& options,
                                            const std::function<void(const GraphSnapshot& base, class WriteTxn& txn)>& prepare);

 private:
  struct Impl;
  explicit Graph(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace omnigraph::engine
