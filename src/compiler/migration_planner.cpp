// Migration planning: identity matching, per-type diff in the §3.8 step order,
// unsupported-change detection, id inheritance, and step rendering (human + JSON).
#include "compiler/migration_planner.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "common/error.h"

namespace omnigraph::compiler {

namespace {

std::string kind_name(DeclKind k) { return std::string(decl_kind_name(k)); }

bool is_metadata_annotation(const Annotation& a) { return a.name == "description" || a.name == "instruction"; }

std::vector<Annotation> metadata_of(const std::vector<Annotation>& anns) {
  std::vector<Annotation> out;
  for (const auto& a : anns)
    if (is_metadata_annotation(a)) out.push_back(a);
  return out;
}

// Annotations whose change is unsupported (everything except metadata and the inert rename hint).
std::vector<Annotation> semantic_of(const std::vector<Annotation>& anns) {
  std::vector<Annotation> out;
  for (const auto& a : anns)
    if (!is_metadata_annotation(a) && a.name != "rename_from") out.push_back(a);
  return out;
}

std::optional<std::string> rename_hint(const std::vector<Annotation>& anns) {
  for (const auto& a : anns)
    if (a.name == "rename_from" && a.value) return *a.value;
  return std::nullopt;
}

const std::vector<TypeDef>& list_of(const Catalog& c, DeclKind k) {
  return k == DeclKind::kInterface ? c.interfaces : k == DeclKind::kNode ? c.nodes : c.edges;
}
std::vector<TypeDef>& list_of(Catalog& c, DeclKind k) {
  return k == DeclKind::kInterface ? c.interfaces : k == DeclKind::kNode ? c.nodes : c.edges;
}

const TypeDef* find_named(const std::vector<TypeDef>& list, const std::string& name) {
  for (const auto& t : list)
    if (t.name == name) return &t;
  return nullptr;
}

[[noreturn]] void hint_error(const std::string& message) { throw Error::bad_request("catalog error: " + message); }

class Planner {
 public:
  Planner(const Catalog& a, const Catalog& d, const MigrationOptions& o) : acc_(a), des_(d), opt_(o) {}

  MigrationPlan run() {
    plan_.result = des_;
    brand_new_ = acc_.interfaces.empty() && acc_.nodes.empty() && acc_.edges.empty();
    next_type_id_ = std::max(acc_.next_type_id, uint32_t{1});
    for (DeclKind k : {DeclKind::kInterface, DeclKind::kNode, DeclKind::kEdge}) match_types(k);
    // Inherit type ids before diffing (edges compare endpoints through node identity).
    for (DeclKind k : {DeclKind::kInterface, DeclKind::kNode, DeclKind::kEdge}) {
      for (auto& t : list_of(plan_.result, k)) {
        auto it = matches_.find({k, t.name});
        t.id = it != matches_.end() ? it->second->id : next_type_id_++;
      }
    }
    plan_.result.next_type_id = next_type_id_;
    for (DeclKind k : {DeclKind::kInterface, DeclKind::kNode, DeclKind::kEdge}) diff_kind(k);
    plan_.supported = std::none_of(plan_.steps.begin(), plan_.steps.end(),
                                   [](const MigrationStep& s) { return s.kind == "unsupported_change"; });
    return std::move(plan_);
  }

 private:
  // ---------------------------------------------------------------- identity
  void match_types(DeclKind k) {
    std::map<std::string, std::string> consumed;  // accepted name → desired name
    for (const auto& d : list_of(des_, k)) {
      const TypeDef* a = find_named(list_of(acc_, k), d.name);
      std::optional<std::string> hint = rename_hint(d.annotations);
      if (!a && hint && !brand_new_) {
        a = find_named(list_of(acc_, k), *hint);
        if (!a) {
          for (DeclKind other : {DeclKind::kInterface, DeclKind::kNode, DeclKind::kEdge}) {
            if (other != k && find_named(list_of(acc_, other), *hint))
              hint_error(kind_name(k) + " " + d.name + " declares @rename_from(\"" + *hint + "\") but '" + *hint +
                         "' is an accepted " + kind_name(other) + "; renames cannot cross kinds");
          }
          hint_error(kind_name(k) + " " + d.name + " declares @rename_from(\"" + *hint +
                     "\") but no accepted declaration has that name");
        }
        if (find_named(list_of(des_, k), *hint))
          hint_error(kind_name(k) + " " + d.name + " declares @rename_from(\"" + *hint + "\") but " + kind_name(k) + " " +
                     *hint + " still exists; two declarations cannot consume one identity");
      }
      if (!a) continue;
      auto [it, inserted] = consumed.emplace(a->name, d.name);
      if (!inserted)
        hint_error(kind_name(k) + " " + d.name + " and " + it->second + " both claim the identity of accepted " +
                   kind_name(k) + " " + a->name);
      matches_[{k, d.name}] = a;
    }
  }

