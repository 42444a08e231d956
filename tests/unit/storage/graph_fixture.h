// A tiny "engine" over the storage API for crash and concurrency tests: writes table versions
// (new fragment + optional deletes), commits and publishes them, and reads tables back.
#pragma once

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/time_util.h"
#include "common/ulid.h"
#include "storage/branch_refs.h"
#include "storage/deletion_vector.h"
#include "storage/fragment_reader.h"
#include "storage/fragment_writer.h"
#include "storage/graph_commit.h"
#include "storage/table_snapshot.h"

namespace omnigraph::storage::testing {

using Row = std::pair<int64_t, std::string>;

// Writes a new version of a table: `base` (snapshot key, optional) plus one fragment of `rows`,
// with rows of the base's fragment #0 whose id is in `delete_ids` marked deleted. Returns the
// new snapshot key. Object writes: fragment, [deletion vector], snapshot.
inline std::string write_table_version(ObjectStore& store, const std::string& table_id,
                                       const std::optional<std::string>& base, const std::vector<Row>& rows,
                                       const std::vector<int64_t>& delete_ids = {}) {
  TableSnapshot snap;
  if (base) {
    snap = read_table_snapshot(store, *base);
    snap.version += 1;
  } else {
    snap.table_id = table_id;
    snap.version = 1;
    snap.columns = {{"id", ColumnType::scalar(TypeKind::kI64)},
                    {"name", ColumnType::scalar(TypeKind::kString)}};
  }
  Column ids(ColumnType::scalar(TypeKind::kI64)), names(ColumnType::scalar(TypeKind::kString));
  for (const Row& r : rows) {
    ids.append<int64_t>(r.first);
    names.append_bytes(r.second);
  }
  std::vector<NamedColumn> cols = {{"id", &ids}, {"name", &names}};
  FragmentEntry entry;
  entry.fragment = write_fragment(store, fragment_key(table_id), cols);
  if (!delete_ids.empty() && !snap.fragments.empty()) {
    FragmentEntry& target = snap.fragments[0];
    DeletionVector dv;
    if (target.deletion_vector_key) dv = read_deletion_vector(store, *target.deletion_vector_key);
    Column existing = FragmentReader::open(store, target.fragment.key).read_column("id");
    for (uint64_t i = 0; i < existing.length; ++i)
      if (std::find(delete_ids.begin(), delete_ids.end(), existing.values<int64_t>()[i]) != delete_ids.end())
        dv.add(static_cast<uint32_t>(i));
    std::string dv_key = deletion_vector_key(table_id);
    write_deletion_vector(store, dv_key, dv);
    target.deletion_vector_key = dv_key;
    target.deleted_rows = dv.cardinality();
  }
  snap.fragments.push_back(std::move(entry));
  return write_table_snapshot(store, snap);
}

// All live rows of a table snapshot, sorted.
inline std::vector<Row> read_table(ObjectStore& store, const std::string& snapshot_key) {
  TableSnapshot snap = read_table_snapshot(store, snapshot_key);
  std::vector<Row> out;
  for (const FragmentEntry& f : snap.fragments) {
    FragmentReader reader = FragmentReader::open(store, f.fragment.key);
    Column ids = reader.read_column("id");
    Column names = reader.read_column("name");
    DeletionVector dv;
    if (f.deletion_vector_key) dv = read_deletion_vector(store, *f.deletion_vector_key);
    for (uint64_t i = 0; i < ids.length; ++i)
      if (!dv.contains(static_cast<uint32_t>(i)))
        out.emplace_back(ids.values<int64_t>()[i], std::string(names.bytes_at(i)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

// Every table of a commit, read back.
inline std::map<std::string, std::vector<Row>> read_graph(ObjectStore& store, const GraphCommit& commit) {
  std::map<std::string, std::vector<Row>> out;
  for (const auto& [table, key] : commit.tables) out[table] = read_table(store, key);
  return out;
}

// Writes the commit object on top of `parent` (or genesis) and returns it (not yet published).
inline GraphCommit write_graph_commit(ObjectStore& store, const std::string& branch,
                                      const GraphCommit* parent, std::map<std::string, std::string> tables,
                                      std::string actor = "act-test") {
  GraphCommit c;
  c.id = new_ulid();
  if (parent) c.parents = {parent->id};
  c.branch = branch;
  c.sequence = parent ? parent->sequence + 1 : 1;
  c.actor = std::move(actor);
  c.created_at_us = now_epoch_us();
  c.schema_identity = "schema-v1";
  c.tables = std::move(tables);
  write_commit(store, c);
  return c;
}

}  // namespace omnigraph::storage::testing
