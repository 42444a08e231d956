// Recursive-descent PEG parser for `.pg` (languages.md §2). Only grammar is checked
// here; placement and reference rules live in the catalog builder.
#include <algorithm>
#include <charconv>

#include "compiler/diagnostics.h"
#include "compiler/schema_ast.h"

namespace omnigraph::compiler {

std::string_view decl_kind_name(DeclKind kind) {
  switch (kind) {
    case DeclKind::kInterface: return "interface";
    case DeclKind::kNode: return "node";
    case DeclKind::kEdge: return "edge";
  }
  return "node";
}

namespace {

constexpr std::string_view kConstraintKeywords[] = {"key", "unique", "index", "range", "check"};

class SchemaParser {
 public:
  explicit SchemaParser(std::string_view source) : s_(source) {}

  SchemaAst parse() {
    SchemaAst ast;
    while (!s_.at_end()) {
      auto decl = parse_decl();
      if (!decl) s_.fail_expected();
      ast.decls.push_back(std::move(*decl));
    }
    return ast;
  }

 private:
  std::optional<TypeDecl> parse_decl() {
    s_.skip_ws();
    size_t start = s_.offset();
    TypeDecl decl;
    decl.offset = start;
    if (s_.accept("interface")) {
      decl.kind = DeclKind::kInterface;
      decl.name_offset = name_offset();
      decl.name = require(s_.type_name());
      expect("{");
      while (auto p = parse_prop()) decl.properties.push_back(std::move(*p));
      expect("}");
      return decl;
    }
    if (s_.accept("node")) {
      decl.kind = DeclKind::kNode;
      decl.name_offset = name_offset();
      decl.name = require(s_.type_name());
      while (auto a = parse_annotation()) decl.annotations.push_back(std::move(*a));
      if (s_.accept("implements")) {
        decl.implements.push_back(require(s_.type_name()));
        while (s_.accept(",")) decl.implements.push_back(require(s_.type_name()));
      }
      expect("{");
      parse_body(decl);
      expect("}");
      return decl;
    }
    if (s_.accept("edge")) {
      decl.kind = DeclKind::kEdge;
      decl.name_offset = name_offset();
      decl.name = require(s_.type_name());
      expect(":");
      decl.source = require(s_.type_name());
      expect("->");
      decl.target = require(s_.type_name());
      size_t card_start = s_.offset();
      if (s_.accept("@card") && s_.accept("(")) {
        s_.skip_ws();
        size_t min_off = s_.offset();
        decl.card_min = parse_u32(require(s_.integer()), min_off);
        expect("..");
        s_.skip_ws();
        size_t max_off = s_.offset();
        if (auto max = s_.integer()) decl.card_max = parse_u32(*max, max_off);
        expect(")");
        decl.has_card = true;
        if (decl.card_max && decl.card_min > *decl.card_max) {
          s_.fail_at(card_start, "cardinality min (" + std::to_string(decl.card_min) + ") exceeds max (" +
                                     std::to_string(*decl.card_max) + ")");
        }
      } else {
        s_.reset(card_start);
      }
      while (auto a = parse_annotation()) decl.annotations.push_back(std::move(*a));
      if (s_.accept("{")) {
        parse_body(decl);
        expect("}");
      }
      return decl;
    }
    s_.reset(start);
    return std::nullopt;
  }

  void parse_body(TypeDecl& decl) {
    while (true) {
      if (auto p = parse_prop()) {
        decl.properties.push_back(std::move(*p));
      } else if (auto c = parse_body_constraint()) {
        decl.constraints.push_back(std::move(*c));
      } else {
        return;
      }
    }
  }

  std::optional<PropDecl> parse_prop() {
    s_.skip_ws();
    size_t start = s_.offset();
    auto name = s_.ident();
    if (!name) return std::nullopt;
    PropDecl prop;
    prop.name = *name;
    prop.offset = start;
    expect(":");
    s_.skip_ws();
    prop.type_offset = s_.offset();
    prop.type = parse_type_ref();
    while (auto a = parse_annotation()) prop.annotations.push_back(std::move(*a));
    return prop;
  }

  ValueType parse_type_ref() {
    ValueType t;
    s_.skip_ws();
    size_t start = s_.offset();
    if (s_.accept("[")) {
      t.list = true;
      auto base = parse_base_type();
      if (!base) s_.fail_expected();
      t.scalar = *base;
      expect("]");
      if (t.scalar == ScalarKind::kBlob) s_.fail_at(start, "list of Blob is not supported");
    } else if (s_.accept("enum")) {
      expect("(");
      std::vector<std::string> values;
      values.push_back(require(s_.enum_value()));
      while (s_.accept(",")) values.push_back(require(s_.enum_value()));
      expect(")");
      std::vector<std::string> sorted = values;
      std::sort(sorted.begin(), sorted.end());
      if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
        s_.fail_at(start, "enum type cannot include duplicate values");
      t.scalar = ScalarKind::kString;
      t.enum_values = std::move(sorted);
    } else if (s_.accept("Vector")) {
      expect("(");
      s_.skip_ws();
      size_t dim_off = s_.offset();
      std::string dim = require(s_.integer());
      expect(")");
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(dim.data(), dim.data() + dim.size(), value);
      if (ec != std::errc() || value > 2147483647ULL)
        s_.fail_at(dim_off, "Vector dimension must be at most 2147483647");
      if (value == 0) s_.fail_at(dim_off, "Vector dimension must be greater than zero");
      t.scalar = ScalarKind::kVector;
      t.vector_dim = static_cast<uint32_t>(value);
    } else if (auto base = parse_base_type()) {
      t.scalar = *base;
    } else {
      s_.fail_expected();
    }
    if (s_.accept("?")) t.nullable = true;
    return t;
  }

