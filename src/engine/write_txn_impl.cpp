// Staging of one write (read-your-writes over a pinned base) and materialising the delta as
// fragments, deletion vectors, table snapshots and one commit object.
#include "engine/write_txn_impl.h"

#include <atomic>
#include <exception>
#include <thread>

#include "common/error.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "engine/column_mapping.h"
#include "storage/deletion_vector.h"
#include "storage/fragment_writer.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine {

std::optional<size_t> FlatIdIndex::find(std::string_view id, const std::vector<Entity>& puts) const {
  if (table_.empty()) return std::nullopt;
  size_t h = StringHash{}(id);
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = table_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    const Entry& e = table_[i];
    if (e.slot1 == kEmpty) return std::nullopt;
    if (e.slot1 != kTombstone && e.hash == tag && puts[e.slot1 - 1].id == id) return e.slot1 - 1;
  }
}

void FlatIdIndex::prefetch_entry(std::string_view id) const {
  if (table_.empty()) return;
  __builtin_prefetch(&table_[StringHash{}(id) & (table_.size() - 1)]);
}

void FlatIdIndex::prefetch_target(std::string_view id, const std::vector<Entity>& puts) const {
  if (table_.empty()) return;
  size_t h = StringHash{}(id);
  const Entry& e = table_[h & (table_.size() - 1)];
  if (e.slot1 != kEmpty && e.slot1 != kTombstone) {
    const Entity& target = puts[e.slot1 - 1];
    __builtin_prefetch(&target);
    __builtin_prefetch(target.id.data());
  }
}

void FlatIdIndex::insert(size_t slot, const std::vector<Entity>& puts) {
  if ((used_ + 1) * 2 > table_.size()) grow(puts);
  size_t h = StringHash{}(puts[slot].id);
  size_t mask = table_.size() - 1;
  size_t i = h & mask;
  while (table_[i].slot1 != kEmpty && table_[i].slot1 != kTombstone) i = (i + 1) & mask;
  if (table_[i].slot1 == kEmpty) ++used_;
  table_[i] = Entry{static_cast<uint32_t>(slot + 1), static_cast<uint32_t>(h >> 32)};
  ++size_;
}

bool FlatIdIndex::erase(std::string_view id, const std::vector<Entity>& puts) {
  if (table_.empty()) return false;
  size_t h = StringHash{}(id);
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = table_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Entry& e = table_[i];
    if (e.slot1 == kEmpty) return false;
    if (e.slot1 != kTombstone && e.hash == tag && puts[e.slot1 - 1].id == id) {
      e.slot1 = kTombstone;
      --size_;
      return true;
    }
  }
}

void FlatIdIndex::grow(const std::vector<Entity>& puts) {
  std::vector<Entry> old = std::move(table_);
  size_t cap = 16;
  while (cap < (size_ + 1) * 4) cap <<= 1;
  table_.assign(cap, Entry{});
  size_ = used_ = 0;
  for (const Entry& e : old)
    if (e.slot1 != kEmpty && e.slot1 != kTombstone) insert(e.slot1 - 1, puts);
}

TypeStage& WriteTxnImpl::stage(const compiler::TypeDef& type) {
  auto it = stages_.find(type.id);
  if (it != stages_.end()) return it->second;
  const compiler::TypeDef* own = base_->type_by_id(type.id);
  if (!own || own->kind == compiler::DeclKind::kInterface)
    throw Error(ErrorCode::kBadRequest, "type '" + type.name + "' does not exist at this snapshot");
  TypeStage& s = stages_[type.id];
  s.type = own;
  return s;
}

const TypeStage* WriteTxnImpl::find_stage(const compiler::TypeDef& type) const {
  auto it = stages_.find(type.id);
  return it == stages_.end() ? nullptr : &it->second;
}

bool WriteTxnImpl::base_visible(const TypeStage* s, std::string_view id) const {
  if (!s) return true;
  if (s->cleared_base) return false;
  return s->removed_base.find(id) == s->removed_base.end();
}

void WriteTxnImpl::put(const compiler::TypeDef& type, Entity entity) {
  TypeStage& s = stage(type);
  if (entity.values.size() != s.type->properties.size())
    throw Error(ErrorCode::kInternal, "engine: entity of '" + s.type->name + "' has " +
                                          std::to_string(entity.values.size()) + " values, expected " +
                                          std::to_string(s.type->properties.size()));
  if (auto slot = s.find(entity.id)) {
    s.puts[*slot] = std::move(entity);
    return;
  }
  if (!s.cleared_base && base_->table_impl(*s.type).find(entity.id)) s.removed_base.insert(entity.id);
  s.puts.push_back(std::move(entity));
  s.index.insert(s.puts.size() - 1, s.puts);
  s.alive.push_back(1);
  ++s.live;
}

void WriteTxnImpl::reserve(const compiler::TypeDef& type, size_t n) {
  TypeStage& s = stage(type);
  s.puts.reserve(s.puts.size() + n);
  s.alive.reserve(s.alive.size() + n);
}

