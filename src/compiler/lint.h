// Query lint (languages.md §8): typechecks every query of a `.gq` file against a
// catalog, builds per-query operation descriptors, emits the L201 cross-query finding
// and renders the report as the `lint --json` document or the human text.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog.h"
#include "compiler/typechecker.h"

namespace omnigraph::compiler {

struct LintFinding {
  std::string severity;  // "error" | "warning" | "info"
  std::string code;      // "Q000", "L201"
  std::string message;
  std::optional<std::string> type_name;
  std::optional<std::string> property;
  std::vector<std::string> query_names;  // omitted from JSON when empty
};

struct LintQueryResult {
  std::string name;
  bool is_mutation = false;
  bool ok = true;
  std::vector<std::string> warnings;
  std::string error;                             // when !ok: the full error text
  std::optional<OperationDescriptor> operation;  // when ok
};

struct LintSchemaSource {
  std::string kind = "file";  // "file" | "graph"
  std::optional<std::string> path;
  std::optional<std::string> uri;
};

struct LintReport {
  LintSchemaSource schema_source;
  std::string query_path;
  int queries_processed = 0;
  int errors = 0;
  int warnings = 0;
  int infos = 0;
  std::vector<LintQueryResult> results;
  std::vector<LintFinding> findings;
  bool has_errors() const { return errors > 0; }
};

// Lints `query_source` against `catalog` (procedure of §8.1). Never throws for query
// problems: a parse failure becomes the Q000 finding, type errors become per-query errors.
// `schema_source` / `query_path` are carried into the report as given.
LintReport lint_queries(const Catalog& catalog, std::string_view query_source, LintSchemaSource schema_source,
                        std::string query_path);

// The pretty-printed `lint --json` document (§8.2 key order).
std::string lint_report_json(const LintReport& report);
// The human output (§8.4), newline-terminated lines.
std::string lint_report_human(const LintReport& report);

}  // namespace omnigraph::compiler
