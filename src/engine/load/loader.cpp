// Strict NDJSON bulk load: parses each line in place with simdjson on-demand, converts values
// per the schema (§2.3), derives ids (§1), stages per mode (§2.4/2.5) and publishes through
// Graph::write (validation §2.7 runs there).
#include "engine/load/loader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <thread>
#include <cmath>
#include <limits>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "common/error.h"
#include "common/hash.h"
#include "common/time_util.h"
#include "common/ulid.h"
#include "engine/key_id.h"
#include "engine/load/base64.h"
#include "engine/write_txn_impl.h"
#include "storage/column_types.h"

namespace omnigraph::engine {

namespace od = simdjson::ondemand;
using compiler::ScalarKind;

std::string_view load_mode_name(LoadMode mode) {
  switch (mode) {
    case LoadMode::kAppend: return "append";
    case LoadMode::kMerge: return "merge";
    case LoadMode::kOverwrite: return "overwrite";
  }
  return "merge";
}

std::optional<LoadMode> parse_load_mode(std::string_view text) {
  if (text == "append") return LoadMode::kAppend;
  if (text == "merge") return LoadMode::kMerge;
  if (text == "overwrite") return LoadMode::kOverwrite;
  return std::nullopt;
}

void validate_branch_name(std::string_view name) {
  auto bad = [&](const std::string& why) {
    throw Error(ErrorCode::kBadRequest, "invalid branch name '" + std::string(name) + "': " + why);
  };
  if (name.empty()) bad("must not be empty");
  if (name == "main") throw Error(ErrorCode::kBadRequest, "cannot create branch 'main'");
  if (name.front() == '/' || name.back() == '/' || name.find("//") != std::string_view::npos)
    bad("empty path segment");
  if (name.find("..") != std::string_view::npos) bad("'..' is not allowed");
  if (name.find('\\') != std::string_view::npos) bad("'\\' is not allowed");
  if (name.size() >= 5 && name.substr(name.size() - 5) == ".lock") bad("must not end in .lock");
  if (name.rfind("__", 0) == 0) throw Error(ErrorCode::kBadRequest, "branch create does not allow internal system ref '" + std::string(name) + "'");
  for (unsigned char c : name)
    if (c < 0x80 && !std::isalnum(c) && c != '.' && c != '-' && c != '_' && c != '/')
      bad(std::string("character '") + static_cast<char>(c) + "' is not allowed");
}

namespace {

constexpr uint64_t kMaxLineBytes = 33554432;
constexpr uint64_t kMaxStructuralSlots = 131072;
constexpr uint64_t kMaxBlobBytes = 33554432;

const char* const kReserved[] = {"_tombstone", "_rowid", "_rowaddr", "_rowoffset", "_row_created_at_version",
                                 "_row_last_updated_at_version"};
bool is_reserved(std::string_view k) {
  for (auto r : kReserved)
    if (k == r) return true;
  return false;
}

struct TypeInfo {
  const compiler::TypeDef* type = nullptr;
  bool is_edge = false;
  bool keyed = false;
  std::unordered_map<std::string_view, size_t> props;
  uint64_t loaded = 0;
  bool present = false;
};

// A line-numbered load error; envelope errors (§2.6 step 1) beat typing errors (step 2).
struct LineError {
  uint64_t line = 0;
  Error error;
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view json_kind(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "array";
    case od::json_type::object: return "object";
    case od::json_type::number: return "number";
    case od::json_type::string: return "string";
    case od::json_type::boolean: return "boolean";
    case od::json_type::null: return "null";
  }
  return "value";
}

uint64_t structural_slots(std::string_view line) {
  uint64_t n = 1;
  bool in_string = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '}' || c == '[' || c == ']' || c == ',' || c == ':') {
      ++n;
    }
  }
  return n;
}

// One parsed record, staged later in line order.
struct Parsed {
  uint64_t line = 0;
  TypeInfo* info = nullptr;
  Entity entity;
  std::optional<std::string> explicit_id;
};

// Per-thread parse state: a byte range of the input, its parsers, its first errors and its
// records. Lines are parsed in parallel; staging runs afterwards on one thread in line order.
struct Worker {
  size_t begin = 0, end = 0;
  uint64_t first_line = 1;
  bool reports_progress = false;
  od::parser parser, data_parser;
  std::optional<LineError> envelope_error, typing_error;
  std::vector<Parsed> records;
  TypeInfo* last_info = nullptr;
  bool last_edge = false;
  std::string last_name;
};
thread_local Worker* t_worker = nullptr;
Worker& W() { return *t_worker; }

