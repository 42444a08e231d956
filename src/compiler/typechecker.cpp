// Typechecker implementation: scopes, traversal orientation, expression typing, the
// T1–T24 error catalogue, and the operation descriptor.
#include "compiler/typechecker.h"

#include <algorithm>
#include <map>
#include <set>

#include "common/time_util.h"
#include "compiler/diagnostics.h"

namespace omnigraph::compiler {

std::string value_kind(const ValueType& t) {
  if (t.list) return "list";
  switch (t.scalar) {
    case ScalarKind::kString: return "string";
    case ScalarKind::kBlob: return "blob";
    case ScalarKind::kBool: return "bool";
    case ScalarKind::kI32:
    case ScalarKind::kU32: return "int";
    case ScalarKind::kI64:
    case ScalarKind::kU64: return "bigint";
    case ScalarKind::kF32:
    case ScalarKind::kF64: return "float";
    case ScalarKind::kDate: return "date";
    case ScalarKind::kDateTime: return "datetime";
    case ScalarKind::kVector: return "vector";
  }
  return "string";
}

ResultField param_descriptor(const Param& param) {
  ResultField f;
  f.name = param.name;
  f.kind = value_kind(param.type);
  if (param.type.list) {
    ValueType element = param.type;
    element.list = false;
    f.item_kind = value_kind(element);
  } else if (param.type.scalar == ScalarKind::kVector) {
    f.vector_dim = param.type.vector_dim;
  }
  f.nullable = param.type.nullable;
  return f;
}

namespace {

ValueType scalar_type(ScalarKind k, bool nullable = false) {
  ValueType t;
  t.scalar = k;
  t.nullable = nullable;
  return t;
}

std::string plain(const ValueType& t) { return render_type_plain(t); }

ValueType element_of(ValueType t) {
  t.list = false;
  return t;
}

struct VarInfo {
  bool is_edge = false;
  std::string type_name;
};

class Checker {
 public:
  Checker(QueryDecl& q, const Catalog& c, std::string_view src) : q_(q), cat_(c), src_(src) {}

  CheckedQuery run() {
    check_params();
    CheckedQuery out;
    out.name = q_.name;
    out.is_mutation = q_.is_mutation;
    if (q_.is_mutation) {
      for (auto& m : q_.mutations) check_mutation(m);
    } else {
      check_read();
      out.operation.result = std::move(fields_);
    }
    out.operation.reads = sorted_facts(reads_);
    out.operation.writes = sorted_facts(writes_);
    return out;
  }

 private:
  // ---------------------------------------------------------------- errors
  [[noreturn]] void fail(std::string_view code, const std::string& message, size_t offset) {
    std::string text = "type error: ";
    if (!code.empty()) text += std::string(code) + ": ";
    throw_compile_error(text + message, src_, offset);
  }

  // ---------------------------------------------------------------- facts
  void read_fact(DeclKind k, const std::string& name) { reads_.insert({k == DeclKind::kEdge ? 1 : 0, name}); }
  void write_fact(DeclKind k, const std::string& name) { writes_.insert({k == DeclKind::kEdge ? 1 : 0, name}); }
  static std::vector<TypeFact> sorted_facts(const std::set<std::pair<int, std::string>>& facts) {
    std::vector<TypeFact> out;
    for (const auto& [k, n] : facts) out.push_back({k == 1 ? DeclKind::kEdge : DeclKind::kNode, n});
    return out;
  }

  // ---------------------------------------------------------------- params
  void check_params() {
    for (const auto& p : q_.params) {
      if (p.name == "__nanograph_now")
        fail("", "parameter name `$__nanograph_now` is reserved for runtime timestamp injection", p.offset);
      if (p.type.scalar == ScalarKind::kVector && p.type.vector_dim == 0)
        fail("", "unknown parameter type `" + p.type_text + "` for `$" + p.name + "`", p.type_offset);
      if (!params_.count(p.name)) params_[p.name] = p.type;
    }
  }
  const ValueType* param(const std::string& name) const {
    auto it = params_.find(name);
    return it == params_.end() ? nullptr : &it->second;
  }

  // ---------------------------------------------------------------- literals
  // Static type of a literal; validates date text and list shape.
  ValueType literal_type(Literal& lit) {
    switch (lit.kind) {
      case Literal::Kind::kString: return scalar_type(ScalarKind::kString);
      case Literal::Kind::kInteger: return scalar_type(ScalarKind::kI64);
      case Literal::Kind::kFloat: return scalar_type(ScalarKind::kF64);
      case Literal::Kind::kBool: return scalar_type(ScalarKind::kBool);
      case Literal::Kind::kDate: {
        auto days = parse_date(lit.text);
        if (!days) fail("T3", "invalid Date literal '" + lit.text + "'", lit.offset);
        lit.int_value = *days;
        return scalar_type(ScalarKind::kDate);
      }
      case Literal::Kind::kDateTime: {
        auto ms = parse_datetime_ms(lit.text);
        if (!ms) fail("T3", "invalid DateTime literal '" + lit.text + "'", lit.offset);
        lit.int_value = *ms;
        return scalar_type(ScalarKind::kDateTime);
      }
      case Literal::Kind::kList: {
        ValueType t = scalar_type(ScalarKind::kString);
        t.list = true;
        bool first = true;
        bool all_int = true;
        for (auto& e : lit.elements) {
          if (e.kind == Literal::Kind::kList) fail("", "nested list literals are not supported", e.offset);
          ValueType et = literal_type(e);
          if (et.scalar != ScalarKind::kI64) all_int = false;
          if (first) {
            t.scalar = et.scalar;
            first = false;
          } else if (!(et.scalar == t.scalar || (is_numeric(et.scalar) && is_numeric(t.scalar)))) {
            fail("", "list literal elements must share a compatible scalar type", e.offset);
          }
        }
        if (!first && is_numeric(t.scalar)) t.scalar = all_int ? ScalarKind::kI64 : ScalarKind::kF64;
        return t;
      }
    }
    return scalar_type(ScalarKind::kString);
  }

