// Engine-internal WriteTxn: per-type staging of upserts and removals over a pinned base
// snapshot, and the code that turns the staged delta into storage objects. Not for use
// outside src/engine.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/graph_state.h"
#include "engine/write_txn.h"

namespace omnigraph::engine {

// Rows per fragment written by a commit (larger row sets are cut into several fragments);
// also optimize's compaction target.
inline constexpr size_t kMaxFragmentRows = size_t{1} << 22;

// Transparent string hash so staged ids are looked up by string_view without copies.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

// Open-addressing id → slot index over a stage's `puts` (ids are not copied: an entry holds
// the slot and 32 bits of the hash). Linear probing, tombstones on erase, load ≤ 1/2.
class FlatIdIndex {
 public:
  std::optional<size_t> find(std::string_view id, const std::vector<Entity>& puts) const;
  // Precondition: puts[slot].id is not indexed yet.
  void insert(size_t slot, const std::vector<Entity>& puts);
  bool erase(std::string_view id, const std::vector<Entity>& puts);
  size_t size() const { return size_; }
  // Cache hints for batched lookups: bring in the id's table entry, then (once that is
  // cached) the entity it points at. No effect on results.
  void prefetch_entry(std::string_view id) const;
  void prefetch_target(std::string_view id, const std::vector<Entity>& puts) const;

 private:
  static constexpr uint32_t kEmpty = 0, kTombstone = 0xFFFFFFFFu;
  struct Entry {
    uint32_t slot1 = kEmpty;  // slot + 1
    uint32_t hash = 0;
  };
  void grow(const std::vector<Entity>& puts);
  std::vector<Entry> table_;
  size_t size_ = 0, used_ = 0;  // live entries; live + tombstones
};

// The staged delta of one type. Not thread-safe, not even for const lookups (find() indexes
// pending entities lazily); write_objects() reads stages concurrently without calling it.
struct TypeStage {
  const compiler::TypeDef* type = nullptr;  // from the base snapshot's catalog
  std::vector<Entity> puts;                 // staged entities (insertion order)
  std::vector<uint8_t> alive;               // alive[i] = puts[i] is still staged
  std::unordered_set<std::string, StringHash, std::equal_to<>> removed_base;  // base ids removed / replaced
  bool cleared_base = false;                      // every base entity removed (overwrite)
  size_t live = 0;                                // alive staged entities

  // Slot of the staged (alive) entity with this id. Entities staged with put_fresh are
  // indexed lazily, on the first lookup, so a bulk load of generated-id edges never indexes.
  std::optional<size_t> find(std::string_view id) const {
    flush();
    return index.find(id, puts);
  }
  bool has(std::string_view id) const { return find(id).has_value(); }
  void flush() const {
    for (size_t slot : pending)
      if (alive[slot]) index.insert(slot, puts);
    pending.clear();
  }
  mutable FlatIdIndex index;
  mutable std::vector<size_t> pending;
};

class ViolationSink;  // validation.cpp

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
  Violations violations(size_t max) const override;

  // Capacity hint: `n` more entities of the type are about to be staged.
  void reserve(const compiler::TypeDef& type, size_t n);
  // put() for an id the caller just minted (a fresh ULID): skips the replace/base lookups.
  void put_fresh(const compiler::TypeDef& type, Entity entity);
  // Whether the entity exists in the read-your-writes state (like get(), without copying).
  bool exists(const compiler::TypeDef& type, std::string_view id) const;
  // Removes every base entity of the type (load overwrite) in O(1); staged puts stay.
  void clear_base(const compiler::TypeDef& type);
  // Whether the base entity `id` is still visible (not removed or replaced).
  bool base_visible(const TypeStage* stage, std::string_view id) const;

  const std::map<uint32_t, TypeStage>& stages() const { return stages_; }
  const SnapshotImpl& base_impl() const { return *base_; }

  // Writes fragments, deletion vectors, table snapshots and the commit object (not the ref).
  // `merged_parent` (merge commits) becomes the commit's second parent.
  storage::GraphCommit write_objects(const storage::RefEntry& head, const std::string& branch,
                                     const std::optional<std::string>& actor,
                                     const std::optional<std::string>& merged_parent = std::nullopt) const;

 private:
  TypeStage& stage(const compiler::TypeDef& type);
  const TypeStage* find_stage(const compiler::TypeDef& type) const;
  Entity base_entity(const TableDataImpl& table, uint64_t row) const;
  // Runs every §2.7 check, handing each violation to `sink` (validation.cpp).
  void check_delta(ViolationSink& sink) const;

  std::shared_ptr<const SnapshotImpl> base_;
  std::map<uint32_t, TypeStage> stages_;  // by type id
};

}  // namespace omnigraph::engine