void WriteTxnImpl::put_fresh(const compiler::TypeDef& type, Entity entity) {
  TypeStage& s = stage(type);
  s.pending.push_back(s.puts.size());
  s.puts.push_back(std::move(entity));
  s.alive.push_back(1);
  ++s.live;
}

bool WriteTxnImpl::remove(const compiler::TypeDef& type, std::string_view id) {
  TypeStage& s = stage(type);
  std::string key(id);
  bool found = false;
  if (auto slot = s.find(key)) {
    s.index.erase(key, s.puts);
    s.alive[*slot] = 0;
    --s.live;
    found = true;
  }
  if (!s.cleared_base && base_->table_impl(*s.type).find(id)) {
    // Replaced base rows are already in removed_base; a second insert reports nothing new.
    found = s.removed_base.insert(key).second || found;
  }
  return found;
}

void WriteTxnImpl::clear_base(const compiler::TypeDef& type) {
  TypeStage& s = stage(type);
  s.cleared_base = true;
  s.removed_base.clear();
}

namespace {
// Column pointers of a base table, resolved once per scan instead of once per cell.
struct BaseColumns {
  explicit BaseColumns(const TableDataImpl& table) : type(table.type()) {
    id = &table.column("id");
    if (type.kind == compiler::DeclKind::kEdge) {
      src = &table.column("src");
      dst = &table.column("dst");
    }
    for (const auto& p : type.properties) props.push_back(&table.column(p.name));
  }
  Entity entity(uint64_t row) const {
    Entity e;
    e.id = std::string(id->bytes_at(row));
    if (src) {
      e.src = std::string(src->bytes_at(row));
      e.dst = std::string(dst->bytes_at(row));
    }
    e.values.reserve(props.size());
    for (size_t i = 0; i < props.size(); ++i) e.values.push_back(value_at(*props[i], row, type.properties[i].type));
    return e;
  }
  const compiler::TypeDef& type;
  const storage::Column* id = nullptr;
  const storage::Column* src = nullptr;
  const storage::Column* dst = nullptr;
  std::vector<const storage::Column*> props;
};
}  // namespace

Entity WriteTxnImpl::base_entity(const TableDataImpl& table, uint64_t row) const {
  return BaseColumns(table).entity(row);
}

bool WriteTxnImpl::exists(const compiler::TypeDef& type, std::string_view id) const {
  const TypeStage* s = find_stage(type);
  if (s && s->has(id)) return true;
  if (!base_visible(s, id)) return false;
  const compiler::TypeDef* own = s ? s->type : base_->type_by_id(type.id);
  return own && base_->table_impl(*own).find(id).has_value();
}

std::optional<Entity> WriteTxnImpl::get(const compiler::TypeDef& type, std::string_view id) const {
  const TypeStage* s = find_stage(type);
  if (s) {
    if (auto slot = s->find(id)) return s->puts[*slot];
  }
  if (!base_visible(s, id)) return std::nullopt;
  const compiler::TypeDef* own = base_->type_by_id(type.id);
  if (!own) return std::nullopt;
  const auto& table = base_->table_impl(*own);
  auto row = table.find(id);
  if (!row) return std::nullopt;
  return base_entity(table, *row);
}

void WriteTxnImpl::for_each(const compiler::TypeDef& type, const std::function<void(const Entity&)>& fn) const {
  const TypeStage* s = find_stage(type);
  const compiler::TypeDef* own = base_->type_by_id(type.id);
  if (!own) return;
  if (!s || !s->cleared_base) {
    const auto& table = base_->table_impl(*own);
    BaseColumns cols(table);
    for (uint64_t r = 0; r < table.row_count(); ++r) {
      if (s && !s->removed_base.empty() && s->removed_base.count(cols.id->bytes_at(r))) continue;
      fn(cols.entity(r));
    }
  }
  if (s)
    for (size_t i = 0; i < s->puts.size(); ++i)
      if (s->alive[i]) fn(s->puts[i]);
}

bool WriteTxnImpl::empty() const {
  for (const auto& [id, s] : stages_) {
    if (s.cleared_base && base_->table_impl(*s.type).row_count() > 0) return false;
    if (!s.removed_base.empty() || s.live > 0) return false;
  }
  return true;
}