  static bool is_numeric_list_literal(const Literal& lit) {
    if (lit.kind != Literal::Kind::kList) return false;
    for (const auto& e : lit.elements)
      if (e.kind != Literal::Kind::kInteger && e.kind != Literal::Kind::kFloat) return false;
    return true;
  }

  std::string enum_list(const ValueType& t) {
    std::string s = "[";
    for (size_t i = 0; i < t.enum_values.size(); ++i) s += (i ? ", " : "") + t.enum_values[i];
    return s + "]";
  }

  void check_enum_member(const std::string& prop, const ValueType& pt, const Literal& lit) {
    if (!pt.is_enum() || lit.kind != Literal::Kind::kString) return;
    if (!std::binary_search(pt.enum_values.begin(), pt.enum_values.end(), lit.text))
      fail("T3", "property `" + prop + "` expects one of " + enum_list(pt) + ", got '" + lit.text + "'", lit.offset);
  }

  // Scalar literal into a scalar slot of type `pt` (int → float accepted; float → int rejected).
  bool scalar_literal_fits(const ValueType& lt, const ValueType& pt) {
    if (lt.scalar == pt.scalar) return true;
    if (is_integer(lt.scalar) && is_numeric(pt.scalar)) return true;
    return false;
  }

  // Literal checked against a property (assignments, `where` values, inline matches).
  // `membership`: list property with scalar value is a membership match (inline match).
  void check_literal_for_property(const std::string& prop, const ValueType& pt, Literal& lit, bool in_match) {
    ValueType lt = literal_type(lit);
    if (pt.scalar == ScalarKind::kBlob && !pt.list) {
      if (in_match) return;  // handled by the caller
      fail("T3", "property `" + prop + "` has type Blob but got " + plain(lt) + "; Blob values can only be assigned from a parameter",
           lit.offset);
    }
    if (pt.is_vector()) {
      if (is_numeric_list_literal(lit) && !lit.elements.empty()) {
        if (lit.elements.size() != pt.vector_dim)
          fail("T3", "property `" + prop + "` has type " + plain(pt) + " but got vector literal with " +
                         std::to_string(lit.elements.size()) + " elements",
               lit.offset);
        return;
      }
      fail("T3", "property `" + prop + "` has type " + plain(pt) + " but got " + plain(lt), lit.offset);
    }
    if (pt.list) {
      if (lit.kind == Literal::Kind::kList) {
        if (in_match) fail("T3", "list equality is not supported in match patterns for list property `" + prop + "`; match one element (membership)", lit.offset);
        if (lit.elements.empty()) return;  // `[]` fits any list property
        ValueType pe = element_of(pt);
        for (auto& e : lit.elements) {
          ValueType et = literal_type(e);
          if (!scalar_literal_fits(et, pe))
            fail("T3", "property `" + prop + "` has type " + plain(pt) + " but got " + plain(lt), lit.offset);
          check_enum_member(prop, pe, e);
        }
        return;
      }
      if (!in_match) fail("T3", "property `" + prop + "` has type " + plain(pt) + " but got " + plain(lt), lit.offset);
      ValueType pe = element_of(pt);
      if (!scalar_literal_fits(lt, pe))
        fail("T3", "property `" + prop + "` has type " + plain(pt) + " but membership match got " + plain(lt), lit.offset);
      check_enum_member(prop, pe, lit);
      return;
    }
    if (lit.kind == Literal::Kind::kList || !scalar_literal_fits(lt, pt))
      fail("T3", "property `" + prop + "` has type " + plain(pt) + " but got " + plain(lt), lit.offset);
    check_enum_member(prop, pt, lit);
  }

  // A parameter (or now()) value checked against a property. `assignment` allows String → Blob.
  void check_value_type_for_property(const std::string& prop, const ValueType& pt, const ValueType& vt, size_t offset,
                                     bool assignment, bool in_match) {
    bool ok;
    if (in_match && pt.list && !vt.list) {
      ok = types_compatible(vt, element_of(pt));
    } else if (in_match && pt.list && vt.list) {
      fail("T7", "list equality is not supported in match patterns for list property `" + prop + "`; pass a scalar for membership",
           offset);
    } else {
      ok = types_compatible(vt, pt);
      if (!ok && assignment && pt.scalar == ScalarKind::kBlob && !pt.list && vt.scalar == ScalarKind::kString && !vt.list)
        ok = true;
      // float → integer property is rejected even though both are numeric.
      if (ok && !pt.list && is_integer(pt.scalar) && is_float(vt.scalar)) ok = false;
    }
    if (!ok) fail("T7", "cannot assign/compare " + plain(vt) + " with " + plain(pt) + " for property `" + prop + "`", offset);
  }

  // ---------------------------------------------------------------- read queries
  struct Scope {
    std::map<std::string, VarInfo> vars;
  };

  void check_read() {
    Scope scope;
    check_clauses(q_.read.clauses, scope, 0);
    check_groups();
    check_projections(scope);
    check_order(scope);
  }

