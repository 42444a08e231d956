// The schema object of a graph: the accepted `.pg` source plus its catalog (with stable
// ids), stored content-addressed; a commit's schema_identity is that object's digest.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "compiler/catalog.h"
#include "storage/object_store.h"

namespace omnigraph::engine {

struct SchemaObject {
  std::string identity;  // sha256 hex of the stored payload
  std::string source;
  compiler::Catalog catalog;
};

// Key of a schema object: "schemas/<identity>.json".
std::string schema_object_key(const std::string& identity);

// Serialises {source, catalog}, stores it with create_if_absent (an identical existing object
// is reused) and returns it with its identity. Thread-safe if the store is.
std::shared_ptr<const SchemaObject> write_schema_object(storage::ObjectStore& store, std::string source,
                                                        compiler::Catalog catalog);

// Reads and verifies (digest) a schema object. Throws not_found, IntegrityError-like internal
// errors naming the key when damaged.
std::shared_ptr<const SchemaObject> read_schema_object(storage::ObjectStore& store, const std::string& identity);

}  // namespace omnigraph::engine
