// Backtracking PEG parser for `.gq` (languages.md §4). Ordered choice is reproduced
// exactly (binding → traversal → filter → search clause; expression alternatives in
// grammar order); a failed parse reports the furthest position any alternative reached.
#include <charconv>
#include <limits>

#include "compiler/diagnostics.h"
#include "compiler/lexer.h"
#include "compiler/query_ast.h"

namespace omnigraph::compiler {

std::string_view compare_op_text(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "!=";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
    case CompareOp::kContains: return "contains";
    case CompareOp::kStartsWith: return "starts_with";
  }
  return "=";
}

CompareOp mirrored(CompareOp op) {
  switch (op) {
    case CompareOp::kLt:
      return CompareOp::kGt;
    case CompareOp::kLe:
      return CompareOp::kGe;
    case CompareOp::kGt:
      return CompareOp::kLt;
    case CompareOp::kGe:
      return CompareOp::kLe;
    default:
      return op;
  }
}

namespace {

// Nesting bound for lists, negations and nested calls: keeps recursion (and a hostile
// input's stack use) bounded; far beyond any real query.
constexpr int kMaxNesting = 64;

class QueryParser {
 public:
  explicit QueryParser(std::string_view source) : s_(source) {}

  QueryFile parse() {
    QueryFile file;
    while (!s_.at_end()) file.queries.push_back(parse_query());
    return file;
  }

 private:
  // ---- helpers ----
  struct DepthGuard {
    QueryParser& p;
    explicit DepthGuard(QueryParser& parser, size_t offset) : p(parser) {
      if (++p.depth_ > kMaxNesting) p.s_.fail_at(offset, "nesting too deep (limit " + std::to_string(kMaxNesting) + ")");
    }
    ~DepthGuard() { --p.depth_; }
  };

  void expect(std::string_view lit) {
    if (!s_.accept(lit)) s_.fail_expected();
  }
  template <typename T>
  T require(std::optional<T> v) {
    if (!v) s_.fail_expected();
    return std::move(*v);
  }
  size_t here() {
    s_.skip_ws();
    return s_.offset();
  }

  // ---- declarations ----
  QueryDecl parse_query() {
    QueryDecl q;
    q.offset = here();
    expect("query");
    q.name = require(s_.ident());
    expect("(");
    if (auto first = parse_param()) {
      q.params.push_back(std::move(*first));
      while (s_.accept(",")) q.params.push_back(require(parse_param()));
    }
    expect(")");
    while (true) {
      size_t at = here();
      if (s_.accept("@description")) {
        expect("(");
        auto text = require(s_.string_literal());
        expect(")");
        if (q.description)
          s_.fail_at(at, "query `" + q.name + "` cannot include duplicate @description annotations");
        q.description = text;
      } else if (s_.accept("@instruction")) {
        expect("(");
        auto text = require(s_.string_literal());
        expect(")");
        if (q.instruction)
          s_.fail_at(at, "query `" + q.name + "` cannot include duplicate @instruction annotations");
        q.instruction = text;
      } else {
        break;
      }
    }
    expect("{");
    if (s_.accept("match")) {
      parse_read_body(q.read);
    } else {
      q.is_mutation = true;
      q.mutations.push_back(require(parse_mutation()));
      while (auto m = parse_mutation()) q.mutations.push_back(std::move(*m));
    }
    expect("}");
    return q;
  }

  std::optional<Param> parse_param() {
    size_t start = here();
    auto name = s_.variable();
    if (!name) return std::nullopt;
    Param p;
    p.name = *name;
    p.offset = start;
    expect(":");
    p.type_offset = here();
    if (s_.accept("[")) {
      p.type.list = true;
      p.type.scalar = require(parse_base_type());
      expect("]");
    } else if (s_.accept("Vector")) {
      expect("(");
      std::string dim = require(s_.integer());
      expect(")");
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(dim.data(), dim.data() + dim.size(), value);
      p.type.scalar = ScalarKind::kVector;
      p.type.vector_dim = (ec == std::errc() && value <= 2147483647ULL) ? static_cast<uint32_t>(value) : 0;
    } else {
      p.type.scalar = require(parse_base_type());
    }
    p.type_text = std::string(s_.source().substr(p.type_offset, s_.offset() - p.type_offset));
    if (s_.accept("?")) p.type.nullable = true;
    return p;
  }