  // Union-find over variables: each traversal-connected group must contain a binding.
  std::map<std::string, std::string> parent_;
  std::set<std::string> bound_by_binding_;
  std::map<std::string, size_t> first_offset_;
  std::string find(const std::string& v) {
    auto it = parent_.find(v);
    if (it == parent_.end()) {
      parent_[v] = v;
      return v;
    }
    if (it->second == v) return v;
    std::string root = find(it->second);
    parent_[v] = root;
    return root;
  }
  void unite(const std::string& a, const std::string& b) { parent_[find(a)] = find(b); }
  void check_groups() {
    std::set<std::string> roots_with_binding;
    for (const auto& v : bound_by_binding_) roots_with_binding.insert(find(v));
    for (const auto& [v, off] : first_offset_) {
      if (!roots_with_binding.count(find(v)))
        fail("", "variable `$" + v + "` is not connected to any binding; bind one variable of its traversal group with `$x: Type`",
             off);
    }
  }

  void check_clauses(std::vector<Clause>& clauses, Scope& scope, int depth) {
    for (auto& c : clauses) {
      switch (c.kind) {
        case Clause::Kind::kBinding: check_binding(c, scope); break;
        case Clause::Kind::kTraversal: check_traversal(c.traversal, scope); break;
        case Clause::Kind::kFilter: check_filter(c.filter, scope); break;
        case Clause::Kind::kSearch: {
          ExprType t = type_expr(c.search, scope, ExprContext::kMatch);
          (void)t;
          break;
        }
        case Clause::Kind::kNegation: {
          // The block must reference an outer variable through one of its direct clauses.
          bool references_outer = false;
          for (const auto& inner : c.negation->clauses) {
            if (clause_references(inner, scope)) references_outer = true;
          }
          if (!references_outer) fail("T9", "negation block must reference at least one outer-bound variable", c.offset);
          Scope inner = scope;
          check_clauses(c.negation->clauses, inner, depth + 1);
          break;
        }
      }
    }
  }

  bool expr_references(const Expr& e, const Scope& scope) {
    if ((e.kind == Expr::Kind::kProperty || e.kind == Expr::Kind::kVariable) && scope.vars.count(e.var) &&
        !param(e.var))
      return true;
    for (const auto& a : e.args)
      if (expr_references(a, scope)) return true;
    return false;
  }
  bool clause_references(const Clause& c, const Scope& scope) {
    switch (c.kind) {
      case Clause::Kind::kBinding: return scope.vars.count(c.binding.var) > 0;
      case Clause::Kind::kTraversal:
        return scope.vars.count(c.traversal.src) > 0 || scope.vars.count(c.traversal.dst) > 0;
      case Clause::Kind::kFilter: return expr_references(c.filter.left, scope) || expr_references(c.filter.right, scope);
      case Clause::Kind::kSearch: return expr_references(c.search, scope);
      case Clause::Kind::kNegation: return false;
    }
    return false;
  }

  void check_binding(Clause& c, Scope& scope) {
    Binding& b = c.binding;
    const TypeDef* node = cat_.find_node(b.type_name);
    if (!node) fail("T1", "unknown node type `" + b.type_name + "`", c.offset);
    read_fact(DeclKind::kNode, node->name);
    if (b.var != "_") {
      auto it = scope.vars.find(b.var);
      if (it != scope.vars.end()) {
        if (it->second.is_edge)
          fail("T23", "variable `$" + b.var + "` is bound to edge type `" + it->second.type_name +
                          "` and cannot be rebound as node type `" + b.type_name + "`",
               c.offset);
        if (it->second.type_name != b.type_name)
          fail("", "variable `$" + b.var + "` already bound to type `" + it->second.type_name + "`, cannot rebind to `" +
                       b.type_name + "`",
               c.offset);
      }
      scope.vars[b.var] = VarInfo{false, b.type_name};
      bound_by_binding_.insert(b.var);
      find(b.var);
      first_offset_.emplace(b.var, c.offset);
    }
    for (auto& m : b.matches) {
      const Property* p = node->find_property(m.prop);
      if (!p) fail("T2", "type `" + node->name + "` has no property `" + m.prop + "`", m.offset);
      if (p->type.scalar == ScalarKind::kBlob && !p->type.list)
        fail("T3", "blob property `" + node->name + "." + p->name + "` cannot be used in match patterns", m.offset);
      if (p->type.is_vector())
        fail("T3", "vector property `" + node->name + "." + p->name + "` cannot be used in match patterns", m.offset);
      check_match_value(*p, m.value);
    }
  }

  void check_match_value(const Property& p, Value& v) {
    switch (v.kind) {
      case Value::Kind::kLiteral: check_literal_for_property(p.name, p.type, v.literal, true); break;
      case Value::Kind::kNow:
        check_value_type_for_property(p.name, p.type, scalar_type(ScalarKind::kDateTime), v.offset, false, true);
        break;
      case Value::Kind::kVariable: {
        const ValueType* pt = param(v.var);
        if (!pt) fail("", "variable `$" + v.var + "` is not bound", v.offset);
        check_value_type_for_property(p.name, p.type, *pt, v.offset, false, true);
        break;
      }
    }
  }

