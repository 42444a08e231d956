// Lowering of typechecked `.gq` ASTs to the logical IR, and the compile_query front door.
#include "compiler/lowering.h"

#include <algorithm>
#include <set>

#include "common/error.h"

namespace omnigraph::compiler {

namespace {

using ir::Expr;
using ir::Op;

ValueType string_type() { return ValueType{}; }

class Lowerer {
 public:
  Lowerer(const QueryDecl& q, const Catalog& c) : q_(q), cat_(c) {}

  ir::QueryPlan run() {
    ir::QueryPlan plan;
    plan.name = q_.name;
    for (const auto& p : q_.params) plan.params.push_back({p.name, p.type});
    for (const auto& p : q_.params) params_.insert(p.name);
    plan.is_mutation = q_.is_mutation;
    if (q_.is_mutation) {
      for (const auto& m : q_.mutations) {
        plan.statements.push_back(lower_statement(m));
        if (m.kind == MutationStmt::Kind::kDelete) plan.has_deletes = true;
        else plan.has_inserts_or_updates = true;
      }
      return plan;
    }
    std::set<std::string> scope;
    lower_clauses(q_.read.clauses, scope, plan.read.match);
    lower_projection(plan.read);
    for (const auto& v : scope)
      if (v.rfind("#", 0) != 0) plan.read.tie_break_vars.push_back(v);
    plan.read.limit = q_.read.limit;
    return plan;
  }

 private:
  // ---- match pipeline ----
  std::string anon() { return "#anon" + std::to_string(++anon_counter_); }

  void lower_clauses(const std::vector<Clause>& clauses, std::set<std::string>& scope, std::vector<Op>& out) {
    for (const auto& c : clauses) {
      switch (c.kind) {
        case Clause::Kind::kBinding: lower_binding(c.binding, scope, out); break;
        case Clause::Kind::kTraversal: lower_traversal(c.traversal, scope, out); break;
        case Clause::Kind::kFilter: {
          Op op;
          op.kind = Op::Kind::kFilter;
          op.predicate = compare(lower_expr(c.filter.left), c.filter.op, lower_expr(c.filter.right));
          out.push_back(std::move(op));
          break;
        }
        case Clause::Kind::kSearch: {
          Op op;
          op.kind = Op::Kind::kFilter;
          op.predicate = lower_expr(c.search);
          out.push_back(std::move(op));
          break;
        }
        case Clause::Kind::kNegation: {
          Op op;
          op.kind = Op::Kind::kAntiJoin;
          std::set<std::string> inner_scope = scope;  // inner variables stay inside
          lower_clauses(c.negation->clauses, inner_scope, op.inner);
          out.push_back(std::move(op));
          break;
        }
      }
    }
  }

  static Expr compare(Expr l, CompareOp op, Expr r) {
    Expr e;
    e.kind = Expr::Kind::kCompare;
    e.type.scalar = ScalarKind::kBool;
    e.op = op;
    e.args.push_back(std::move(l));
    e.args.push_back(std::move(r));
    return e;
  }

  void lower_binding(const Binding& b, std::set<std::string>& scope, std::vector<Op>& out) {
    std::string var = b.var == "_" ? anon() : b.var;
    if (!scope.count(var)) {
      Op scan;
      scan.kind = Op::Kind::kScan;
      scan.var = var;
      scan.type_name = b.type_name;
      out.push_back(std::move(scan));
      scope.insert(var);
    }
    const TypeDef* node = cat_.find_node(b.type_name);
    for (const auto& m : b.matches) {
      const Property* p = node->find_property(m.prop);
      Expr prop;
      prop.kind = Expr::Kind::kProperty;
      prop.var = var;
      prop.property = p->name;
      prop.type = p->type;
      Op f;
      f.kind = Op::Kind::kFilter;
      f.predicate = compare(std::move(prop), p->type.list ? CompareOp::kContains : CompareOp::kEq, lower_value(m.value));
      out.push_back(std::move(f));
    }
  }