  uint32_t node_identity_in_desired(const std::string& desired_name) {
    auto it = matches_.find({DeclKind::kNode, desired_name});
    return it == matches_.end() ? 0 : it->second->id;
  }
  uint32_t node_identity_in_accepted(const std::string& accepted_name) {
    const TypeDef* t = find_named(acc_.nodes, accepted_name);
    return t ? t->id : 0;
  }

  // ---------------------------------------------------------------- steps
  MigrationStep step(const char* kind, DeclKind k) {
    MigrationStep s;
    s.kind = kind;
    s.type_kind = k;
    return s;
  }
  void unsupported(const std::string& entity, const std::string& reason, std::optional<std::string> code = std::nullopt) {
    MigrationStep s;
    s.kind = "unsupported_change";
    s.entity = entity;
    s.reason = reason;
    s.code = std::move(code);
    plan_.steps.push_back(std::move(s));
  }
  DropMode mode() const { return opt_.allow_data_loss ? DropMode::kHard : DropMode::kSoft; }

  void diff_kind(DeclKind k) {
    std::set<std::string> survivors;
    for (const auto& d : list_of(des_, k)) {
      auto it = matches_.find({k, d.name});
      if (it == matches_.end()) {
        if (!brand_new_) {
          for (const auto& p : d.properties)
            if (auto hint = rename_hint(p.annotations))
              hint_error("property " + d.name + "." + p.name + " declares @rename_from(\"" + *hint + "\") but its owner " +
                         kind_name(k) + " " + d.name + " is new");
        }
        MigrationStep s = step("add_type", k);
        s.name = d.name;
        plan_.steps.push_back(std::move(s));
        continue;
      }
      survivors.insert(it->second->name);
      diff_type(k, *it->second, d);
    }
    for (const auto& a : list_of(acc_, k)) {
      if (survivors.count(a.name)) continue;
      if (k == DeclKind::kInterface) {
        unsupported("interface:" + a.name, "removing interface '" + a.name + "' is not supported in schema migration v1");
        continue;
      }
      MigrationStep s = step("drop_type", k);
      s.name = a.name;
      s.mode = mode();
      plan_.steps.push_back(std::move(s));
    }
  }

