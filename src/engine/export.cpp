// NDJSON export in the load envelope format, in upstream's exact order.
#include "engine/export.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <numeric>
#include <ostream>
#include <set>

#include "common/error.h"
#include "engine/key_id.h"
#include "engine/load/base64.h"
#include "storage/column_types.h"

namespace omnigraph::engine {

namespace {

using storage::TypeKind;

void append_double(std::string& out, double d) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d);
  out.append(buf, r.ptr);
}

template <class T>
T load_le(const uint8_t* p) {
  T x;
  std::memcpy(&x, p, sizeof(T));
  return x;
}

void append_scalar(std::string& out, TypeKind kind, const uint8_t* p) {
  switch (kind) {
    case TypeKind::kBool: out += *p ? "true" : "false"; break;
    case TypeKind::kI32:
    case TypeKind::kDate: out += std::to_string(load_le<int32_t>(p)); break;
    case TypeKind::kI64:
    case TypeKind::kDateTime: out += std::to_string(load_le<int64_t>(p)); break;
    case TypeKind::kU32: out += std::to_string(load_le<uint32_t>(p)); break;
    case TypeKind::kU64: out += std::to_string(load_le<uint64_t>(p)); break;
    case TypeKind::kF32: append_double(out, static_cast<double>(load_le<float>(p))); break;
    case TypeKind::kF64: append_double(out, load_le<double>(p)); break;
    default: out += "null";
  }
}

void append_cell(std::string& out, const storage::Column& col, uint64_t row, storage::ObjectStore& store) {
  if (col.is_null(row)) {
    out += "null";
    return;
  }
  const auto& t = col.type;
  switch (t.kind) {
    case TypeKind::kString:
    case TypeKind::kEnum: append_json_string(out, col.bytes_at(row)); return;
    case TypeKind::kBlob: {
      auto d = storage::decode_blob_descriptor(col.bytes_at(row));
      if (d.uri.rfind("omni:", 0) == 0) {
        std::string bytes = store.get(d.uri.substr(5));
        append_json_string(out, "base64:" + base64_encode(bytes));
      } else {
        append_json_string(out, d.uri);
      }
      return;
    }
    case TypeKind::kVector: {
      auto lanes = col.vector_at(row);
      out += '[';
      for (size_t i = 0; i < lanes.size(); ++i) {
        if (i) out += ',';
        append_double(out, static_cast<double>(lanes[i]));
      }
      out += ']';
      return;
    }
    case TypeKind::kList: {
      auto [b, e] = col.list_range(row);
      out += '[';
      for (uint64_t i = b; i < e; ++i) {
        if (i != b) out += ',';
        if (t.layout() == storage::Layout::kListVariable) {
          append_json_string(out, col.list_element_bytes(i));
        } else {
          append_scalar(out, t.element, col.data.data() + i * storage::scalar_width(t.element));
        }
      }
      out += ']';
      return;
    }
    default: append_scalar(out, t.kind, col.data.data() + row * t.width());
  }
}

void export_type(const GraphSnapshot& snapshot, const compiler::TypeDef& type, storage::ObjectStore& store,
                 std::ostream& out) {
  const TableData& table = snapshot.table(type);
  uint64_t n = table.row_count();
  if (n == 0) return;
  const bool is_edge = type.kind == compiler::DeclKind::kEdge;
  const auto& ids = table.column("id");
  std::vector<uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return ids.bytes_at(a) < ids.bytes_at(b); });
  const storage::Column* src = is_edge ? &table.column("src") : nullptr;
  const storage::Column* dst = is_edge ? &table.column("dst") : nullptr;
  std::vector<const storage::Column*> props;
  std::vector<std::string> keys;
  for (const auto& p : type.properties) {
    props.push_back(&table.column(p.name));
    std::string k = ",";
    append_json_string(k, p.name);
    k += ':';
    keys.push_back(std::move(k));
  }
  std::string head;
  head += is_edge ? "{\"edge\":" : "{\"type\":";
  append_json_string(head, type.name);
  std::string line;
  for (uint32_t r : order) {
    line = head;
    if (is_edge) {
      line += ",\"from\":";
      append_json_string(line, src->bytes_at(r));
      line += ",\"to\":";
      append_json_string(line, dst->bytes_at(r));
    }
    line += ",\"data\":{\"id\":";
    append_json_string(line, ids.bytes_at(r));
    for (size_t i = 0; i < props.size(); ++i) {
      line += keys[i];
      append_cell(line, *props[i], r, store);
    }
    line += "}}\n";
    out.write(line.data(), static_cast<std::streamsize>(line.size()));
  }
}

}  // namespace

void export_ndjson(const GraphSnapshot& snapshot, storage::ObjectStore& store, const std::vector<std::string>& types,
                   std::ostream& out) {
  const auto& catalog = snapshot.catalog();
  std::set<std::string> wanted(types.begin(), types.end());
  for (const auto& name : wanted)
    if (!catalog.find_node(name) && !catalog.find_edge(name))
      throw Error(ErrorCode::kBadRequest, "unknown export type '" + name + "'");
  // Type key order: "edge:<Name>" sorts before "node:<Name>"; names by bytes.
  std::vector<const compiler::TypeDef*> edges, nodes;
  for (const auto& t : catalog.edges)
    if (wanted.empty() || wanted.count(t.name)) edges.push_back(&t);
  for (const auto& t : catalog.nodes)
    if (wanted.empty() || wanted.count(t.name)) nodes.push_back(&t);
  auto by_name = [](const compiler::TypeDef* a, const compiler::TypeDef* b) { return a->name < b->name; };
  std::sort(edges.begin(), edges.end(), by_name);
  std::sort(nodes.begin(), nodes.end(), by_name);
  for (const auto* t : edges) export_type(snapshot, *t, store, out);
  for (const auto* t : nodes) export_type(snapshot, *t, store, out);
}

}  // namespace omnigraph::engine