  void lower_traversal(const Traversal& t, std::set<std::string>& scope, std::vector<Op>& out) {
    const TypeDef* edge = cat_.find_edge(t.resolved_edge);
    std::string src = t.src == "_" ? anon() : t.src;
    std::string dst = t.dst == "_" ? "" : t.dst;
    bool src_bound = scope.count(src) > 0;
    bool dst_bound = !dst.empty() && scope.count(dst) > 0;
    Op op;
    op.kind = Op::Kind::kExpand;
    op.edge_type = edge->name;
    op.min_hops = t.min_hops;
    op.max_hops = t.max_hops.value_or(t.min_hops);
    op.edge_var = t.edge_var;
    bool from_src = src_bound || !dst_bound;
    if (!src_bound && !dst_bound) {
      Op scan;
      scan.kind = Op::Kind::kScan;
      scan.var = src;
      scan.type_name = t.src_type;
      out.push_back(std::move(scan));
      scope.insert(src);
    }
    if (from_src) {
      op.from_var = src;
      op.to_var = dst;
      op.to_type = t.dst_type;
      op.to_bound = dst_bound;
      op.direction = t.reversed ? ir::Direction::kIn : ir::Direction::kOut;
    } else {
      op.from_var = dst;
      op.to_var = t.src == "_" ? "" : src;
      op.to_type = t.src_type;
      op.to_bound = false;
      op.direction = t.reversed ? ir::Direction::kOut : ir::Direction::kIn;
    }
    if (t.undirected) op.direction = ir::Direction::kBoth;
    if (!op.to_var.empty()) scope.insert(op.to_var);
    if (op.edge_var) scope.insert(*op.edge_var);
    out.push_back(std::move(op));
  }

  // ---- expressions ----
  Expr lower_value(const Value& v) {
    Expr e;
    switch (v.kind) {
      case Value::Kind::kLiteral:
        e.kind = Expr::Kind::kConst;
        e.constant = v.literal;
        e.type = literal_type(v.literal);
        break;
      case Value::Kind::kVariable:
        e.kind = Expr::Kind::kParam;
        e.name = v.var;
        e.type = param_type(v.var);
        break;
      case Value::Kind::kNow:
        e.kind = Expr::Kind::kNow;
        e.type.scalar = ScalarKind::kDateTime;
        break;
    }
    return e;
  }

  static ValueType literal_type(const Literal& lit) {
    ValueType t;
    switch (lit.kind) {
      case Literal::Kind::kString: t.scalar = ScalarKind::kString; break;
      case Literal::Kind::kInteger: t.scalar = ScalarKind::kI64; break;
      case Literal::Kind::kFloat: t.scalar = ScalarKind::kF64; break;
      case Literal::Kind::kBool: t.scalar = ScalarKind::kBool; break;
      case Literal::Kind::kDate: t.scalar = ScalarKind::kDate; break;
      case Literal::Kind::kDateTime: t.scalar = ScalarKind::kDateTime; break;
      case Literal::Kind::kList: {
        t.list = true;
        t.scalar = ScalarKind::kString;
        bool any_float = false;
        for (const auto& e : lit.elements) any_float |= e.kind == Literal::Kind::kFloat;
        if (!lit.elements.empty()) {
          t.scalar = literal_type(lit.elements[0]).scalar;
          if (is_numeric(t.scalar)) t.scalar = any_float ? ScalarKind::kF64 : ScalarKind::kI64;
        }
        break;
      }
    }
    return t;
  }

  ValueType param_type(const std::string& name) const {
    for (const auto& p : q_.params)
      if (p.name == name) return p.type;
    return string_type();
  }

