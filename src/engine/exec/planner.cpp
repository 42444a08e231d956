// Physical planning of the match pipeline: filter placement and pushdown, key probes first.
#include "engine/exec/planner.h"

#include <algorithm>
#include <map>
#include <set>

#include "engine/exec/scalar_index_probe.h"

namespace omnigraph::engine::exec {

using compiler::ir::Expr;
using compiler::ir::Op;

namespace {

void collect_vars(const Expr& e, std::set<std::string>& out) {
  if ((e.kind == Expr::Kind::kProperty || e.kind == Expr::Kind::kPhysical) && !e.var.empty())
    out.insert(e.var);
  for (const auto& a : e.args) collect_vars(a, out);
}

bool is_value_expr(const Expr& e) {
  return e.kind == Expr::Kind::kConst || e.kind == Expr::Kind::kParam || e.kind == Expr::Kind::kNow;
}

// The id-probe expression if `pred` pins `var`'s id: `var.key = v` or `var.id = v`.
std::optional<Expr> lookup_of(const Expr& pred, const std::string& var, const compiler::TypeDef& type) {
  if (pred.kind != Expr::Kind::kCompare || pred.op != compiler::CompareOp::kEq || pred.args.size() != 2)
    return std::nullopt;
  auto keys = type.key_properties();
  for (int side = 0; side < 2; ++side) {
    const Expr& target = pred.args[static_cast<size_t>(side)];
    const Expr& value = pred.args[static_cast<size_t>(1 - side)];
    if (!is_value_expr(value) || target.var != var) continue;
    bool is_id = target.kind == Expr::Kind::kPhysical && target.property == "id";
    bool is_key = target.kind == Expr::Kind::kProperty && keys.size() == 1 && keys[0] == target.property &&
                  !target.type.list && !compiler::is_float(target.type.scalar);
    if (is_id || is_key) return value;
  }
  return std::nullopt;
}

bool mentions(const Op& op, const std::string& var) {
  std::set<std::string> vars;
  switch (op.kind) {
    case Op::Kind::kScan:
      return op.var == var;
    case Op::Kind::kExpand:
      return op.from_var == var || op.to_var == var || (op.edge_var && *op.edge_var == var);
    case Op::Kind::kFilter:
      collect_vars(op.predicate, vars);
      return vars.count(var) > 0;
    case Op::Kind::kAntiJoin:
      for (const auto& o : op.inner)
        if (mentions(o, var)) return true;
      return false;
  }
  return false;
}

bool filter_only_on(const Op& op, const std::string& var) {
  if (op.kind != Op::Kind::kFilter) return false;
  std::set<std::string> vars;
  collect_vars(op.predicate, vars);
  return vars.size() == 1 && *vars.begin() == var;
}

// Whether some filter of `ops` pins `var`'s id (key/id equality with a value).
bool has_probe(const std::vector<Op>& ops, const std::string& var, const compiler::TypeDef* type) {
  if (!type) return false;
  for (const auto& op : ops)
    if (op.kind == Op::Kind::kFilter && lookup_of(op.predicate, var, *type)) return true;
  return false;
}

compiler::ir::Direction reversed(compiler::ir::Direction d) {
  using compiler::ir::Direction;
  return d == Direction::kOut ? Direction::kIn : d == Direction::kIn ? Direction::kOut : Direction::kBoth;
}

// Start from the probed side of a single-hop traversal: `$f: T  …  $f edge $t` where `$t` is
// pinned by a key equality and `$f` is a plain scan becomes a probe of `$t` expanded
// backwards to `$f`. For one hop the (f, t) pairs are the same either way (set semantics per
// source and per destination coincide); multi-hop is left alone because self-loops make the
// §6.3 BFS asymmetric.
void start_from_probes(std::vector<Op>& ops, const compiler::Catalog& catalog) {
  for (size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].kind != Op::Kind::kScan) continue;
    const std::string f = ops[i].var;
    if (has_probe(ops, f, catalog.find_node(ops[i].type_name))) continue;
    size_t j = i + 1;
    while (j < ops.size() && (!mentions(ops[j], f) || filter_only_on(ops[j], f))) ++j;
    if (j == ops.size()) continue;
    Op& e = ops[j];
    if (e.kind != Op::Kind::kExpand || e.from_var != f || e.to_var.empty() || e.min_hops != 1 ||
        e.max_hops != 1)
      continue;
    const std::string t = e.to_var;
    if (!has_probe(ops, t, catalog.find_node(e.to_type))) continue;
    Op flipped = e;
    flipped.from_var = t;
    flipped.to_var = f;
    flipped.to_type = ops[i].type_name;
    flipped.to_bound = false;
    flipped.direction = reversed(e.direction);
    if (e.to_bound) {
      ops[j] = std::move(flipped);
      ops.erase(ops.begin() + static_cast<std::ptrdiff_t>(i));  // `$f` is now bound by the expand
    } else {
      Op scan;
      scan.kind = Op::Kind::kScan;
      scan.var = t;
      scan.type_name = e.to_type;
      ops[j] = std::move(flipped);
      ops[i] = std::move(scan);
    }
  }
}

}  // namespace