  std::optional<ScalarKind> parse_base_type() {
    static constexpr std::string_view kNames[] = {"String", "Blob", "Bool", "I32", "I64", "U32",
                                                  "U64",    "F32",  "F64",  "DateTime", "Date"};
    for (auto n : kNames)
      if (s_.accept(n)) return parse_scalar_name(n);
    return std::nullopt;
  }

  // ---- read body ----
  void parse_read_body(ReadBody& body) {
    expect("{");
    body.clauses.push_back(require(parse_clause()));
    while (auto c = parse_clause()) body.clauses.push_back(std::move(*c));
    expect("}");
    expect("return");
    expect("{");
    body.projections.push_back(require(parse_projection()));
    while (auto p = parse_projection()) body.projections.push_back(std::move(*p));
    expect("}");
    size_t at = here();
    if (s_.accept("order")) {
      expect("{");
      body.order.push_back(require(parse_ordering()));
      while (s_.accept(",")) body.order.push_back(require(parse_ordering()));
      expect("}");
    } else {
      s_.reset(at);
    }
    at = here();
    if (s_.accept("limit")) {
      body.limit_offset = here();
      std::string n = require(s_.integer());
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(n.data(), n.data() + n.size(), value);
      if (ec != std::errc()) s_.fail_at(body.limit_offset, "limit out of range: " + n);
      body.limit = value;
    } else {
      s_.reset(at);
    }
  }

  std::optional<Clause> parse_clause() {
    size_t start = here();
    DepthGuard guard(*this, start);
    Clause c;
    c.offset = start;
    // negation
    if (s_.accept("not") && s_.accept("{")) {
      c.kind = Clause::Kind::kNegation;
      c.negation = std::make_shared<Negation>();
      c.negation->clauses.push_back(require(parse_clause()));
      while (auto inner = parse_clause()) c.negation->clauses.push_back(std::move(*inner));
      expect("}");
      return c;
    }
    s_.reset(start);
    if (parse_binding(c.binding)) {
      c.kind = Clause::Kind::kBinding;
      return c;
    }
    s_.reset(start);
    if (parse_traversal(c.traversal)) {
      c.kind = Clause::Kind::kTraversal;
      return c;
    }
    s_.reset(start);
    if (parse_filter(c.filter)) {
      c.kind = Clause::Kind::kFilter;
      return c;
    }
    s_.reset(start);
    if (auto call = parse_search_clause()) {
      c.kind = Clause::Kind::kSearch;
      c.search = std::move(*call);
      return c;
    }
    s_.reset(start);
    return std::nullopt;
  }

  bool parse_binding(Binding& b) {
    auto var = s_.variable();
    if (!var || !s_.accept(":")) return false;
    auto type = s_.type_name();
    if (!type) return false;
    b.var = *var;
    b.type_name = *type;
    size_t before = s_.offset();
    if (s_.accept("{")) {
      auto first = parse_prop_match();
      if (!first) {
        s_.reset(before);  // `{ }` is not part of the binding (rule 3): the caller fails on it
        return true;
      }
      b.matches.push_back(std::move(*first));
      while (true) {
        size_t comma = s_.offset();
        if (!s_.accept(",")) break;
        auto next = parse_prop_match();
        if (!next) {
          s_.reset(comma);
          s_.accept(",");  // trailing comma
          break;
        }
        b.matches.push_back(std::move(*next));
      }
      if (!s_.accept("}")) {
        s_.reset(before);
        return true;
      }
    }
    return true;
  }

  std::optional<PropMatch> parse_prop_match() {
    size_t start = here();
    auto prop = s_.ident();
    if (!prop || !s_.accept(":")) {
      s_.reset(start);
      return std::nullopt;
    }
    auto value = parse_value();
    if (!value) {
      s_.reset(start);
      return std::nullopt;
    }
    PropMatch m;
    m.prop = *prop;
    m.value = std::move(*value);
    m.offset = start;
    return m;
  }

  // value ::= literal | variable | "now" "(" ")"
  std::optional<Value> parse_value() {
    size_t start = here();
    Value v;
    v.offset = start;
    if (auto lit = parse_literal()) {
      v.kind = Value::Kind::kLiteral;
      v.literal = std::move(*lit);
      return v;
    }
    s_.reset(start);
    if (auto var = s_.variable()) {
      v.kind = Value::Kind::kVariable;
      v.var = *var;
      return v;
    }
    if (s_.accept("now") && s_.accept("(") && s_.accept(")")) {
      v.kind = Value::Kind::kNow;
      return v;
    }
    s_.reset(start);
    return std::nullopt;
  }