  Expr lower_expr(const compiler::Expr& in) {
    Expr e;
    if (in.type.kind == ExprType::Kind::kValue) e.type = in.type.value;
    switch (in.kind) {
      case compiler::Expr::Kind::kNow:
        e.kind = Expr::Kind::kNow;
        e.type.scalar = ScalarKind::kDateTime;
        break;
      case compiler::Expr::Kind::kLiteral:
        e.kind = Expr::Kind::kConst;
        e.constant = in.literal;
        if (in.type.kind != ExprType::Kind::kValue) e.type = literal_type(in.literal);
        break;
      case compiler::Expr::Kind::kVariable:
        if (in.var_is_param || params_.count(in.var)) {
          e.kind = Expr::Kind::kParam;
          e.name = in.var;
          e.type = param_type(in.var);
        } else {
          e.kind = Expr::Kind::kPhysical;
          e.var = in.var;
          e.property = "id";
          e.type = string_type();
        }
        break;
      case compiler::Expr::Kind::kProperty:
        e.kind = Expr::Kind::kProperty;
        e.var = in.var;
        e.property = in.name;
        break;
      case compiler::Expr::Kind::kAliasRef:
        e.kind = Expr::Kind::kColumnRef;
        e.name = in.name;
        break;
      case compiler::Expr::Kind::kCall:
        e.kind = Expr::Kind::kCall;
        e.name = in.name;
        for (const auto& a : in.args) e.args.push_back(lower_expr(a));
        // Defaults are made explicit so the engine never re-derives them (§6.11).
        if (in.name == "fuzzy" && e.args.size() == 2) e.args.push_back(int_const(2));
        if (in.name == "rrf" && e.args.size() == 2) e.args.push_back(int_const(60));
        break;
      case compiler::Expr::Kind::kAggregate:
        e.kind = Expr::Kind::kAggregate;
        e.name = in.name;
        for (const auto& a : in.args) e.args.push_back(lower_expr(a));
        break;
    }
    return e;
  }

  static Expr int_const(int64_t v) {
    Expr e;
    e.kind = Expr::Kind::kConst;
    e.type.scalar = ScalarKind::kI64;
    e.constant.kind = Literal::Kind::kInteger;
    e.constant.int_value = v;
    e.constant.text = std::to_string(v);
    return e;
  }

  // ---- projection / order ----
  static std::string runtime_name(const compiler::Expr& e) {
    switch (e.kind) {
      case compiler::Expr::Kind::kProperty: return e.var + "." + e.name;
      case compiler::Expr::Kind::kVariable: return e.var;
      case compiler::Expr::Kind::kLiteral: return "literal";
      case compiler::Expr::Kind::kNow: return "now";
      case compiler::Expr::Kind::kCall: return e.name;
      case compiler::Expr::Kind::kAggregate: return runtime_name(e.args[0]);
      case compiler::Expr::Kind::kAliasRef: return e.name;
    }
    return "";
  }

  void lower_projection(ir::ReadPlan& read) {
    for (const auto& p : q_.read.projections) {
      if (p.expr.kind == compiler::Expr::Kind::kAggregate) read.aggregate = true;
      read.columns.push_back({p.alias ? *p.alias : runtime_name(p.expr), lower_expr(p.expr)});
    }
    for (size_t i = 0; i < q_.read.order.size(); ++i) {
      const Ordering& o = q_.read.order[i];
      const compiler::Expr& e = o.expr;
      if (i == 0 && e.kind == compiler::Expr::Kind::kCall && (e.name == "nearest" || e.name == "bm25" || e.name == "rrf")) {
        ir::Ranking r;
        r.kind = e.name == "nearest" ? ir::Ranking::Kind::kNearest
                 : e.name == "bm25"  ? ir::Ranking::Kind::kBm25
                                     : ir::Ranking::Kind::kRrf;
        r.expr = lower_expr(e);
        r.var = e.name == "rrf" ? e.args[0].args[0].var : e.args[0].var;
        read.ranking = std::move(r);
        break;  // further orderings are ignored after a ranking (§6.8)
      }
      ir::SortKey key;
      key.descending = o.descending;
      if (e.kind == compiler::Expr::Kind::kAliasRef) {
        key.expr = lower_expr(e);
        key.expr.type = e.type.value;
      } else if (read.aggregate) {
        key.expr.kind = Expr::Kind::kColumnRef;
        key.expr.name = runtime_name(e);
        key.expr.type = e.type.value;
      } else {
        key.expr = lower_expr(e);
      }
      read.order.push_back(std::move(key));
    }
    // Resolve column-reference types from the referenced column.
    for (auto& k : read.order) {
      if (k.expr.kind != Expr::Kind::kColumnRef) continue;
      for (const auto& c : read.columns)
        if (c.name == k.expr.name) k.expr.type = c.expr.type;
    }
  }

