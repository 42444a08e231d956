// The one typed error that crosses module boundaries. It carries the public
// error code of the HTTP/CLI contract (server.md §8) and, optionally, one
// structured detail. The HTTP status is derived from code + detail, so a
// front end never decides it.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omnigraph {

// Closed enum (server.md §8.1): new meanings are new detail kinds, never new codes.
enum class ErrorCode {
  kBadRequest,
  kUnauthorized,
  kForbidden,
  kNotFound,
  kMethodNotAllowed,
  kConflict,
  kTooManyRequests,
  kInternal,
};

// Wire spelling, e.g. "bad_request".
std::string_view error_code_name(ErrorCode code);
// Inverse of error_code_name; nullopt for an unknown spelling.
std::optional<ErrorCode> parse_error_code(std::string_view name);
// HTTP status for a code without details (bad_request → 400, ...).
int error_code_http_status(ErrorCode code);

// ---- Structured details (one per error at most) ----
enum class EntityKind { kNode, kEdge };
std::string_view entity_kind_name(EntityKind kind);

enum class MergeConflictKind {
  kDivergentInsert,
  kDivergentUpdate,
  kDeleteVsUpdate,
  kOrphanEdge,
  kUniqueViolation,
  kCardinalityViolation,
  kValueConstraintViolation,
};
std::string_view merge_conflict_kind_name(MergeConflictKind kind);

struct MergeConflict {
  EntityKind entity_kind = EntityKind::kNode;
  std::string type_name;
  std::optional<std::string> entity_id;
  MergeConflictKind kind = MergeConflictKind::kDivergentUpdate;
  std::string message;
};
struct MergeConflictsDetail {
  std::vector<MergeConflict> conflicts;
};
struct PublishedVersionConflictDetail {
  EntityKind entity_kind = EntityKind::kNode;
  std::string type_name;
  uint64_t expected_published_dataset_version = 0;
  uint64_t actual_published_dataset_version = 0;
};
struct ReadSetConflictDetail {
  std::string member;
  std::optional<std::string> expected;
  std::optional<std::string> actual;
};
struct KeyConflictDetail {
  EntityKind entity_kind = EntityKind::kNode;
  std::string type_name;
  std::optional<std::string> entity_id;
};
struct ResourceLimitDetail {  // 413
  std::string resource;
  uint64_t limit = 0;
  uint64_t actual = 0;
};
struct BlobRangeDetail {  // 416, half-open [start, end)
  uint64_t start = 0;
  uint64_t end = 0;
  uint64_t length = 0;
};
struct ExternalBlobSourceDetail {  // 424
  std::string uri;
  std::string reason;
};
struct RecoveryRequiredDetail {  // 503
  std::string operation_id;
};
struct PreconditionFailureDetail {  // 412; CLI exit code 4
  std::string expected;
  std::optional<std::string> actual;
};
struct ChangeFeedGapDetail {  // 410
  std::optional<std::string> cursor;
  std::string first_unreadable_commit_id;
};
struct HistoryReclaimedDetail {};  // 410 on reads of history reclaimed by cleanup (no wire details)
enum class ChangeDiffRefusalReason { kParentlessCommit, kSchemaBoundary, kUnknown };
std::string_view change_diff_refusal_reason_name(ChangeDiffRefusalReason reason);
struct ChangeDiffRefusalDetail {  // 409
  ChangeDiffRefusalReason reason = ChangeDiffRefusalReason::kUnknown;
  std::string graph_commit_id;
  std::optional<std::string> type_name;
};

using ErrorDetail =
    std::variant<std::monostate, MergeConflictsDetail, PublishedVersionConflictDetail,
                 ReadSetConflictDetail, KeyConflictDetail, ResourceLimitDetail, BlobRangeDetail,
                 ExternalBlobSourceDetail, RecoveryRequiredDetail, PreconditionFailureDetail,
                 ChangeFeedGapDetail, ChangeDiffRefusalDetail, HistoryReclaimedDetail>;

// Thrown across module boundaries. Hot loops report failure by value instead.
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string message, ErrorDetail detail = {});

  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  const ErrorDetail& detail() const { return detail_; }

  // HTTP status from code and detail (e.g. precondition_failure → 412).
  int http_status() const;
  // The `code` field of ErrorOutput: omitted (nullopt) for 410, 412, 424, 503.
  std::optional<ErrorCode> public_code() const;
  // CLI exit status: 4 for a lost compare-and-swap, otherwise 1.
  int cli_exit_code() const;

  // ErrorOutput JSON document (server.md §8.1), compact.
  std::string to_json() const;

  // Shorthands for the common cases.
  static Error bad_request(std::string message) { return {ErrorCode::kBadRequest, std::move(message)}; }
  static Error not_found(std::string message) { return {ErrorCode::kNotFound, std::move(message)}; }
  static Error conflict(std::string message) { return {ErrorCode::kConflict, std::move(message)}; }
  static Error internal(std::string message) { return {ErrorCode::kInternal, std::move(message)}; }

 private:
  ErrorCode code_;
  std::string message_;
  ErrorDetail detail_;
};

}  // namespace omnigraph
