// Staged changes of one write (load, mutation, merge, schema apply) against a pinned base
// snapshot. Graph::write validates and publishes them as exactly one commit; nothing is
// visible to anyone before that, and a failed write leaves only unreferenced objects.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog.h"
#include "engine/graph_snapshot.h"
#include "engine/value.h"

namespace omnigraph::engine {

// One entity as staged: `values` are aligned with TypeDef::properties (null = missing).
struct Entity {
  std::string id;
  std::string src, dst;  // edges only
  std::vector<Value> values;
};

// One data-plane §2.7 violation of a staged delta.
struct Violation {
  enum class Kind {
    kValue,        // nullability, enum, @range, @check
    kUnique,       // @key / @unique
    kReferential,  // an edge endpoint missing from the resulting graph
    kCardinality,  // @card
  };
  Kind kind = Kind::kValue;
  const compiler::TypeDef* type = nullptr;  // from the base snapshot's catalog
  // The offending entity: the staged holder of a duplicate tuple (kUnique), the edge whose
  // endpoint is missing (kReferential); nullopt for kValue and kCardinality.
  std::optional<std::string> entity_id;
  std::string message;  // the §2.7 message shape
};

// Violations in §2.7 evaluation order: value checks → @key/@unique groups → per edge type
// referential integrity and @card. `truncated` = more exist beyond the requested maximum.
struct Violations {
  std::vector<Violation> items;
  bool truncated = false;
};

// Not thread-safe; one writer thread per transaction.
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  virtual const GraphSnapshot& base() const = 0;

  // Stages `entity`, replacing any base or staged entity of the type with the same id
  // (upsert). Strictness (append's key_conflict, edge-insert rules) is the caller's.
  virtual void put(const compiler::TypeDef& type, Entity entity) = 0;
  // Stages removal of the entity with `id` (base or staged); false if there is none.
  virtual bool remove(const compiler::TypeDef& type, std::string_view id) = 0;
  // Read-your-writes lookup: the staged entity, else the base one, else nullopt.
  virtual std::optional<Entity> get(const compiler::TypeDef& type, std::string_view id) const = 0;
  // Visits every entity of the type in the read-your-writes state: base rows neither
  // removed nor replaced, then staged ones (mutations' update/delete predicates, cascades).
  virtual void for_each(const compiler::TypeDef& type, const std::function<void(const Entity&)>& fn) const = 0;
  // Whether anything is staged.
  virtual bool empty() const = 0;
  // Checks data-plane.md §2.7 over the delta against the base (enum, @range, @check,
  // @key/@unique, edge referential integrity, @card) and throws bad_request with the first
  // violation's message. Graph::write calls it before publishing.
  virtual void validate() const = 0;
  // The same checks, collecting up to `max` (≥ 1) violations instead of stopping at the first
  // (merge reports all, §7.4). Throws only for a schema defect (an invalid @check pattern).
  virtual Violations violations(size_t max) const = 0;
};

}  // namespace omnigraph::engine