  bool parse_traversal(Traversal& t) {
    t.src_offset = here();
    auto src = s_.variable();
    if (!src) return false;
    t.src = *src;
    size_t after_src = s_.offset();
    if (auto w = s_.variable(); w && s_.accept(":")) {
      t.edge_var = *w;
    } else {
      s_.reset(after_src);
    }
    t.edge_offset = here();
    size_t before_edge = s_.offset();
    if (s_.accept("<")) {
      auto name = s_.edge_ident();
      if (!name || !s_.accept(">")) return false;
      t.edge_name = *name;
      t.undirected = true;
    } else {
      s_.reset(before_edge);
      auto name = s_.edge_ident();
      if (!name) return false;
      t.edge_name = *name;
    }
    size_t before_bounds = s_.offset();
    bool bounds_ok = false;
    if (s_.accept("{")) {
      size_t min_off = here();
      if (auto min = s_.integer(); min && s_.accept(",")) {
        size_t max_off = here();
        auto max = s_.integer();
        if (s_.accept("}")) {
          bounds_ok = true;
          t.has_bounds = true;
          t.min_hops = to_u64(*min, min_off);
          t.max_hops = max ? std::optional<uint64_t>(to_u64(*max, max_off)) : std::nullopt;
        }
      }
    }
    if (!bounds_ok) s_.reset(before_bounds);
    t.dst_offset = here();
    auto dst = s_.variable();
    if (!dst) return false;
    t.dst = *dst;
    return true;
  }

  uint64_t to_u64(const std::string& text, size_t offset) {
    uint64_t value = 0;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc()) s_.fail_at(offset, "integer out of range: " + text);
    return value;
  }

  bool parse_filter(Filter& f) {
    auto left = parse_expr();
    if (!left) return false;
    auto op = parse_filter_op();
    if (!op) return false;
    auto right = parse_expr();
    if (!right) return false;
    f.left = std::move(*left);
    f.op = *op;
    f.right = std::move(*right);
    return true;
  }

