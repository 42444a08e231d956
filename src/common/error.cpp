// Error codes, HTTP status mapping and the ErrorOutput JSON body.
#include "common/error.h"

#include <array>
#include <nlohmann/json.hpp>

namespace omnigraph {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};
constexpr std::array<CodeInfo, 8> kCodes = {{
    {ErrorCode::kBadRequest, "bad_request", 400},
    {ErrorCode::kUnauthorized, "unauthorized", 401},
    {ErrorCode::kForbidden, "forbidden", 403},
    {ErrorCode::kNotFound, "not_found", 404},
    {ErrorCode::kMethodNotAllowed, "method_not_allowed", 405},
    {ErrorCode::kConflict, "conflict", 409},
    {ErrorCode::kTooManyRequests, "too_many_requests", 429},
    {ErrorCode::kInternal, "internal", 500},
}};

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

void put_optional(nlohmann::json& j, const char* key, const std::optional<std::string>& v) {
  j[key] = v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

}  // namespace

std::string_view error_code_name(ErrorCode code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info.name;
  }
  return "internal";
}

std::optional<ErrorCode> parse_error_code(std::string_view name) {
  for (const auto& info : kCodes) {
    if (info.name == name) return info.code;
  }
  return std::nullopt;
}

int error_code_http_status(ErrorCode code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info.status;
  }
  return 500;
}

std::string_view entity_kind_name(EntityKind kind) { return kind == EntityKind::kNode ? "node" : "edge"; }

std::string_view merge_conflict_kind_name(MergeConflictKind kind) {
  switch (kind) {
    case MergeConflictKind::kDivergentInsert: return "divergent_insert";
    case MergeConflictKind::kDivergentUpdate: return "divergent_update";
    case MergeConflictKind::kDeleteVsUpdate: return "delete_vs_update";
    case MergeConflictKind::kOrphanEdge: return "orphan_edge";
    case MergeConflictKind::kUniqueViolation: return "unique_violation";
    case MergeConflictKind::kCardinalityViolation: return "cardinality_violation";
    case MergeConflictKind::kValueConstraintViolation: return "value_constraint_violation";
  }
  return "divergent_update";
}

std::string_view change_diff_refusal_reason_name(ChangeDiffRefusalReason reason) {
  switch (reason) {
    case ChangeDiffRefusalReason::kParentlessCommit: return "parentless_commit";
    case ChangeDiffRefusalReason::kSchemaBoundary: return "schema_boundary";
    case ChangeDiffRefusalReason::kUnknown: return "unknown";
  }
  return "unknown";
}

Error::Error(ErrorCode code, std::string message, ErrorDetail detail)
    : std::runtime_error(message), code_(code), message_(std::move(message)), detail_(std::move(detail)) {}

int Error::http_status() const {
  return std::visit(Overloaded{
                        [&](const ResourceLimitDetail&) { return 413; },
                        [&](const BlobRangeDetail&) { return 416; },
                        [&](const ExternalBlobSourceDetail&) { return 424; },
                        [&](const RecoveryRequiredDetail&) { return 503; },
                        [&](const PreconditionFailureDetail&) { return 412; },
                        [&](const ChangeFeedGapDetail&) { return 410; },
                        [&](const HistoryReclaimedDetail&) { return 410; },
                        [&](const auto&) { return error_code_http_status(code_); },
                    },
                    detail_);
}

std::optional<ErrorCode> Error::public_code() const {
  switch (http_status()) {
    case 410:
    case 412:
    case 424:
    case 503:
      return std::nullopt;
    default:
      return code_;
  }
}

int Error::cli_exit_code() const {
  return std::holds_alternative<PreconditionFailureDetail>(detail_) ? 4 : 1;
}

std::string Error::to_json() const {
  nlohmann::json j;
  j["error"] = message_;
  if (auto c = public_code()) j["code"] = std::string(error_code_name(*c));
  std::visit(
      Overloaded{
          [&](const std::monostate&) {},
          [&](const MergeConflictsDetail& d) {
            if (d.conflicts.empty()) return;
            auto& arr = j["merge_conflicts"] = nlohmann::json::array();
            for (const auto& c : d.conflicts) {
              nlohmann::json item;
              item["entity_kind"] = std::string(entity_kind_name(c.entity_kind));
              item["type_name"] = c.type_name;
              put_optional(item, "entity_id", c.entity_id);
              item["kind"] = std::string(merge_conflict_kind_name(c.kind));
              item["message"] = c.message;
              arr.push_back(std::move(item));
            }
          },
          [&](const PublishedVersionConflictDetail& d) {
            j["published_dataset_version_conflict"] = {
                {"entity_kind", std::string(entity_kind_name(d.entity_kind))},
                {"type_name", d.type_name},
                {"expected_published_dataset_version", d.expected_published_dataset_version},
                {"actual_published_dataset_version", d.actual_published_dataset_version}};
          },
          [&](const ReadSetConflictDetail& d) {
            nlohmann::json o{{"member", d.member}};
            put_optional(o, "expected", d.expected);
            put_optional(o, "actual", d.actual);
            j["read_set_conflict"] = std::move(o);
          },
          [&](const KeyConflictDetail& d) {
            nlohmann::json o{{"entity_kind", std::string(entity_kind_name(d.entity_kind))},
                             {"type_name", d.type_name}};
            if (d.entity_id) o["entity_id"] = *d.entity_id;
            j["key_conflict"] = std::move(o);
          },
          [&](const ResourceLimitDetail& d) {
            j["resource_limit"] = {{"resource", d.resource}, {"limit", d.limit}, {"actual", d.actual}};
          },
          [&](const BlobRangeDetail& d) {
            j["blob_range"] = {{"start", d.start}, {"end", d.end}, {"length", d.length}};
          },
          [&](const ExternalBlobSourceDetail& d) {
            j["external_blob_source"] = {{"uri", d.uri}, {"reason", d.reason}};
          },
          [&](const RecoveryRequiredDetail& d) {
            j["recovery_required"] = {{"operation_id", d.operation_id}};
          },
          [&](const PreconditionFailureDetail& d) {
            nlohmann::json o{{"expected", d.expected}};
            if (d.actual) o["actual"] = *d.actual;
            j["precondition_failure"] = std::move(o);
          },
          [&](const ChangeFeedGapDetail& d) {
            nlohmann::json o{{"first_unreadable_commit_id", d.first_unreadable_commit_id}};
            if (d.cursor) o["cursor"] = *d.cursor;
            j["change_feed_gap"] = std::move(o);
          },
          [&](const HistoryReclaimedDetail&) {},
          [&](const ChangeDiffRefusalDetail& d) {
            nlohmann::json o{{"reason", std::string(change_diff_refusal_reason_name(d.reason))},
                             {"graph_commit_id", d.graph_commit_id}};
            if (d.type_name) o["type_name"] = *d.type_name;
            j["change_diff_refusal"] = std::move(o);
          },
      },
      detail_);
  return j.dump();
}

}  // namespace omnigraph
