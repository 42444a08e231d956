// Commit diff vs the first parent, change images, filters and page tokens.
#include "engine/vc/commit_changes.h"

#include <algorithm>

#include "common/error.h"
#include "common/hash.h"
#include "engine/column_mapping.h"
#include "engine/load/base64.h"
#include "engine/vc/commit_log.h"
#include "engine/vc/table_delta.h"
#include "storage/column_types.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::vc {

namespace {

nlohmann::json value_json(const Value& v, const compiler::ValueType& type, storage::ObjectStore& store,
                          bool element);

nlohmann::json scalar_json(const Value& v, const compiler::ValueType& type, storage::ObjectStore& store) {
  return std::visit(
      [&](const auto& x) -> nlohmann::json {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (type.scalar == compiler::ScalarKind::kBlob) {
            auto d = storage::decode_blob_descriptor(x);
            if (d.uri.rfind("omni:", 0) == 0) return "base64:" + base64_encode(store.get(d.uri.substr(5)));
            return d.uri;
          }
          return x;
        } else if constexpr (std::is_same_v<T, ValueList>) {
          nlohmann::json a = nlohmann::json::array();
          for (const auto& e : x) a.push_back(value_json(e, type, store, true));
          return a;
        } else if constexpr (std::is_same_v<T, std::vector<float>>) {
          nlohmann::json a = nlohmann::json::array();
          for (float f : x) a.push_back(static_cast<double>(f));
          return a;
        } else {
          return x;
        }
      },
      v.v);
}

nlohmann::json value_json(const Value& v, const compiler::ValueType& type, storage::ObjectStore& store,
                          bool) {
  return scalar_json(v, type, store);
}

nlohmann::json image(const Entity& e, const compiler::TypeDef& type, storage::ObjectStore& store) {
  nlohmann::json props = nlohmann::json::object();
  for (size_t i = 0; i < type.properties.size(); ++i)
    props[type.properties[i].name] = value_json(e.values[i], type.properties[i].type, store, false);
  nlohmann::json img{{"properties", props}};
  if (type.kind == compiler::DeclKind::kEdge) img["endpoints"] = {{"from", e.src}, {"to", e.dst}};
  return img;
}

std::string filter_scope(const ChangeFilter& f) {
  nlohmann::json j{{"k", f.kinds}, {"t", f.types}, {"o", f.ops}};
  return sha256_hex(j.dump()).substr(0, 16);
}

void check_filter_values(const ChangeFilter& f) {
  for (const auto& k : f.kinds)
    if (k != "node" && k != "edge")
      throw Error::bad_request("invalid kind '" + k + "': expected node or edge");
  for (const auto& o : f.ops)
    if (o != "insert" && o != "update" && o != "delete")
      throw Error::bad_request("invalid op '" + o + "': expected insert, update or delete");
}

// Normalised: selecting every value = no filter.
ChangeFilter normalise(ChangeFilter f) {
  if (f.kinds.size() == 2) f.kinds.clear();
  if (f.ops.size() == 3) f.ops.clear();
  return f;
}

std::string key_of(const storage::GraphCommit& c, const std::string& tid) {
  auto it = c.tables.find(tid);
  return it == c.tables.end() ? std::string() : it->second;
}

}  // namespace

std::string change_filter_scope(const ChangeFilter& filter) {
  check_filter_values(filter);
  return filter_scope(normalise(filter));
}

namespace {
nlohmann::json changes_page(Graph& graph, const std::string& commit_id, const ChangeFilter& raw_filter, uint64_t limit,
                            const std::optional<std::string>& page_token);
}  // namespace

nlohmann::json commit_changes_page(Graph& graph, const std::string& commit_id, const ChangeFilter& raw_filter,
                                   uint64_t limit, const std::optional<std::string>& page_token) {
  try {
    return changes_page(graph, commit_id, raw_filter, limit, page_token);
  } catch (const Error& e) {
    if (!std::holds_alternative<HistoryReclaimedDetail>(e.detail())) throw;
    // §8.4: retained history cannot reproduce this commit; retrying cannot succeed.
    throw Error(ErrorCode::kNotFound, "historical changes of commit '" + commit_id + "' were reclaimed",
                ChangeFeedGapDetail{std::nullopt, commit_id});
  }
}