  void diff_type(DeclKind k, const TypeDef& a, const TypeDef& d) {
    std::string kn = kind_name(k);
    std::string entity = kn + ":" + d.name;
    // rename
    if (a.name != d.name) {
      if (k == DeclKind::kInterface) {
        unsupported(entity, "renaming interface '" + a.name + "' to '" + d.name + "' is not supported in schema migration v1");
      } else {
        MigrationStep s = step("rename_type", k);
        s.from = a.name;
        s.to = d.name;
        plan_.steps.push_back(std::move(s));
      }
    }
    // header checks
    if (k == DeclKind::kNode) {
      std::set<std::string> ai(a.implements.begin(), a.implements.end()), di(d.implements.begin(), d.implements.end());
      if (ai != di) unsupported(entity, "changing the implements set of node '" + d.name + "' is not supported in schema migration v1");
    }
    if (k == DeclKind::kEdge) {
      if (node_identity_in_accepted(a.source) != node_identity_in_desired(d.source) ||
          node_identity_in_accepted(a.target) != node_identity_in_desired(d.target))
        unsupported(entity, "changing the endpoints of edge '" + d.name + "' is not supported in schema migration v1");
      if (a.card_min != d.card_min || a.card_max != d.card_max)
        unsupported(entity, "changing @card of edge '" + d.name + "' is not supported in schema migration v1");
    }
    // metadata
    if (!(semantic_of(a.annotations) == semantic_of(d.annotations)))
      unsupported(entity, "changing annotations of " + kn + " '" + d.name + "' is not supported in schema migration v1");
    if (!(metadata_of(a.annotations) == metadata_of(d.annotations))) {
      MigrationStep s = step("update_type_metadata", k);
      s.name = d.name;
      s.annotations = metadata_of(d.annotations);
      plan_.steps.push_back(std::move(s));
    }
    // properties
    std::map<std::string, std::string> renamed;  // accepted prop name → desired name
    std::set<std::string> consumed;
    TypeDef* result = nullptr;
    for (auto& t : list_of(plan_.result, k))
      if (t.name == d.name) result = &t;
    // Ids of dropped properties are never reused: a re-added property must not resurface the
    // values its namesake left in older fragments.
    uint32_t next_prop_id = std::max<uint32_t>(1, a.next_property_id);
    for (const auto& p : a.properties) next_prop_id = std::max(next_prop_id, p.id + 1);
    std::vector<std::string> new_props;
    for (const auto& dp : d.properties) {
      const Property* ap = a.find_property(dp.name);
      if (!ap) {
        if (auto hint = rename_hint(dp.annotations)) {
          ap = a.find_property(*hint);
          if (!ap)
            hint_error("property " + d.name + "." + dp.name + " declares @rename_from(\"" + *hint +
                       "\") but no accepted declaration has that name");
          if (d.find_property(*hint))
            hint_error("property " + d.name + "." + dp.name + " declares @rename_from(\"" + *hint + "\") but " + d.name +
                       "." + *hint + " still exists; two declarations cannot consume one identity");
        }
      }
      std::string pentity = kn + ":" + d.name + "." + dp.name;
      if (!ap) {
        new_props.push_back(dp.name);
        if (dp.type.nullable) {
          MigrationStep s = step("add_property", k);
          s.type_name = d.name;
          s.property_name = dp.name;
          s.property_type = dp.type;
          plan_.steps.push_back(std::move(s));
        } else {
          unsupported(pentity, "adding required property '" + d.name + "." + dp.name +
                                   "' is not supported in schema migration v1; declare it nullable",
                      "OG-MF-103");
        }
        continue;
      }
      if (!consumed.insert(ap->name).second)
        hint_error("property " + d.name + "." + dp.name + " claims the identity of " + a.name + "." + ap->name +
                   " which another property already uses");
      renamed[ap->name] = dp.name;
      if (result)
        for (auto& rp : result->properties)
          if (rp.name == dp.name) rp.id = ap->id;
      if (ap->name != dp.name) {
        MigrationStep s = step("rename_property", k);
        s.type_name = d.name;
        s.from = ap->name;
        s.to = dp.name;
        plan_.steps.push_back(std::move(s));
      }
      diff_property(k, d, *ap, dp, pentity);
    }
    if (result) {
      std::sort(new_props.begin(), new_props.end());
      for (const auto& n : new_props)
        for (auto& rp : result->properties)
          if (rp.name == n) rp.id = next_prop_id++;
      uint32_t dense = 1;
      for (const auto& rp : result->properties) dense = std::max(dense, rp.id + 1);
      result->next_property_id = next_prop_id > dense ? next_prop_id : 0;
    }
    // dropped properties
    for (const auto& ap : a.properties) {
      if (renamed.count(ap.name)) continue;
      MigrationStep s = step("drop_property", k);
      s.type_name = d.name;
      s.property_name = ap.name;
      s.mode = mode();
      plan_.steps.push_back(std::move(s));
    }
    // constraints (accepted ones mapped through property renames)
    std::vector<Constraint> old_constraints;
    for (auto c : a.constraints) {
      bool dropped_prop = false;
      for (auto& p : c.properties) {
        if (renamed.count(p)) p = renamed[p];
        else if (p != "src" && p != "dst") dropped_prop = true;
      }
      if (!dropped_prop) old_constraints.push_back(std::move(c));
    }
    for (const auto& c : d.constraints) {
      if (std::find(old_constraints.begin(), old_constraints.end(), c) != old_constraints.end()) continue;
      if (c.kind == ConstraintKind::kIndex) {
        MigrationStep s = step("add_constraint", k);
        s.type_name = d.name;
        s.constraint = c;
        plan_.steps.push_back(std::move(s));
      } else {
        unsupported(entity, "adding @" + std::string(constraint_kind_name(c.kind)) + " on " + kn + " '" + d.name +
                                "' is not supported in schema migration v1");
      }
    }
    for (const auto& c : old_constraints) {
      if (std::find(d.constraints.begin(), d.constraints.end(), c) != d.constraints.end()) continue;
      unsupported(entity, "removing @" + std::string(constraint_kind_name(c.kind)) + " from " + kn + " '" + d.name +
                              "' is not supported in schema migration v1");
    }
  }