storage::GraphCommit WriteTxnImpl::write_objects(const storage::RefEntry& head, const std::string& branch,
                                                 const std::optional<std::string>& actor,
                                                 const std::optional<std::string>& merged_parent) const {
  auto& store = *base_->state().store;
  const auto& base_commit = base_->commit();
  storage::GraphCommit commit;
  commit.id = new_ulid();
  commit.parents = {head.commit_id};
  if (merged_parent) commit.parents.push_back(*merged_parent);
  commit.branch = branch;
  commit.sequence = base_commit.sequence + 1;
  commit.actor = actor;
  commit.created_at_us = now_epoch_us();
  commit.schema_identity = base_commit.schema_identity;
  commit.tables = base_commit.tables;

  auto write_stage = [&](const TypeStage& s) -> std::optional<std::pair<std::string, std::string>> {
    const compiler::TypeDef& type = *s.type;
    const TableDataImpl& table = base_->table_impl(type);
    bool changed_base = s.cleared_base ? table.row_count() > 0 : !s.removed_base.empty();
    if (!changed_base && s.live == 0) return std::nullopt;
    const bool is_edge = type.kind == compiler::DeclKind::kEdge;
    std::string tid = table_id(type);

    storage::TableSnapshot snap;
    snap.table_id = tid;
    snap.version = table.table_snapshot() ? table.table_snapshot()->version + 1 : 1;
    snap.columns.push_back({"id", storage::ColumnType::scalar(storage::TypeKind::kString)});
    if (is_edge) {
      snap.columns.push_back({"src", storage::ColumnType::scalar(storage::TypeKind::kString)});
      snap.columns.push_back({"dst", storage::ColumnType::scalar(storage::TypeKind::kString)});
    }
    for (const auto& p : type.properties) snap.columns.push_back({property_column(p), column_type(p.type)});

    // Deletions in the base fragments.
    if (!s.cleared_base && table.table_snapshot()) {
      const auto& base_snap = *table.table_snapshot();
      std::vector<storage::DeletionVector> added(base_snap.fragments.size());
      std::vector<uint8_t> touched(base_snap.fragments.size(), 0);
      for (const auto& id : s.removed_base) {
        auto row = table.find(id);
        if (!row) continue;
        auto [f, r] = table.locate(*row);
        added[f].add(r);
        touched[f] = 1;
      }
      storage::TableReader reader(store, base_snap);
      for (size_t f = 0; f < base_snap.fragments.size(); ++f) {
        storage::FragmentEntry entry = base_snap.fragments[f];
        if (touched[f]) {
          storage::DeletionVector dv = added[f];
          if (entry.deletion_vector_key) dv.merge(*reader.deletions(f));
          if (dv.cardinality() >= entry.fragment.row_count) continue;  // fully deleted: drop it
          std::string key = storage::deletion_vector_key(tid);
          storage::write_deletion_vector(store, key, dv);
          entry.deletion_vector_key = key;
          entry.deleted_rows = dv.cardinality();
        }
        snap.fragments.push_back(std::move(entry));
      }
      // Index segments of the kept fragments stay valid; those of dropped fragments go.
      storage::carry_index_segments(base_snap, snap);
    }

    // New rows: the alive staged entities, in fragments of bounded size.
    std::vector<const Entity*> rows;
    rows.reserve(s.live);
    for (size_t i = 0; i < s.puts.size(); ++i)
      if (s.alive[i]) rows.push_back(&s.puts[i]);
    for (size_t begin = 0; begin < rows.size(); begin += kMaxFragmentRows) {
      size_t end = std::min(rows.size(), begin + kMaxFragmentRows);
      std::vector<storage::Column> cols;
      cols.reserve(snap.columns.size());
      for (const auto& c : snap.columns) {
        cols.emplace_back(c.type);
        cols.back().reserve(end - begin);
      }
      for (size_t i = begin; i < end; ++i) {
        const Entity& e = *rows[i];
        size_t c = 0;
        cols[c++].append_bytes(e.id);
        if (is_edge) {
          cols[c++].append_bytes(e.src);
          cols[c++].append_bytes(e.dst);
        }
        for (size_t p = 0; p < type.properties.size(); ++p) append_value(cols[c++], e.values[p], type.properties[p].type);
      }
      std::vector<storage::NamedColumn> named;
      for (size_t c = 0; c < cols.size(); ++c) named.push_back({snap.columns[c].name, &cols[c]});
      storage::FragmentEntry entry;
      entry.fragment = storage::write_fragment(store, storage::fragment_key(tid), named);
      snap.fragments.push_back(std::move(entry));
    }
    return std::make_pair(tid, storage::write_table_snapshot(store, snap));
  };
  // Types are independent: write their objects concurrently (bounded by hardware threads).
  std::vector<const TypeStage*> todo;
  for (const auto& [type_id, s] : stages_) todo.push_back(&s);
  size_t workers = std::max<size_t>(1, std::min<size_t>(todo.size(), std::thread::hardware_concurrency()));
  std::vector<std::optional<std::pair<std::string, std::string>>> results(todo.size());
  std::vector<std::exception_ptr> errors(workers);
  std::atomic<size_t> next{0};
  auto work = [&](size_t w) {
    try {
      for (size_t i; (i = next.fetch_add(1)) < todo.size();) results[i] = write_stage(*todo[i]);
    } catch (...) {
      errors[w] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  for (auto& r : results)
    if (r) commit.tables[r->first] = r->second;
  storage::write_commit(store, commit);
  return commit;
}

}  // namespace omnigraph::engine
