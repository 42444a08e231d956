// The schema catalog every later module reads (languages.md §3): node/edge/interface
// types with stable ids, physical columns, properties with their index kind,
// constraints and annotations. Built from a `.pg` text; round-trips through JSON.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/schema_ast.h"
#include "compiler/types.h"

namespace omnigraph::compiler {

// Index built for a property (§3.6). Derived state: results never depend on it.
enum class IndexKind { kNone, kScalar, kFullText, kVector };
std::string_view index_kind_name(IndexKind kind);  // "none", "scalar", "fulltext", "vector"

enum class ConstraintKind { kKey, kUnique, kIndex, kRange, kCheck };
std::string_view constraint_kind_name(ConstraintKind kind);  // "key", "unique", …

struct Constraint {
  ConstraintKind kind = ConstraintKind::kIndex;
  std::vector<std::string> properties;  // for edges @unique/@index may name `src`/`dst`
  std::optional<double> range_min, range_max;  // @range, inclusive, compared as float64
  std::string range_min_text, range_max_text;  // as written ("" when open)
  std::string pattern;                          // @check regex (validated at write time)
  bool operator==(const Constraint&) const = default;
};

struct Property {
  uint32_t id = 0;  // stable within its type; ascending name order at creation (§3.7)
  std::string name;
  ValueType type;
  // @description / @instruction / @rename_from / custom annotations. Constraint
  // annotations (@key/@unique/@index) are desugared into constraints; @embed into `embed_*`.
  std::vector<Annotation> annotations;
  IndexKind index = IndexKind::kNone;
  std::optional<std::string> embed_source;  // @embed("src")
  std::optional<std::string> embed_model;   // @embed(…, model="m")
  std::string from_interface;               // non-empty when injected from an interface
};

struct TypeDef {
  uint32_t id = 0;  // stable type id (a rename keeps it)
  DeclKind kind = DeclKind::kNode;
  std::string name;
  std::vector<Property> properties;  // declared order, then interface-injected ones
  // Property-id high-water mark: every id below it was used by some version of the type
  // (dropped properties included), so a property added later never reuses a dropped one's id
  // (and column). 0 = not recorded: max property id + 1.
  uint32_t next_property_id = 0;
  std::vector<Constraint> constraints;
  std::vector<Annotation> annotations;  // type-level: @description, @instruction, @rename_from, custom
  std::vector<std::string> implements;  // node
  std::string source, target;           // edge endpoints (node type names)
  uint32_t card_min = 0;                // edge @card; default 0..
  std::optional<uint32_t> card_max;

  const Property* find_property(std::string_view name) const;
  // The @key properties (empty when unkeyed), in declaration order of the constraint.
  std::vector<std::string> key_properties() const;
  // Key properties ordered by property id: the component order of a composite key id (§3.7).
  std::vector<std::string> key_components() const;
  // Physical columns: `id` for nodes; `id`, `src`, `dst` for edges (all String, BTREE).
  std::vector<std::string> physical_columns() const;
  // First annotation with that name, or nullptr.
  const Annotation* find_annotation(std::string_view name) const;
};

// Immutable after construction; safe to share across threads for reading.
struct Catalog {
  std::vector<TypeDef> interfaces;
  std::vector<TypeDef> nodes;
  std::vector<TypeDef> edges;
  uint32_t next_type_id = 1;

  const TypeDef* find_node(std::string_view name) const;
  const TypeDef* find_interface(std::string_view name) const;
  // Exact (declared) name.
  const TypeDef* find_edge(std::string_view name) const;
  // Case-insensitive (full lower-casing), as queries refer to edges (§3.1).
  const TypeDef* find_edge_folded(std::string_view name) const;
  // Node types that are an endpoint of `edge_name` (for cascades): edges whose source or
  // target is `node_name`, in catalog order.
  std::vector<const TypeDef*> edges_touching(std::string_view node_name) const;
};

// Builds the catalog of a parsed schema; `source` is the text `ast` came from (for
// positions). Fresh ids: types in declaration order from 1; properties per type in
// ascending name order from 1. Throws CompileError: placement/constraint rules as
// `parse error: …`, name resolution as `catalog error: …`.
Catalog build_catalog(const SchemaAst& ast, std::string_view source);

// parse_schema + build_catalog.
Catalog compile_schema(std::string_view source);

// Catalog ⇄ JSON (pretty). from_json throws Error(bad_request) naming the bad field.
std::string catalog_to_json(const Catalog& catalog);
Catalog catalog_from_json(std::string_view json_text);

}  // namespace omnigraph::compiler
