// Typechecker for `.gq` queries against a catalog (languages.md §5–§7). It resolves
// names, orients traversals, types every expression, annotates the AST in place for
// lowering, and produces the lint operation descriptor (§8.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog.h"
#include "compiler/query_ast.h"

namespace omnigraph::compiler {

// One result column of the operation descriptor (§8.3).
struct ResultField {
  std::string name;
  std::string kind;                       // string, bool, int, bigint, float, date, datetime, blob, vector, list, object
  std::optional<std::string> item_kind;   // for `list`
  std::optional<uint32_t> vector_dim;     // for `vector`
  bool nullable = false;
};

struct TypeFact {
  DeclKind kind = DeclKind::kNode;  // kNode or kEdge
  std::string type_name;
  bool operator==(const TypeFact&) const = default;
};

struct OperationDescriptor {
  std::vector<ResultField> result;  // projection order; empty for mutations
  std::vector<TypeFact> reads;      // deduplicated; nodes before edges, each by name
  std::vector<TypeFact> writes;
};

// The descriptor `kind` of a value type (§8.3 vocabulary).
std::string value_kind(const ValueType& type);

// ParamDescriptor of a declared parameter (server.md QueryCatalogEntry): same kind
// vocabulary as result fields; `nullable` = declared `?`.
ResultField param_descriptor(const Param& param);

struct CheckedQuery {
  std::string name;
  bool is_mutation = false;
  OperationDescriptor operation;
};

// Typechecks `query` (annotating it in place: expression types, traversal orientation,
// mutation targets). `source` is the `.gq` text the query was parsed from (positions).
// Stops at the first error and throws CompileError whose plain() is
// `type error: T<n>: <message>` (or `type error: <message>` for the uncoded errors).
// Thread-safety: reads `catalog` only; mutates `query`.
CheckedQuery typecheck_query(QueryDecl& query, const Catalog& catalog, std::string_view source);

}  // namespace omnigraph::compiler