class Loader {
 public:
  Loader(Graph& graph, const simdjson::padded_string& data, const LoadOptions& options)
      : graph_(graph), data_(data), options_(options) {}

  void prepare(const GraphSnapshot& base, WriteTxn& txn_iface) {
    auto& txn = static_cast<WriteTxnImpl&>(txn_iface);
    types_.clear();
    node_types_.clear();
    edge_types_.clear();
    const auto& catalog = base.catalog();
    for (const auto& t : catalog.nodes) add_type(t, false);
    for (const auto& t : catalog.edges) add_type(t, true);
    for (auto& [id, info] : types_) {
      if (info.is_edge) edge_types_[lower(info.type->name)] = &info;
      else node_types_[info.type->name] = &info;
    }
    const char* begin = data_.data();
    size_t total = data_.size();
    // Split the input at line boundaries, one range per worker thread.
    size_t n = total >= (size_t{8} << 20) ? std::min<size_t>(4, std::max(1u, std::thread::hardware_concurrency())) : 1;
    if (const char* env = std::getenv("OMNIGRAPH_LOAD_THREADS"); env && std::atoi(env) > 0)
      n = static_cast<size_t>(std::atoi(env));  // override for benchmarking
    std::vector<Worker> workers(n);
    size_t pos = 0;
    uint64_t line = 1;
    for (size_t i = 0; i < n; ++i) {
      Worker& w = workers[i];
      w.begin = pos;
      w.first_line = line;
      size_t end = i + 1 == n ? total : std::max(pos, total * (i + 1) / n);
      if (i + 1 < n) {
        const void* nl = std::memchr(begin + end, '\n', total - end);
        end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - begin) + 1 : total;
      }
      w.end = end;
      line += static_cast<uint64_t>(std::count(begin + w.begin, begin + w.end, '\n'));
      pos = end;
    }
    workers[0].reports_progress = true;
    for (size_t i = 0; i < n; ++i)
      workers[i].records.reserve((i + 1 < n ? workers[i + 1].first_line : line) - workers[i].first_line);
    std::vector<std::thread> threads;
    std::vector<std::exception_ptr> crashes(n);
    auto run = [&](size_t i) {
      t_worker = &workers[i];
      try {
        parse_range(workers[i], total);
      } catch (...) {
        crashes[i] = std::current_exception();
      }
      t_worker = nullptr;
    };
    for (size_t i = 1; i < n; ++i) threads.emplace_back(run, i);
    run(0);
    for (auto& t : threads) t.join();
    for (auto& c : crashes)
      if (c) std::rethrow_exception(c);
    if (options_.progress) options_.progress(total, total);
    // §2.6: the first envelope error of the file wins over every typing error.
    for (auto& w : workers)
      if (w.envelope_error) throw w.envelope_error->error;
    // Size each type's staging area once instead of growing it record by record.
    std::map<TypeInfo*, size_t> per_type;
    for (auto& w : workers)
      for (auto& rec : w.records) ++per_type[rec.info];
    for (auto& [info, count] : per_type) txn.reserve(*info->type, count);
    // Stage in line order; a parse-time typing error stops staging at its line.
    for (auto& w : workers) {
      for (auto& rec : w.records) {
        if (w.typing_error && w.typing_error->line < rec.line) throw w.typing_error->error;
        rec.info->present = true;
        ++rec.info->loaded;
        stage(*rec.info, std::move(rec.entity), std::move(rec.explicit_id), rec.line, txn);
      }
      if (w.typing_error) throw w.typing_error->error;
      std::vector<Parsed>().swap(w.records);
    }
  }

  void parse_range(Worker& w, size_t total) {
    const char* begin = data_.data();
    size_t pos = w.begin;
    uint64_t line_no = w.first_line - 1;
    uint64_t last_progress = pos;
    while (pos < w.end) {
      const void* nlp = std::memchr(begin + pos, '\n', w.end - pos);
      size_t end = nlp ? static_cast<size_t>(static_cast<const char*>(nlp) - begin) : w.end;
      ++line_no;
      std::string_view line(begin + pos, end - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      size_t line_pos = pos;
      pos = end + 1;
      if (std::all_of(line.begin(), line.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }))
        continue;
      if (w.reports_progress && options_.progress && pos - last_progress > (8u << 20)) {
        last_progress = pos;
        // Worker 0 covers the first 1/n of the input; scale its position to the whole.
        uint64_t share = w.end - w.begin;
        options_.progress(share ? std::min<uint64_t>(total, (pos - w.begin) * total / share) : total, total);
      }
      if (w.envelope_error) continue;  // only the first envelope error matters; keep nothing else
      parse_line(line, line_pos, line_no);
    }
  }

  LoadResult result_counts() const {
    LoadResult r;
    for (const auto& [id, info] : types_) {
      if (!info.present) continue;
      (info.is_edge ? r.edges : r.nodes).push_back({info.type->name, info.loaded});
      r.total_entities += info.loaded;
    }
    auto by_name = [](const LoadTypeCount& a, const LoadTypeCount& b) { return a.name < b.name; };
    std::sort(r.nodes.begin(), r.nodes.end(), by_name);
    std::sort(r.edges.begin(), r.edges.end(), by_name);
    return r;
  }

 private:
  void add_type(const compiler::TypeDef& t, bool is_edge) {
    TypeInfo& info = types_[t.id];
    info.type = &t;
    info.is_edge = is_edge;
    info.keyed = !is_edge && !t.key_properties().empty();
    for (size_t i = 0; i < t.properties.size(); ++i) info.props.emplace(t.properties[i].name, i);
  }

  Error line_error(uint64_t line, const std::string& message, ErrorDetail detail = {}) const {
    return Error(ErrorCode::kBadRequest, "line " + std::to_string(line) + ": " + message, std::move(detail));
  }
  void envelope_fail(uint64_t line, const std::string& message) {
    if (!W().envelope_error) W().envelope_error = LineError{line, line_error(line, message)};
  }
  void typing_fail(uint64_t line, Error error) {
    if (!W().typing_error) W().typing_error = LineError{line, std::move(error)};
  }

  void parse_line(std::string_view line, size_t offset, uint64_t line_no) {
    if (line.size() > kMaxLineBytes) {
      W().envelope_error = LineError{line_no, line_error(line_no, "line exceeds graph_batch_line_bytes (" +
                                                                   std::to_string(line.size()) + " > " +
                                                                   std::to_string(kMaxLineBytes) + ")",
                                                      ResourceLimitDetail{"graph_batch_line_bytes", kMaxLineBytes, line.size()})};
      return;
    }
    if (line.size() > kMaxStructuralSlots) {
      uint64_t slots = structural_slots(line);
      if (slots > kMaxStructuralSlots) {
        W().envelope_error = LineError{line_no, line_error(line_no, "line exceeds graph_batch_json_structural_slots (" +
                                                                     std::to_string(slots) + " > " +
                                                                     std::to_string(kMaxStructuralSlots) + ")",
                                                        ResourceLimitDetail{"graph_batch_json_structural_slots",
                                                                            kMaxStructuralSlots, slots})};
        return;
      }
    }
    // Parse in place: the padded buffer continues after the line, so the padding is readable.
    size_t capacity = data_.size() + simdjson::SIMDJSON_PADDING - offset;
    od::document doc;
    if (W().parser.iterate(line.data(), line.size(), capacity).get(doc)) {
      envelope_fail(line_no, "invalid JSON");
      return;
    }
    try {
      parse_envelope(doc, line_no);
    } catch (const simdjson::simdjson_error& e) {
      envelope_fail(line_no, std::string("invalid JSON: ") + simdjson::error_message(e.error()));
    }
  }

  void parse_envelope(od::document& doc, uint64_t line_no) {
    od::object obj;
    if (doc.get_object().get(obj)) {
      envelope_fail(line_no, "each line must be one JSON object");
      return;
    }
    std::optional<std::string_view> type_name, edge_name;
    std::optional<std::string> from, to;
    bool have_data = false;
    bool seen[5] = {false, false, false, false, false};  // type edge from to data
    TypeInfo* info = nullptr;
    Entity entity;
    std::optional<std::string> explicit_id;
    bool data_parsed = false;
    // Member order is free: `data` after `type`/`edge` is parsed in place; before them it is
    // copied and parsed once the type is known.
    std::string data_json;
    auto resolve = [&](bool edge, std::string_view name) -> bool {
      // Files come grouped by type: reuse the last resolution for the same spelling.
      Worker& w = W();
      if (w.last_info && w.last_edge == edge && name == w.last_name) {
        info = w.last_info;
        entity.values.resize(info->type->properties.size());
        return true;
      }
      if (edge) {
        auto it = edge_types_.find(lower(name));
        if (it == edge_types_.end()) return envelope_fail(line_no, "unknown edge type '" + std::string(name) + "'"), false;
        info = it->second;
      } else {
        auto it = node_types_.find(std::string(name));
        if (it == node_types_.end()) return envelope_fail(line_no, "unknown node type '" + std::string(name) + "'"), false;
        info = it->second;
      }
      w.last_info = info;
      w.last_edge = edge;
      w.last_name.assign(name);
      entity.values.resize(info->type->properties.size());
      return true;
    };
    for (auto field : obj) {
      std::string_view key = field.unescaped_key().value();
      int slot = key == "type" ? 0 : key == "edge" ? 1 : key == "from" ? 2 : key == "to" ? 3 : key == "data" ? 4 : -1;
      if (slot < 0) {
        if (is_reserved(key)) return envelope_fail(line_no, "reserved field '" + std::string(key) + "' is not allowed");
        return envelope_fail(line_no, "unknown top-level graph batch field '" + std::string(key) + "'");
      }
      if (seen[slot]) return envelope_fail(line_no, "duplicate member '" + std::string(key) + "'");
      seen[slot] = true;
      od::value v = field.value();
      if (slot == 4) {
        od::json_type t = v.type();
        if (t != od::json_type::object) return envelope_fail(line_no, "'data' must be an object, got " + std::string(json_kind(t)));
        have_data = true;
        if (info && !(seen[0] && seen[1])) {
          if (!parse_data(v.get_object().value(), *info, entity, explicit_id, line_no)) return;
          data_parsed = true;
        } else {
          od::object dobj = v.get_object().value();
          data_json = std::string(dobj.raw_json().value());
        }
        continue;
      }
      if (v.type() != od::json_type::string)
        return envelope_fail(line_no, "'" + std::string(key) + "' must be a string");
      std::string_view s = v.get_string().value();
      if (slot == 0) type_name = s;
      else if (slot == 1) edge_name = s;
      else if (slot == 2) from = std::string(s);
      else to = std::string(s);
      if ((slot == 0 || slot == 1) && !(seen[0] && seen[1]) && !resolve(slot == 1, s)) return;
    }
    if (!doc.current_location().error()) return envelope_fail(line_no, "trailing content after the JSON object");
    if (type_name.has_value() == edge_name.has_value())
      return envelope_fail(line_no, "exactly one of 'type' or 'edge' must be present");
    if (type_name) {
      if (from || to) return envelope_fail(line_no, "unknown top-level graph batch field '" + std::string(from ? "from" : "to") + "'");
    } else {
      if (!from) return envelope_fail(line_no, "edge envelope requires 'from'");
      if (!to) return envelope_fail(line_no, "edge envelope requires 'to'");
    }
    if (have_data && !data_parsed) {
      simdjson::padded_string padded(data_json);
      od::document ddoc = W().data_parser.iterate(padded);
      if (!parse_data(ddoc.get_object().value(), *info, entity, explicit_id, line_no)) return;
    }
    if (info->is_edge) {
      entity.src = std::move(*from);
      entity.dst = std::move(*to);
    }
    if (W().typing_error) return;  // the load fails at or before this line; keep nothing more
    W().records.push_back(Parsed{line_no, info, std::move(entity), std::move(explicit_id)});
  }


  // Returns false after recording an envelope/typing error.
  bool parse_data(od::object obj, TypeInfo& info, Entity& entity, std::optional<std::string>& explicit_id,
                  uint64_t line_no) {
    const auto& type = *info.type;
    std::vector<uint8_t> seen(type.properties.size(), 0);
    bool seen_id = false;
    for (auto field : obj) {
      std::string_view key = field.unescaped_key().value();
      od::value v = field.value();
      if (key == "id") {
        if (seen_id) return envelope_fail(line_no, "duplicate member 'data.id'"), false;
        seen_id = true;
        if (v.type() != od::json_type::string) {
          typing_fail(line_no, line_error(line_no, "data.id must be a string"));
          return false;
        }
        explicit_id = std::string(v.get_string().value());
        continue;
      }
      if (is_reserved(key)) return envelope_fail(line_no, "reserved field 'data." + std::string(key) + "' is not allowed"), false;
      if (info.is_edge && (key == "src" || key == "dst"))
        return envelope_fail(line_no, "edge data must not contain '" + std::string(key) + "'"), false;
      auto it = info.props.find(key);
      if (it == info.props.end()) {
        envelope_fail(line_no, "unknown input field '" + std::string(key) + "' for " +
                                   (info.is_edge ? "edge" : "node") + " type '" + type.name + "'");
        return false;
      }
      if (seen[it->second]) return envelope_fail(line_no, "duplicate member 'data." + std::string(key) + "'"), false;
      seen[it->second] = 1;
      const auto& prop = type.properties[it->second];
      try {
        entity.values[it->second] = convert(v, prop, line_no);
      } catch (const Error& e) {
        typing_fail(line_no, e);
        return false;
      }
    }
    return true;
  }

  [[noreturn]] void type_error(uint64_t line_no, const compiler::Property& p, std::string_view expects, od::json_type got) const {
    throw line_error(line_no, "strict property '" + p.name + "' expects " + std::string(expects) + ", got " +
                                  std::string(json_kind(got)));
  }

  [[noreturn]] void out_of_range_error(od::value& v, const compiler::Property& p, const std::string& expects,
                                       uint64_t line_no) const {
    throw line_error(line_no, "strict property '" + p.name + "' value " + std::string(v.raw_json_token()) +
                                  " is out of range for " + expects);
  }

  Value convert_scalar(od::value& v, const compiler::Property& p, ScalarKind kind, uint64_t line_no) {
    od::json_type t = v.type();
    std::string expects = compiler::render_type_plain(p.type);
    switch (kind) {
      case ScalarKind::kString:
        if (t != od::json_type::string) type_error(line_no, p, expects, t);
        return Value(std::string(v.get_string().value()));
      case ScalarKind::kBool:
        if (t != od::json_type::boolean) type_error(line_no, p, expects, t);
        return Value(v.get_bool().value());
      case ScalarKind::kI32:
      case ScalarKind::kI64:
      case ScalarKind::kU32:
      case ScalarKind::kU64: {
        if (t != od::json_type::number) type_error(line_no, p, expects, t);
        od::number_type nt;
        if (v.get_number_type().get(nt)) out_of_range_error(v, p, expects, line_no);
        auto out_of_range = [&] {
          throw line_error(line_no, "strict property '" + p.name + "' value " + std::string(v.raw_json_token()) +
                                        " is out of range for " + expects);
        };
        if (nt == od::number_type::floating_point_number)
          throw line_error(line_no, "strict property '" + p.name + "' expects " + expects + ", got a fractional number");
        if (kind == ScalarKind::kU32 || kind == ScalarKind::kU64) {
          if (nt == od::number_type::signed_integer && v.get_int64().value() < 0) out_of_range();
          uint64_t u = v.get_uint64().value();
          if (kind == ScalarKind::kU32 && u > std::numeric_limits<uint32_t>::max()) out_of_range();
          return Value(u);
        }
        if (nt == od::number_type::unsigned_integer) out_of_range();  // > INT64_MAX
        int64_t i = v.get_int64().value();
        if (kind == ScalarKind::kI32 && (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()))
          out_of_range();
        return Value(i);
      }
      case ScalarKind::kF32:
      case ScalarKind::kF64: {
        if (t != od::json_type::number) type_error(line_no, p, expects, t);
        double d = v.get_double().value();
        if (kind == ScalarKind::kF32) {
          float f = static_cast<float>(d);
          if (!std::isfinite(f))
            throw line_error(line_no, "strict property '" + p.name + "' value is not finite as F32");
          d = static_cast<double>(f);
        }
        return Value(d);
      }
      case ScalarKind::kDate:
      case ScalarKind::kDateTime: {
        if (t == od::json_type::number) {
          if (v.get_number_type().value() != od::number_type::signed_integer &&
              v.get_number_type().value() != od::number_type::unsigned_integer)
            throw line_error(line_no, "strict property '" + p.name + "' expects " + expects + ", got a fractional number");
          int64_t i = v.get_int64().value();
          if (kind == ScalarKind::kDate && (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()))
            throw line_error(line_no, "strict property '" + p.name + "' value is out of range for Date");
          return Value(i);
        }
        if (t != od::json_type::string) type_error(line_no, p, expects, t);
        std::string_view s = v.get_string().value();
        auto parsed = kind == ScalarKind::kDate ? parse_date(s) : parse_datetime_ms(s);
        if (!parsed)
          throw line_error(line_no, "strict property '" + p.name + "' expects " + expects + ", got invalid " +
                                        (kind == ScalarKind::kDate ? "date" : "date-time") + " '" + std::string(s) + "'");
        return Value(*parsed);
      }
      case ScalarKind::kBlob: {
        if (t != od::json_type::string) type_error(line_no, p, expects, t);
        return blob_value(v.get_string().value(), p, line_no);
      }
      case ScalarKind::kVector: break;
    }
    type_error(line_no, p, expects, t);
  }

  Value blob_value(std::string_view s, const compiler::Property& p, uint64_t line_no) {
    if (s.rfind("base64:", 0) != 0) {
      if (s.empty()) return Value();
      throw line_error(line_no, "external blob URI for '" + p.name +
                                    "' is not admitted: the direct-store CLI allows only managed \"base64:\" blobs");
    }
    auto bytes = base64_decode(s.substr(7));
    if (!bytes) throw line_error(line_no, "blob property '" + p.name + "' has invalid base64");
    if (bytes->size() > kMaxBlobBytes)
      throw Error(ErrorCode::kBadRequest,
                  "line " + std::to_string(line_no) + ": decoded blob input bytes for '" + p.name + "' exceed the limit",
                  ResourceLimitDetail{"decoded blob input bytes for " + p.name, kMaxBlobBytes, bytes->size()});
    std::string digest = sha256_hex(*bytes);
    std::string key = "blobs/" + digest;
    graph_.store().create_if_absent(key, *bytes);
    storage::BlobDescriptor d{"omni:" + key, bytes->size(), "", digest};
    return Value(storage::encode_blob_descriptor(d));
  }

  Value convert(od::value& v, const compiler::Property& p, uint64_t line_no) {
    od::json_type t = v.type();
    if (t == od::json_type::null) {
      if (!p.type.nullable)
        throw line_error(line_no, "non-nullable property '" + p.name + "' has null or invalid values");
      return Value();
    }
    if (p.type.is_vector()) {
      if (t != od::json_type::array) type_error(line_no, p, compiler::render_type_plain(p.type), t);
      std::vector<float> lanes;
      lanes.reserve(p.type.vector_dim);
      for (auto el : v.get_array()) {
        od::value e = el.value();
        if (e.type() != od::json_type::number)
          throw line_error(line_no, "vector property '" + p.name + "' elements must be numeric, got " +
                                        std::string(e.raw_json_token()));
        double d = e.get_double().value();
        float f = static_cast<float>(d);
        if (!std::isfinite(f)) throw line_error(line_no, "vector property '" + p.name + "' elements must be finite f32 values");
        lanes.push_back(f);
      }
      if (lanes.size() != p.type.vector_dim)
        throw line_error(line_no, "vector property '" + p.name + "' expects " + std::to_string(p.type.vector_dim) +
                                      " dimensions, got " + std::to_string(lanes.size()));
      return Value(std::move(lanes));
    }
    if (p.type.list) {
      if (t != od::json_type::array) type_error(line_no, p, compiler::render_type_plain(p.type), t);
      ValueList out;
      for (auto el : v.get_array()) {
        od::value e = el.value();
        if (e.type() == od::json_type::null)
          throw line_error(line_no, "list property '" + p.name + "' must not contain null elements");
        out.push_back(convert_scalar(e, p, p.type.scalar, line_no));
      }
      return Value(std::move(out));
    }
    return convert_scalar(v, p, p.type.scalar, line_no);
  }

  void stage(TypeInfo& info, Entity entity, std::optional<std::string> explicit_id, uint64_t line_no, WriteTxnImpl& txn) {
    const auto& type = *info.type;
    // Non-nullable properties that were missing.
    for (size_t i = 0; i < type.properties.size(); ++i)
      if (entity.values[i].is_null() && !type.properties[i].type.nullable) {
        throw line_error(line_no, "non-nullable property '" + type.properties[i].name + "' has null or invalid values");
      }
    if (info.keyed) {
      try {
        entity.id = derive_key_id(type, entity.values);
      } catch (const Error& e) {
        throw line_error(line_no, e.message());
      }
      if (explicit_id && *explicit_id != entity.id)
        throw line_error(line_no, "node " + type.name + " explicit id '" + *explicit_id +
                                      "' does not match its canonical @key id '" + entity.id + "'");
    } else if (!explicit_id) {
      entity.id = new_ulid();  // fresh: cannot collide with anything staged or committed
      if (options_.mode == LoadMode::kOverwrite) {
        auto st = txn.stages().find(type.id);
        if (st == txn.stages().end() || !st->second.cleared_base) txn.clear_base(type);
      }
      txn.put_fresh(type, std::move(entity));
      return;
    } else {
      entity.id = std::move(*explicit_id);
    }
    // Duplicates inside the file (§2.5) and append's strict insert (§2.4).
    auto s = txn.stages().find(type.id);
    bool staged = s != txn.stages().end() && s->second.has(entity.id);
    const EntityKind kind = info.is_edge ? EntityKind::kEdge : EntityKind::kNode;
    if (staged) {
      if (info.keyed) {
        auto props = type.key_properties();
        std::string label = type.name + "." + (props.size() > 1 ? "(" : "");
        for (size_t i = 0; i < props.size(); ++i) label += (i ? ", " : "") + props[i];
        if (props.size() > 1) label += ")";
        throw line_error(line_no, "@unique violation on " + label + ": value '" + entity.id + "' held by '" +
                                      entity.id + "' and '" + entity.id + "'");
      }
      if (options_.mode != LoadMode::kMerge) {
        throw Error(ErrorCode::kConflict,
                    "line " + std::to_string(line_no) + ": duplicate id '" + entity.id + "' for " +
                        (info.is_edge ? "edge" : "node") + " type '" + type.name + "' in one load",
                    KeyConflictDetail{kind, type.name, entity.id});
      }
    } else if (options_.mode == LoadMode::kAppend && txn.base_impl().table_impl(type).find(entity.id)) {
      throw Error(ErrorCode::kConflict,
                  std::string(info.is_edge ? "edge" : "node") + " type '" + type.name + "' already has id '" +
                      entity.id + "'",
                  KeyConflictDetail{kind, type.name, entity.id});
    }
    if (options_.mode == LoadMode::kOverwrite && (s == txn.stages().end() || !s->second.cleared_base))
      txn.clear_base(type);
    txn.put(type, std::move(entity));
  }

  Graph& graph_;
  const simdjson::padded_string& data_;
  const LoadOptions& options_;
  std::map<uint32_t, TypeInfo> types_;
  std::unordered_map<std::string, TypeInfo*> node_types_;
  std::unordered_map<std::string, TypeInfo*> edge_types_;  // lower-cased name
};

}  // namespace

