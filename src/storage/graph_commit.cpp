// Graph commit objects: JSON payload inside the checksummed metadata envelope.
#include "storage/graph_commit.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/ulid.h"
#include "storage/meta_object.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {
namespace {

using nlohmann::json;

bool is_ulid(const std::string& s) {
  return s.size() == 26 && Ulid::parse(s).has_value() && Ulid::parse(s)->to_string() == s;
}

}  // namespace

std::string commit_key(const std::string& commit_id) {
  return "commits/" + commit_id;
}

std::string encode_commit(const GraphCommit& c) {
  json j;
  j["id"] = c.id;
  j["parents"] = c.parents;
  j["branch"] = c.branch;
  j["sequence"] = c.sequence;
  j["actor"] = c.actor ? json(*c.actor) : json(nullptr);
  j["created_at_us"] = c.created_at_us;
  j["schema_identity"] = c.schema_identity;
  j["tables"] = c.tables;
  if (c.maintenance) j["maintenance"] = true;
  return j.dump();
}

GraphCommit decode_commit(std::string_view payload, const std::string& what) {
  try {
    json j = json::parse(payload);
    GraphCommit c;
    c.id = j.at("id").get<std::string>();
    c.parents = j.at("parents").get<std::vector<std::string>>();
    c.branch = j.at("branch").get<std::string>();
    c.sequence = j.at("sequence").get<uint64_t>();
    if (!j.at("actor").is_null()) c.actor = j.at("actor").get<std::string>();
    c.created_at_us = j.at("created_at_us").get<int64_t>();
    c.schema_identity = j.at("schema_identity").get<std::string>();
    c.tables = j.at("tables").get<std::map<std::string, std::string>>();
    if (auto it = j.find("maintenance"); it != j.end()) c.maintenance = it->get<bool>();
    return c;
  } catch (const json::exception& e) {
    throw IntegrityError(what + ": malformed payload: " + e.what());
  }
}

void write_commit(ObjectStore& store, const GraphCommit& c) {
  if (!is_ulid(c.id)) throw Error::bad_request("commit: id '" + c.id + "' is not a canonical ULID");
  if (c.parents.size() > 2) throw Error::bad_request("commit " + c.id + ": more than two parents");
  for (const std::string& p : c.parents)
    if (!is_ulid(p))
      throw Error::bad_request("commit " + c.id + ": parent '" + p + "' is not a canonical ULID");
  if (c.sequence == 0) throw Error::bad_request("commit " + c.id + ": sequence must be at least 1");
  if (c.branch.empty()) throw Error::bad_request("commit " + c.id + ": branch is empty");
  for (const auto& [table, key] : c.tables)
    if (table.empty() || key.empty())
      throw Error::bad_request("commit " + c.id + ": empty table id or snapshot key");
  if (!store.create_if_absent(commit_key(c.id), seal_meta(MetaKind::kGraphCommit, encode_commit(c))))
    throw Error::internal("commit '" + c.id + "' already exists");
}

GraphCommit read_commit(ObjectStore& store, const std::string& commit_id) {
  if (!is_ulid(commit_id)) throw Error::not_found("commit '" + commit_id + "' not found");
  std::string bytes;
  try {
    bytes = store.get(commit_key(commit_id));
  } catch (const Error& e) {
    if (e.code() == ErrorCode::kNotFound) throw Error::not_found("commit '" + commit_id + "' not found");
    throw;
  }
  std::string what = "commit '" + commit_id + "'";
  GraphCommit c = decode_commit(open_meta(bytes, MetaKind::kGraphCommit, what), what);
  if (c.id != commit_id) throw IntegrityError(what + " is stored under the wrong id (" + c.id + ")");
  return c;
}

std::vector<GraphCommit> commit_lineage(ObjectStore& store, const std::string& commit_id, size_t limit) {
  std::vector<GraphCommit> out;
  std::string next = commit_id;
  while (!next.empty() && out.size() < limit) {
    out.push_back(read_commit(store, next));
    next = out.back().parents.empty() ? std::string() : out.back().parents.front();
  }
  return out;
}

bool moved_only_by_maintenance(ObjectStore& store, const std::string& ancestor, const std::string& descendant,
                               size_t max_steps) {
  std::string at = descendant;
  for (size_t step = 0; step <= max_steps; ++step) {
    if (at == ancestor) return true;
    if (at.empty()) return false;
    GraphCommit c = read_commit(store, at);
    if (!c.maintenance || c.parents.empty()) return false;
    at = c.parents.front();
  }
  return false;
}

}  // namespace omnigraph::storage
