// Lint procedure, L201, and the JSON / human renderings of the report.
#include "compiler/lint.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "compiler/diagnostics.h"
#include "compiler/query_ast.h"

namespace omnigraph::compiler {

namespace {

int severity_rank(const std::string& s) { return s == "error" ? 0 : s == "warning" ? 1 : 2; }

constexpr const char* kNoParamsWarning = "mutation declares no params; hardcoded mutations are easy to miss";

}  // namespace

LintReport lint_queries(const Catalog& catalog, std::string_view query_source, LintSchemaSource schema_source,
                        std::string query_path) {
  LintReport report;
  report.schema_source = std::move(schema_source);
  report.query_path = std::move(query_path);

  QueryFile file;
  try {
    file = parse_queries(query_source);
  } catch (const CompileError& e) {
    LintFinding f;
    f.severity = "error";
    f.code = "Q000";
    f.message = e.plain();
    if (e.pos()) f.message += " at " + std::to_string(e.pos()->line) + ":" + std::to_string(e.pos()->column);
    report.findings.push_back(std::move(f));
    report.errors = 1;
    return report;
  }

  // type name → (queries updating it, properties they assign)
  std::map<std::string, std::set<std::string>> update_queries;
  std::map<std::string, std::set<std::string>> updated_props;

  for (auto& q : file.queries) {
    LintQueryResult r;
    r.name = q.name;
    r.is_mutation = q.is_mutation;
    try {
      CheckedQuery checked = typecheck_query(q, catalog, query_source);
      r.operation = std::move(checked.operation);
      for (const auto& m : q.mutations) {
        if (m.kind != MutationStmt::Kind::kUpdate || m.is_edge) continue;
        update_queries[m.type_name].insert(q.name);
        for (const auto& a : m.assignments) updated_props[m.type_name].insert(a.prop);
      }
    } catch (const CompileError& e) {
      r.ok = false;
      r.error = e.plain();
    }
    if (q.is_mutation && q.params.empty()) r.warnings.push_back(kNoParamsWarning);
    report.results.push_back(std::move(r));
  }
  report.queries_processed = static_cast<int>(report.results.size());

  for (const auto& [type_name, queries] : update_queries) {  // std::map: ascending type name
    const TypeDef* node = catalog.find_node(type_name);
    if (!node) continue;
    std::vector<std::string> keys = node->key_properties();
    std::vector<const Property*> props;
    for (const auto& p : node->properties) props.push_back(&p);
    std::sort(props.begin(), props.end(), [](const Property* a, const Property* b) { return a->name < b->name; });
    for (const Property* p : props) {
      if (!p->type.nullable) continue;
      if (std::find(keys.begin(), keys.end(), p->name) != keys.end()) continue;
      if (p->embed_source) continue;  // an @embed target is filled by the embedding pipeline
      if (updated_props[type_name].count(p->name)) continue;
      LintFinding f;
      f.severity = "warning";
      f.code = "L201";
      f.message = type_name + "." + p->name + " exists in schema but no update query sets it";
      f.type_name = type_name;
      f.property = p->name;
      f.query_names.assign(queries.begin(), queries.end());
      report.findings.push_back(std::move(f));
    }
  }

  std::stable_sort(report.findings.begin(), report.findings.end(), [](const LintFinding& a, const LintFinding& b) {
    auto key = [](const LintFinding& f) {
      return std::make_tuple(severity_rank(f.severity), f.type_name.value_or(""), f.property.value_or(""), f.message);
    };
    return key(a) < key(b);
  });

  for (const auto& r : report.results) {
    if (!r.ok) ++report.errors;
    report.warnings += static_cast<int>(r.warnings.size());
  }
  for (const auto& f : report.findings) {
    if (f.severity == "error") ++report.errors;
    else if (f.severity == "warning") ++report.warnings;
    else ++report.infos;
  }
  return report;
}

namespace {

using ojson = nlohmann::ordered_json;

ojson fact_json(const TypeFact& f) {
  ojson j = ojson::object();
  j["kind"] = f.kind == DeclKind::kEdge ? "edge" : "node";
  j["type_name"] = f.type_name;
  return j;
}

ojson operation_json(const OperationDescriptor& op) {
  ojson j = ojson::object();
  ojson result = ojson::array();
  for (const auto& f : op.result) {
    ojson fj = ojson::object();
    fj["name"] = f.name;
    fj["kind"] = f.kind;
    if (f.item_kind) fj["item_kind"] = *f.item_kind;
    if (f.vector_dim) fj["vector_dim"] = *f.vector_dim;
    fj["nullable"] = f.nullable;
    result.push_back(fj);
  }
  j["result"] = result;
  ojson reads = ojson::array();
  for (const auto& f : op.reads) reads.push_back(fact_json(f));
  j["reads"] = reads;
  ojson writes = ojson::array();
  for (const auto& f : op.writes) writes.push_back(fact_json(f));
  j["writes"] = writes;
  return j;
}

}  // namespace

std::string lint_report_json(const LintReport& report) {
  ojson j = ojson::object();
  j["status"] = report.has_errors() ? "error" : "ok";
  ojson src = ojson::object();
  src["kind"] = report.schema_source.kind;
  if (report.schema_source.path) src["path"] = *report.schema_source.path;
  if (report.schema_source.uri) src["uri"] = *report.schema_source.uri;
  j["schema_source"] = src;
  j["query_path"] = report.query_path;
  j["queries_processed"] = report.queries_processed;
  j["errors"] = report.errors;
  j["warnings"] = report.warnings;
  j["infos"] = report.infos;
  ojson results = ojson::array();
  for (const auto& r : report.results) {
    ojson rj = ojson::object();
    rj["name"] = r.name;
    rj["kind"] = r.is_mutation ? "mutation" : "read";
    rj["status"] = r.ok ? "ok" : "error";
    if (!r.warnings.empty()) rj["warnings"] = r.warnings;
    if (!r.ok) rj["error"] = r.error;
    if (r.operation) rj["operation"] = operation_json(*r.operation);
    results.push_back(rj);
  }
  j["results"] = results;
  ojson findings = ojson::array();
  for (const auto& f : report.findings) {
    ojson fj = ojson::object();
    fj["severity"] = f.severity;
    fj["code"] = f.code;
    fj["message"] = f.message;
    if (f.type_name) fj["type_name"] = *f.type_name;
    if (f.property) fj["property"] = *f.property;
    if (!f.query_names.empty()) fj["query_names"] = f.query_names;
    findings.push_back(fj);
  }
  j["findings"] = findings;
  return j.dump(2);
}

std::string lint_report_human(const LintReport& report) {
  std::string out;
  for (const auto& r : report.results) {
    if (r.ok) {
      out += "OK    query `" + r.name + "` (" + (r.is_mutation ? "mutation" : "read") + ")\n";
    } else {
      out += "ERROR query `" + r.name + "`: " + r.error + "\n";
    }
    for (const auto& w : r.warnings) out += "WARN  query `" + r.name + "`: " + w + "\n";
  }
  for (const auto& f : report.findings) {
    std::string label = f.severity == "error" ? "ERROR" : f.severity == "warning" ? "WARN " : "INFO ";
    out += label + " " + f.message + "\n";
  }
  out += "INFO  Lint complete: " + std::to_string(report.queries_processed) + " queries processed (" +
         std::to_string(report.errors) + " error(s), " + std::to_string(report.warnings) + " warning(s), " +
         std::to_string(report.infos) + " info item(s))\n";
  return out;
}

}  // namespace omnigraph::compiler
