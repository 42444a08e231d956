// Syntax tree of a `.pg` schema file (languages.md §2), exactly as written: no
// desugaring, no name resolution. The catalog builder gives it meaning.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/lexer.h"
#include "compiler/types.h"

namespace omnigraph::compiler {

// `@name` / `@name(arg, k=v, …)`. Argument values are text: a string literal is decoded,
// an ident/number/bool is kept as written (§2).
struct Annotation {
  std::string name;
  std::optional<std::string> value;                         // first positional argument
  std::vector<std::pair<std::string, std::string>> kwargs;  // in source order
  size_t offset = 0;                                        // byte offset of '@'
  bool operator==(const Annotation& o) const {
    return name == o.name && value == o.value && kwargs == o.kwargs;
  }
};

// One argument of a body constraint: `ident`, a literal, or a range bound `a..b`.
struct ConstraintArg {
  enum class Kind { kIdent, kString, kNumber, kBool, kRange };
  Kind kind = Kind::kIdent;
  std::string text;                   // ident / decoded string / number text / bool text
  std::optional<NumberToken> lo, hi;  // kRange
  size_t offset = 0;
};

// `@key(...)`, `@unique(...)`, `@index(...)`, `@range(...)`, `@check(...)` in a body.
struct BodyConstraint {
  std::string kind;  // "key", "unique", "index", "range", "check"
  std::vector<ConstraintArg> args;
  size_t offset = 0;
};

struct PropDecl {
  std::string name;
  ValueType type;
  std::vector<Annotation> annotations;
  size_t offset = 0;
  size_t type_offset = 0;
};

enum class DeclKind { kInterface, kNode, kEdge };
std::string_view decl_kind_name(DeclKind kind);  // "interface", "node", "edge"

struct TypeDecl {
  DeclKind kind = DeclKind::kNode;
  std::string name;
  std::vector<Annotation> annotations;      // header annotations (node, edge)
  std::vector<std::string> implements;      // node
  std::string source, target;               // edge endpoints
  bool has_card = false;                    // edge @card(min..max?)
  uint32_t card_min = 0;
  std::optional<uint32_t> card_max;
  std::vector<PropDecl> properties;
  std::vector<BodyConstraint> constraints;
  size_t offset = 0;       // the keyword
  size_t name_offset = 0;  // the name
};

struct SchemaAst {
  std::vector<TypeDecl> decls;
};

// Parses a whole `.pg` text. Throws CompileError (`parse error: …`, with line:column).
SchemaAst parse_schema(std::string_view source);

}  // namespace omnigraph::compiler