  void diff_property(DeclKind k, const TypeDef& d, const Property& ap, const Property& dp, const std::string& pentity) {
    std::string kn = kind_name(k);
    std::string qualified = d.name + "." + dp.name;
    if (!(ap.type == dp.type)) {
      const ValueType& o = ap.type;
      const ValueType& n = dp.type;
      bool widening = o.is_enum() && n.is_enum() && o.list == n.list && o.nullable == n.nullable &&
                      std::includes(n.enum_values.begin(), n.enum_values.end(), o.enum_values.begin(), o.enum_values.end()) &&
                      n.enum_values.size() > o.enum_values.size();
      if (widening) {
        MigrationStep s = step("extend_enum", k);
        s.type_name = d.name;
        s.property_name = dp.name;
        std::set_difference(n.enum_values.begin(), n.enum_values.end(), o.enum_values.begin(), o.enum_values.end(),
                            std::back_inserter(s.added_values));
        plan_.steps.push_back(std::move(s));
      } else {
        unsupported(pentity, "changing property type for '" + qualified + "' is not supported in schema migration v1",
                    "OG-MF-106");
      }
    }
    if (ap.from_interface != dp.from_interface)
      unsupported(pentity, "changing the provenance of property '" + qualified + "' is not supported in schema migration v1");
    if (ap.embed_source != dp.embed_source || ap.embed_model != dp.embed_model)
      unsupported(pentity, "changing @embed of property '" + qualified + "' is not supported in schema migration v1");
    if (!(semantic_of(ap.annotations) == semantic_of(dp.annotations)))
      unsupported(pentity, "changing annotations of property '" + qualified + "' is not supported in schema migration v1");
    if (!(metadata_of(ap.annotations) == metadata_of(dp.annotations))) {
      MigrationStep s = step("update_property_metadata", k);
      s.type_name = d.name;
      s.property_name = dp.name;
      s.annotations = metadata_of(dp.annotations);
      plan_.steps.push_back(std::move(s));
    }
  }