namespace {
nlohmann::json changes_page(Graph& graph, const std::string& commit_id, const ChangeFilter& raw_filter, uint64_t limit,
                            const std::optional<std::string>& page_token) {
  check_filter_values(raw_filter);
  ChangeFilter filter = normalise(raw_filter);
  if (limit == 0) throw Error::bad_request("limit must be at least 1");
  if (limit > kMaxChangePageLimit)
    throw Error(
        ErrorCode::kBadRequest,
        "limit " + std::to_string(limit) + " exceeds the maximum of " + std::to_string(kMaxChangePageLimit),
        ResourceLimitDetail{"commit_changes_page_changes", kMaxChangePageLimit, limit});
  uint64_t offset = 0;
  std::string scope = filter_scope(filter);
  if (page_token) {
    auto t = read_change_token(graph.store(), *page_token, "commit-page");
    if (t.value("commit", "") != commit_id) reject_change_token("token belongs to another commit");
    if (t.value("scope", "") != scope) reject_change_token("token belongs to another filter scope");
    offset = t.value("offset", uint64_t{0});
  }
  auto& store = graph.store();
  auto commit = show_commit(graph, commit_id);
  if (commit.parents.empty())
    throw Error(ErrorCode::kConflict, "commit '" + commit_id + "' has no parent; its changes are not defined",
                ChangeDiffRefusalDetail{ChangeDiffRefusalReason::kParentlessCommit, commit_id, std::nullopt});
  auto parent = storage::read_commit(store, commit.parents.front());
  auto child_snap = graph.snapshot({.snapshot = commit.id});
  const auto& catalog = child_snap->catalog();

  // Schema boundary: a type's stored columns changed, or a type holding entities came or went.
  if (parent.schema_identity != commit.schema_identity) {
    auto parent_snap = graph.snapshot({.snapshot = parent.id});
    auto refuse = [&](const std::string& type_name) {
      throw Error(ErrorCode::kConflict,
                  "commit '" + commit_id + "' changes the stored shape of type '" + type_name +
                      "'; changes across a schema boundary are not defined",
                  ChangeDiffRefusalDetail{ChangeDiffRefusalReason::kSchemaBoundary, commit_id, type_name});
    };
    std::map<std::string, const compiler::TypeDef*> before, after;
    for (const auto* cat : {&parent_snap->catalog()}) {
      for (const auto& t : cat->nodes) before[table_id(t)] = &t;
      for (const auto& t : cat->edges) before[table_id(t)] = &t;
    }
    for (const auto& t : catalog.nodes) after[table_id(t)] = &t;
    for (const auto& t : catalog.edges) after[table_id(t)] = &t;
    for (const auto& [tid, t] : before) {
      auto it = after.find(tid);
      if (it == after.end()) {
        if (parent_snap->table(*t).row_count() > 0) refuse(t->name);
        continue;
      }
      std::set<std::string> a, b;
      for (const auto& p : t->properties)
        b.insert(property_column(p) + ":" + column_type(p.type).to_string());
      for (const auto& p : it->second->properties)
        a.insert(property_column(p) + ":" + column_type(p.type).to_string());
      if (a != b &&
          (parent_snap->table(*t).row_count() > 0 || child_snap->table(*it->second).row_count() > 0))
        refuse(it->second->name);
    }
    for (const auto& [tid, t] : after)
      if (!before.count(tid) && child_snap->table(*t).row_count() > 0) refuse(t->name);
  }

  struct Item {
    bool edge;
    std::string type_id, id;
    int op_rank;
    const compiler::TypeDef* type;
    EntityChange change;
  };
  std::vector<Item> items;
  std::vector<const compiler::TypeDef*> types;
  for (const auto& t : catalog.nodes) types.push_back(&t);
  for (const auto& t : catalog.edges) types.push_back(&t);
  static const char* kOps[] = {"insert", "update", "delete"};
  // A maintenance (optimize) commit rewrites storage only: its block is empty by contract
  // (§8.1), so its rewritten fragments are not read to prove it.
  for (const auto* type : commit.maintenance ? std::vector<const compiler::TypeDef*>{} : types) {
    bool edge = type->kind == compiler::DeclKind::kEdge;
    if (!filter.kinds.empty() && !filter.kinds.count(edge ? "edge" : "node")) continue;
    if (!filter.types.empty() && !filter.types.count(type->name)) continue;
    auto tid = table_id(*type);
    auto delta = table_delta(store, *type, key_of(parent, tid), key_of(commit, tid));
    for (auto& [id, c] : delta) {
      int rank = !c.before ? 0 : c.after ? 1 : 2;
      if (!filter.ops.empty() && !filter.ops.count(kOps[rank])) continue;
      items.push_back({edge, tid, id, rank, type, std::move(c)});
    }
  }
  std::sort(items.begin(), items.end(), [](const Item& a, const Item& b) {
    return std::tie(a.edge, a.type_id, a.id, a.op_rank) < std::tie(b.edge, b.type_id, b.id, b.op_rank);
  });

  nlohmann::json cause{{"graph_commit_id", commit.id}, {"parent_commit_id", parent.id}};
  if (commit.parents.size() > 1) cause["merged_parent_commit_id"] = commit.parents[1];
  cause["authored_branch"] = commit.branch;
  if (commit.actor) cause["actor_id"] = *commit.actor;
  cause["authored_at"] = commit.created_at_us;
  nlohmann::json changes = nlohmann::json::array();
  uint64_t end = std::min<uint64_t>(items.size(), offset + limit);
  uint64_t bytes = 0;
  for (uint64_t i = offset; i < end; ++i) {
    const auto& it = items[i];
    nlohmann::json c{{"kind", it.edge ? "edge" : "node"},
                     {"type", {{"id", it.type_id}, {"name", it.type->name}}},
                     {"id", it.id},
                     {"op", kOps[it.op_rank]}};
    if (it.change.before) c["before"] = image(*it.change.before, *it.type, store);
    if (it.change.after) c["after"] = image(*it.change.after, *it.type, store);
    // Byte budget: a change that would overflow the page starts the next one (a single change
    // larger than the budget is delivered alone).
    uint64_t size = c.dump().size();
    if (!changes.empty() && bytes + size > kChangePageByteBudget) {
      end = i;
      break;
    }
    bytes += size;
    changes.push_back(std::move(c));
  }
  nlohmann::json page{{"cause", cause}, {"changes", changes}};
  if (end < items.size())
    page["next_page_token"] = make_change_token(
        graph.store(), {{"kind", "commit-page"}, {"commit", commit.id}, {"scope", scope}, {"offset", end}});
  return page;
}
}  // namespace

}  // namespace omnigraph::engine::vc