  void check_traversal(Traversal& t, Scope& scope) {
    const TypeDef* edge = cat_.find_edge_folded(t.edge_name);
    if (!edge) fail("T4", "unknown edge type `" + t.edge_name + "`", t.edge_offset);
    t.resolved_edge = edge->name;
    read_fact(DeclKind::kEdge, edge->name);
    read_fact(DeclKind::kNode, edge->source);
    read_fact(DeclKind::kNode, edge->target);
    if (t.edge_var && *t.edge_var == "_") t.edge_var.reset();
    if (t.has_bounds) {
      if (t.min_hops < 1) fail("T15", "traversal min hop bound must be >= 1", t.edge_offset);
      if (!t.max_hops) fail("T15", "unbounded traversal is disabled; use bounded traversal {min,max}", t.edge_offset);
      if (*t.max_hops < t.min_hops)
        fail("T15", "invalid traversal bounds {" + std::to_string(t.min_hops) + "," + std::to_string(*t.max_hops) +
                        "}; max must be >= min",
             t.edge_offset);
    }
    if (t.edge_var) {
      const std::string& w = *t.edge_var;
      if (t.has_bounds && (t.min_hops != 1 || *t.max_hops != 1))
        fail("T23", "edge binding `$" + w + "` cannot be combined with traversal bounds; edge bindings are single-hop",
             t.edge_offset);
      if (w == t.src || w == t.dst)
        fail("T23", "edge binding `$" + w + "` cannot reuse a traversal endpoint name; choose a distinct name", t.edge_offset);
      if (scope.vars.count(w))
        fail("T23", "edge binding `$" + w + "` is already bound; an edge binding needs a fresh name", t.edge_offset);
    }
    if (t.undirected && edge->source != edge->target)
      fail("T22", "undirected traversal `<" + t.edge_name + ">` requires a same-endpoint-type edge, but `" + edge->name +
                      ": " + edge->source + " -> " + edge->target + "` is asymmetric; use the directional form",
           t.edge_offset);

    auto lookup = [&](const std::string& v, size_t off) -> const VarInfo* {
      if (v == "_") return nullptr;
      auto it = scope.vars.find(v);
      if (it == scope.vars.end()) return nullptr;
      if (it->second.is_edge)
        fail("T23", "edge binding `$" + v + "` cannot be used as a traversal endpoint; use a node variable", off);
      return &it->second;
    };
    const VarInfo* src = lookup(t.src, t.src_offset);
    const VarInfo* dst = lookup(t.dst, t.dst_offset);
    auto mismatch = [&](const std::string& v, const std::string& has, const std::string& expects, size_t off) {
      fail("T5", "variable `$" + v + "` has type `" + has + "` but edge `" + edge->name + "` expects `" + expects + "`", off);
    };
    if (src) {
      if (src->type_name == edge->source) {
        t.reversed = false;
      } else if (src->type_name == edge->target) {
        t.reversed = true;
      } else {
        mismatch(t.src, src->type_name, edge->source, t.src_offset);
      }
    } else if (dst) {
      if (dst->type_name == edge->target) {
        t.reversed = false;
      } else if (dst->type_name == edge->source) {
        t.reversed = true;
      } else {
        mismatch(t.dst, dst->type_name, edge->target, t.dst_offset);
      }
    } else {
      t.reversed = false;
    }
    t.src_type = t.reversed ? edge->target : edge->source;
    t.dst_type = t.reversed ? edge->source : edge->target;
    if (dst && dst->type_name != t.dst_type) mismatch(t.dst, dst->type_name, t.dst_type, t.dst_offset);
    t.src_new = src == nullptr;
    t.dst_new = dst == nullptr;
    if (t.src != "_" && !src) {
      scope.vars[t.src] = VarInfo{false, t.src_type};
      first_offset_.emplace(t.src, t.src_offset);
    }
    if (t.dst != "_" && !dst) {
      scope.vars[t.dst] = VarInfo{false, t.dst_type};
      first_offset_.emplace(t.dst, t.dst_offset);
    }
    if (t.src != "_" && t.dst != "_") unite(t.src, t.dst);
    if (t.src != "_") find(t.src);
    if (t.dst != "_") find(t.dst);
    if (t.edge_var) scope.vars[*t.edge_var] = VarInfo{true, edge->name};
  }

  // ---------------------------------------------------------------- expressions
  enum class ExprContext { kMatch, kProjection, kOrder, kAggregateArg };

  ExprType value_expr(ValueType t) {
    ExprType e;
    e.kind = ExprType::Kind::kValue;
    e.value = std::move(t);
    return e;
  }

  [[noreturn]] void blob_read(const Expr& e) {
    if (e.kind == Expr::Kind::kProperty)
      fail("T24", "Blob property `$" + e.var + "." + e.name + "` is not available as a .gq read value; Blob values require a dedicated API",
           e.offset);
    if (e.kind == Expr::Kind::kVariable)
      fail("T24", "Blob parameter `$" + e.var + "` is not available as a .gq read value; Blob values require a dedicated API",
           e.offset);
    fail("T24", "Blob alias `" + e.name + "` is not available as a .gq read value; Blob values require a dedicated API",
         e.offset);
  }

  bool is_blob(const ExprType& t) {
    return t.kind == ExprType::Kind::kValue && t.value.scalar == ScalarKind::kBlob && !t.value.list;
  }

  // Types `e` (stores the result in e.type). Aliases resolve against `aliases_` (earlier projections).
  ExprType type_expr(Expr& e, Scope& scope, ExprContext ctx) {
    ExprType t = type_expr_inner(e, scope, ctx);
    e.type = t;
    return t;
  }