std::vector<PhysicalStep> plan_match(const std::vector<Op>& input, const compiler::Catalog& catalog,
                                     const std::vector<std::string>& outer_vars) {
  std::vector<Op> match = input;
  if (outer_vars.empty()) start_from_probes(match, catalog);
  // Where each variable is introduced (-1 = before the pipeline).
  std::map<std::string, int> introduced;
  for (const auto& v : outer_vars) introduced[v] = -1;
  for (size_t i = 0; i < match.size(); ++i) {
    const Op& op = match[i];
    if (op.kind == Op::Kind::kScan && !introduced.count(op.var)) introduced[op.var] = static_cast<int>(i);
    if (op.kind == Op::Kind::kExpand) {
      if (!op.to_var.empty() && !introduced.count(op.to_var)) introduced[op.to_var] = static_cast<int>(i);
      if (op.edge_var && !introduced.count(*op.edge_var)) introduced[*op.edge_var] = static_cast<int>(i);
    }
  }
  // Filters grouped by the position they can run at.
  std::map<int, std::vector<const Expr*>> filters_at;
  for (size_t i = 0; i < match.size(); ++i) {
    if (match[i].kind != Op::Kind::kFilter) continue;
    std::set<std::string> vars;
    collect_vars(match[i].predicate, vars);
    int pos = -1;
    for (const auto& v : vars) {
      auto it = introduced.find(v);
      pos = std::max(pos, it == introduced.end() ? static_cast<int>(i) : it->second);
    }
    filters_at[pos].push_back(&match[i].predicate);
  }

  std::vector<PhysicalStep> steps;
  for (const Expr* f : filters_at[-1]) {
    PhysicalStep s;
    s.kind = PhysicalStep::Kind::kFilter;
    s.predicate = *f;
    steps.push_back(std::move(s));
  }
  std::vector<std::string> bound = outer_vars;
  for (size_t i = 0; i < match.size(); ++i) {
    const Op& op = match[i];
    size_t first_filter_step = steps.size();
    switch (op.kind) {
      case Op::Kind::kScan: {
        if (std::find(bound.begin(), bound.end(), op.var) != bound.end()) break;  // rebinding
        PhysicalStep s;
        s.kind = PhysicalStep::Kind::kNodeScan;
        s.var = op.var;
        s.type_name = op.type_name;
        steps.push_back(std::move(s));
        bound.push_back(op.var);
        first_filter_step = steps.size() - 1;
        break;
      }
      case Op::Kind::kExpand: {
        PhysicalStep s;
        s.kind = PhysicalStep::Kind::kExpand;
        s.expand = op;
        steps.push_back(std::move(s));
        if (!op.to_var.empty()) bound.push_back(op.to_var);
        if (op.edge_var) bound.push_back(*op.edge_var);
        break;
      }
      case Op::Kind::kFilter:
        break;  // placed by filters_at
      case Op::Kind::kAntiJoin: {
        PhysicalStep s;
        s.kind = PhysicalStep::Kind::kAntiJoin;
        s.inner = plan_match(op.inner, catalog, bound);
        steps.push_back(std::move(s));
        break;
      }
    }
    auto it = filters_at.find(static_cast<int>(i));
    if (it == filters_at.end()) continue;
    for (const Expr* f : it->second) {
      if (op.kind == Op::Kind::kScan && first_filter_step < steps.size() &&
          steps[first_filter_step].kind == PhysicalStep::Kind::kNodeScan) {
        std::set<std::string> vars;
        collect_vars(*f, vars);
        PhysicalStep& scan = steps[first_filter_step];
        if (vars.size() == 1 && *vars.begin() == scan.var) {
          scan.filters.push_back(*f);
          continue;
        }
      }
      PhysicalStep s;
      s.kind = PhysicalStep::Kind::kFilter;
      s.predicate = *f;
      steps.push_back(std::move(s));
    }
  }
  // Index probes: a pushed key/id equality turns a scan into a lookup.
  for (auto& s : steps) {
    if (s.kind != PhysicalStep::Kind::kNodeScan) continue;
    const compiler::TypeDef* type = catalog.find_node(s.type_name);
    if (!type) continue;
    for (const auto& f : s.filters) {
      if (auto l = lookup_of(f, s.var, *type)) {
        s.lookup = std::move(*l);
        break;
      }
    }
    if (!s.lookup) s.index_filters = scalar_index_filters(s.filters, s.var, *type);
  }
  // Probed scans (with the filters that run right after them) go first: cross products
  // commute and every later step only needs its variables bound earlier.
  if (outer_vars.empty()) {
    std::vector<PhysicalStep> probes, rest;
    size_t i = 0;
    while (i < steps.size()) {
      bool probe = steps[i].kind == PhysicalStep::Kind::kNodeScan && steps[i].lookup;
      auto& dst = probe ? probes : rest;
      dst.push_back(std::move(steps[i++]));
      // Unpushed filters that directly follow a scan and read only earlier-bound vars stay
      // with the rest; they are placed after their variables' binders anyway.
    }
    if (!probes.empty()) {
      std::vector<PhysicalStep> out;
      for (auto& p : probes) out.push_back(std::move(p));
      for (auto& r : rest) out.push_back(std::move(r));
      return out;
    }
    return rest;
  }
  return steps;
}