  std::optional<ScalarKind> parse_base_type() {
    // Ordered choice; DateTime before Date.
    static constexpr std::string_view kNames[] = {"String", "Blob", "Bool", "I32", "I64", "U32",
                                                  "U64",    "F32",  "F64",  "DateTime", "Date"};
    for (auto n : kNames)
      if (s_.accept(n)) return parse_scalar_name(n);
    return std::nullopt;
  }

  bool at_constraint_call() {
    size_t start = s_.offset();
    bool result = false;
    if (s_.accept("@")) {
      for (auto kw : kConstraintKeywords) {
        size_t after_at = s_.offset();
        if (s_.accept(kw) && s_.accept("(")) {
          result = true;
          break;
        }
        s_.reset(after_at);
      }
    }
    s_.reset(start);
    return result;
  }

  std::optional<Annotation> parse_annotation() {
    s_.skip_ws();
    size_t start = s_.offset();
    if (at_constraint_call()) return std::nullopt;
    if (!s_.accept("@")) return std::nullopt;
    auto name = s_.ident();
    if (!name) {
      s_.reset(start);
      return std::nullopt;
    }
    Annotation a;
    a.name = *name;
    a.offset = start;
    if (s_.accept("(")) {
      auto first = parse_ann_value();
      // `@x(model="m")` fails after `model` (kwargs may only follow a positional argument).
      if (!first) s_.fail_expected();
      a.value = *first;
      while (s_.accept(",")) {
        a.kwargs.emplace_back(require(s_.ident()), std::string());
        expect("=");
        auto v = parse_literal_text();
        if (!v) s_.fail_expected();
        a.kwargs.back().second = *v;
      }
      expect(")");
    }
    return a;
  }

  // ann_arg ::= literal | ident
  std::optional<std::string> parse_ann_value() {
    if (auto lit = parse_literal_text()) return lit;
    return s_.ident();
  }

  // literal ::= string | float | integer | bool (text as written; strings decoded)
  std::optional<std::string> parse_literal_text() {
    if (auto s = s_.string_literal()) return s;
    if (auto f = s_.float_number()) return f;
    if (auto i = s_.integer()) return i;
    if (s_.accept("true")) return std::string("true");
    if (s_.accept("false")) return std::string("false");
    return std::nullopt;
  }

  std::optional<BodyConstraint> parse_body_constraint() {
    s_.skip_ws();
    size_t start = s_.offset();
    if (!s_.accept("@")) return std::nullopt;
    for (auto kw : kConstraintKeywords) {
      size_t after_at = s_.offset();
      if (s_.accept(kw) && s_.accept("(")) {
        BodyConstraint c;
        c.kind = std::string(kw);
        c.offset = start;
        c.args.push_back(parse_carg());
        while (s_.accept(",")) c.args.push_back(parse_carg());
        expect(")");
        return c;
      }
      s_.reset(after_at);
    }
    s_.reset(start);
    return std::nullopt;
  }

  // carg ::= range_bound | literal | ident
  ConstraintArg parse_carg() {
    s_.skip_ws();
    ConstraintArg arg;
    arg.offset = s_.offset();
    size_t start = s_.offset();
    // range_bound ::= signed ".." signed? | ".." signed
    if (auto lo = s_.signed_number()) {
      if (s_.accept("..")) {
        arg.kind = ConstraintArg::Kind::kRange;
        arg.lo = *lo;
        if (auto hi = s_.signed_number()) arg.hi = *hi;
        return arg;
      }
      s_.reset(start);
    }
    if (s_.accept("..")) {
      auto hi = s_.signed_number();
      if (hi) {
        arg.kind = ConstraintArg::Kind::kRange;
        arg.hi = *hi;
        return arg;
      }
      s_.reset(start);
    }
    if (auto str = s_.string_literal()) {
      arg.kind = ConstraintArg::Kind::kString;
      arg.text = *str;
      return arg;
    }
    if (auto f = s_.float_number()) {
      arg.kind = ConstraintArg::Kind::kNumber;
      arg.text = *f;
      return arg;
    }
    if (auto i = s_.integer()) {
      arg.kind = ConstraintArg::Kind::kNumber;
      arg.text = *i;
      return arg;
    }
    for (std::string_view b : {"true", "false"}) {
      if (s_.accept(b)) {
        arg.kind = ConstraintArg::Kind::kBool;
        arg.text = std::string(b);
        return arg;
      }
    }
    if (auto id = s_.ident()) {
      arg.kind = ConstraintArg::Kind::kIdent;
      arg.text = *id;
      return arg;
    }
    s_.fail_expected();
  }

  uint32_t parse_u32(const std::string& text, size_t offset) {
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || value > 0xFFFFFFFFULL) s_.fail_at(offset, "cardinality bound out of range: " + text);
    return static_cast<uint32_t>(value);
  }

  size_t name_offset() {
    s_.skip_ws();
    return s_.offset();
  }

  void expect(std::string_view literal) {
    if (!s_.accept(literal)) s_.fail_expected();
  }

  std::string require(std::optional<std::string> token) {
    if (!token) s_.fail_expected();
    return std::move(*token);
  }

  Scanner s_;
};

}  // namespace

SchemaAst parse_schema(std::string_view source) { return SchemaParser(source).parse(); }

}  // namespace omnigraph::compiler
