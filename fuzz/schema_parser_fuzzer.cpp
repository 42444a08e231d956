// libFuzzer target for the `.pg` parser and catalog builder. Invariants checked on
// every accepted input: the catalog JSON round-trip is exact, and planning a
// migration from the catalog to itself yields no steps.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/error.h"
#include "compiler/catalog.h"
#include "compiler/migration_planner.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  omnigraph::compiler::Catalog catalog;
  try {
    catalog = omnigraph::compiler::compile_schema(text);
  } catch (const omnigraph::Error&) {
    return 0;  // a rejected schema is a valid outcome; anything else propagates and crashes
  }
  std::string json = omnigraph::compiler::catalog_to_json(catalog);
  if (omnigraph::compiler::catalog_to_json(omnigraph::compiler::catalog_from_json(json)) != json) __builtin_trap();
  if (!omnigraph::compiler::plan_migration(catalog, catalog).steps.empty()) __builtin_trap();
  (void)omnigraph::compiler::plan_migration(omnigraph::compiler::Catalog{}, catalog);
  return 0;
}