std::string explain_physical(const std::vector<PhysicalStep>& steps, int indent) {
  std::string out;
  std::string pad(static_cast<size_t>(indent) * 2, ' ');
  for (const auto& s : steps) {
    switch (s.kind) {
      case PhysicalStep::Kind::kNodeScan:
        out += pad + (s.lookup ? "IndexLookup " : "NodeScan ") + s.var + ": " + s.type_name;
        if (!s.filters.empty()) out += " filters=" + std::to_string(s.filters.size());
        if (!s.lookup && !s.index_filters.empty()) {
          out += ' ';
          out += explain_scalar_index(s);
        }
        out += "\n";
        break;
      case PhysicalStep::Kind::kExpand: {
        const auto& e = s.expand;
        const char* dir = e.direction == compiler::ir::Direction::kOut  ? "out"
                          : e.direction == compiler::ir::Direction::kIn ? "in"
                                                                        : "both";
        out += pad + "Expand " + e.from_var + " " + e.edge_type + " " + dir + " {" +
               std::to_string(e.min_hops) + "," + std::to_string(e.max_hops) + "} -> " +
               (e.to_var.empty() ? "_" : e.to_var) + (e.to_bound ? " (bound)" : "") +
               (e.edge_var ? " edge=" + *e.edge_var : "") + "\n";
        break;
      }
      case PhysicalStep::Kind::kFilter:
        out += pad + "Filter\n";
        break;
      case PhysicalStep::Kind::kAntiJoin:
        out += pad + "AntiJoin\n" + explain_physical(s.inner, indent + 1);
        break;
    }
  }
  return out;
}

}  // namespace omnigraph::engine::exec
