// The logical IR the engine executes (architecture.md §5): the output of lowering a
// typechecked query. It is storage-agnostic and fully resolved — every type name is
// the declared name, every expression carries its static type, every traversal has an
// explicit direction — so the engine never consults the AST.
//
// Read query = a match pipeline of operators over rows (a row binds variables to node
// ids, or edge ids for edge bindings), then projection / aggregation, ordering, limit:
//
//   kScan     var ← every node of `type_name`               (introduces `var`)
//   kExpand   from `from_var` over `edge_type` in `direction`, hops [min_hops, max_hops],
//             BFS set semantics of languages.md §6.3 (`edge_var` set ⇒ single hop, one row per
//             edge). `to_var` empty ⇒ anonymous endpoint `$_` (an existence join).
//             `to_bound` ⇒ `to_var` already bound: keep rows where it is reachable (semi-join).
//   kFilter   keep rows where `predicate` is true (null ⇒ false, three-valued logic).
//   kAntiJoin keep rows for which the correlated `inner` pipeline (evaluated with the outer
//             row's bindings) yields no row. Variables introduced inside stay inside.
//
// Pipeline order equals clause order; a filter only references variables introduced by an
// earlier operator. Every `Expr` is typed (`type`); node-valued column `$v` is
// kPhysical(var, "id").
//
// Projection: `columns` in projection order, each with its runtime name (§6.7). If
// `aggregate`, columns whose expr is not kAggregate are the group keys. `order` keys refer
// to pre-projection expressions (non-aggregate) or to result columns (kColumnRef, always
// used in aggregate queries and for aliases). A non-aggregate query finally orders ties by
// the ids of `tie_break_vars` (ascending variable name). `ranking` (nearest/bm25/rrf as the
// first ordering) replaces `order`; `limit` truncates last.
//
// Mutation = ordered statements executed atomically; values are constants, parameters or
// now() with the target property's type; predicates compare one property (kProperty with
// empty var = the statement's target; `from`/`to` of an edge map to kPhysical src/dst).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/query_ast.h"
#include "compiler/types.h"

namespace omnigraph::compiler::ir {

struct Expr {
  enum class Kind {
    kConst,      // `constant` (typed literal; Date = epoch days, DateTime = epoch ms in int_value)
    kParam,      // parameter `name`
    kNow,        // the query's single now() instant (DateTime)
    kProperty,   // property `property` of variable `var` (node or edge binding)
    kPhysical,   // physical column `property` (id/src/dst) of `var`
    kColumnRef,  // result column `name` (alias or group key)
    kCompare,    // args[0] `op` args[1]
    kCall,       // search/fuzzy/match_text (Bool), nearest/bm25/rrf (F64): `name`, `args`
                 // (defaults explicit: fuzzy always has max_edits, rrf always has k)
    kAggregate,  // count/sum/avg/min/max over args[0]
  };
  Kind kind = Kind::kConst;
  ValueType type;
  std::string name;
  std::string var;
  std::string property;
  Literal constant;
  CompareOp op = CompareOp::kEq;
  std::vector<Expr> args;
};

enum class Direction { kOut, kIn, kBoth };

struct Op {
  enum class Kind { kScan, kExpand, kFilter, kAntiJoin };
  Kind kind = Kind::kScan;
  // kScan
  std::string var;
  std::string type_name;
  // kExpand
  std::string from_var;
  std::string to_var;  // "" = anonymous
  bool to_bound = false;
  std::string to_type;
  std::string edge_type;
  Direction direction = Direction::kOut;
  uint64_t min_hops = 1;
  uint64_t max_hops = 1;
  std::optional<std::string> edge_var;
  // kFilter
  Expr predicate;
  // kAntiJoin
  std::vector<Op> inner;
};

struct Column {
  std::string name;  // runtime column name (§6.7)
  Expr expr;
};

struct SortKey {
  Expr expr;
  bool descending = false;
};

struct Ranking {
  enum class Kind { kNearest, kBm25, kRrf };
  Kind kind = Kind::kNearest;
  Expr expr;        // the kCall (rrf: args = two arms [+ k])
  std::string var;  // ranked variable (rrf: arm 1's variable)
};

struct ReadPlan {
  std::vector<Op> match;
  std::vector<Column> columns;
  bool aggregate = false;
  std::vector<SortKey> order;
  std::optional<Ranking> ranking;
  std::optional<uint64_t> limit;
  std::vector<std::string> tie_break_vars;  // bound node vars and edge bindings, ascending name
};

struct Assignment {
  std::string property;  // for edges `from`/`to` are the endpoint ids
  Expr value;
};

struct Statement {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  std::string type_name;
  bool is_edge = false;
  std::vector<Assignment> assignments;
  std::optional<Expr> predicate;          // update / delete
  std::vector<std::string> cascade_edges;  // node delete: edge types incident to the node type
};

struct ParamDecl {
  std::string name;
  ValueType type;
};

struct QueryPlan {
  std::string name;
  std::vector<ParamDecl> params;
  bool is_mutation = false;
  ReadPlan read;
  std::vector<Statement> statements;
  bool has_inserts_or_updates = false;
  bool has_deletes = false;
};

// A stable, human-readable rendering of a plan (EXPLAIN-style; used by tests and tooling).
std::string explain(const QueryPlan& plan);

}  // namespace omnigraph::compiler::ir
