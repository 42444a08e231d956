// Engine-internal WriteTxn: per-type staging of upserts and removals over a pinned base
// snapshot, and the code that turns the staged delta into storage objects. Not for use
// outside src/engine.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/graph_state.h"
#include "engine/write_txn.h"

namespace omnigraph::engine {

// The staged delta of one type.
struct TypeStage {
  const compiler::TypeDef* type = nullptr;  // from the base snapshot's catalog
  std::vector<Entity> puts;                 // staged entities (insertion order)
  std::vector<uint8_t> alive;               // alive[i] = puts[i] is still staged
  std::unordered_map<std::string, size_t> index;  // id -> puts slot (alive only)
  std::unordered_set<std::string> removed_base;   // base ids removed (explicitly or by replacement)
  bool cleared_base = false;                      // every base entity removed (overwrite)
};

class WriteTxnImpl final : public WriteTxn {
 public:
  explicit WriteTxnImpl(std::shared_ptr<const SnapshotImpl> base) : base_(std::move(base)) {}

  const GraphSnapshot& base() const override { return *base_; }
  void put(const compiler::TypeDef& type, Entity entity) override;
  bool remove(const compiler::TypeDef& type, std::string_view id) override;
  std::optional<Entity> get(const compiler::TypeDef& type, std::string_view id) const override;
  void for_each(const compiler::TypeDef& type, const std::function<void(const Entity&)>& fn) const override;
  bool empty() const override;
  void validate() const override;

  // Removes every base entity of the type (load overwrite) in O(1); staged puts stay.
  void clear_base(const compiler::TypeDef& type);
  // Whether the base entity `id` is still visible (not removed or replaced).
  bool base_visible(const TypeStage* stage, std::string_view id) const;

  const std::map<uint32_t, TypeStage>& stages() const { return stages_; }
  const SnapshotImpl& base_impl() const { return *base_; }

  // Writes fragments, deletion vectors, table snapshots and the commit object (not the ref).
  storage::GraphCommit write_objects(const storage::RefEntry& head, const std::string& branch,
                                     const std::optional<std::string>& actor) const;

 private:
  TypeStage& stage(const compiler::TypeDef& type);
  const TypeStage* find_stage(const compiler::TypeDef& type) const;
  Entity base_entity(const TableDataImpl& table, uint64_t row) const;

  std::shared_ptr<const SnapshotImpl> base_;
  std::map<uint32_t, TypeStage> stages_;  // by type id
};

}  // namespace omnigraph::engine
