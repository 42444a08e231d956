// Mutation statements over a WriteTxn: insert (keyed upsert / strict generated ids), update,
// delete with edge cascades; published as one commit through Graph::write.
#include "engine/mutation/mutation_executor.h"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "compiler/lowering.h"
#include "engine/exec/executor.h"
#include "engine/exec/value_ops.h"
#include "engine/key_id.h"

namespace omnigraph::engine::mutation {

using compiler::ScalarKind;
using compiler::ir::Expr;
using compiler::ir::Statement;

namespace {

[[noreturn]] void fail(std::string message) {
  throw Error::bad_request(std::move(message));
}

Value eval_value(const Expr& e, const std::map<std::string, Value>& params, int64_t now_ms) {
  switch (e.kind) {
    case Expr::Kind::kConst:
      return exec::literal_value(e.constant);
    case Expr::Kind::kNow:
      return Value{now_ms};
    case Expr::Kind::kParam: {
      auto it = params.find(e.name);
      if (it == params.end()) fail("parameter '" + e.name + "' not provided");
      return it->second;
    }
    default:
      fail("unsupported value expression in mutation");
  }
}

// Converts a scalar to the property's stored representation with the range checks of §6.9.
Value coerce_scalar(const Value& v, ScalarKind kind, const std::string& prop) {
  if (v.is_null()) return v;
  auto as_int = [&](auto lo, auto hi, const char* range) -> Value {
    if (const auto* i = std::get_if<int64_t>(&v.v)) {
      if (*i < static_cast<int64_t>(lo) ||
          (hi <= static_cast<uint64_t>(INT64_MAX) && *i > static_cast<int64_t>(hi)))
        fail("integer value " + std::to_string(*i) + " exceeds " + range + " range");
      if (lo >= 0) return Value{static_cast<uint64_t>(*i)};
      return v;
    }
    if (const auto* u = std::get_if<uint64_t>(&v.v)) {
      if (*u > static_cast<uint64_t>(hi))
        fail("integer value " + std::to_string(*u) + " exceeds " + range + " range");
      if (lo >= 0) return v;
      return Value{static_cast<int64_t>(*u)};
    }
    fail("property '" + prop + "' expects an integer");
  };
  switch (kind) {
    case ScalarKind::kI32:
      return as_int(int64_t{INT32_MIN}, uint64_t{INT32_MAX}, "Int32");
    case ScalarKind::kI64:
      return as_int(int64_t{INT64_MIN}, uint64_t{INT64_MAX}, "Int64");
    case ScalarKind::kU32:
      return as_int(int64_t{0}, uint64_t{UINT32_MAX}, "UInt32");
    case ScalarKind::kU64:
      return as_int(int64_t{0}, uint64_t{UINT64_MAX}, "UInt64");
    case ScalarKind::kF32:
    case ScalarKind::kF64: {
      double d = 0;
      if (const auto* i = std::get_if<int64_t>(&v.v))
        d = static_cast<double>(*i);
      else if (const auto* u = std::get_if<uint64_t>(&v.v))
        d = static_cast<double>(*u);
      else if (const auto* x = std::get_if<double>(&v.v))
        d = *x;
      else
        fail("property '" + prop + "' expects a number");
      if (!std::isfinite(d)) fail("non-finite float value for property '" + prop + "'");
      if (kind == ScalarKind::kF32) {
        if (std::fabs(d) > static_cast<double>(std::numeric_limits<float>::max()))
          fail("float value " + std::to_string(d) + " exceeds Float32 range");
        d = static_cast<double>(static_cast<float>(d));
      }
      return Value{d};
    }
    default:
      return v;
  }
}

Value coerce(const Value& v, const compiler::Property& p) {
  if (v.is_null()) return v;
  if (p.type.scalar == ScalarKind::kBlob)
    fail("blob property '" + p.name + "' cannot be assigned by a mutation yet");
  if (p.type.is_vector()) {
    if (std::holds_alternative<std::vector<float>>(v.v)) return v;
    std::vector<float> lanes;
    if (const auto* l = std::get_if<ValueList>(&v.v)) {
      for (const auto& e : *l) {
        Value d = coerce_scalar(e, ScalarKind::kF32, p.name);
        lanes.push_back(static_cast<float>(std::get<double>(d.v)));
      }
    }
    if (lanes.size() != p.type.vector_dim)
      fail("property '" + p.name + "' has type Vector(" + std::to_string(p.type.vector_dim) + ") but got " +
           std::to_string(lanes.size()) + " elements");
    return Value{std::move(lanes)};
  }
  if (p.type.list) {
    const auto* l = std::get_if<ValueList>(&v.v);
    if (!l) fail("property '" + p.name + "' expects a list");
    ValueList out;
    for (const auto& e : *l) out.push_back(coerce_scalar(e, p.type.scalar, p.name));
    return Value{std::move(out)};
  }
  return coerce_scalar(v, p.type.scalar, p.name);
}

// The value a predicate's target reads from an entity.
Value entity_field(const Entity& e, const compiler::TypeDef& type, const Expr& target) {
  if (target.kind == Expr::Kind::kPhysical) {
    if (target.property == "src") return Value{e.src};
    if (target.property == "dst") return Value{e.dst};
    return Value{e.id};
  }
  for (size_t i = 0; i < type.properties.size(); ++i)
    if (type.properties[i].name == target.property) return i < e.values.size() ? e.values[i] : Value{};
  fail("type `" + type.name + "` has no property `" + target.property + "`");
}

bool matches(const Statement& s, const Entity& e, const compiler::TypeDef& type,
             const std::map<std::string, Value>& params, int64_t now_ms) {
  if (!s.predicate) return true;
  const Expr& p = *s.predicate;
  return exec::apply_compare(p.op, entity_field(e, type, p.args[0]), eval_value(p.args[1], params, now_ms));
}

size_t property_index(const compiler::TypeDef& type, const std::string& name) {
  for (size_t i = 0; i < type.properties.size(); ++i)
    if (type.properties[i].name == name) return i;
  fail("T11: type `" + type.name + "` has no property `" + name + "`");
}

const compiler::TypeDef& resolve_type(const compiler::Catalog& cat, const Statement& s) {
  const compiler::TypeDef* t = s.is_edge ? cat.find_edge(s.type_name) : cat.find_node(s.type_name);
  if (!t) fail("T10: unknown " + std::string(s.is_edge ? "edge" : "node") + " type `" + s.type_name + "`");
  return *t;
}

}  // namespace

StatementCounts stage_mutation(const compiler::ir::QueryPlan& plan,
                               const std::map<std::string, Value>& params, int64_t now_ms, WriteTxn& txn,
                               uint64_t max_entities) {
  StatementCounts counts;
  auto check_limit = [&](uint64_t more) {
    uint64_t actual = counts.nodes + counts.edges + more;
    if (actual > max_entities)
      throw Error(ErrorCode::kBadRequest,
                  "mutation touches " + std::to_string(actual) + " entities, over the limit of " +
                      std::to_string(max_entities),
                  ResourceLimitDetail{"mutation_entities", max_entities, actual});
  };
  const compiler::Catalog& cat = txn.base().catalog();
  for (const Statement& s : plan.statements) {
    const compiler::TypeDef& type = resolve_type(cat, s);
    switch (s.kind) {
      case Statement::Kind::kInsert: {
        Entity e;
        e.values.assign(type.properties.size(), Value{});
        for (const auto& a : s.assignments) {
          Value v = eval_value(a.value, params, now_ms);
          if (s.is_edge && (a.property == "from" || a.property == "to")) {
            const auto* id = std::get_if<std::string>(&v.v);
            if (!id) fail("edge " + type.name + " endpoint '" + a.property + "' must be a non-null node id");
            (a.property == "from" ? e.src : e.dst) = *id;
            continue;
          }
          size_t i = property_index(type, a.property);
          e.values[i] = coerce(v, type.properties[i]);
        }
        for (size_t i = 0; i < type.properties.size(); ++i)
          if (e.values[i].is_null() && !type.properties[i].type.nullable)
            fail("missing required property '" + type.properties[i].name + "'");
        if (s.is_edge) {
          e.id = new_ulid();
          ++counts.edges;
        } else {
          e.id = type.key_properties().empty() ? new_ulid() : derive_key_id(type, e.values);
          ++counts.nodes;
        }
        check_limit(0);
        txn.put(type, std::move(e));
        break;
      }
      case Statement::Kind::kUpdate: {
        if (s.is_edge) fail("T16: update mutation for edge type `" + type.name + "` is not supported");
        auto keys = type.key_properties();
        std::vector<std::pair<size_t, Value>> sets;
        for (const auto& a : s.assignments) {
          for (const auto& k : keys)
            if (k == a.property)
              fail("cannot update @key property '" + k + "' — delete and re-insert instead");
          size_t i = property_index(type, a.property);
          Value v = coerce(eval_value(a.value, params, now_ms), type.properties[i]);
          if (v.is_null() && !type.properties[i].type.nullable)
            fail("missing required property '" + type.properties[i].name + "'");
          sets.emplace_back(i, std::move(v));
        }
        std::vector<Entity> hits;
        txn.for_each(type, [&](const Entity& e) {
          if (matches(s, e, type, params, now_ms)) hits.push_back(e);
        });
        check_limit(hits.size());
        for (auto& e : hits) {
          e.values.resize(type.properties.size());
          for (const auto& [i, v] : sets) e.values[i] = v;
          txn.put(type, std::move(e));
        }
        counts.nodes += hits.size();
        break;
      }
      case Statement::Kind::kDelete: {
        std::vector<std::string> ids;
        txn.for_each(type, [&](const Entity& e) {
          if (matches(s, e, type, params, now_ms)) ids.push_back(e.id);
        });
        check_limit(ids.size());
        std::set<std::string> deleted;
        for (const auto& id : ids)
          if (txn.remove(type, id)) deleted.insert(id);
        if (s.is_edge) {
          counts.edges += deleted.size();
          break;
        }
        counts.nodes += deleted.size();
        if (deleted.empty()) break;
        for (const compiler::TypeDef* edge : cat.edges_touching(type.name)) {
          std::vector<std::string> cascade;
          txn.for_each(*edge, [&](const Entity& e) {
            if ((edge->source == type.name && deleted.count(e.src)) ||
                (edge->target == type.name && deleted.count(e.dst)))
              cascade.push_back(e.id);
          });
          check_limit(cascade.size());
          for (const auto& id : cascade)
            if (txn.remove(*edge, id)) ++counts.edges;
        }
        break;
      }
    }
  }
  return counts;
}

MutationOutcome run_mutation(Graph& graph, std::string_view source, std::string_view name,
                             const nlohmann::json& params, const MutationOptions& options) {
  auto snap = graph.snapshot(ReadTarget{options.branch, std::nullopt});
  compiler::CompiledQuery q = compiler::compile_query(source, snap->catalog(), name);
  if (!q.plan.is_mutation) fail("query '" + q.plan.name + "' is a read query; use `omnigraph query`");
  compiler::check_mutation_mixing(q.plan);
  std::map<std::string, Value> values = exec::bind_param_values(q.plan.params, params);
  const int64_t now_ms = now_epoch_ms();
  bool all_insert = true;
  for (const auto& s : q.plan.statements) all_insert = all_insert && s.kind == Statement::Kind::kInsert;

  MutationOutcome out;
  out.query_name = q.plan.name;
  out.branch = options.branch;
  out.actor = options.actor;
  Graph::WriteOptions w;
  w.branch = options.branch;
  w.actor = options.actor;
  w.reprepare = all_insert;
  w.commit_if_empty = false;
  w.expected_head = options.expected_head;
  StatementCounts counts;
  out.commit = graph.write(w, [&](const GraphSnapshot& base, WriteTxn& txn) {
    if (options.on_prepare) options.on_prepare();
    if (&base.catalog() != &snap->catalog() && base.schema_source() != snap->schema_source())
      throw Error::conflict("the schema changed while the mutation was prepared; retry");
    counts = stage_mutation(q.plan, values, now_ms, txn, options.max_entities);
  });
  out.affected_nodes = counts.nodes;
  out.affected_edges = counts.edges;
  return out;
}

}  // namespace omnigraph::engine::mutation