  ExprType type_expr_inner(Expr& e, Scope& scope, ExprContext ctx) {
    switch (e.kind) {
      case Expr::Kind::kNow: return value_expr(scalar_type(ScalarKind::kDateTime));
      case Expr::Kind::kLiteral: return value_expr(literal_type(e.literal));
      case Expr::Kind::kVariable: {
        if (const ValueType* p = param(e.var)) {
          e.var_is_param = true;
          return value_expr(*p);
        }
        auto it = scope.vars.find(e.var);
        if (it == scope.vars.end() || e.var == "_") fail("", "variable `$" + e.var + "` is not bound", e.offset);
        if (it->second.is_edge)
          fail("T23", "edge binding `$" + e.var + "` cannot be used bare; access one of its properties (`$" + e.var + ".{prop}`)",
               e.offset);
        ExprType t;
        t.kind = ExprType::Kind::kNode;
        t.type_name = it->second.type_name;
        return t;
      }
      case Expr::Kind::kProperty: {
        if (param(e.var)) {
          e.var_is_param = true;
          fail("T6", "parameter `$" + e.var + "` has no properties", e.offset);
        }
        auto it = scope.vars.find(e.var);
        if (it == scope.vars.end() || e.var == "_") fail("T6", "variable `$" + e.var + "` is not bound", e.offset);
        if (it->second.is_edge) {
          const TypeDef* edge = cat_.find_edge(it->second.type_name);
          const Property* p = edge->find_property(e.name);
          if (!p) fail("T6", "edge `" + edge->name + "` has no property `" + e.name + "`", e.offset);
          return value_expr(p->type);
        }
        const TypeDef* node = cat_.find_node(it->second.type_name);
        const Property* p = node->find_property(e.name);
        if (!p) fail("T6", "type `" + node->name + "` has no property `" + e.name + "`", e.offset);
        return value_expr(p->type);
      }
      case Expr::Kind::kAliasRef: {
        auto it = aliases_.find(e.name);
        if (it == aliases_.end()) fail("", "unknown alias `" + e.name + "`; an alias must be defined by an earlier projection", e.offset);
        return it->second;
      }
      case Expr::Kind::kAggregate: {
        if (ctx != ExprContext::kProjection)
          fail("T9", "aggregate `" + e.name + "` is only allowed as a projection", e.offset);
        Expr& arg = e.args[0];
        if (arg.kind != Expr::Kind::kProperty && arg.kind != Expr::Kind::kVariable && arg.kind != Expr::Kind::kLiteral)
          fail("T8", e.name + " argument must be a property access, variable, parameter or literal", arg.offset);
        ExprType at = type_expr(arg, scope, ExprContext::kAggregateArg);
        if (is_blob(at)) blob_read(arg);
        if (e.name == "count") return value_expr(scalar_type(ScalarKind::kI64, true));
        std::string got = at.kind == ExprType::Kind::kValue ? plain(at.value) : "node `" + at.type_name + "`";
        bool scalar = at.kind == ExprType::Kind::kValue && !at.value.list && !at.value.is_vector();
        if (e.name == "sum" || e.name == "avg") {
          if (!scalar || !is_numeric(at.value.scalar)) fail("T8", e.name + " requires numeric type, got " + got, e.offset);
          return value_expr(scalar_type(ScalarKind::kF64, true));
        }
        if (!scalar || !(is_numeric(at.value.scalar) || at.value.scalar == ScalarKind::kString))
          fail("T8", e.name + " requires numeric or string type, got " + got, e.offset);
        ValueType rt = at.value;
        rt.nullable = true;
        return value_expr(rt);
      }
      case Expr::Kind::kCall: return type_call(e, scope, ctx);
    }
    return {};
  }

  // The property-access target of a search function; rejects edge bindings (T23).
  ValueType search_field(const std::string& fn, Expr& field, Scope& scope, std::string_view code) {
    if (field.kind == Expr::Kind::kProperty) {
      auto it = scope.vars.find(field.var);
      if (it != scope.vars.end() && it->second.is_edge && !param(field.var))
        fail("T23", fn + " cannot target edge property `$" + field.var + "." + field.name +
                        "`; search functions apply to node properties",
             field.offset);
    }
    ExprType t = type_expr(field, scope, ExprContext::kMatch);
    if (t.kind != ExprType::Kind::kValue) fail(code, fn + " field must be String, got node `" + t.type_name + "`", field.offset);
    if (t.value.list || t.value.scalar != ScalarKind::kString)
      fail(code, fn + " field must be String, got " + plain(t.value), field.offset);
    return t.value;
  }

  void search_query(const std::string& fn, Expr& q, Scope& scope, std::string_view code) {
    ExprType t = type_expr(q, scope, ExprContext::kMatch);
    if (t.kind != ExprType::Kind::kValue) fail(code, fn + " query must be String, got node `" + t.type_name + "`", q.offset);
    if (is_blob(t)) blob_read(q);
    if (t.value.list || t.value.scalar != ScalarKind::kString)
      fail(code, fn + " query must be String, got " + plain(t.value), q.offset);
  }