  const Catalog& acc_;
  const Catalog& des_;
  MigrationOptions opt_;
  MigrationPlan plan_;
  bool brand_new_ = false;
  uint32_t next_type_id_ = 1;
  std::map<std::pair<DeclKind, std::string>, const TypeDef*> matches_;  // (kind, desired name) → accepted
};

std::string render_annotation(const Annotation& a) {
  std::string s = "@" + a.name;
  if (a.value) {
    s += "(\"" + *a.value + "\"";
    for (const auto& [k, v] : a.kwargs) s += ", " + k + "=\"" + v + "\"";
    s += ")";
  }
  return s;
}

std::string tier_of(const std::string& code) {
  if (code == "OG-MF-103" || code == "OG-MF-104") return "validated";
  return "destructive";
}

nlohmann::ordered_json step_json(const MigrationStep& s) {
  using ojson = nlohmann::ordered_json;
  ojson j = ojson::object();
  j["kind"] = s.kind;
  auto annotations = [](const std::vector<Annotation>& anns) {
    ojson arr = ojson::array();
    for (const auto& a : anns) {
      ojson aj = ojson::object();
      aj["name"] = a.name;
      aj["value"] = a.value ? ojson(*a.value) : ojson(nullptr);
      if (!a.kwargs.empty()) {
        ojson kw = ojson::object();
        for (const auto& [k, v] : a.kwargs) kw[k] = v;
        aj["kwargs"] = kw;
      }
      arr.push_back(aj);
    }
    return arr;
  };
  if (s.kind == "unsupported_change") {
    j["entity"] = s.entity;
    j["reason"] = s.reason;
    if (s.code) j["code"] = *s.code;
    return j;
  }
  j["type_kind"] = kind_name(s.type_kind);
  if (s.kind == "add_type" || s.kind == "drop_type" || s.kind == "update_type_metadata") j["name"] = s.name;
  if (s.kind == "rename_type") {
    j["from"] = s.from;
    j["to"] = s.to;
  }
  if (s.kind == "add_property" || s.kind == "rename_property" || s.kind == "add_constraint" || s.kind == "extend_enum" ||
      s.kind == "update_property_metadata" || s.kind == "drop_property")
    j["type_name"] = s.type_name;
  if (s.kind == "rename_property") {
    j["from"] = s.from;
    j["to"] = s.to;
  }
  if (s.kind == "add_property" || s.kind == "extend_enum" || s.kind == "update_property_metadata" || s.kind == "drop_property")
    j["property_name"] = s.property_name;
  if (s.kind == "add_property") {
    ojson t = ojson::object();
    if (s.property_type.scalar == ScalarKind::kVector) {
      ojson v = ojson::object();
      v["Vector"] = s.property_type.vector_dim;
      t["scalar"] = v;
    } else {
      t["scalar"] = std::string(scalar_name(s.property_type.scalar));
    }
    t["nullable"] = s.property_type.nullable;
    t["list"] = s.property_type.list;
    t["enum_values"] = s.property_type.is_enum() ? ojson(s.property_type.enum_values) : ojson(nullptr);
    j["property_type"] = t;
  }
  if (s.kind == "add_constraint") {
    ojson c = ojson::object();
    c["Index"] = s.constraint.properties;
    j["constraint"] = c;
  }
  if (s.kind == "extend_enum") j["added_values"] = s.added_values;
  if (s.kind == "update_type_metadata" || s.kind == "update_property_metadata") j["annotations"] = annotations(s.annotations);
  if (s.kind == "drop_type" || s.kind == "drop_property") j["mode"] = s.mode == DropMode::kHard ? "hard" : "soft";
  return j;
}

}  // namespace

MigrationPlan plan_migration(const Catalog& accepted, const Catalog& desired, const MigrationOptions& options) {
  return Planner(accepted, desired, options).run();
}

std::string render_step(const MigrationStep& s) {
  std::string kn = kind_name(s.type_kind);
  std::string mode = s.mode == DropMode::kHard ? "hard" : "soft";
  if (s.kind == "add_type") return "add " + kn + " type '" + s.name + "'";
  if (s.kind == "rename_type") return "rename " + kn + " type '" + s.from + "' -> '" + s.to + "'";
  if (s.kind == "add_property")
    return "add property '" + s.type_name + "." + s.property_name + "' (" + render_prop_type(s.property_type) + ") on " + kn +
           " '" + s.type_name + "'";
  if (s.kind == "rename_property")
    return "rename property '" + s.type_name + "." + s.from + "' -> '" + s.type_name + "." + s.to + "' on " + kn + " '" +
           s.type_name + "'";
  if (s.kind == "add_constraint") {
    std::string props;
    for (size_t i = 0; i < s.constraint.properties.size(); ++i) props += (i ? ", " : "") + s.constraint.properties[i];
    return "add constraint @index(" + props + ") on " + kn + " '" + s.type_name + "'";
  }
  if (s.kind == "extend_enum") {
    std::string added;
    for (size_t i = 0; i < s.added_values.size(); ++i) added += (i ? ", +" : "+") + s.added_values[i];
    return "extend enum '" + s.type_name + "." + s.property_name + "' (" + added + ") on " + kn + " '" + s.type_name + "'";
  }
  auto anns = [&] {
    std::string out;
    for (size_t i = 0; i < s.annotations.size(); ++i) out += (i ? ", " : "") + render_annotation(s.annotations[i]);
    return out;
  };
  if (s.kind == "update_type_metadata") return "update metadata on " + kn + " '" + s.name + "' (" + anns() + ")";
  if (s.kind == "update_property_metadata")
    return "update metadata on property '" + s.type_name + "." + s.property_name + "' of " + kn + " '" + s.type_name + "' (" +
           anns() + ")";
  if (s.kind == "drop_type") return "drop " + kn + " type '" + s.name + "' (" + mode + " mode)";
  if (s.kind == "drop_property")
    return "drop property '" + s.type_name + "." + s.property_name + "' of " + kn + " '" + s.type_name + "' (" + mode + " mode)";
  std::string code = s.code ? " [" + *s.code + ", " + tier_of(*s.code) + "]" : "";
  return "unsupported change on " + s.entity + code + ": " + s.reason;
}

std::string step_to_json(const MigrationStep& step) { return step_json(step).dump(); }

std::string migration_plan_json(const MigrationPlan& plan, const std::string& uri) {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  j["uri"] = uri;
  j["supported"] = plan.supported;
  j["step_count"] = plan.steps.size();
  nlohmann::ordered_json steps = nlohmann::ordered_json::array();
  for (const auto& s : plan.steps) steps.push_back(step_json(s));
  j["steps"] = steps;
  return j.dump(2);
}

std::optional<std::string> unsupported_message(const MigrationPlan& plan) {
  for (const auto& s : plan.steps) {
    if (s.kind != "unsupported_change") continue;
    return (s.code ? "[" + *s.code + "] " : std::string()) + s.reason;
  }
  return std::nullopt;
}

}  // namespace omnigraph::compiler