  // ---- mutations ----
  ir::Statement lower_statement(const MutationStmt& m) {
    ir::Statement s;
    s.kind = m.kind == MutationStmt::Kind::kInsert   ? ir::Statement::Kind::kInsert
             : m.kind == MutationStmt::Kind::kUpdate ? ir::Statement::Kind::kUpdate
                                                     : ir::Statement::Kind::kDelete;
    s.type_name = m.type_name;
    s.is_edge = m.is_edge;
    for (const auto& a : m.assignments) s.assignments.push_back({a.prop, lower_value(a.value)});
    if (m.where) {
      Expr target;
      bool endpoint = m.is_edge && (m.where->prop == "from" || m.where->prop == "to");
      if (endpoint) {
        target.kind = Expr::Kind::kPhysical;
        target.property = m.where->prop == "from" ? "src" : "dst";
        target.type = string_type();
      } else {
        const TypeDef* t = m.is_edge ? cat_.find_edge(m.type_name) : cat_.find_node(m.type_name);
        target.kind = Expr::Kind::kProperty;
        target.property = m.where->prop;
        target.type = t->find_property(m.where->prop)->type;
      }
      s.predicate = compare(std::move(target), m.where->op, lower_value(m.where->value));
    }
    if (!m.is_edge && m.kind == MutationStmt::Kind::kDelete)
      for (const TypeDef* e : cat_.edges_touching(m.type_name)) s.cascade_edges.push_back(e->name);
    return s;
  }