  ExprType type_call(Expr& e, Scope& scope, ExprContext ctx) {
    const std::string& fn = e.name;
    if (fn == "search" || fn == "fuzzy" || fn == "match_text") {
      std::string_view code = fn == "match_text" ? "T20" : "T19";
      search_field(fn, e.args[0], scope, code);
      search_query(fn, e.args[1], scope, code);
      if (fn == "fuzzy" && e.args.size() == 3) {
        ExprType k = type_expr(e.args[2], scope, ExprContext::kMatch);
        if (k.kind != ExprType::Kind::kValue || k.value.list || !is_integer(k.value.scalar))
          fail("T19", "fuzzy max_edits must be an integer scalar, got " +
                          (k.kind == ExprType::Kind::kValue ? plain(k.value) : "node `" + k.type_name + "`"),
               e.args[2].offset);
      }
      return value_expr(scalar_type(ScalarKind::kBool));
    }
    if (fn == "bm25") {
      search_field(fn, e.args[0], scope, "T20");
      search_query(fn, e.args[1], scope, "T20");
      return value_expr(scalar_type(ScalarKind::kF64));
    }
    if (fn == "nearest") {
      Expr& field = e.args[0];
      if (param(field.var) || !scope.vars.count(field.var) || field.var == "_")
        fail("T15", "variable `$" + field.var + "` is not bound", field.offset);
      if (scope.vars[field.var].is_edge)
        fail("T23", "nearest cannot target edge property `$" + field.var + "." + field.name +
                        "`; search functions apply to node properties",
             field.offset);
      const TypeDef* node = cat_.find_node(scope.vars[field.var].type_name);
      const Property* p = node->find_property(field.name);
      if (!p) fail("T15", "type `" + node->name + "` has no property `" + field.name + "`", field.offset);
      if (!p->type.is_vector())
        fail("T15", "nearest requires a Vector property, got " + node->name + "." + p->name + ": " + plain(p->type),
             field.offset);
      field.type = value_expr(p->type);
      Expr& q = e.args[1];
      std::string want = plain(p->type);
      if (q.kind == Expr::Kind::kLiteral && is_numeric_list_literal(q.literal) && !q.literal.elements.empty()) {
        literal_type(q.literal);
        if (q.literal.elements.size() != p->type.vector_dim)
          fail("T15", "nearest vector dimension mismatch: property is " + want + ", query literal has " +
                          std::to_string(q.literal.elements.size()) + " elements",
               q.offset);
        ValueType vt = p->type;
        vt.nullable = false;
        q.type = value_expr(vt);
      } else {
        ExprType qt = type_expr(q, scope, ExprContext::kMatch);
        if (qt.kind != ExprType::Kind::kValue)
          fail("T15", "nearest query must be " + want + " or String, got node `" + qt.type_name + "`", q.offset);
        if (qt.value.is_vector()) {
          if (qt.value.vector_dim != p->type.vector_dim)
            fail("T15", "nearest vector dimension mismatch: property is " + want + ", query is " + plain(qt.value), q.offset);
        } else if (qt.value.list || qt.value.scalar != ScalarKind::kString) {
          fail("T15", "nearest query must be " + want + " or String, got " + plain(qt.value), q.offset);
        }
      }
      return value_expr(scalar_type(ScalarKind::kF64));
    }
    if (fn == "rrf") {
      for (int i = 0; i < 2; ++i) {
        if (e.args[i].kind != Expr::Kind::kCall || (e.args[i].name != "nearest" && e.args[i].name != "bm25"))
          fail("T21", "rrf primary expression must be nearest(...) or bm25(...)", e.args[i].offset);
        type_expr(e.args[i], scope, ctx);
      }
      if (e.args.size() == 3) {
        Expr& k = e.args[2];
        ExprType kt = type_expr(k, scope, ExprContext::kMatch);
        if (kt.kind != ExprType::Kind::kValue || kt.value.list || !is_integer(kt.value.scalar))
          fail("T21", "rrf k must be an integer scalar, got " +
                          (kt.kind == ExprType::Kind::kValue ? plain(kt.value) : "node `" + kt.type_name + "`"),
               k.offset);
        if (k.kind == Expr::Kind::kLiteral && k.literal.int_value <= 0) fail("T21", "rrf k must be greater than 0", k.offset);
      }
      return value_expr(scalar_type(ScalarKind::kF64));
    }
    fail("", "unknown function `" + fn + "`", e.offset);
  }

  // ---------------------------------------------------------------- filters
  std::string operand_text(const ExprType& t) {
    return t.kind == ExprType::Kind::kValue ? plain(t.value) : "node `" + t.type_name + "`";
  }

  void check_filter_operand(Expr& e, const ExprType& t) {
    if (e.kind == Expr::Kind::kCall && (e.name == "nearest" || e.name == "bm25" || e.name == "rrf")) {
      std::string_view code = e.name == "nearest" ? "T15" : e.name == "bm25" ? "T20" : "T21";
      fail(code, e.name + "(...) is a ranking and cannot be used as a filter; use it as the first `order` entry", e.offset);
    }
    if (is_blob(t)) {
      if (e.kind == Expr::Kind::kProperty) blob_read(e);
      fail("T7", "blob comparisons in filters are not supported", e.offset);
    }
  }

  void check_filter(Filter& f, Scope& scope) {
    ExprType lt = type_expr(f.left, scope, ExprContext::kMatch);
    ExprType rt = type_expr(f.right, scope, ExprContext::kMatch);
    check_filter_operand(f.left, lt);
    check_filter_operand(f.right, rt);
    size_t off = f.left.offset;
    if (lt.kind == ExprType::Kind::kNode || rt.kind == ExprType::Kind::kNode)
      fail("T7", "filter comparisons require scalar operands, got " + operand_text(lt) + " and " + operand_text(rt), off);
    const ValueType& l = lt.value;
    const ValueType& r = rt.value;
    if (f.op == CompareOp::kContains) {
      if (l.list) {
        if (r.is_vector()) fail("T7", "vector membership filters are not supported", f.right.offset);
        if (r.list) fail("T7", "contains requires a scalar right operand", f.right.offset);
        if (!types_compatible(element_of(l), r))
          fail("T7", "cannot test membership of " + plain(r) + " in " + plain(l), off);
        return;
      }
      if (l.scalar == ScalarKind::kString) {
        if (r.list || r.scalar != ScalarKind::kString)
          fail("T7", "string contains requires a String right operand, got " + plain(r), f.right.offset);
        return;
      }
      if (l.is_vector()) fail("T7", "vector membership filters are not supported", off);
      fail("T7", "contains requires a list property (membership) or a String property (substring) on the left, got " + plain(l),
           off);
    }
    if (f.op == CompareOp::kStartsWith) {
      if (l.list || l.scalar != ScalarKind::kString)
        fail("T7", "starts_with requires a String property on the left, got " + plain(l), off);
      if (r.list || r.scalar != ScalarKind::kString)
        fail("T7", "starts_with requires a String right operand, got " + plain(r), f.right.offset);
      return;
    }
    if (l.list || r.list) fail("T7", "list comparisons in filters are not supported; use `contains` for list membership", off);
    if (l.is_vector() || r.is_vector()) fail("T7", "vector comparisons in filters are not supported", off);
    if (!types_compatible(l, r)) fail("T7", "cannot compare " + plain(l) + " with " + plain(r), off);
  }

