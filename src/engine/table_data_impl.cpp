// Live-row tables over fragments (nulls for columns older fragments lack) and CSR/CSC adjacency.
#include "engine/table_data_impl.h"

#include <algorithm>

#include "common/error.h"
#include "engine/column_mapping.h"

namespace omnigraph::engine {

namespace {
const compiler::ValueType& string_type() {
  static const compiler::ValueType t{};
  return t;
}
}  // namespace

storage::TableSnapshot read_history_snapshot(storage::ObjectStore& store, const std::string& key) {
  try {
    return storage::read_table_snapshot(store, key);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    throw Error(ErrorCode::kNotFound, "historical table version '" + key + "' was reclaimed", HistoryReclaimedDetail{});
  }
}

TableDataImpl::TableDataImpl(std::shared_ptr<const SchemaObject> schema, const compiler::TypeDef& type,
                             storage::ObjectStore& store, storage::ColumnCache* cache,
                             std::optional<storage::TableSnapshot> snapshot, index::SegmentCache* segments)
    : schema_(std::move(schema)), type_(&type), store_(&store), segments_(segments), snapshot_(std::move(snapshot)) {
  if (!snapshot_) return;
  reader_ = std::make_unique<storage::TableReader>(store, *snapshot_, cache);
  size_t n = snapshot_->fragments.size();
  first_row_.resize(n + 1);
  live_rows_.resize(n);
  for (size_t f = 0; f < n; ++f) {
    first_row_[f] = rows_;
    const auto& frag = snapshot_->fragments[f];
    if (frag.deleted_rows > 0) {
      auto keep = reader_->keep_mask(f);
      auto& live = live_rows_[f];
      live.reserve(frag.live_rows());
      for (uint32_t r = 0; r < keep.size(); ++r)
        if (keep[r]) live.push_back(r);
    }
    rows_ += frag.live_rows();
  }
  first_row_[n] = rows_;
}

const compiler::ValueType* TableDataImpl::column_value_type(std::string_view name) const {
  if (name == "id") return &string_type();
  if (type_->kind == compiler::DeclKind::kEdge && (name == "src" || name == "dst")) return &string_type();
  const auto* p = type_->find_property(name);
  return p ? &p->type : nullptr;
}

std::pair<size_t, uint32_t> TableDataImpl::locate(uint64_t row) const {
  auto it = std::upper_bound(first_row_.begin(), first_row_.end() - 1, row);
  size_t f = static_cast<size_t>(it - first_row_.begin()) - 1;
  uint64_t off = row - first_row_[f];
  if (!live_rows_[f].empty() || snapshot_->fragments[f].deleted_rows > 0) return {f, live_rows_[f][off]};
  return {f, static_cast<uint32_t>(off)};
}

std::optional<uint64_t> TableDataImpl::dense_row(size_t fragment, uint32_t physical) const {
  if (snapshot_->fragments[fragment].deleted_rows == 0) return first_row_[fragment] + physical;
  const auto& live = live_rows_[fragment];
  auto it = std::lower_bound(live.begin(), live.end(), physical);
  if (it == live.end() || *it != physical) return std::nullopt;
  return first_row_[fragment] + static_cast<uint64_t>(it - live.begin());
}

std::shared_ptr<const storage::Column> TableDataImpl::build_column(const std::string& physical,
                                                                   const storage::ColumnType& ctype) const {
  if (!snapshot_ || snapshot_->fragments.empty()) return std::make_shared<storage::Column>(ctype);
  size_t n = snapshot_->fragments.size();
  // Fast path: one fragment, no deletions, column present and of the expected type → share it.
  if (n == 1 && snapshot_->fragments[0].deleted_rows == 0 && reader_->has_column(0, physical)) {
    auto col = reader_->column(0, physical);
    if (col->type == ctype) return col;
  }
  auto out = std::make_shared<storage::Column>(ctype);
  for (size_t f = 0; f < n; ++f) {
    uint64_t live = snapshot_->fragments[f].live_rows();
    if (live == 0) continue;
    std::shared_ptr<const storage::Column> col;
    if (reader_->has_column(f, physical)) col = reader_->column(f, physical);
    if (!col || !(col->type == ctype)) {
      // Written before the property existed (or under another physical type): reads as null.
      for (uint64_t i = 0; i < live; ++i) out->append_null();
      continue;
    }
    if (snapshot_->fragments[f].deleted_rows == 0) {
      out->append_rows(*col, 0, col->length);
      continue;
    }
    const auto& rows = live_rows_[f];
    size_t i = 0;
    while (i < rows.size()) {  // copy maximal runs of consecutive live rows
      size_t j = i + 1;
      while (j < rows.size() && rows[j] == rows[j - 1] + 1) ++j;
      out->append_rows(*col, rows[i], rows[j - 1] + 1);
      i = j;
    }
  }
  return out;
}

const storage::Column& TableDataImpl::column(std::string_view name) const {
  std::string key(name);
  {
    std::lock_guard lock(mu_);
    auto it = columns_.find(key);
    if (it != columns_.end()) return *it->second;
  }
  std::string physical;
  storage::ColumnType ctype = storage::ColumnType::scalar(storage::TypeKind::kString);
  if (name == "id" || (type_->kind == compiler::DeclKind::kEdge && (name == "src" || name == "dst"))) {
    physical = key;
  } else if (const auto* p = type_->find_property(name)) {
    physical = property_column(*p);
    ctype = column_type(p->type);
  } else {
    throw Error(ErrorCode::kBadRequest, "type '" + type_->name + "' has no property '" + key + "'");
  }
  auto built = build_column(physical, ctype);
  std::lock_guard lock(mu_);
  auto [it, inserted] = columns_.emplace(key, std::move(built));
  return *it->second;
}

std::optional<uint64_t> TableDataImpl::find(std::string_view id) const {
  std::call_once(pk_once_, [&] {
    const auto& ids = column("id");
    pk_.reserve(ids.length);
    for (uint64_t r = 0; r < ids.length; ++r) pk_.emplace(ids.bytes_at(r), static_cast<uint32_t>(r));
  });
  auto it = pk_.find(id);
  if (it == pk_.end()) return std::nullopt;
  return it->second;
}

Value TableDataImpl::value(uint64_t row, std::string_view name) const {
  const auto* vt = column_value_type(name);
  if (!vt) throw Error(ErrorCode::kBadRequest, "type '" + type_->name + "' has no property '" + std::string(name) + "'");
  return value_at(column(name), row, *vt);
}

AdjacencyImpl::AdjacencyImpl(const TableData& edges, const TableData& sources, const TableData& targets) {
  const auto& src = edges.column("src");
  const auto& dst = edges.column("dst");
  uint64_t m = edges.row_count();
  std::vector<uint32_t> s_row(m, UINT32_MAX), t_row(m, UINT32_MAX);
  uint64_t ns = sources.row_count(), nt = targets.row_count();
  out_off_.assign(ns + 1, 0);
  in_off_.assign(nt + 1, 0);
  for (uint64_t e = 0; e < m; ++e) {
    auto s = sources.find(src.bytes_at(e));
    auto t = targets.find(dst.bytes_at(e));
    if (!s || !t) continue;  // dangling endpoint: not indexed
    s_row[e] = static_cast<uint32_t>(*s);
    t_row[e] = static_cast<uint32_t>(*t);
    ++out_off_[*s + 1];
    ++in_off_[*t + 1];
  }
  for (uint64_t i = 0; i < ns; ++i) out_off_[i + 1] += out_off_[i];
  for (uint64_t i = 0; i < nt; ++i) in_off_[i + 1] += in_off_[i];
  out_edges_.resize(out_off_[ns]);
  out_nbrs_.resize(out_off_[ns]);
  in_edges_.resize(in_off_[nt]);
  in_nbrs_.resize(in_off_[nt]);
  std::vector<uint32_t> out_pos(out_off_.begin(), out_off_.end() - 1), in_pos(in_off_.begin(), in_off_.end() - 1);
  for (uint64_t e = 0; e < m; ++e) {
    if (s_row[e] == UINT32_MAX) continue;
    uint32_t op = out_pos[s_row[e]]++;
    out_edges_[op] = static_cast<uint32_t>(e);
    out_nbrs_[op] = t_row[e];
    uint32_t ip = in_pos[t_row[e]]++;
    in_edges_[ip] = static_cast<uint32_t>(e);
    in_nbrs_[ip] = s_row[e];
  }
}

}  // namespace omnigraph::engine
