// WriteTxnImpl::validate: data-plane §2.7 over the staged delta against the base snapshot —
// value checks (nullability, enum, @range, @check), @key/@unique groups, edge referential
// integrity and @card. validate() reports the first violation as bad_request; violations()
// collects up to a bound (merge, §7.4).
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "engine/key_id.h"
#include "engine/write_txn_impl.h"

namespace omnigraph::engine {

// Receives the violations of one check run: either throws the first as bad_request
// (validate) or collects up to `max` and then stops the run by throwing Full (violations).
class ViolationSink {
 public:
  struct Full {};
  ViolationSink(size_t max, bool throw_first) : max_(max), throw_first_(throw_first) {}

  void report(Violation::Kind kind, const compiler::TypeDef& type, std::optional<std::string> entity_id,
              std::string message) {
    if (throw_first_) throw Error(ErrorCode::kBadRequest, std::move(message));
    if (out_.items.size() >= max_) {
      out_.truncated = true;
      throw Full{};
    }
    out_.items.push_back({kind, &type, std::move(entity_id), std::move(message)});
  }
  Violations take() { return std::move(out_); }

 private:
  size_t max_;
  bool throw_first_;
  Violations out_;
};

namespace {

// A schema defect, not a data violation: always thrown.
[[noreturn]] void fail(std::string message) { throw Error(ErrorCode::kBadRequest, std::move(message)); }

void value_violation(ViolationSink& sink, const compiler::TypeDef& type, std::string message) {
  sink.report(Violation::Kind::kValue, type, std::nullopt, std::move(message));
}

std::string join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

std::optional<double> as_number(const Value& v) {
  if (auto* i = std::get_if<int64_t>(&v.v)) return static_cast<double>(*i);
  if (auto* u = std::get_if<uint64_t>(&v.v)) return static_cast<double>(*u);
  if (auto* d = std::get_if<double>(&v.v)) return *d;
  return std::nullopt;
}

std::string render_number(const Value& v, const compiler::ValueType& t) {
  if (auto* d = std::get_if<double>(&v.v); d && !std::isfinite(*d)) return std::isnan(*d) ? "NaN" : (*d > 0 ? "inf" : "-inf");
  compiler::ValueType scalar = t;
  scalar.list = false;
  return render_key_component(v, scalar).value_or("?");
}

void check_enum(const compiler::TypeDef& type, const compiler::Property& p, const Value& v,
                ViolationSink& sink) {
  auto check_one = [&](const Value& e) {
    auto* s = std::get_if<std::string>(&e.v);
    if (!s) return;
    if (!std::binary_search(p.type.enum_values.begin(), p.type.enum_values.end(), *s))
      value_violation(sink, type, "invalid enum value '" + *s + "' for " + type.name + "." + p.name +
           " (expected: " + join(p.type.enum_values, ", ") + ")");
  };
  if (auto* l = std::get_if<ValueList>(&v.v)) {
    for (const auto& e : *l) check_one(e);
  } else {
    check_one(v);
  }
}

struct RegexCache {
  std::unordered_map<std::string, std::regex> compiled;
  const std::regex& get(const std::string& pattern) {
    auto it = compiled.find(pattern);
    if (it != compiled.end()) return it->second;
    try {
      return compiled.emplace(pattern, std::regex(pattern, std::regex::ECMAScript)).first->second;
    } catch (const std::regex_error& e) {
      fail("@check pattern '" + pattern + "' is not a valid regular expression: " + e.what());
    }
  }
};

// Value checks of one staged entity.
void check_values(const compiler::TypeDef& type, const Entity& e, RegexCache& regexes, ViolationSink& sink) {
  for (size_t i = 0; i < type.properties.size(); ++i) {
    const auto& p = type.properties[i];
    const Value& v = e.values[i];
    if (v.is_null()) {
      if (!p.type.nullable)
        value_violation(sink, type, "non-nullable property '" + p.name + "' has null or invalid values");
      continue;
    }
    if (p.type.is_enum()) check_enum(type, p, v, sink);
  }
  if (type.kind != compiler::DeclKind::kNode) return;
  for (const auto& c : type.constraints) {
    if (c.kind != compiler::ConstraintKind::kRange && c.kind != compiler::ConstraintKind::kCheck) continue;
    if (c.properties.empty()) continue;
    const auto* p = type.find_property(c.properties[0]);
    if (!p) continue;
    const Value& v = e.values[static_cast<size_t>(p - type.properties.data())];
    if (v.is_null()) continue;
    if (c.kind == compiler::ConstraintKind::kRange) {
      auto check_one = [&](const Value& x) {
        auto d = as_number(x);
        if (!d) return;
        std::string where = "@range violation on " + type.name + "." + p->name + ": value " + render_number(x, p->type);
        if (std::isnan(*d))
          value_violation(sink, type, where + " is NaN");
        else if (c.range_min && *d < *c.range_min)
          value_violation(sink, type, where + " < min " + c.range_min_text);
        else if (c.range_max && *d > *c.range_max)
          value_violation(sink, type, where + " > max " + c.range_max_text);
      };
      if (auto* l = std::get_if<ValueList>(&v.v)) {
        for (const auto& x : *l) check_one(x);
      } else {
        check_one(v);
      }
    } else {
      const std::regex& re = regexes.get(c.pattern);
      auto check_one = [&](const Value& x) {
        auto* s = std::get_if<std::string>(&x.v);
        if (s && !std::regex_search(*s, re))
          value_violation(sink, type, "@check violation on " + type.name + "." + p->name + ": value '" + *s + "' does not match pattern '" +
               c.pattern + "'");
      };
      if (auto* l = std::get_if<ValueList>(&v.v)) {
        for (const auto& x : *l) check_one(x);
      } else {
        check_one(v);
      }
    }
  }
}

// The tuple of a @key/@unique group for an entity; nullopt if any component is null.
std::optional<std::string> group_tuple(const compiler::TypeDef& type, const std::vector<std::string>& props,
                                       const Entity& e) {
  std::string out;
  for (size_t k = 0; k < props.size(); ++k) {
    std::optional<std::string> part;
    if (props[k] == "src") {
      part = e.src;
    } else if (props[k] == "dst") {
      part = e.dst;
    } else {
      const auto* p = type.find_property(props[k]);
      if (!p) return std::nullopt;
      const Value& v = e.values[static_cast<size_t>(p - type.properties.data())];
      if (v.is_null()) return std::nullopt;
      if (v.v.index() == 6 || v.v.index() == 7) {  // list / vector: compare structurally by rendering
        part = "";
        if (auto* l = std::get_if<ValueList>(&v.v))
          for (const auto& x : *l) part->append(render_key_component(x, {}).value_or("") + "\x1f");
      } else {
        compiler::ValueType scalar = p->type;
        part = render_key_component(v, scalar);
        if (!part) return std::nullopt;
      }
    }
    if (k) out += ", ";
    out += *part;
  }
  return props.size() > 1 ? "(" + out + ")" : out;
}

std::string group_label(const compiler::TypeDef& type, const std::vector<std::string>& props) {
  return props.size() > 1 ? type.name + ".(" + join(props, ", ") + ")" : type.name + "." + props[0];
}

}  // namespace

void WriteTxnImpl::validate() const {
  ViolationSink sink(1, /*throw_first=*/true);
  check_delta(sink);
}

Violations WriteTxnImpl::violations(size_t max) const {
  ViolationSink sink(std::max<size_t>(max, 1), /*throw_first=*/false);
  try {
    check_delta(sink);
  } catch (const ViolationSink::Full&) {
  }
  return sink.take();
}

void WriteTxnImpl::check_delta(ViolationSink& sink) const {
  RegexCache regexes;
  // 1. Value checks over every staged entity.
  for (const auto& [tid, s] : stages_)
    for (size_t i = 0; i < s.puts.size(); ++i)
      if (s.alive[i]) check_values(*s.type, s.puts[i], regexes, sink);

  // 2. @key / @unique groups: staged vs staged (distinct ids), staged vs surviving base.
  for (const auto& [tid, s] : stages_) {
    const auto& type = *s.type;
    for (const auto& c : type.constraints) {
      if (c.kind != compiler::ConstraintKind::kKey && c.kind != compiler::ConstraintKind::kUnique) continue;
      if (c.properties.empty()) continue;
      // A keyed node's id is the canonical rendering of its key tuple, so distinct ids hold
      // distinct tuples and re-upserting one id is not a violation: @key needs no scan here
      // (duplicates inside one load are reported by the loader, §2.5).
      if (c.kind == compiler::ConstraintKind::kKey && type.kind == compiler::DeclKind::kNode) continue;
      std::unordered_map<std::string, const std::string*> holders;  // tuple -> id
      for (size_t i = 0; i < s.puts.size(); ++i) {
        if (!s.alive[i]) continue;
        auto tuple = group_tuple(type, c.properties, s.puts[i]);
        if (!tuple) continue;
        auto [it, inserted] = holders.emplace(*tuple, &s.puts[i].id);
        if (!inserted && *it->second != s.puts[i].id)
          sink.report(Violation::Kind::kUnique, type, s.puts[i].id,
                      "@unique violation on " + group_label(type, c.properties) + ": value '" + *tuple +
                          "' held by '" + *it->second + "' and '" + s.puts[i].id + "'");
      }
      if (holders.empty() || s.cleared_base) continue;
      const auto& table = base_->table_impl(type);
      if (table.row_count() == 0) continue;
      const auto& ids = table.column("id");
      for (uint64_t r = 0; r < table.row_count(); ++r) {
        std::string id(ids.bytes_at(r));
        if (s.has(id) || s.removed_base.count(id)) continue;  // rewritten or deleted
        Entity e;
        e.id = id;
        if (type.kind == compiler::DeclKind::kEdge) {
          e.src = std::string(table.column("src").bytes_at(r));
          e.dst = std::string(table.column("dst").bytes_at(r));
        }
        e.values.resize(type.properties.size());
        for (const auto& name : c.properties) {
          const auto* p = type.find_property(name);
          if (p) e.values[static_cast<size_t>(p - type.properties.data())] = table.value(r, name);
        }
        auto tuple = group_tuple(type, c.properties, e);
        if (!tuple) continue;
        auto it = holders.find(*tuple);
        if (it != holders.end() && *it->second != id)
          sink.report(Violation::Kind::kUnique, type, *it->second,
                      "@unique violation on " + group_label(type, c.properties) + ": value '" + *tuple +
                          "' held by '" + id + "' and '" + *it->second + "'");
      }
    }
  }

  // 3. Edges: referential integrity and @card.
  const auto& catalog = base_->catalog();
  auto node_exists = [&](const compiler::TypeDef& node, const std::string& id) {
    return exists(node, id);
  };
  // Node ids removed by this write and not re-staged, per node type name.
  std::map<std::string, std::unordered_set<std::string>> removed_nodes;
  std::set<std::string> cleared_nodes;
  for (const auto& [tid, s] : stages_) {
    if (s.type->kind != compiler::DeclKind::kNode) continue;
    if (s.cleared_base) {
      cleared_nodes.insert(s.type->name);
      continue;
    }
    for (const auto& id : s.removed_base)
      if (!s.has(id)) removed_nodes[s.type->name].insert(id);
  }
  for (const auto& edge : catalog.edges) {
    const auto* src_type = catalog.find_node(edge.source);
    const auto* dst_type = catalog.find_node(edge.target);
    if (!src_type || !dst_type) continue;
    const TypeStage* s = find_stage(edge);
    bool endpoints_changed = removed_nodes.count(edge.source) || removed_nodes.count(edge.target) ||
                             cleared_nodes.count(edge.source) || cleared_nodes.count(edge.target);
    if (!s && !endpoints_changed) continue;
    std::unordered_set<std::string> touched_sources;
    // Inputs are often grouped by source: remember the last endpoint found on each side.
    std::string last_src, last_dst;
    bool have_src = false, have_dst = false;
    // One violation per edge at most (a missing src hides a missing dst).
    auto check_edge = [&](const Entity& e) {
      if (!(have_src && e.src == last_src)) {
        if (!node_exists(*src_type, e.src)) {
          sink.report(Violation::Kind::kReferential, edge, e.id,
                      "src '" + e.src + "' not found in " + src_type->name);
          return;
        }
        last_src = e.src;
        have_src = true;
      }
      if (!(have_dst && e.dst == last_dst)) {
        if (!node_exists(*dst_type, e.dst)) {
          sink.report(Violation::Kind::kReferential, edge, e.id,
                      "dst '" + e.dst + "' not found in " + dst_type->name);
          return;
        }
        last_dst = e.dst;
        have_dst = true;
      }
    };
    const bool has_card = edge.card_min > 0 || edge.card_max.has_value();
    if (s) {
      // Endpoint lookups are cache misses on big loads: prefetch a few edges ahead.
      const TypeStage* dst_stage = find_stage(*dst_type);
      if (dst_stage) dst_stage->flush();
      const size_t n = s->puts.size();
      for (size_t i = 0; i < n; ++i) {
        if (dst_stage) {
          if (i + 16 < n) dst_stage->index.prefetch_entry(s->puts[i + 16].dst);
          if (i + 8 < n) dst_stage->index.prefetch_target(s->puts[i + 8].dst, dst_stage->puts);
        }
        if (!s->alive[i]) continue;
        check_edge(s->puts[i]);
        if (has_card) touched_sources.insert(s->puts[i].src);
      }
    }
    // Surviving base edges must still find their endpoints when nodes were removed; removed
    // base edges touch their old source for @card.
    const auto& table = base_->table_impl(edge);
    if (table.row_count() > 0 && (endpoints_changed || (s && (!s->removed_base.empty() || s->cleared_base)))) {
      const auto& ids = table.column("id");
      const auto& srcs = table.column("src");
      const auto& dsts = table.column("dst");
      for (uint64_t r = 0; r < table.row_count(); ++r) {
        std::string id(ids.bytes_at(r));
        bool visible = base_visible(s, id) && !(s && s->has(id));
        if (!visible) {
          if (has_card) touched_sources.insert(std::string(srcs.bytes_at(r)));
          continue;
        }
        if (!endpoints_changed) continue;
        Entity e;
        e.id = std::move(id);
        e.src = std::string(srcs.bytes_at(r));
        e.dst = std::string(dsts.bytes_at(r));
        check_edge(e);
      }
    }
    if (has_card && !touched_sources.empty()) {
      std::unordered_map<std::string, uint64_t> counts;
      for (const auto& src : touched_sources) counts[src] = 0;
      for_each(edge, [&](const Entity& e) {
        auto it = counts.find(e.src);
        if (it != counts.end()) ++it->second;
      });
      std::vector<std::string> sorted(touched_sources.begin(), touched_sources.end());
      std::sort(sorted.begin(), sorted.end());
      for (const auto& src : sorted) {
        if (!node_exists(*src_type, src)) continue;  // the source itself is gone
        uint64_t n = counts[src];
        if (n < edge.card_min)
          sink.report(Violation::Kind::kCardinality, edge, std::nullopt,
                      "@card violation on edge " + edge.name + ": source '" + src + "' has " + std::to_string(n) +
                          " edges (min " + std::to_string(edge.card_min) + ")");
        else if (edge.card_max && n > *edge.card_max)
          sink.report(Violation::Kind::kCardinality, edge, std::nullopt,
                      "@card violation on edge " + edge.name + ": source '" + src + "' has " + std::to_string(n) +
                          " edges (max " + std::to_string(*edge.card_max) + ")");
      }
    }
  }
}

}  // namespace omnigraph::engine