  // ---------------------------------------------------------------- projections
  std::map<std::string, ExprType> aliases_;
  std::map<std::string, const Expr*> alias_exprs_;
  std::vector<ResultField> fields_;
  bool aggregate_query_ = false;

  static std::string descriptor_name(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kProperty: return e.name;
      case Expr::Kind::kVariable: return e.var;
      case Expr::Kind::kLiteral: return "literal";
      case Expr::Kind::kNow: return "now";
      case Expr::Kind::kCall: return e.name;
      case Expr::Kind::kAggregate: return e.name;
      case Expr::Kind::kAliasRef: return e.name;
    }
    return "";
  }

  ResultField field_for(const std::string& name, const Expr& e, const ExprType& t) {
    ResultField f;
    f.name = name;
    if (t.kind == ExprType::Kind::kNode) {
      f.kind = "object";
      f.nullable = false;
      return f;
    }
    f.kind = value_kind(t.value);
    if (t.value.list) {
      ValueType el = element_of(t.value);
      f.item_kind = value_kind(el);
      if (el.scalar == ScalarKind::kVector) f.vector_dim = el.vector_dim;
    } else if (t.value.scalar == ScalarKind::kVector) {
      f.vector_dim = t.value.vector_dim;
    }
    switch (e.kind) {
      case Expr::Kind::kProperty:
      case Expr::Kind::kVariable:
      case Expr::Kind::kAggregate: f.nullable = t.value.nullable; break;
      case Expr::Kind::kAliasRef: f.nullable = t.value.nullable; break;
      default: f.nullable = false;
    }
    return f;
  }

  void check_projections(Scope& scope) {
    auto& projections = q_.read.projections;
    for (const auto& p : projections)
      if (p.expr.kind == Expr::Kind::kAggregate) aggregate_query_ = true;
    for (auto& p : projections) {
      if (aggregate_query_ && p.expr.kind != Expr::Kind::kAggregate && p.expr.kind != Expr::Kind::kProperty &&
          p.expr.kind != Expr::Kind::kVariable)
        fail("T9", "non-aggregate expressions in an aggregate query must be property accesses or variables", p.offset);
      ExprType t = type_expr(p.expr, scope, ExprContext::kProjection);
      if (is_blob(t)) blob_read(p.expr);
      std::string name = p.alias ? *p.alias : descriptor_name(p.expr);
      fields_.push_back(field_for(name, p.expr, t));
      if (p.alias) {
        aliases_[*p.alias] = t;
        alias_exprs_[*p.alias] = &p.expr;
      }
    }
  }

  static bool contains_call(const Expr& e, std::string_view fn) {
    if (e.kind == Expr::Kind::kCall && e.name == fn) return true;
    for (const auto& a : e.args)
      if (contains_call(a, fn)) return true;
    return false;
  }

  void check_order(Scope& scope) {
    auto& order = q_.read.order;
    bool standalone_nearest = false;
    bool alias_ordering = false;
    for (size_t i = 0; i < order.size(); ++i) {
      Ordering& o = order[i];
      Expr& e = o.expr;
      if (e.kind == Expr::Kind::kCall && (e.name == "nearest" || e.name == "bm25" || e.name == "rrf")) {
        std::string_view code = e.name == "nearest" ? "T15" : e.name == "bm25" ? "T20" : "T21";
        if (i != 0) fail(code, e.name + " ordering must be the first `order` entry", o.offset);
        type_expr(e, scope, ExprContext::kOrder);
        if (e.name == "nearest") {
          standalone_nearest = true;
          if (!q_.read.limit) fail("T17", "nearest ordering requires a limit clause", o.offset);
        }
        if (e.name == "rrf" && !q_.read.limit) fail("T21", "rrf ordering requires a limit clause", o.offset);
        continue;
      }
      if (e.kind == Expr::Kind::kAliasRef) {
        auto it = aliases_.find(e.name);
        if (it == aliases_.end()) fail("", "unknown alias `" + e.name + "` in order", e.offset);
        e.type = it->second;
        alias_ordering = true;
        const Expr* target = alias_exprs_.at(e.name);
        if (is_blob(it->second)) blob_read(e);
        if (contains_call(*target, "rrf") && !q_.read.limit) fail("T21", "rrf ordering requires a limit clause", o.offset);
        if (it->second.kind == ExprType::Kind::kNode)
          fail("", "ordering by alias `" + e.name + "` of a node variable is not supported; order by a property", e.offset);
        if (it->second.value.list || it->second.value.is_vector())
          fail("", "ordering by list or vector alias `" + e.name + "` is not supported", e.offset);
        continue;
      }
      if (e.kind == Expr::Kind::kProperty) {
        ExprType t = type_expr(e, scope, ExprContext::kOrder);
        if (is_blob(t)) blob_read(e);
        if (t.value.list || t.value.is_vector())
          fail("", "ordering by list or vector property `$" + e.var + "." + e.name + "` is not supported", e.offset);
        if (aggregate_query_) {
          bool is_key = false;
          for (const auto& p : q_.read.projections)
            if (!p.alias && p.expr.kind == Expr::Kind::kProperty && p.expr.var == e.var && p.expr.name == e.name)
              is_key = true;
          if (!is_key)
            fail("", "in an aggregate query, order by an alias or an unaliased group-key property; `$" + e.var + "." +
                         e.name + "` is not a result column",
                 e.offset);
        }
        continue;
      }
      if (e.kind == Expr::Kind::kVariable && param(e.var)) {
        ExprType t = type_expr(e, scope, ExprContext::kOrder);
        if (is_blob(t)) blob_read(e);
      }
      fail("", "unsupported ordering expression; order by a property access, an alias, or nearest/bm25/rrf first", e.offset);
    }
    if (standalone_nearest && alias_ordering)
      fail("T18", "alias-based ordering is not supported together with nearest in phase 1", order[0].offset);
  }

