// Content-addressed schema objects: {source, catalog} JSON keyed by its sha256.
#include "engine/schema_object.h"

#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/hash.h"

namespace omnigraph::engine {

std::string schema_object_key(const std::string& identity) { return "schemas/" + identity + ".json"; }

std::shared_ptr<const SchemaObject> write_schema_object(storage::ObjectStore& store, std::string source,
                                                        compiler::Catalog catalog) {
  nlohmann::json doc;
  doc["format"] = 1;
  doc["source"] = source;
  doc["catalog"] = nlohmann::json::parse(compiler::catalog_to_json(catalog));
  std::string payload = doc.dump();
  auto obj = std::make_shared<SchemaObject>();
  obj->identity = sha256_hex(payload);
  obj->source = std::move(source);
  obj->catalog = std::move(catalog);
  store.create_if_absent(schema_object_key(obj->identity), payload);  // false = same bytes already there
  return obj;
}

std::shared_ptr<const SchemaObject> read_schema_object(storage::ObjectStore& store, const std::string& identity) {
  std::string key = schema_object_key(identity);
  std::string payload = store.get(key);
  if (sha256_hex(payload) != identity)
    throw Error(ErrorCode::kInternal, "integrity error: schema object '" + key + "' does not match its digest");
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(payload);
  } catch (const std::exception& e) {
    throw Error(ErrorCode::kInternal, "integrity error: schema object '" + key + "' is not JSON: " + e.what());
  }
  auto obj = std::make_shared<SchemaObject>();
  obj->identity = identity;
  obj->source = doc.at("source").get<std::string>();
  obj->catalog = compiler::catalog_from_json(doc.at("catalog").dump());
  return obj;
}

}  // namespace omnigraph::engine
