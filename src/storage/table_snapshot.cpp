// Table snapshot objects: JSON payload inside the checksummed metadata envelope.
#include "storage/table_snapshot.h"

#include <set>

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/hash.h"
#include "common/ulid.h"
#include "storage/meta_object.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {
namespace {

using nlohmann::json;

std::string from_hex(const std::string& hex, const std::string& what) {
  if (hex.size() % 2) throw IntegrityError(what + ": odd-length hex");
  std::string out(hex.size() / 2, '\0');
  auto nib = [&](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    throw IntegrityError(what + ": bad hex digit");
  };
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<char>(nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1]));
  return out;
}

void validate_table_id(const std::string& id) {
  if (id.empty()) throw Error::bad_request("table snapshot: table_id is empty");
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-' || c == '.';
    if (!ok || id[0] == '.')
      throw Error::bad_request("table snapshot: table_id '" + id +
                               "' has a character outside [A-Za-z0-9._-]");
  }
}

json stats_json(const ColumnStats& s) {
  json j = {{"null_count", s.null_count}};
  if (s.min) j["min"] = to_hex(*s.min);
  if (s.max) j["max"] = to_hex(*s.max);
  return j;
}

ColumnStats stats_from(const json& j, const std::string& what) {
  ColumnStats s;
  s.null_count = j.at("null_count").get<uint64_t>();
  if (j.contains("min")) s.min = from_hex(j.at("min").get<std::string>(), what);
  if (j.contains("max")) s.max = from_hex(j.at("max").get<std::string>(), what);
  return s;
}

ColumnType type_from(const json& j, const std::string& what) {
  auto t = ColumnType::parse(j.get<std::string>());
  if (!t) throw IntegrityError(what + ": unknown column type '" + j.get<std::string>() + "'");
  return *t;
}

}  // namespace

uint64_t TableSnapshot::live_rows() const {
  uint64_t n = 0;
  for (const FragmentEntry& f : fragments) n += f.live_rows();
  return n;
}

void carry_index_segments(const TableSnapshot& base, TableSnapshot& next) {
  std::set<std::string_view> fragments, columns;
  for (const auto& e : next.fragments) fragments.insert(e.fragment.key);
  for (const auto& c : next.columns) columns.insert(c.name);
  for (const auto& ix : base.indexes) {
    bool valid = columns.count(ix.column) > 0;
    for (const auto& k : ix.covered_fragments) valid = valid && fragments.count(k) > 0;
    if (valid) next.indexes.push_back(ix);
  }
}

std::string fragment_key(const std::string& table_id) {
  return "tables/" + table_id + "/frag/" + new_ulid() + ".ogf";
}
std::string index_key(const std::string& table_id, std::string_view kind) {
  return "tables/" + table_id + "/idx/" + new_ulid() + "." + std::string(kind);
}
std::string deletion_vector_key(const std::string& table_id) {
  return "tables/" + table_id + "/dv/" + new_ulid() + ".dv";
}
std::string snapshot_key(const TableSnapshot& s) {
  char version[24];
  std::snprintf(version, sizeof version, "%020llu", static_cast<unsigned long long>(s.version));
  return "tables/" + s.table_id + "/snap/" + version + "-" + new_ulid();
}

std::string encode_table_snapshot(const TableSnapshot& s) {
  json j;
  j["table_id"] = s.table_id;
  j["version"] = s.version;
  json cols = json::array();
  for (const TableColumn& c : s.columns) cols.push_back({{"name", c.name}, {"type", c.type.to_string()}});
  j["columns"] = std::move(cols);
  json frags = json::array();
  for (const FragmentEntry& f : s.fragments) {
    json fj = {{"key", f.fragment.key},
               {"rows", f.fragment.row_count},
               {"bytes", f.fragment.size_bytes},
               {"deleted_rows", f.deleted_rows}};
    fj["deletion_vector"] = f.deletion_vector_key ? json(*f.deletion_vector_key) : json(nullptr);
    json cs = json::array();
    for (const ColumnSummary& c : f.fragment.columns)
      cs.push_back({{"name", c.name}, {"type", c.type.to_string()}, {"stats", stats_json(c.stats)}});
    fj["columns"] = std::move(cs);
    frags.push_back(std::move(fj));
  }
  j["fragments"] = std::move(frags);
  json idx = json::array();
  for (const IndexEntry& i : s.indexes)
    idx.push_back(
        {{"kind", i.kind}, {"column", i.column}, {"key", i.key}, {"covered_fragments", i.covered_fragments}});
  j["indexes"] = std::move(idx);
  return j.dump();
}

TableSnapshot decode_table_snapshot(std::string_view payload, const std::string& what) {
  try {
    json j = json::parse(payload);
    TableSnapshot s;
    s.table_id = j.at("table_id").get<std::string>();
    s.version = j.at("version").get<uint64_t>();
    for (const json& c : j.at("columns"))
      s.columns.push_back({c.at("name").get<std::string>(), type_from(c.at("type"), what)});
    for (const json& fj : j.at("fragments")) {
      FragmentEntry f;
      f.fragment.key = fj.at("key").get<std::string>();
      f.fragment.row_count = fj.at("rows").get<uint64_t>();
      f.fragment.size_bytes = fj.at("bytes").get<uint64_t>();
      f.deleted_rows = fj.at("deleted_rows").get<uint64_t>();
      if (!fj.at("deletion_vector").is_null())
        f.deletion_vector_key = fj.at("deletion_vector").get<std::string>();
      for (const json& c : fj.at("columns"))
        f.fragment.columns.push_back({c.at("name").get<std::string>(), type_from(c.at("type"), what),
                                      stats_from(c.at("stats"), what)});
      if (f.deleted_rows > f.fragment.row_count) throw IntegrityError(what + ": more deleted rows than rows");
      s.fragments.push_back(std::move(f));
    }
    for (const json& i : j.at("indexes"))
      s.indexes.push_back({i.at("kind").get<std::string>(), i.at("column").get<std::string>(),
                           i.at("key").get<std::string>(),
                           i.at("covered_fragments").get<std::vector<std::string>>()});
    return s;
  } catch (const json::exception& e) {
    throw IntegrityError(what + ": malformed payload: " + e.what());
  }
}

std::string write_table_snapshot(ObjectStore& store, const TableSnapshot& s) {
  validate_table_id(s.table_id);
  for (const FragmentEntry& f : s.fragments) {
    if (f.deleted_rows > f.fragment.row_count)
      throw Error::bad_request("table snapshot: fragment '" + f.fragment.key +
                               "' deletes more rows than it has");
    if (f.deleted_rows > 0 && !f.deletion_vector_key)
      throw Error::bad_request("table snapshot: fragment '" + f.fragment.key +
                               "' has deleted rows but no deletion vector");
  }
  std::string key = snapshot_key(s);
  if (!store.create_if_absent(key, seal_meta(MetaKind::kTableSnapshot, encode_table_snapshot(s))))
    throw Error::internal("table snapshot '" + key + "' already exists");
  return key;
}

TableSnapshot read_table_snapshot(ObjectStore& store, const std::string& key) {
  std::string what = "table snapshot '" + key + "'";
  return decode_table_snapshot(open_meta(store.get(key), MetaKind::kTableSnapshot, what), what);
}

}  // namespace omnigraph::storage
