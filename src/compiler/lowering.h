// Lowering of a typechecked query AST to the logical IR (ir.h), plus the one-call
// front door `compile_query` (parse → typecheck → lower) used by the engine.
#pragma once

#include <string>
#include <string_view>

#include "compiler/catalog.h"
#include "compiler/ir.h"
#include "compiler/query_ast.h"
#include "compiler/typechecker.h"

namespace omnigraph::compiler {

// Lowers `query`, which must have been typechecked against `catalog` (lowering relies on
// the annotations). Pure; does not throw for a typechecked query.
ir::QueryPlan lower_query(const QueryDecl& query, const Catalog& catalog);

// The execution-time rule of §6.9, applied before any data access: throws
// Error(bad_request) with the exact mixing message when a mutation both inserts/updates and
// deletes. Lint does not call it.
void check_mutation_mixing(const ir::QueryPlan& plan);

struct CompiledQuery {
  CheckedQuery checked;
  ir::QueryPlan plan;
};

// Parses `source`, picks the query named `name` (empty: the only query), typechecks and
// lowers it. Throws CompileError for parse/type errors; Error(bad_request)
// `query 'x' not found` / `query file contains multiple queries; pass --name`.
CompiledQuery compile_query(std::string_view source, const Catalog& catalog, std::string_view name = {});

}  // namespace omnigraph::compiler