  std::optional<CompareOp> parse_filter_op() {
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
        {"starts_with", CompareOp::kStartsWith}, {"contains", CompareOp::kContains}, {">=", CompareOp::kGe},
        {"<=", CompareOp::kLe}, {"!=", CompareOp::kNe}, {">", CompareOp::kGt}, {"<", CompareOp::kLt},
        {"=", CompareOp::kEq}};
    for (const auto& [text, op] : kOps)
      if (s_.accept(text)) return op;
    return std::nullopt;
  }

  std::optional<Expr> parse_search_clause() {
    size_t start = here();
    for (std::string_view fn : {"search", "fuzzy", "match_text"}) {
      s_.reset(start);
      if (auto e = parse_call(fn)) return e;
    }
    s_.reset(start);
    return std::nullopt;
  }

  // ---- projections and ordering ----
  std::optional<Projection> parse_projection() {
    size_t start = here();
    auto e = parse_expr();
    if (!e) {
      s_.reset(start);
      return std::nullopt;
    }
    Projection p;
    p.expr = std::move(*e);
    p.offset = start;
    size_t before_as = s_.offset();
    if (s_.accept("as")) {
      if (auto alias = s_.ident()) {
        p.alias = *alias;
      } else {
        s_.reset(before_as);
      }
    }
    s_.accept(",");
    return p;
  }

  std::optional<Ordering> parse_ordering() {
    size_t start = here();
    Ordering o;
    o.offset = start;
    if (auto n = parse_call("nearest")) {
      o.expr = std::move(*n);
      return o;
    }
    s_.reset(start);
    auto e = parse_expr();
    if (!e) return std::nullopt;
    o.expr = std::move(*e);
    if (s_.accept("asc")) {
      o.descending = false;
    } else if (s_.accept("desc")) {
      o.descending = true;
    }
    return o;
  }

  // ---- expressions ----
  std::optional<Expr> parse_expr() {
    size_t start = here();
    DepthGuard guard(*this, start);
    Expr e;
    e.offset = start;
    if (s_.accept("now") && s_.accept("(") && s_.accept(")")) {
      e.kind = Expr::Kind::kNow;
      return e;
    }
    for (std::string_view fn : {"nearest", "search", "fuzzy", "match_text", "bm25", "rrf"}) {
      s_.reset(start);
      if (auto call = parse_call(fn)) return call;
    }
    for (std::string_view agg : {"count", "sum", "avg", "min", "max"}) {
      s_.reset(start);
      if (s_.accept(agg) && s_.accept("(")) {
        if (auto arg = parse_expr(); arg && s_.accept(")")) {
          e.kind = Expr::Kind::kAggregate;
          e.name = std::string(agg);
          e.args.push_back(std::move(*arg));
          return e;
        }
      }
    }
    s_.reset(start);
    if (auto var = s_.variable()) {
      size_t after_var = s_.offset();
      if (s_.accept(".")) {
        // prop_access is a token sequence; whitespace is allowed by the grammar between tokens.
        if (auto prop = s_.ident()) {
          e.kind = Expr::Kind::kProperty;
          e.var = *var;
          e.name = *prop;
          return e;
        }
      }
      s_.reset(after_var);
      e.kind = Expr::Kind::kVariable;
      e.var = *var;
      return e;
    }
    s_.reset(start);
    if (auto lit = parse_literal()) {
      e.kind = Expr::Kind::kLiteral;
      e.literal = std::move(*lit);
      return e;
    }
    s_.reset(start);
    if (auto id = s_.ident()) {
      e.kind = Expr::Kind::kAliasRef;
      e.name = *id;
      return e;
    }
    s_.reset(start);
    return std::nullopt;
  }

  // Parses `fn(args)` with the arity/argument rules of the grammar.
  std::optional<Expr> parse_call(std::string_view fn) {
    size_t start = here();
    if (!s_.accept(fn) || !s_.accept("(")) {
      s_.reset(start);
      return std::nullopt;
    }
    Expr call;
    call.kind = Expr::Kind::kCall;
    call.name = std::string(fn);
    call.offset = start;
    auto fail = [&]() -> std::optional<Expr> {
      s_.reset(start);
      return std::nullopt;
    };
    if (fn == "nearest") {
      auto first = parse_prop_access();
      if (!first || !s_.accept(",")) return fail();
      auto second = parse_expr();
      if (!second || !s_.accept(")")) return fail();
      call.args.push_back(std::move(*first));
      call.args.push_back(std::move(*second));
      return call;
    }
    if (fn == "rrf") {
      for (int i = 0; i < 2; ++i) {
        if (i == 1 && !s_.accept(",")) return fail();
        size_t at = here();
        auto arm = parse_call("nearest");
        if (!arm) {
          s_.reset(at);
          arm = parse_call("bm25");
        }
        if (!arm) return fail();
        call.args.push_back(std::move(*arm));
      }
      size_t before_k = s_.offset();
      if (s_.accept(",")) {
        auto k = parse_expr();
        if (!k) {
          s_.reset(before_k);
        } else {
          call.args.push_back(std::move(*k));
        }
      }
      if (!s_.accept(")")) return fail();
      return call;
    }
    // search / fuzzy / match_text / bm25: expr "," expr ("," expr)? (third only for fuzzy)
    auto a = parse_expr();
    if (!a || !s_.accept(",")) return fail();
    auto b = parse_expr();
    if (!b) return fail();
    call.args.push_back(std::move(*a));
    call.args.push_back(std::move(*b));
    if (fn == "fuzzy") {
      size_t before = s_.offset();
      if (s_.accept(",")) {
        if (auto c = parse_expr()) {
          call.args.push_back(std::move(*c));
        } else {
          s_.reset(before);
        }
      }
    }
    if (!s_.accept(")")) return fail();
    return call;
  }

  std::optional<Expr> parse_prop_access() {
    size_t start = here();
    auto var = s_.variable();
    if (!var || !s_.accept(".")) {
      s_.reset(start);
      return std::nullopt;
    }
    auto prop = s_.ident();
    if (!prop) {
      s_.reset(start);
      return std::nullopt;
    }
    Expr e;
    e.kind = Expr::Kind::kProperty;
    e.var = *var;
    e.name = *prop;
    e.offset = start;
    return e;
  }

  // ---- literals ----
  std::optional<Literal> parse_literal() {
    size_t start = here();
    DepthGuard guard(*this, start);
    Literal lit;
    lit.offset = start;
    if (s_.accept("[")) {
      lit.kind = Literal::Kind::kList;
      if (auto first = parse_literal()) {
        lit.elements.push_back(std::move(*first));
        while (true) {
          size_t comma = s_.offset();
          if (!s_.accept(",")) break;
          auto next = parse_literal();
          if (!next) {
            s_.reset(comma);
            break;
          }
          lit.elements.push_back(std::move(*next));
        }
      }
      if (s_.accept("]")) return lit;
      s_.reset(start);
      return std::nullopt;
    }
    for (auto [kw, kind] : {std::pair{std::string_view("datetime"), Literal::Kind::kDateTime},
                            std::pair{std::string_view("date"), Literal::Kind::kDate}}) {
      s_.reset(start);
      if (s_.accept(kw) && s_.accept("(")) {
        if (auto text = s_.string_literal(); text && s_.accept(")")) {
          lit.kind = kind;
          lit.text = *text;
          return lit;
        }
      }
    }
    s_.reset(start);
    if (auto str = s_.string_literal()) {
      lit.kind = Literal::Kind::kString;
      lit.text = *str;
      return lit;
    }
    if (auto f = s_.float_number()) {
      lit.kind = Literal::Kind::kFloat;
      lit.text = *f;
      lit.float_value = std::stod(*f);
      return lit;
    }
    if (auto i = s_.integer()) {
      lit.kind = Literal::Kind::kInteger;
      lit.text = *i;
      uint64_t value = 0;
      auto [ptr, ec] = std::from_chars(i->data(), i->data() + i->size(), value);
      if (ec != std::errc() || value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        s_.fail_at(start, "integer literal out of range: " + *i);
      lit.int_value = static_cast<int64_t>(value);
      return lit;
    }
    for (std::string_view b : {"true", "false"}) {
      if (s_.accept(b)) {
        lit.kind = Literal::Kind::kBool;
        lit.bool_value = b == "true";
        lit.text = std::string(b);
        return lit;
      }
    }
    s_.reset(start);
    return std::nullopt;
  }

  // ---- mutations ----
  std::optional<MutationStmt> parse_mutation() {
    size_t start = here();
    MutationStmt m;
    m.offset = start;
    if (s_.accept("insert")) {
      m.kind = MutationStmt::Kind::kInsert;
      m.type_offset = here();
      m.type_name = require(s_.type_name());
      expect("{");
      parse_assignments(m);
      expect("}");
      return m;
    }
    if (s_.accept("update")) {
      m.kind = MutationStmt::Kind::kUpdate;
      m.type_offset = here();
      m.type_name = require(s_.type_name());
      expect("set");
      expect("{");
      parse_assignments(m);
      expect("}");
      expect("where");
      m.where = parse_predicate();
      return m;
    }
    if (s_.accept("delete")) {
      m.kind = MutationStmt::Kind::kDelete;
      m.type_offset = here();
      m.type_name = require(s_.type_name());
      expect("where");
      m.where = parse_predicate();
      return m;
    }
    s_.reset(start);
    return std::nullopt;
  }

  void parse_assignments(MutationStmt& m) {
    while (true) {
      size_t start = here();
      auto prop = s_.ident();
      if (!prop) break;
      expect(":");
      Assignment a;
      a.prop = *prop;
      a.offset = start;
      a.value = require(parse_value());
      s_.accept(",");
      m.assignments.push_back(std::move(a));
    }
    if (m.assignments.empty()) s_.fail_expected();
  }

  Predicate parse_predicate() {
    Predicate p;
    p.offset = here();
    p.prop = require(s_.ident());
    static constexpr std::pair<std::string_view, CompareOp> kOps[] = {
        {"=", CompareOp::kEq}, {"!=", CompareOp::kNe}, {">=", CompareOp::kGe},
        {"<=", CompareOp::kLe}, {">", CompareOp::kGt}, {"<", CompareOp::kLt}};
    bool found = false;
    for (const auto& [text, op] : kOps) {
      if (s_.accept(text)) {
        p.op = op;
        found = true;
        break;
      }
    }
    if (!found) s_.fail_expected();
    p.value = require(parse_value());
    return p;
  }

  Scanner s_;
  int depth_ = 0;
};

}  // namespace

QueryFile parse_queries(std::string_view source) { return QueryParser(source).parse(); }

}  // namespace omnigraph::compiler
