// Catalog ⇄ JSON. The document is the persisted form of an accepted schema, so every
// field (ids included) round-trips exactly.
#include <nlohmann/json.hpp>

#include "common/error.h"
#include "common/json_util.h"
#include "compiler/catalog.h"

namespace omnigraph::compiler {

namespace {
using nlohmann::json;

json type_to_json(const ValueType& t) {
  json j = json::object();
  j["scalar"] = std::string(scalar_name(t.scalar));
  j["list"] = t.list;
  j["nullable"] = t.nullable;
  if (t.scalar == ScalarKind::kVector) j["vector_dim"] = t.vector_dim;
  if (t.is_enum()) j["enum_values"] = t.enum_values;
  return j;
}

json annotation_to_json(const Annotation& a) {
  json j = json::object();
  j["name"] = a.name;
  j["value"] = a.value ? json(*a.value) : json(nullptr);
  if (!a.kwargs.empty()) {
    json kw = json::array();
    for (const auto& [k, v] : a.kwargs) kw.push_back(json::array({k, v}));
    j["kwargs"] = kw;
  }
  return j;
}

json type_def_to_json(const TypeDef& t) {
  json j = json::object();
  j["id"] = t.id;
  j["kind"] = std::string(decl_kind_name(t.kind));
  j["name"] = t.name;
  if (t.kind == DeclKind::kEdge) {
    j["source"] = t.source;
    j["target"] = t.target;
    j["card_min"] = t.card_min;
    j["card_max"] = t.card_max ? json(*t.card_max) : json(nullptr);
  }
  if (t.kind == DeclKind::kNode) j["implements"] = t.implements;
  j["physical_columns"] = t.physical_columns();
  json props = json::array();
  for (const auto& p : t.properties) {
    json pj = json::object();
    pj["id"] = p.id;
    pj["name"] = p.name;
    pj["type"] = type_to_json(p.type);
    pj["index"] = std::string(index_kind_name(p.index));
    if (p.embed_source) pj["embed_source"] = *p.embed_source;
    if (p.embed_model) pj["embed_model"] = *p.embed_model;
    if (!p.from_interface.empty()) pj["from_interface"] = p.from_interface;
    json anns = json::array();
    for (const auto& a : p.annotations) anns.push_back(annotation_to_json(a));
    pj["annotations"] = anns;
    props.push_back(pj);
  }
  j["properties"] = props;
  if (t.next_property_id) j["next_property_id"] = t.next_property_id;
  json cons = json::array();
  for (const auto& c : t.constraints) {
    json cj = json::object();
    cj["kind"] = std::string(constraint_kind_name(c.kind));
    cj["properties"] = c.properties;
    if (c.kind == ConstraintKind::kRange) {
      cj["min"] = c.range_min_text.empty() ? json(nullptr) : json(c.range_min_text);
      cj["max"] = c.range_max_text.empty() ? json(nullptr) : json(c.range_max_text);
    }
    if (c.kind == ConstraintKind::kCheck) cj["pattern"] = c.pattern;
    cons.push_back(cj);
  }
  j["constraints"] = cons;
  json anns = json::array();
  for (const auto& a : t.annotations) anns.push_back(annotation_to_json(a));
  j["annotations"] = anns;
  return j;
}

[[noreturn]] void bad(const std::string& what) { throw Error::bad_request("invalid catalog JSON: " + what); }

const json& field(const json& o, const char* name, const std::string& ctx) {
  if (!o.is_object() || !o.contains(name)) bad(ctx + ": missing field '" + name + "'");
  return o.at(name);
}
std::string str(const json& o, const char* name, const std::string& ctx) {
  const json& v = field(o, name, ctx);
  if (!v.is_string()) bad(ctx + ": field '" + std::string(name) + "' must be a string");
  return v.get<std::string>();
}
uint32_t u32(const json& o, const char* name, const std::string& ctx) {
  const json& v = field(o, name, ctx);
  if (!v.is_number_unsigned() || v.get<uint64_t>() > 0xFFFFFFFFULL)
    bad(ctx + ": field '" + std::string(name) + "' must be an unsigned 32-bit integer");
  return v.get<uint32_t>();
}
bool boolean(const json& o, const char* name, const std::string& ctx) {
  const json& v = field(o, name, ctx);
  if (!v.is_boolean()) bad(ctx + ": field '" + std::string(name) + "' must be a boolean");
  return v.get<bool>();
}
std::vector<std::string> strings(const json& o, const char* name, const std::string& ctx) {
  const json& v = field(o, name, ctx);
  if (!v.is_array()) bad(ctx + ": field '" + std::string(name) + "' must be an array");
  std::vector<std::string> out;
  for (const auto& e : v) {
    if (!e.is_string()) bad(ctx + ": field '" + std::string(name) + "' must hold strings");
    out.push_back(e.get<std::string>());
  }
  return out;
}

ValueType type_from_json(const json& j, const std::string& ctx) {
  ValueType t;
  std::string scalar = str(j, "scalar", ctx);
  if (scalar == "Vector") {
    t.scalar = ScalarKind::kVector;
    t.vector_dim = u32(j, "vector_dim", ctx);
  } else {
    auto k = parse_scalar_name(scalar);
    if (!k) bad(ctx + ": unknown scalar '" + scalar + "'");
    t.scalar = *k;
  }
  t.list = boolean(j, "list", ctx);
  t.nullable = boolean(j, "nullable", ctx);
  if (j.contains("enum_values")) t.enum_values = strings(j, "enum_values", ctx);
  return t;
}

Annotation annotation_from_json(const json& j, const std::string& ctx) {
  Annotation a;
  a.name = str(j, "name", ctx);
  const json& v = field(j, "value", ctx);
  if (v.is_string()) a.value = v.get<std::string>();
  else if (!v.is_null()) bad(ctx + ": annotation value must be a string or null");
  if (j.contains("kwargs")) {
    for (const auto& kv : j.at("kwargs")) {
      if (!kv.is_array() || kv.size() != 2 || !kv[0].is_string() || !kv[1].is_string())
        bad(ctx + ": annotation kwargs must be [name, value] pairs");
      a.kwargs.emplace_back(kv[0].get<std::string>(), kv[1].get<std::string>());
    }
  }
  return a;
}

std::vector<Annotation> annotations_from_json(const json& o, const std::string& ctx) {
  std::vector<Annotation> out;
  const json& arr = field(o, "annotations", ctx);
  if (!arr.is_array()) bad(ctx + ": field 'annotations' must be an array");
  for (const auto& a : arr) out.push_back(annotation_from_json(a, ctx));
  return out;
}

IndexKind index_from_name(const std::string& n, const std::string& ctx) {
  for (auto k : {IndexKind::kNone, IndexKind::kScalar, IndexKind::kFullText, IndexKind::kVector})
    if (index_kind_name(k) == n) return k;
  bad(ctx + ": unknown index kind '" + n + "'");
}

ConstraintKind constraint_from_name(const std::string& n, const std::string& ctx) {
  for (auto k : {ConstraintKind::kKey, ConstraintKind::kUnique, ConstraintKind::kIndex, ConstraintKind::kRange,
                 ConstraintKind::kCheck})
    if (constraint_kind_name(k) == n) return k;
  bad(ctx + ": unknown constraint kind '" + n + "'");
}

TypeDef type_def_from_json(const json& j, DeclKind expected) {
  TypeDef t;
  std::string ctx = "type";
  t.name = str(j, "name", ctx);
  ctx = "type " + t.name;
  t.id = u32(j, "id", ctx);
  std::string kind = str(j, "kind", ctx);
  if (kind != decl_kind_name(expected)) bad(ctx + ": kind '" + kind + "' in the wrong list");
  t.kind = expected;
  if (expected == DeclKind::kEdge) {
    t.source = str(j, "source", ctx);
    t.target = str(j, "target", ctx);
    t.card_min = u32(j, "card_min", ctx);
    if (!field(j, "card_max", ctx).is_null()) t.card_max = u32(j, "card_max", ctx);
  }
  if (expected == DeclKind::kNode) t.implements = strings(j, "implements", ctx);
  for (const auto& pj : field(j, "properties", ctx)) {
    Property p;
    p.name = str(pj, "name", ctx + " property");
    std::string pctx = ctx + " property " + p.name;
    p.id = u32(pj, "id", pctx);
    p.type = type_from_json(field(pj, "type", pctx), pctx);
    p.index = index_from_name(str(pj, "index", pctx), pctx);
    if (pj.contains("embed_source")) p.embed_source = str(pj, "embed_source", pctx);
    if (pj.contains("embed_model")) p.embed_model = str(pj, "embed_model", pctx);
    if (pj.contains("from_interface")) p.from_interface = str(pj, "from_interface", pctx);
    p.annotations = annotations_from_json(pj, pctx);
    t.properties.push_back(std::move(p));
  }
  if (j.contains("next_property_id")) t.next_property_id = u32(j, "next_property_id", ctx);
  for (const auto& cj : field(j, "constraints", ctx)) {
    Constraint c;
    c.kind = constraint_from_name(str(cj, "kind", ctx + " constraint"), ctx);
    c.properties = strings(cj, "properties", ctx + " constraint");
    if (c.kind == ConstraintKind::kRange) {
      for (const char* side : {"min", "max"}) {
        const json& v = field(cj, side, ctx + " @range");
        if (v.is_null()) continue;
        if (!v.is_string()) bad(ctx + ": @range bound must be a string");
        std::string text = v.get<std::string>();
        double value = 0;
        try {
          value = std::stod(text);
        } catch (const std::exception&) {
          bad(ctx + ": @range bound '" + text + "' is not a number");
        }
        if (std::string_view(side) == "min") {
          c.range_min = value;
          c.range_min_text = text;
        } else {
          c.range_max = value;
          c.range_max_text = text;
        }
      }
    }
    if (c.kind == ConstraintKind::kCheck) c.pattern = str(cj, "pattern", ctx + " @check");
    t.constraints.push_back(std::move(c));
  }
  t.annotations = annotations_from_json(j, ctx);
  return t;
}

}  // namespace

std::string catalog_to_json(const Catalog& catalog) {
  nlohmann::json j = nlohmann::json::object();
  j["format"] = "omnigraph-catalog";
  j["version"] = 1;
  j["next_type_id"] = catalog.next_type_id;
  for (auto [key, list] : {std::pair{"interfaces", &catalog.interfaces}, std::pair{"nodes", &catalog.nodes},
                           std::pair{"edges", &catalog.edges}}) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& t : *list) arr.push_back(type_def_to_json(t));
    j[key] = arr;
  }
  return omnigraph::json::dump_pretty(j);
}

Catalog catalog_from_json(std::string_view json_text) {
  nlohmann::json j = omnigraph::json::parse(json_text, "catalog");
  if (!j.is_object()) bad("document must be an object");
  if (str(j, "format", "catalog") != "omnigraph-catalog") bad("field 'format' must be \"omnigraph-catalog\"");
  if (u32(j, "version", "catalog") != 1) bad("unsupported catalog version");
  Catalog c;
  c.next_type_id = u32(j, "next_type_id", "catalog");
  for (const auto& t : field(j, "interfaces", "catalog")) c.interfaces.push_back(type_def_from_json(t, DeclKind::kInterface));
  for (const auto& t : field(j, "nodes", "catalog")) c.nodes.push_back(type_def_from_json(t, DeclKind::kNode));
  for (const auto& t : field(j, "edges", "catalog")) c.edges.push_back(type_def_from_json(t, DeclKind::kEdge));
  return c;
}

}  // namespace omnigraph::compiler
