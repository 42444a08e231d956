// Syntax tree of a `.gq` file (languages.md §4). The typechecker annotates it in
// place (the `resolved_*` / `type` fields), and lowering reads the annotated tree.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/types.h"

namespace omnigraph::compiler {

struct Literal {
  enum class Kind { kString, kInteger, kFloat, kBool, kDate, kDateTime, kList };
  Kind kind = Kind::kString;
  std::string text;       // string (decoded) / date text / number text as written
  int64_t int_value = 0;  // kInteger (≤ 2^63−1) ; kDate epoch days ; kDateTime epoch ms (after typecheck)
  double float_value = 0;
  bool bool_value = false;
  std::vector<Literal> elements;  // kList
  size_t offset = 0;
};

// Static type of an expression after typechecking.
struct ExprType {
  enum class Kind { kUnknown, kValue, kNode, kEdge };
  Kind kind = Kind::kUnknown;
  ValueType value;        // kValue
  std::string type_name;  // kNode / kEdge: declared type name
};

struct Expr {
  enum class Kind {
    kNow,         // now()
    kCall,        // nearest/search/fuzzy/match_text/bm25/rrf: `name`, `args`
    kAggregate,   // count/sum/avg/min/max: `name`, args[0]
    kProperty,    // $var.prop: `var`, `name`
    kVariable,    // $var: `var`
    kLiteral,     // `literal`
    kAliasRef,    // bare ident: `name`
  };
  Kind kind = Kind::kLiteral;
  std::string name;
  std::string var;
  Literal literal;
  std::vector<Expr> args;
  size_t offset = 0;

  // Set by the typechecker.
  ExprType type;
  bool var_is_param = false;  // kVariable / kProperty's var resolved to a parameter
};

enum class CompareOp { kEq, kNe, kLt, kLe, kGt, kGe, kContains, kStartsWith };
// The comparison with its operands swapped (`a < b` ⇔ `b > a`); `=`/`!=` are their own mirror.
// contains/starts_with have none and come back unchanged: callers mirror comparisons only.
CompareOp mirrored(CompareOp op);
std::string_view compare_op_text(CompareOp op);

// `prop: value` in a binding, `prop: value` in an assignment.
struct Value {
  enum class Kind { kLiteral, kVariable, kNow };
  Kind kind = Kind::kLiteral;
  Literal literal;
  std::string var;
  size_t offset = 0;
};

struct PropMatch {
  std::string prop;
  Value value;
  size_t offset = 0;
};

struct Clause;

struct Binding {
  std::string var;
  std::string type_name;
  std::vector<PropMatch> matches;
};

struct Traversal {
  std::string src;
  std::optional<std::string> edge_var;  // `$w:edge` ($_ treated as none by the typechecker)
  std::string edge_name;                // as written (lower-case initial)
  bool undirected = false;
  bool has_bounds = false;
  uint64_t min_hops = 1;
  std::optional<uint64_t> max_hops = 1;  // nullopt: `{n,}`
  std::string dst;
  size_t edge_offset = 0;
  size_t dst_offset = 0;
  size_t src_offset = 0;

  // Set by the typechecker.
  std::string resolved_edge;    // declared edge name
  bool reversed = false;        // src is the edge's target (read backwards)
  bool src_new = false;         // src introduced by this traversal
  bool dst_new = false;         // dst introduced by this traversal
  std::string src_type, dst_type;
};

struct Filter {
  Expr left;
  CompareOp op = CompareOp::kEq;
  Expr right;
};

struct Negation {
  std::vector<Clause> clauses;
};

struct Clause {
  enum class Kind { kBinding, kTraversal, kFilter, kSearch, kNegation };
  Kind kind = Kind::kBinding;
  Binding binding;
  Traversal traversal;
  Filter filter;
  Expr search;  // kSearch: a kCall (search/fuzzy/match_text)
  std::shared_ptr<Negation> negation;
  size_t offset = 0;
};

struct Projection {
  Expr expr;
  std::optional<std::string> alias;
  size_t offset = 0;
};

struct Ordering {
  Expr expr;
  bool descending = false;
  size_t offset = 0;
};

struct ReadBody {
  std::vector<Clause> clauses;
  std::vector<Projection> projections;
  std::vector<Ordering> order;
  std::optional<uint64_t> limit;
  size_t limit_offset = 0;
};

struct Assignment {
  std::string prop;
  Value value;
  size_t offset = 0;
};

struct Predicate {
  std::string prop;
  CompareOp op = CompareOp::kEq;
  Value value;
  size_t offset = 0;
};

struct MutationStmt {
  enum class Kind { kInsert, kUpdate, kDelete };
  Kind kind = Kind::kInsert;
  std::string type_name;
  std::vector<Assignment> assignments;
  std::optional<Predicate> where;
  size_t offset = 0;
  size_t type_offset = 0;
  bool is_edge = false;  // set by the typechecker
};

struct Param {
  std::string name;
  ValueType type;
  size_t offset = 0;
  size_t type_offset = 0;
  std::string type_text;  // as written (for error messages)
};

struct QueryDecl {
  std::string name;
  std::vector<Param> params;
  std::optional<std::string> description;
  std::optional<std::string> instruction;
  bool is_mutation = false;
  ReadBody read;
  std::vector<MutationStmt> mutations;
  size_t offset = 0;
};

struct QueryFile {
  std::vector<QueryDecl> queries;
};

// Parses a whole `.gq` text. Throws CompileError (`parse error: …`, with line:column).
QueryFile parse_queries(std::string_view source);

}  // namespace omnigraph::compiler
