// A pinned, immutable view of the whole graph at one commit, and the per-type data the
// executor reads. Everything here is read-only and safe to share across threads; tables
// and adjacency are materialised lazily on first use and cached by immutable object id.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "compiler/catalog.h"
#include "engine/value.h"
#include "storage/column_types.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine {

// Live rows of one node or edge type at one snapshot, numbered densely [0, row_count()).
// Row numbers are stable for the lifetime of this object only.
class TableData {
 public:
  virtual ~TableData() = default;
  virtual const compiler::TypeDef& type() const = 0;
  virtual uint64_t row_count() const = 0;
  // The column over all live rows: "id", for edges "src"/"dst", or a property name. Rows of
  // fragments written before a property existed read as null. Throws bad_request for an
  // unknown name.
  virtual const storage::Column& column(std::string_view name) const = 0;
  // Row holding entity `id`, via the primary-key map.
  virtual std::optional<uint64_t> find(std::string_view id) const = 0;
  // One cell as a Value (slow path: mutations, results, tests).
  virtual Value value(uint64_t row, std::string_view name) const = 0;
};

// CSR (out) and CSC (in) adjacency of one edge type over node rows of its endpoint types.
// For source row s: out_edges(s) are edge rows, out_neighbors(s) the matching target rows
// (parallel spans). Edges whose endpoint is missing are not indexed.
class Adjacency {
 public:
  virtual ~Adjacency() = default;
  virtual std::span<const uint32_t> out_edges(uint64_t source_row) const = 0;
  virtual std::span<const uint32_t> out_neighbors(uint64_t source_row) const = 0;
  virtual std::span<const uint32_t> in_edges(uint64_t target_row) const = 0;
  virtual std::span<const uint32_t> in_neighbors(uint64_t target_row) const = 0;
};

class GraphSnapshot {
 public:
  virtual ~GraphSnapshot() = default;
  virtual const storage::GraphCommit& commit() const = 0;
  // The branch this snapshot is the head of; nullopt when pinned by commit id.
  virtual const std::optional<std::string>& branch() const = 0;
  virtual const compiler::Catalog& catalog() const = 0;
  virtual const std::string& schema_source() const = 0;
  virtual const TableData& table(const compiler::TypeDef& type) const = 0;
  virtual const Adjacency& adjacency(const compiler::TypeDef& edge_type) const = 0;
};

}  // namespace omnigraph::engine
