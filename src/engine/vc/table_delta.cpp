// Fragment-by-fragment entity diff of two table snapshots of one type.
#include "engine/vc/table_delta.h"

#include <unordered_map>

#include "engine/column_mapping.h"
#include "engine/table_data_impl.h"
#include "storage/deletion_vector.h"
#include "storage/fragment_reader.h"

namespace omnigraph::engine::vc {

namespace {

// Decodes the rows `rows` of one fragment into entities.
std::vector<Entity> read_rows(storage::ObjectStore& store, const compiler::TypeDef& type,
                              const std::string& key, const std::vector<uint32_t>& rows) {
  std::vector<Entity> out(rows.size());
  if (rows.empty()) return out;
  auto reader = storage::FragmentReader::open(store, key);
  bool edge = type.kind == compiler::DeclKind::kEdge;
  auto ids = reader.read_column("id");
  std::optional<storage::Column> src, dst;
  if (edge) {
    src = reader.read_column("src");
    dst = reader.read_column("dst");
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    out[i].id = std::string(ids.bytes_at(rows[i]));
    if (edge) {
      out[i].src = std::string(src->bytes_at(rows[i]));
      out[i].dst = std::string(dst->bytes_at(rows[i]));
    }
    out[i].values.resize(type.properties.size());
  }
  for (size_t p = 0; p < type.properties.size(); ++p) {
    const auto& prop = type.properties[p];
    auto name = property_column(prop);
    if (!reader.find_column(name)) continue;  // written before the property existed: null
    auto col = reader.read_column(name);
    for (size_t i = 0; i < rows.size(); ++i) out[i].values[p] = value_at(col, rows[i], prop.type);
  }
  return out;
}

storage::DeletionVector read_dv(storage::ObjectStore& store, const std::optional<std::string>& key,
                                FragmentReadStats* stats) {
  if (!key) return {};
  if (stats) ++stats->dvs_read;
  return storage::read_deletion_vector(store, *key);
}

}  // namespace

bool same_entity(const Entity& a, const Entity& b) {
  if (a.id != b.id || a.src != b.src || a.dst != b.dst || a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i)
    if (!identical(a.values[i], b.values[i])) return false;
  return true;
}

std::map<std::string, EntityChange> table_delta(storage::ObjectStore& store, const compiler::TypeDef& type,
                                                const std::string& from_key, const std::string& to_key,
                                                FragmentReadStats* stats) {
  std::map<std::string, EntityChange> delta;
  if (from_key == to_key) return delta;
  storage::TableSnapshot from, to;
  if (!from_key.empty()) from = read_history_snapshot(store, from_key);
  if (!to_key.empty()) to = read_history_snapshot(store, to_key);
  std::unordered_map<std::string, const storage::FragmentEntry*> from_frags, to_frags;
  for (const auto& f : from.fragments) from_frags.emplace(f.fragment.key, &f);
  for (const auto& f : to.fragments) to_frags.emplace(f.fragment.key, &f);

  // Rows live in `from` but not in `to`: removed or replaced.
  for (const auto& f : from.fragments) {
    auto it = to_frags.find(f.fragment.key);
    const storage::FragmentEntry* t = it == to_frags.end() ? nullptr : it->second;
    if (t && t->deletion_vector_key == f.deletion_vector_key) continue;  // shared, untouched
    auto before_dv = read_dv(store, f.deletion_vector_key, stats);
    storage::DeletionVector after_dv;
    if (t) after_dv = read_dv(store, t->deletion_vector_key, stats);
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; r < f.fragment.row_count; ++r)
      if (!before_dv.contains(r) && (!t || after_dv.contains(r))) rows.push_back(r);
    if (rows.empty()) continue;
    if (stats) ++stats->fragments_read;
    for (auto& e : read_rows(store, type, f.fragment.key, rows)) {
      std::string id = e.id;
      delta[id].before = std::move(e);
    }
  }
  // Rows of fragments new in `to`.
  for (const auto& f : to.fragments) {
    if (from_frags.count(f.fragment.key)) continue;
    auto dv = read_dv(store, f.deletion_vector_key, stats);
    std::vector<uint32_t> rows;
    for (uint32_t r = 0; r < f.fragment.row_count; ++r)
      if (!dv.contains(r)) rows.push_back(r);
    if (rows.empty()) continue;
    if (stats) ++stats->fragments_read;
    for (auto& e : read_rows(store, type, f.fragment.key, rows)) {
      std::string id = e.id;
      delta[id].after = std::move(e);
    }
  }
  for (auto it = delta.begin(); it != delta.end();) {
    const auto& c = it->second;
    if (c.before && c.after && same_entity(*c.before, *c.after))
      it = delta.erase(it);
    else
      ++it;
  }
  return delta;
}

}  // namespace omnigraph::engine::vc