namespace {

LoadResult load_padded(Graph& graph, const simdjson::padded_string& padded, const LoadOptions& options) {
  LoadResult result;
  result.branch = options.branch;
  result.mode = options.mode;
  result.base_branch = options.from;
  auto tail = graph.refs().tail(options.branch);
  bool exists = tail && tail->live();
  if (!exists) {
    if (!options.from) throw Error(ErrorCode::kNotFound, "branch '" + options.branch + "' not found");
    validate_branch_name(options.branch);
    auto base = graph.refs().head(*options.from);
    try {
      graph.refs().create(options.branch, base.commit_id, options.actor);
      result.branch_created = true;
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kConflict) throw;  // created concurrently: load onto it
    }
  }
  Loader loader(graph, padded, options);
  Graph::WriteOptions wo;
  wo.branch = options.branch;
  wo.actor = options.actor;
  wo.reprepare = options.mode != LoadMode::kOverwrite;
  wo.commit_if_empty = true;
  auto commit = graph.write(wo, [&](const GraphSnapshot& base, WriteTxn& txn) { loader.prepare(base, txn); });
  LoadResult counts = loader.result_counts();
  result.nodes = std::move(counts.nodes);
  result.edges = std::move(counts.edges);
  result.total_entities = counts.total_entities;
  result.commit = std::move(*commit);
  return result;
}

}  // namespace

LoadResult load_ndjson(Graph& graph, std::string_view data, const LoadOptions& options) {
  simdjson::padded_string padded(data);
  return load_padded(graph, padded, options);
}

LoadResult load_ndjson_file(Graph& graph, const std::string& path, const LoadOptions& options) {
  simdjson::padded_string padded;
  if (simdjson::padded_string::load(path).get(padded))
    throw Error(ErrorCode::kBadRequest, "cannot read data file '" + path + "'");
  return load_padded(graph, padded, options);
}

}  // namespace omnigraph::engine
