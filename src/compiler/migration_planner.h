// Schema evolution planning (languages.md §3.8): compares the accepted catalog with a
// desired one, matches identities (exact name, else @rename_from within the same kind),
// and returns the ordered steps plus whether the plan is supported. Library only: the
// `schema plan` / `schema apply` commands live with the branching module.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/catalog.h"

namespace omnigraph::compiler {

enum class DropMode { kSoft, kHard };

struct MigrationStep {
  // add_type, rename_type, add_property, rename_property, add_constraint, extend_enum,
  // update_type_metadata, update_property_metadata, drop_type, drop_property, unsupported_change
  std::string kind;
  DeclKind type_kind = DeclKind::kNode;
  std::string name;           // add_type, drop_type, update_type_metadata
  std::string from, to;       // rename_type, rename_property
  std::string type_name;      // property-level steps, add_constraint, extend_enum
  std::string property_name;  // add_property, extend_enum, update_property_metadata, drop_property
  ValueType property_type;    // add_property
  Constraint constraint;      // add_constraint (always an @index)
  std::vector<std::string> added_values;  // extend_enum
  std::vector<Annotation> annotations;    // update_*_metadata: the desired @description/@instruction set
  DropMode mode = DropMode::kSoft;        // drop_*
  std::string entity, reason;             // unsupported_change
  std::optional<std::string> code;        // unsupported_change: OG-MF-103 / OG-MF-106
};

struct MigrationPlan {
  bool supported = true;
  std::vector<MigrationStep> steps;
  // The desired catalog with identities carried over from the accepted one (stable type and
  // property ids kept across renames; new ones allocated after the accepted maxima).
  Catalog result;
};

struct MigrationOptions {
  bool allow_data_loss = false;  // every drop becomes `hard`
};

// Plans the migration `accepted` → `desired`. An empty accepted catalog (brand-new graph)
// makes every type an add_type and every hint inert. Throws Error(bad_request)
// (`catalog error: …`) for invalid @rename_from hints: naming nothing, across kinds, two
// declarations consuming one identity, a property hint under a new owner.
MigrationPlan plan_migration(const Catalog& accepted, const Catalog& desired, const MigrationOptions& options = {});

// Human line of a step (`schema plan`), e.g. `add property 'T.p' (String?) on node 'T'`.
std::string render_step(const MigrationStep& step);
// JSON object of a step (compact), with the §3.8 value shapes.
std::string step_to_json(const MigrationStep& step);
// `{"uri", "supported", "step_count", "steps"}` pretty-printed (CLI `schema plan --json`).
std::string migration_plan_json(const MigrationPlan& plan, const std::string& uri);
// The apply-time refusal of an unsupported plan: the first unsupported step's reason,
// prefixed `[CODE] ` when it has a code; nullopt when the plan is supported.
std::optional<std::string> unsupported_message(const MigrationPlan& plan);

}  // namespace omnigraph::compiler
