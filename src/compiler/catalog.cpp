// Catalog construction from a schema AST: desugaring of property-level constraint
// annotations, interface injection, placement/reference checks (§3.1–§3.6), ids.
#include "compiler/catalog.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "compiler/diagnostics.h"

namespace omnigraph::compiler {

std::string_view index_kind_name(IndexKind kind) {
  switch (kind) {
    case IndexKind::kNone: return "none";
    case IndexKind::kScalar: return "scalar";
    case IndexKind::kFullText: return "fulltext";
    case IndexKind::kVector: return "vector";
  }
  return "none";
}

std::string_view constraint_kind_name(ConstraintKind kind) {
  switch (kind) {
    case ConstraintKind::kKey: return "key";
    case ConstraintKind::kUnique: return "unique";
    case ConstraintKind::kIndex: return "index";
    case ConstraintKind::kRange: return "range";
    case ConstraintKind::kCheck: return "check";
  }
  return "index";
}

const Property* TypeDef::find_property(std::string_view n) const {
  for (const auto& p : properties)
    if (p.name == n) return &p;
  return nullptr;
}

std::vector<std::string> TypeDef::key_properties() const {
  for (const auto& c : constraints)
    if (c.kind == ConstraintKind::kKey) return c.properties;
  return {};
}

std::vector<std::string> TypeDef::key_components() const {
  std::vector<std::string> keys = key_properties();
  std::sort(keys.begin(), keys.end(), [this](const std::string& a, const std::string& b) {
    const Property* pa = find_property(a);
    const Property* pb = find_property(b);
    return (pa ? pa->id : 0) < (pb ? pb->id : 0);
  });
  return keys;
}

std::vector<std::string> TypeDef::physical_columns() const {
  if (kind == DeclKind::kEdge) return {"id", "src", "dst"};
  if (kind == DeclKind::kNode) return {"id"};
  return {};
}

const Annotation* TypeDef::find_annotation(std::string_view n) const {
  for (const auto& a : annotations)
    if (a.name == n) return &a;
  return nullptr;
}

namespace {
const TypeDef* find_in(const std::vector<TypeDef>& types, std::string_view name) {
  for (const auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}
std::string fold(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

const TypeDef* Catalog::find_node(std::string_view name) const { return find_in(nodes, name); }
const TypeDef* Catalog::find_interface(std::string_view name) const { return find_in(interfaces, name); }
const TypeDef* Catalog::find_edge(std::string_view name) const { return find_in(edges, name); }
const TypeDef* Catalog::find_edge_folded(std::string_view name) const {
  std::string folded = fold(name);
  for (const auto& e : edges)
    if (fold(e.name) == folded) return &e;
  return nullptr;
}
std::vector<const TypeDef*> Catalog::edges_touching(std::string_view node_name) const {
  std::vector<const TypeDef*> out;
  for (const auto& e : edges)
    if (e.source == node_name || e.target == node_name) out.push_back(&e);
  return out;
}

namespace {

constexpr std::string_view kReservedNames[] = {"_rowid", "_rowaddr", "_rowoffset", "_row_created_at_version",
                                               "_row_last_updated_at_version"};

bool is_constraint_annotation(std::string_view n) { return n == "key" || n == "unique" || n == "index"; }

class CatalogBuilder {
 public:
  CatalogBuilder(const SchemaAst& ast, std::string_view source) : ast_(ast), src_(source) {}

  Catalog build() {
    uint32_t next_id = 1;
    // Interfaces first: nodes refer to them regardless of declaration order.
    for (const auto& d : ast_.decls) {
      if (d.kind != DeclKind::kInterface) continue;
      if (catalog_.find_interface(d.name)) catalog_error("duplicate interface type: " + d.name, d.name_offset);
      TypeDef t = base_type(d);
      for (const auto& p : d.properties) add_declared_property(t, d, p);
      iface_decls_[d.name] = &d;
      catalog_.interfaces.push_back(std::move(t));
    }
    for (const auto& d : ast_.decls) {
      if (d.kind != DeclKind::kNode) continue;
      if (catalog_.find_node(d.name)) catalog_error("duplicate node type: " + d.name, d.name_offset);
      catalog_.nodes.push_back(build_node(d));
    }
    for (const auto& d : ast_.decls) {
      if (d.kind != DeclKind::kEdge) continue;
      if (catalog_.find_edge(d.name)) catalog_error("duplicate edge type: " + d.name, d.name_offset);
      if (const TypeDef* other = catalog_.find_edge_folded(d.name)) {
        catalog_error("edge name collision after case folding: '" + d.name + "' conflicts with '" + other->name + "'",
                      d.name_offset);
      }
      catalog_.edges.push_back(build_edge(d));
    }
    // Stable ids: declaration order across all kinds.
    for (const auto& d : ast_.decls) {
      TypeDef* t = nullptr;
      auto& list = d.kind == DeclKind::kInterface ? catalog_.interfaces
                   : d.kind == DeclKind::kNode    ? catalog_.nodes
                                                  : catalog_.edges;
      for (auto& x : list)
        if (x.name == d.name && x.id == 0) t = &x;
      if (t) t->id = next_id++;
    }
    catalog_.next_type_id = next_id;
    for (auto* list : {&catalog_.interfaces, &catalog_.nodes, &catalog_.edges}) {
      for (auto& t : *list) assign_property_ids(t);
    }
    return std::move(catalog_);
  }

 private:
  [[noreturn]] void parse_error(const std::string& message, size_t offset) {
    throw_compile_error("parse error: " + message, src_, offset);
  }
  [[noreturn]] void catalog_error(const std::string& message, size_t offset) {
    throw_compile_error("catalog error: " + message, src_, offset);
  }

  static void assign_property_ids(TypeDef& t) {
    std::vector<Property*> sorted;
    for (auto& p : t.properties) sorted.push_back(&p);
    std::sort(sorted.begin(), sorted.end(), [](const Property* a, const Property* b) { return a->name < b->name; });
    uint32_t id = 1;
    for (auto* p : sorted) p->id = id++;
  }

  TypeDef base_type(const TypeDecl& d) {
    TypeDef t;
    t.kind = d.kind;
    t.name = d.name;
    t.source = d.source;
    t.target = d.target;
    t.card_min = d.card_min;
    t.card_max = d.card_max;
    t.implements = d.implements;
    return t;
  }

  std::string owner_label(const TypeDecl& d) { return std::string(decl_kind_name(d.kind)) + " " + d.name; }

  // Checks @description/@instruction/@rename_from shape and multiplicity within one target.
  void check_metadata_annotations(const std::vector<Annotation>& anns, bool is_property, const std::string& target) {
    std::set<std::string> seen;
    for (const auto& a : anns) {
      bool metadata = a.name == "description" || a.name == "instruction" || a.name == "rename_from";
      if (!metadata) continue;
      if (a.name == "instruction" && is_property)
        parse_error("@instruction is only supported on node and edge types (property " + target + ")", a.offset);
      if (!seen.insert(a.name).second) parse_error("@" + a.name + " declared multiple times on " + target, a.offset);
      if (!a.value) parse_error("@" + a.name + " on " + target + " requires a value", a.offset);
      if (a.name == "rename_from" && !a.kwargs.empty())
        parse_error("@rename_from on " + target + " accepts exactly one value", a.offset);
      std::string trimmed = *a.value;
      trimmed.erase(0, trimmed.find_first_not_of(" \t\r\n"));
      if (trimmed.empty()) parse_error("@" + a.name + " on " + target + " must not be empty", a.offset);
    }
  }

  void check_header_annotations(const TypeDecl& d) {
    for (const auto& a : d.annotations) {
      if (a.name == "key" || a.name == "embed" || (a.name == "unique" && d.kind == DeclKind::kNode) ||
          (a.name == "index" && d.kind == DeclKind::kNode)) {
        if (d.kind == DeclKind::kEdge && (a.name == "key" || a.name == "embed"))
          parse_error("@" + a.name + " is not supported on edges (edge " + d.name + ")", a.offset);
        parse_error("@" + a.name + " is only supported on node properties or as body constraint (" + owner_label(d) + ")",
                    a.offset);
      }
      if (d.kind == DeclKind::kEdge && (a.name == "unique" || a.name == "index"))
        parse_error("@" + a.name + " is not supported on edges (edge " + d.name + ")", a.offset);
    }
    check_metadata_annotations(d.annotations, false, owner_label(d));
  }

  // Adds a declared property after checking its name and annotation placement.
  void add_declared_property(TypeDef& t, const TypeDecl& d, const PropDecl& p) {
    std::string qualified = d.name + "." + p.name;
    for (auto r : kReservedNames)
      if (p.name == r) parse_error("property name '" + p.name + "' is reserved (" + qualified + ")", p.offset);
    if (d.kind == DeclKind::kNode && p.name == "id")
      parse_error("property name 'id' is reserved for the physical id column (" + qualified + ")", p.offset);
    if (d.kind == DeclKind::kEdge && (p.name == "id" || p.name == "src" || p.name == "dst"))
      parse_error("property name '" + p.name + "' is reserved for a physical edge column (" + qualified + ")", p.offset);
    if (t.find_property(p.name)) parse_error("duplicate property " + qualified, p.offset);

    Property prop;
    prop.name = p.name;
    prop.type = p.type;
    std::set<std::string> constraint_seen;
    bool embed_seen = false;
    for (const auto& a : p.annotations) {
      if (is_constraint_annotation(a.name)) {
        if (a.value) parse_error("@" + a.name + " on property " + qualified + " takes no arguments here; use the body form @" + a.name + "(...)", a.offset);
        if (!constraint_seen.insert(a.name).second)
          parse_error("property " + qualified + " declares @" + a.name + " multiple times", a.offset);
        if (a.name == "key" && d.kind == DeclKind::kEdge)
          parse_error("@key is only supported on node properties or as body constraint (edge " + d.name + ")", a.offset);
        if (p.type.list) parse_error("@" + a.name + " is not supported on list property " + qualified, a.offset);
        if (p.type.scalar == ScalarKind::kBlob)
          parse_error("@" + a.name + " is not supported on blob property " + qualified, a.offset);
        if (p.type.scalar == ScalarKind::kVector && a.name != "index")
          parse_error("@" + a.name + " is not supported on vector property " + qualified, a.offset);
        if (a.name == "key" && p.type.nullable)
          parse_error("@key on " + d.name + " requires non-nullable property '" + p.name + "'", a.offset);
        continue;  // desugared into constraints by the owner
      }
      if (a.name == "embed") {
        if (d.kind == DeclKind::kEdge) parse_error("@embed is not supported on edge property " + qualified, a.offset);
        if (embed_seen) parse_error("property " + qualified + " declares @embed multiple times", a.offset);
        embed_seen = true;
        if (p.type.list) parse_error("@embed is not supported on list property " + qualified, a.offset);
        if (p.type.scalar == ScalarKind::kBlob) parse_error("@embed is not supported on blob property " + qualified, a.offset);
        if (p.type.scalar != ScalarKind::kVector)
          parse_error("@embed on " + qualified + " requires a Vector property, got " + render_type_plain(p.type), a.offset);
        if (!a.value) parse_error("@embed on " + qualified + " requires a source property", a.offset);
        for (const auto& [k, v] : a.kwargs) {
          if (k != "model")
            parse_error("@embed on " + qualified + " has unknown argument '" + k + "=' (only 'model' is supported)", a.offset);
          prop.embed_model = v;
        }
        prop.embed_source = *a.value;
        continue;
      }
      prop.annotations.push_back(a);
    }
    check_metadata_annotations(prop.annotations, true, qualified);
    t.properties.push_back(std::move(prop));
  }

  // Constraints implied by property-level @key/@unique/@index annotations.
  void desugar_property_constraints(TypeDef& t, const std::vector<Annotation>& anns, const std::string& prop,
                                    const TypeDecl& d) {
    for (const auto& a : anns) {
      if (!is_constraint_annotation(a.name)) continue;
      Constraint c;
      c.kind = a.name == "key" ? ConstraintKind::kKey : a.name == "unique" ? ConstraintKind::kUnique : ConstraintKind::kIndex;
      c.properties = {prop};
      if (std::find(t.constraints.begin(), t.constraints.end(), c) != t.constraints.end()) continue;  // same constraint twice
      if (c.kind == ConstraintKind::kKey) {
        for (const auto& existing : t.constraints)
          if (existing.kind == ConstraintKind::kKey)
            parse_error("node type " + t.name + " has multiple @key constraints; only one is supported", a.offset);
      }
      t.constraints.push_back(c);
    }
    (void)d;
  }

  TypeDef build_node(const TypeDecl& d) {
    check_header_annotations(d);
    TypeDef t = base_type(d);
    for (const auto& a : d.annotations) t.annotations.push_back(a);
    for (const auto& p : d.properties) add_declared_property(t, d, p);
    for (const auto& p : d.properties) desugar_property_constraints(t, p.annotations, p.name, d);

    // Interface injection (§3.5).
    std::map<std::string, std::string> contributed_by;
    for (const auto& iname : d.implements) {
      const TypeDef* iface = catalog_.find_interface(iname);
      if (!iface) catalog_error("node " + d.name + " implements unknown interface '" + iname + "'", d.name_offset);
      const TypeDecl* idecl = iface_decls_.at(iname);
      for (const auto& ip : iface->properties) {
        Property* own = nullptr;
        for (auto& p : t.properties)
          if (p.name == ip.name) own = &p;
        if (own && own->from_interface.empty()) {
          if (!(own->type == ip.type))
            catalog_error("node " + d.name + " property '" + ip.name + "' has type " + render_type(own->type) +
                              " but interface " + iname + " declares it as " + render_type(ip.type),
                          d.name_offset);
          // The interface's property-level constraints still apply to the implementing node.
          for (const auto& pd : idecl->properties)
            if (pd.name == ip.name) desugar_property_constraints(t, pd.annotations, pd.name, d);
          continue;
        }
        if (own) {  // contributed by an earlier interface: must agree exactly
          if (!(own->type == ip.type) || !(own->annotations == ip.annotations))
            catalog_error("node " + d.name + " property '" + ip.name + "' is declared differently by interfaces " +
                              contributed_by[ip.name] + " and " + iname,
                          d.name_offset);
          continue;
        }
        Property injected = ip;
        injected.from_interface = iname;
        contributed_by[ip.name] = iname;
        t.properties.push_back(std::move(injected));
        for (const auto& pd : idecl->properties)
          if (pd.name == ip.name) desugar_property_constraints(t, pd.annotations, pd.name, d);
      }
    }

    for (const auto& bc : d.constraints) add_body_constraint(t, d, bc);
    check_embeds(t, d);
    assign_index_kinds(t);
    return t;
  }

  TypeDef build_edge(const TypeDecl& d) {
    check_header_annotations(d);
    TypeDef t = base_type(d);
    for (const auto& a : d.annotations) t.annotations.push_back(a);
    if (!catalog_.find_node(d.source))
      catalog_error("edge " + d.name + " references unknown source type: " + d.source, d.name_offset);
    if (!catalog_.find_node(d.target))
      catalog_error("edge " + d.name + " references unknown target type: " + d.target, d.name_offset);
    for (const auto& p : d.properties) add_declared_property(t, d, p);
    for (const auto& p : d.properties) desugar_property_constraints(t, p.annotations, p.name, d);
    for (const auto& bc : d.constraints) add_body_constraint(t, d, bc);
    return t;
  }

  void add_body_constraint(TypeDef& t, const TypeDecl& d, const BodyConstraint& bc) {
    bool edge = d.kind == DeclKind::kEdge;
    if (edge && (bc.kind == "key" || bc.kind == "range" || bc.kind == "check"))
      parse_error("@" + bc.kind + " is not supported on edges (edge " + d.name + ")", bc.offset);
    Constraint c;
    if (bc.kind == "range" || bc.kind == "check") {
      c.kind = bc.kind == "range" ? ConstraintKind::kRange : ConstraintKind::kCheck;
      const auto& first = bc.args[0];
      if (first.kind != ConstraintArg::Kind::kIdent) parse_error("expected property name in constraint", first.offset);
      const Property* p = t.find_property(first.text);
      if (!p) parse_error("@" + bc.kind + " on " + d.name + " references unknown property '" + first.text + "'", first.offset);
      std::string qualified = d.name + "." + p->name;
      c.properties = {p->name};
      if (c.kind == ConstraintKind::kRange) {
        if (bc.args.size() < 2 || bc.args[1].kind != ConstraintArg::Kind::kRange)
          parse_error("expected range bounds (min..max) in @range constraint", bc.offset);
        if (bc.args.size() > 2) parse_error("@range takes a property and one range", bc.args[2].offset);
        if (p->type.list || !is_numeric(p->type.scalar))
          parse_error("@range on " + qualified + " requires a numeric type, got " + render_type_plain(p->type), bc.offset);
        const auto& r = bc.args[1];
        if (r.lo) {
          c.range_min = std::stod(r.lo->text);
          c.range_min_text = r.lo->text;
        }
        if (r.hi) {
          c.range_max = std::stod(r.hi->text);
          c.range_max_text = r.hi->text;
        }
      } else {
        if (bc.args.size() != 2 || bc.args[1].kind != ConstraintArg::Kind::kString)
          parse_error("@check requires a property and a string regex", bc.offset);
        if (p->type.list || p->type.scalar != ScalarKind::kString)
          parse_error("@check on " + qualified + " requires a String type, got " + render_type_plain(p->type), bc.offset);
        c.pattern = bc.args[1].text;
      }
      t.constraints.push_back(std::move(c));
      return;
    }
    c.kind = bc.kind == "key" ? ConstraintKind::kKey : bc.kind == "unique" ? ConstraintKind::kUnique : ConstraintKind::kIndex;
    for (const auto& arg : bc.args) {
      if (arg.kind != ConstraintArg::Kind::kIdent) parse_error("expected property name in constraint", arg.offset);
      bool endpoint = edge && (arg.text == "src" || arg.text == "dst");
      const Property* p = t.find_property(arg.text);
      if (!p && !endpoint)
        parse_error("@" + bc.kind + " on " + d.name + " references unknown property '" + arg.text + "'", arg.offset);
      if (p) {
        std::string qualified = d.name + "." + p->name;
        if (p->type.scalar == ScalarKind::kBlob && !p->type.list)
          parse_error("@" + bc.kind + " is not supported on blob property " + qualified, arg.offset);
        if (c.kind == ConstraintKind::kKey) {
          if (p->type.nullable) parse_error("@key on " + d.name + " requires non-nullable property '" + p->name + "'", arg.offset);
          if (p->type.list) parse_error("@key is not supported on list property " + qualified, arg.offset);
          if (p->type.scalar == ScalarKind::kVector) parse_error("@key is not supported on vector property " + qualified, arg.offset);
        }
        if (c.kind == ConstraintKind::kUnique && p->type.scalar == ScalarKind::kVector)
          parse_error("@unique is not supported on vector property " + qualified, arg.offset);
      }
      c.properties.push_back(arg.text);
    }
    if (c.kind == ConstraintKind::kKey) {
      for (const auto& existing : t.constraints)
        if (existing.kind == ConstraintKind::kKey)
          parse_error("node type " + t.name + " has multiple @key constraints; only one is supported", bc.offset);
    }
    if (std::find(t.constraints.begin(), t.constraints.end(), c) == t.constraints.end()) t.constraints.push_back(std::move(c));
  }

  void check_embeds(const TypeDef& t, const TypeDecl& d) {
    for (const auto& p : t.properties) {
      if (!p.embed_source) continue;
      std::string qualified = t.name + "." + p.name;
      const Property* src = t.find_property(*p.embed_source);
      if (!src) catalog_error("@embed on " + qualified + " references unknown source property " + *p.embed_source, d.name_offset);
      if (src->type.list || src->type.scalar != ScalarKind::kString)
        catalog_error("@embed source property " + t.name + "." + src->name + " must be String", d.name_offset);
    }
  }

  static void assign_index_kinds(TypeDef& t) {
    for (const auto& c : t.constraints) {
      if ((c.kind != ConstraintKind::kKey && c.kind != ConstraintKind::kIndex) || c.properties.size() != 1) continue;
      for (auto& p : t.properties) {
        if (p.name != c.properties[0] || p.type.list || p.type.scalar == ScalarKind::kBlob) continue;
        if (p.type.scalar == ScalarKind::kVector) {
          if (c.kind == ConstraintKind::kIndex) p.index = IndexKind::kVector;
        } else if (p.type.scalar == ScalarKind::kString && !p.type.is_enum()) {
          p.index = IndexKind::kFullText;
        } else {
          p.index = IndexKind::kScalar;
        }
      }
    }
  }

  const SchemaAst& ast_;
  std::string_view src_;
  Catalog catalog_;
  std::map<std::string, const TypeDecl*> iface_decls_;
};

}  // namespace

Catalog build_catalog(const SchemaAst& ast, std::string_view source) { return CatalogBuilder(ast, source).build(); }

Catalog compile_schema(std::string_view source) { return build_catalog(parse_schema(source), source); }

}  // namespace omnigraph::compiler