  // ---------------------------------------------------------------- mutations
  void check_mutation(MutationStmt& m) {
    const TypeDef* type = cat_.find_node(m.type_name);
    if (!type) {
      type = cat_.find_edge(m.type_name);
      if (!type) type = cat_.find_edge_folded(m.type_name);
    }
    if (!type) fail("T10", "unknown node/edge type `" + m.type_name + "`", m.type_offset);
    m.is_edge = type->kind == DeclKind::kEdge;
    m.type_name = type->name;
    if (m.kind == MutationStmt::Kind::kUpdate && m.is_edge)
      fail("T16", "update mutation for edge type `" + type->name + "` is not supported", m.offset);
    read_fact(type->kind, type->name);
    write_fact(type->kind, type->name);
    if (m.is_edge && m.kind == MutationStmt::Kind::kInsert) {
      read_fact(DeclKind::kNode, type->source);
      read_fact(DeclKind::kNode, type->target);
    }
    if (!m.is_edge && m.kind == MutationStmt::Kind::kDelete) {
      for (const TypeDef* e : cat_.edges_touching(type->name)) {
        read_fact(DeclKind::kEdge, e->name);
        write_fact(DeclKind::kEdge, e->name);
      }
    }
    if (m.kind != MutationStmt::Kind::kDelete && m.assignments.empty())
      fail("T10", "mutation on `" + type->name + "` has no assignments", m.offset);

    ValueType string_type = scalar_type(ScalarKind::kString);
    std::set<std::string> assigned;
    for (auto& a : m.assignments) {
      if (!assigned.insert(a.prop).second) fail("T13", "duplicate assignment for property `" + a.prop + "`", a.offset);
      bool endpoint = m.is_edge && (a.prop == "from" || a.prop == "to");
      const Property* p = endpoint ? nullptr : type->find_property(a.prop);
      if (!p && !endpoint) fail("T11", "type `" + type->name + "` has no property `" + a.prop + "`", a.offset);
      const ValueType& pt = endpoint ? string_type : p->type;
      check_mutation_value(a.prop, pt, a.value, true);
    }
    if (m.kind == MutationStmt::Kind::kInsert) {
      if (m.is_edge) {
        for (const char* end : {"from", "to"})
          if (!assigned.count(end))
            fail("T12", "insert for `" + type->name + "` must provide required endpoint `" + end + "`", m.offset);
      }
      for (const auto& p : type->properties) {
        if (p.type.nullable || assigned.count(p.name)) continue;
        if (m.is_edge && (p.name == "from" || p.name == "to")) continue;
        if (p.embed_source) {
          if (assigned.count(*p.embed_source)) continue;
          fail("T12", "insert for `" + type->name + "` must provide non-nullable property `" + p.name + "` or @embed source `" +
                          *p.embed_source + "`",
               m.offset);
        }
        fail("T12", "insert for `" + type->name + "` must provide non-nullable property `" + p.name + "`", m.offset);
      }
    }
    if (m.where) {
      Predicate& w = *m.where;
      bool endpoint = m.is_edge && (w.prop == "from" || w.prop == "to");
      const Property* p = endpoint ? nullptr : type->find_property(w.prop);
      if (!p && !endpoint) fail("T11", "type `" + type->name + "` has no property `" + w.prop + "`", w.offset);
      if (p && p->type.scalar == ScalarKind::kBlob && !p->type.list)
        fail("T11", "blob property `" + w.prop + "` cannot be used in WHERE predicates", w.offset);
      const ValueType& pt = endpoint ? string_type : p->type;
      if (pt.list && w.value.kind == Value::Kind::kLiteral && w.value.literal.kind != Literal::Kind::kList)
        fail("T7", "list comparisons in filters are not supported; use `contains` for list membership", w.offset);
      check_mutation_value(w.prop, pt, w.value, false);
    }
  }

  void check_mutation_value(const std::string& prop, const ValueType& pt, Value& v, bool assignment) {
    switch (v.kind) {
      case Value::Kind::kLiteral: check_literal_for_property(prop, pt, v.literal, false); break;
      case Value::Kind::kNow:
        check_value_type_for_property(prop, pt, scalar_type(ScalarKind::kDateTime), v.offset, assignment, false);
        break;
      case Value::Kind::kVariable: {
        const ValueType* t = param(v.var);
        if (!t) fail("T14", "mutation variable `$" + v.var + "` must be a declared query parameter", v.offset);
        check_value_type_for_property(prop, pt, *t, v.offset, assignment, false);
        break;
      }
    }
  }

  QueryDecl& q_;
  const Catalog& cat_;
  std::string_view src_;
  std::map<std::string, ValueType> params_;
  std::set<std::pair<int, std::string>> reads_, writes_;
};

}  // namespace

CheckedQuery typecheck_query(QueryDecl& query, const Catalog& catalog, std::string_view source) {
  return Checker(query, catalog, source).run();
}

}  // namespace omnigraph::compiler