  const QueryDecl& q_;
  const Catalog& cat_;
  std::set<std::string> params_;
  int anon_counter_ = 0;
};

// ---- explain ----
std::string render_literal(const Literal& l) {
  switch (l.kind) {
    case Literal::Kind::kString: return "\"" + l.text + "\"";
    case Literal::Kind::kDate: return "date(\"" + l.text + "\")";
    case Literal::Kind::kDateTime: return "datetime(\"" + l.text + "\")";
    case Literal::Kind::kList: {
      std::string s = "[";
      for (size_t i = 0; i < l.elements.size(); ++i) s += (i ? ", " : "") + render_literal(l.elements[i]);
      return s + "]";
    }
    default: return l.text;
  }
}

std::string render(const Expr& e) {
  switch (e.kind) {
    case Expr::Kind::kConst: return render_literal(e.constant);
    case Expr::Kind::kParam: return "$" + e.name;
    case Expr::Kind::kNow: return "now()";
    case Expr::Kind::kProperty: return (e.var.empty() ? "" : e.var + ".") + e.property;
    case Expr::Kind::kPhysical: return (e.var.empty() ? "" : e.var + ".") + "#" + e.property;
    case Expr::Kind::kColumnRef: return "col(" + e.name + ")";
    case Expr::Kind::kCompare:
      return render(e.args[0]) + " " + std::string(compare_op_text(e.op)) + " " + render(e.args[1]);
    case Expr::Kind::kCall:
    case Expr::Kind::kAggregate: {
      std::string s = e.name + "(";
      for (size_t i = 0; i < e.args.size(); ++i) s += (i ? ", " : "") + render(e.args[i]);
      return s + ")";
    }
  }
  return "";
}

void render_ops(const std::vector<Op>& ops, int depth, std::string& out) {
  std::string pad(static_cast<size_t>(depth) * 2, ' ');
  for (const auto& op : ops) {
    switch (op.kind) {
      case Op::Kind::kScan: out += pad + "Scan " + op.var + ": " + op.type_name + "\n"; break;
      case Op::Kind::kExpand: {
        const char* dir = op.direction == ir::Direction::kOut ? "out" : op.direction == ir::Direction::kIn ? "in" : "both";
        out += pad + "Expand " + op.from_var + " -[" + (op.edge_var ? *op.edge_var + ":" : "") + op.edge_type + " " + dir +
               " " + std::to_string(op.min_hops) + ".." + std::to_string(op.max_hops) + "]-> " +
               (op.to_var.empty() ? "_" : op.to_var) + ": " + op.to_type + (op.to_bound ? " (bound)" : "") + "\n";
        break;
      }
      case Op::Kind::kFilter: out += pad + "Filter " + render(op.predicate) + "\n"; break;
      case Op::Kind::kAntiJoin:
        out += pad + "AntiJoin\n";
        render_ops(op.inner, depth + 1, out);
        break;
    }
  }
}

}  // namespace

std::string ir::explain(const QueryPlan& plan) {
  std::string out = std::string(plan.is_mutation ? "Mutation " : "Read ") + plan.name + "\n";
  if (plan.is_mutation) {
    for (const auto& s : plan.statements) {
      const char* kind = s.kind == Statement::Kind::kInsert ? "Insert" : s.kind == Statement::Kind::kUpdate ? "Update" : "Delete";
      out += std::string(kind) + " " + (s.is_edge ? "edge " : "node ") + s.type_name;
      for (const auto& a : s.assignments) out += " " + a.property + "=" + render(a.value);
      if (s.predicate) out += " where " + render(*s.predicate);
      if (!s.cascade_edges.empty()) {
        out += " cascade";
        for (const auto& e : s.cascade_edges) out += " " + e;
      }
      out += "\n";
    }
    return out;
  }
  render_ops(plan.read.match, 0, out);
  out += plan.read.aggregate ? "Aggregate" : "Project";
  for (const auto& c : plan.read.columns) out += " " + c.name + "=" + render(c.expr);
  out += "\n";
  if (plan.read.ranking) out += "Rank " + render(plan.read.ranking->expr) + " on " + plan.read.ranking->var + "\n";
  if (!plan.read.order.empty()) {
    out += "Order";
    for (const auto& k : plan.read.order) out += " " + render(k.expr) + (k.descending ? " desc" : " asc");
    out += "\n";
  }
  if (!plan.read.aggregate) {
    out += "TieBreak";
    for (const auto& v : plan.read.tie_break_vars) out += " " + v;
    out += "\n";
  }
  if (plan.read.limit) out += "Limit " + std::to_string(*plan.read.limit) + "\n";
  return out;
}

ir::QueryPlan lower_query(const QueryDecl& query, const Catalog& catalog) { return Lowerer(query, catalog).run(); }

void check_mutation_mixing(const ir::QueryPlan& plan) {
  if (plan.is_mutation && plan.has_deletes && plan.has_inserts_or_updates) {
    throw Error::bad_request(
        "mutation '" + plan.name +
        "' on the same query mixes inserts/updates and deletes; split into separate mutations: (1) inserts and updates, "
        "then (2) deletes. A query is deliberately constructive or destructive, not both, so its read-your-writes stays "
        "unambiguous; run the two on a branch and merge if you need them in one atomic commit.");
  }
}

CompiledQuery compile_query(std::string_view source, const Catalog& catalog, std::string_view name) {
  QueryFile file = parse_queries(source);
  QueryDecl* chosen = nullptr;
  if (name.empty()) {
    if (file.queries.size() != 1) {
      if (file.queries.empty()) throw Error::bad_request("query file contains no queries");
      throw Error::bad_request("query file contains multiple queries; pass --name");
    }
    chosen = &file.queries[0];
  } else {
    for (auto& q : file.queries)
      if (q.name == name) {
        chosen = &q;
        break;
      }
    if (!chosen) throw Error::bad_request("query '" + std::string(name) + "' not found");
  }
  CompiledQuery out;
  out.checked = typecheck_query(*chosen, catalog, source);
  out.plan = lower_query(*chosen, catalog);
  return out;
}

}  // namespace omnigraph::compiler
