// Canonical key rendering (data-plane §1.1): the text of one key component, and the entity
// id of a keyed node (single value, or compact JSON array for composite keys).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog.h"
#include "engine/value.h"

namespace omnigraph::engine {

// Renders one value of `type` canonically. nullopt for null, NaN/±Inf, lists, vectors, blobs
// ("cannot identify an entity").
std::optional<std::string> render_key_component(const Value& value, const compiler::ValueType& type);

// Compact JSON string literal with §1.1 escaping (\" \\ \b \f \n \r \t, other controls \u00xx).
void append_json_string(std::string& out, std::string_view s);

// The id of a keyed node from its property values (aligned with type.properties). Throws
// bad_request "node T is missing a non-null @key value" for a null component and "node T @key
// value cannot identify an entity" for NaN/Inf. Precondition: the type has @key.
std::string derive_key_id(const compiler::TypeDef& type, const std::vector<Value>& values);

// Property indexes (into type.properties) of the key components, in component order.
std::vector<size_t> key_component_indexes(const compiler::TypeDef& type);

}  // namespace omnigraph::engine
