// Engine-internal implementations of TableData (live rows stitched over a table snapshot's
// fragments) and Adjacency (CSR/CSC over node rows). Not for use outside src/engine.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "engine/graph_snapshot.h"
#include "engine/index/segment_cache.h"
#include "engine/schema_object.h"
#include "storage/column_cache.h"
#include "storage/object_store.h"
#include "storage/table_reader.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine {

// read_table_snapshot for a version named by a commit: a missing object means cleanup reclaimed
// it, reported as Error(not_found, HistoryReclaimedDetail) → 410 (data-plane §6, §11.2).
storage::TableSnapshot read_history_snapshot(storage::ObjectStore& store, const std::string& key);

class TableDataImpl final : public TableData {
 public:
  // `snapshot` nullopt = the type has no data yet (empty table). `schema` keeps `type` alive.
  // `segments` (may be null: nothing shared) is the graph-wide per-fragment index cache.
  TableDataImpl(std::shared_ptr<const SchemaObject> schema, const compiler::TypeDef& type,
                storage::ObjectStore& store, storage::ColumnCache* cache,
                std::optional<storage::TableSnapshot> snapshot, index::SegmentCache* segments = nullptr);

  const compiler::TypeDef& type() const override { return *type_; }
  uint64_t row_count() const override { return rows_; }
  const storage::Column& column(std::string_view name) const override;
  std::optional<uint64_t> find(std::string_view id) const override;
  Value value(uint64_t row, std::string_view name) const override;

  // The table snapshot these rows come from (nullopt for a type without data).
  const std::optional<storage::TableSnapshot>& table_snapshot() const { return snapshot_; }
  // Where live row `row` is stored: (fragment index, physical row in that fragment).
  std::pair<size_t, uint32_t> locate(uint64_t row) const;
  // Inverse of locate(): the dense row of physical row `physical` in fragment `fragment`, or
  // nullopt when that row is deleted.
  std::optional<uint64_t> dense_row(size_t fragment, uint32_t physical) const;
  // Dense row of the first live row of fragment `fragment` (fragment_count() → row_count()).
  uint64_t first_row(size_t fragment) const { return first_row_[fragment]; }
  // The reader over this table snapshot's fragments; nullptr for a type without data.
  storage::TableReader* reader() const { return reader_.get(); }
  storage::ObjectStore& store() const { return *store_; }
  // The graph-wide per-fragment segment cache (nullptr when the table was built standalone).
  index::SegmentCache* segments() const { return segments_; }
  // A derived structure over exactly these rows (a table-level search or scalar index view),
  // built once by `build` under `name` and shared by every snapshot sharing this table.
  // Thread-safe; `build` runs without the table lock, so it may read columns.
  template <class T>
  std::shared_ptr<const T> derived(const std::string& name, const std::function<std::shared_ptr<const T>()>& build) const {
    {
      std::lock_guard lock(mu_);
      auto it = derived_.find(name);
      if (it != derived_.end()) return std::static_pointer_cast<const T>(it->second);
    }
    std::shared_ptr<const T> built = build();
    std::lock_guard lock(mu_);
    return std::static_pointer_cast<const T>(derived_.emplace(name, built).first->second);
  }

  // Logical type of a column name ("id"/"src"/"dst" = String), or nullptr if unknown.
  const compiler::ValueType* column_value_type(std::string_view name) const;

 private:
  std::shared_ptr<const storage::Column> build_column(const std::string& physical, const storage::ColumnType& type) const;

  std::shared_ptr<const SchemaObject> schema_;
  const compiler::TypeDef* type_;
  storage::ObjectStore* store_;
  index::SegmentCache* segments_;
  std::optional<storage::TableSnapshot> snapshot_;
  std::unique_ptr<storage::TableReader> reader_;
  uint64_t rows_ = 0;
  std::vector<uint64_t> first_row_;               // per fragment: first dense row
  std::vector<std::vector<uint32_t>> live_rows_;  // per fragment with deletions: live physical rows

  mutable std::mutex mu_;
  mutable std::unordered_map<std::string, std::shared_ptr<const storage::Column>> columns_;
  mutable std::unordered_map<std::string, std::shared_ptr<const void>> derived_;
  mutable std::once_flag pk_once_;
  mutable std::unordered_map<std::string_view, uint32_t> pk_;
};

class AdjacencyImpl final : public Adjacency {
 public:
  AdjacencyImpl(const TableData& edges, const TableData& sources, const TableData& targets);
  std::span<const uint32_t> out_edges(uint64_t s) const override { return span(out_off_, out_edges_, s); }
  std::span<const uint32_t> out_neighbors(uint64_t s) const override { return span(out_off_, out_nbrs_, s); }
  std::span<const uint32_t> in_edges(uint64_t t) const override { return span(in_off_, in_edges_, t); }
  std::span<const uint32_t> in_neighbors(uint64_t t) const override { return span(in_off_, in_nbrs_, t); }

 private:
  static std::span<const uint32_t> span(const std::vector<uint32_t>& off, const std::vector<uint32_t>& v, uint64_t r) {
    if (r + 1 >= off.size()) return {};
    return {v.data() + off[r], v.data() + off[r + 1]};
  }
  std::vector<uint32_t> out_off_, out_edges_, out_nbrs_, in_off_, in_edges_, in_nbrs_;
};

}  // namespace omnigraph::engine
