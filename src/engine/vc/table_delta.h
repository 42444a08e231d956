// Entity-level difference of one type between two table snapshots, computed fragment by
// fragment: fragments shared by both with the same deletion vector are never read, so the
// cost follows the size of the change, not of the table.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "compiler/catalog.h"
#include "engine/write_txn.h"
#include "storage/object_store.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::vc {

// One changed entity: its image before (nullopt = absent) and after (nullopt = absent).
// before != after always (an id whose changes net to zero is not reported).
struct EntityChange {
  std::optional<Entity> before;
  std::optional<Entity> after;
};

struct FragmentReadStats {
  uint64_t fragments_read = 0;  // fragments whose rows were decoded
  uint64_t dvs_read = 0;        // deletion vectors read
};

// Changes of `type` from `from` to `to` (ascending id). Table snapshots are read by key; an
// empty key means "no table" (no rows). Values are aligned with type.properties; columns a
// fragment lacks read as null. Assumes the id is unique among the live rows of each snapshot.
// Throws storage errors (not_found / IntegrityError). Thread-safe if the store is.
std::map<std::string, EntityChange> table_delta(storage::ObjectStore& store, const compiler::TypeDef& type,
                                                const std::string& from_key, const std::string& to_key,
                                                FragmentReadStats* stats = nullptr);

// Whole-entity equality (id, endpoints, every property value).
bool same_entity(const Entity& a, const Entity& b);

}  // namespace omnigraph::engine::vc
