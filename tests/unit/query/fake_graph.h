// Test double: an in-memory GraphSnapshot (tables as decoded columns, CSR/CSC adjacency)
// built from entities listed in the test, so operators run without storage.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/catalog.h"
#include "engine/column_mapping.h"
#include "engine/graph_snapshot.h"
#include "engine/key_id.h"
#include "engine/write_txn.h"

namespace omnigraph::engine::testing {

inline Value S(const char* s) {
  return Value{std::string(s)};
}
inline Value I(int64_t i) {
  return Value{i};
}

class FakeTable final : public TableData {
 public:
  FakeTable(const compiler::TypeDef& type, const std::vector<Entity>& rows) : type_(type) {
    storage::Column id(storage::ColumnType::scalar(storage::TypeKind::kString));
    storage::Column src(id.type), dst(id.type);
    for (const auto& e : rows) {
      id.append_bytes(e.id);
      src.append_bytes(e.src);
      dst.append_bytes(e.dst);
      index_[e.id] = ids_.size();
      ids_.push_back(e.id);
    }
    columns_.emplace("id", std::move(id));
    if (type.kind == compiler::DeclKind::kEdge) {
      columns_.emplace("src", std::move(src));
      columns_.emplace("dst", std::move(dst));
    }
    for (size_t p = 0; p < type.properties.size(); ++p) {
      const auto& prop = type.properties[p];
      storage::Column c(column_type(prop.type));
      for (const auto& e : rows) append_value(c, p < e.values.size() ? e.values[p] : Value{}, prop.type);
      columns_.emplace(prop.name, std::move(c));
    }
  }
  const compiler::TypeDef& type() const override { return type_; }
  uint64_t row_count() const override { return ids_.size(); }
  const storage::Column& column(std::string_view name) const override {
    auto it = columns_.find(std::string(name));
    if (it == columns_.end()) throw std::runtime_error("no column " + std::string(name));
    return it->second;
  }
  std::optional<uint64_t> find(std::string_view id) const override {
    auto it = index_.find(std::string(id));
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }
  Value value(uint64_t row, std::string_view name) const override {
    const auto& c = column(name);
    const auto* p = type_.find_property(name);
    return value_at(c, row, p ? p->type : compiler::ValueType{});
  }

 private:
  const compiler::TypeDef& type_;
  std::map<std::string, storage::Column> columns_;
  std::unordered_map<std::string, uint64_t> index_;
  std::vector<std::string> ids_;
};

class FakeAdjacency final : public Adjacency {
 public:
  FakeAdjacency(const FakeTable& edges, const FakeTable& from, const FakeTable& to)
      : out_e_(from.row_count()), out_n_(from.row_count()), in_e_(to.row_count()), in_n_(to.row_count()) {
    const auto& src = edges.column("src");
    const auto& dst = edges.column("dst");
    for (uint64_t r = 0; r < edges.row_count(); ++r) {
      auto s = from.find(src.bytes_at(r));
      auto d = to.find(dst.bytes_at(r));
      if (!s || !d) continue;
      out_e_[*s].push_back(static_cast<uint32_t>(r));
      out_n_[*s].push_back(static_cast<uint32_t>(*d));
      in_e_[*d].push_back(static_cast<uint32_t>(r));
      in_n_[*d].push_back(static_cast<uint32_t>(*s));
    }
  }
  std::span<const uint32_t> out_edges(uint64_t r) const override { return out_e_[r]; }
  std::span<const uint32_t> out_neighbors(uint64_t r) const override { return out_n_[r]; }
  std::span<const uint32_t> in_edges(uint64_t r) const override { return in_e_[r]; }
  std::span<const uint32_t> in_neighbors(uint64_t r) const override { return in_n_[r]; }

 private:
  std::vector<std::vector<uint32_t>> out_e_, out_n_, in_e_, in_n_;
};

// Build with node()/edge(), then freeze() once; the snapshot is then immutable.
class FakeGraph final : public GraphSnapshot {
 public:
  explicit FakeGraph(const std::string& schema)
      : schema_(schema), catalog_(compiler::compile_schema(schema)) {
    commit_.id = "01HZZZZZZZZZZZZZZZZZZZZZZZ";
    commit_.branch = "main";
    commit_.sequence = 1;
  }
  // Adds a node; keyed types derive the id, others use `id`.
  std::string node(const std::string& type_name, const std::map<std::string, Value>& props,
                   std::string id = {}) {
    const auto* t = catalog_.find_node(type_name);
    Entity e;
    e.values = values(*t, props);
    e.id = t->key_properties().empty() ? (id.empty() ? type_name + std::to_string(rows_[t].size()) : id)
                                       : derive_key_id(*t, e.values);
    rows_[t].push_back(e);
    return e.id;
  }
  void edge(const std::string& type_name, const std::string& from, const std::string& to,
            const std::map<std::string, Value>& props = {}, std::string id = {}) {
    const auto* t = catalog_.find_edge(type_name);
    Entity e;
    e.values = values(*t, props);
    e.src = from;
    e.dst = to;
    e.id = id.empty() ? "e" + std::to_string(1000 + rows_[t].size()) : id;
    rows_[t].push_back(e);
  }
  void freeze() {
    for (const auto& list : {&catalog_.nodes, &catalog_.edges})
      for (const auto& t : *list) tables_[&t] = std::make_unique<FakeTable>(t, rows_[&t]);
    for (const auto& e : catalog_.edges)
      adjacency_[&e] = std::make_unique<FakeAdjacency>(*tables_[&e], *tables_[catalog_.find_node(e.source)],
                                                       *tables_[catalog_.find_node(e.target)]);
  }
  const std::vector<Entity>& rows(const std::string& type_name) {
    const auto* t = catalog_.find_node(type_name);
    if (!t) t = catalog_.find_edge(type_name);
    return rows_[t];
  }

  const storage::GraphCommit& commit() const override { return commit_; }
  const std::optional<std::string>& branch() const override { return branch_; }
  const compiler::Catalog& catalog() const override { return catalog_; }
  const std::string& schema_source() const override { return schema_; }
  const TableData& table(const compiler::TypeDef& type) const override { return *tables_.at(&type); }
  const Adjacency& adjacency(const compiler::TypeDef& edge) const override { return *adjacency_.at(&edge); }

 private:
  static std::vector<Value> values(const compiler::TypeDef& t, const std::map<std::string, Value>& props) {
    std::vector<Value> v(t.properties.size());
    for (size_t i = 0; i < t.properties.size(); ++i) {
      auto it = props.find(t.properties[i].name);
      if (it != props.end()) v[i] = it->second;
    }
    return v;
  }
  std::string schema_;
  compiler::Catalog catalog_;
  storage::GraphCommit commit_;
  std::optional<std::string> branch_ = std::string("main");
  std::map<const compiler::TypeDef*, std::vector<Entity>> rows_;
  std::map<const compiler::TypeDef*, std::unique_ptr<FakeTable>> tables_;
  std::map<const compiler::TypeDef*, std::unique_ptr<FakeAdjacency>> adjacency_;
};

}  // namespace omnigraph::engine::testing
