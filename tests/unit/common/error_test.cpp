#include "common/error.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace omnigraph {
namespace {

TEST(ErrorCodeTest, EveryCodeMapsToItsStatusAndName) {
  struct Row {
    ErrorCode code;
    const char* name;
    int status;
  };
  const Row rows[] = {
      {ErrorCode::kBadRequest, "bad_request", 400},   {ErrorCode::kUnauthorized, "unauthorized", 401},
      {ErrorCode::kForbidden, "forbidden", 403},      {ErrorCode::kNotFound, "not_found", 404},
      {ErrorCode::kMethodNotAllowed, "method_not_allowed", 405},
      {ErrorCode::kConflict, "conflict", 409},        {ErrorCode::kTooManyRequests, "too_many_requests", 429},
      {ErrorCode::kInternal, "internal", 500},
  };
  for (const auto& row : rows) {
    EXPECT_EQ(error_code_name(row.code), row.name);
    EXPECT_EQ(error_code_http_status(row.code), row.status) << row.name;
    EXPECT_EQ(parse_error_code(row.name), row.code);
    Error e(row.code, "m");
    EXPECT_EQ(e.http_status(), row.status);
    EXPECT_EQ(e.public_code(), row.code);
    EXPECT_EQ(e.cli_exit_code(), 1);
  }
  EXPECT_FALSE(parse_error_code("teapot").has_value());
}

TEST(ErrorCodeTest, DetailsOverrideStatusAndHideCodeWhereSpecified) {
  Error precondition(ErrorCode::kConflict, "precondition failed",
                     PreconditionFailureDetail{"01ABC", std::nullopt});
  EXPECT_EQ(precondition.http_status(), 412);
  EXPECT_FALSE(precondition.public_code().has_value());
  EXPECT_EQ(precondition.cli_exit_code(), 4);

  Error gap(ErrorCode::kConflict, "gap", ChangeFeedGapDetail{std::nullopt, "01X"});
  EXPECT_EQ(gap.http_status(), 410);
  EXPECT_FALSE(gap.public_code().has_value());

  Error blob(ErrorCode::kInternal, "blob", ExternalBlobSourceDetail{"s3://b/k", "timeout"});
  EXPECT_EQ(blob.http_status(), 424);
  EXPECT_FALSE(blob.public_code().has_value());

  Error recovery(ErrorCode::kInternal, "r", RecoveryRequiredDetail{"op1"});
  EXPECT_EQ(recovery.http_status(), 503);
  EXPECT_FALSE(recovery.public_code().has_value());

  Error limit(ErrorCode::kBadRequest, "limit", ResourceLimitDetail{"rows", 10, 11});
  EXPECT_EQ(limit.http_status(), 413);
  EXPECT_EQ(limit.public_code(), ErrorCode::kBadRequest);

  Error range(ErrorCode::kBadRequest, "range", BlobRangeDetail{5, 9, 4});
  EXPECT_EQ(range.http_status(), 416);

  Error key(ErrorCode::kConflict, "key", KeyConflictDetail{EntityKind::kNode, "Person", "alice"});
  EXPECT_EQ(key.http_status(), 409);
  EXPECT_EQ(key.cli_exit_code(), 1);
}

TEST(ErrorJsonTest, ErrorOutputShape) {
  auto plain = nlohmann::json::parse(Error::not_found("branch 'x' not found").to_json());
  EXPECT_EQ(plain, (nlohmann::json{{"error", "branch 'x' not found"}, {"code", "not_found"}}));

  auto pre = nlohmann::json::parse(
      Error(ErrorCode::kConflict, "p", PreconditionFailureDetail{"01A", std::string("01B")}).to_json());
  EXPECT_FALSE(pre.contains("code"));
  EXPECT_EQ(pre["precondition_failure"], (nlohmann::json{{"expected", "01A"}, {"actual", "01B"}}));

  auto rs = nlohmann::json::parse(
      Error(ErrorCode::kConflict, "r", ReadSetConflictDetail{"node:Person", std::string("3"), std::nullopt})
          .to_json());
  EXPECT_EQ(rs["code"], "conflict");
  EXPECT_EQ(rs["read_set_conflict"]["member"], "node:Person");
  EXPECT_TRUE(rs["read_set_conflict"]["actual"].is_null());

  MergeConflictsDetail merges;
  merges.conflicts.push_back({EntityKind::kEdge, "Knows", std::nullopt, MergeConflictKind::kOrphanEdge, "orphan"});
  auto m = nlohmann::json::parse(Error(ErrorCode::kConflict, "merge conflicts", merges).to_json());
  ASSERT_EQ(m["merge_conflicts"].size(), 1u);
  EXPECT_EQ(m["merge_conflicts"][0]["kind"], "orphan_edge");
  EXPECT_EQ(m["merge_conflicts"][0]["entity_kind"], "edge");
  EXPECT_TRUE(m["merge_conflicts"][0]["entity_id"].is_null());

  auto refusal = nlohmann::json::parse(
      Error(ErrorCode::kConflict, "x",
            ChangeDiffRefusalDetail{ChangeDiffRefusalReason::kParentlessCommit, "01C", std::nullopt})
          .to_json());
  EXPECT_EQ(refusal["change_diff_refusal"]["reason"], "parentless_commit");
  EXPECT_FALSE(refusal["change_diff_refusal"].contains("type_name"));
}

TEST(ErrorJsonTest, EmptyMergeConflictListIsOmitted) {
  auto j = nlohmann::json::parse(Error(ErrorCode::kConflict, "c", MergeConflictsDetail{}).to_json());
  EXPECT_FALSE(j.contains("merge_conflicts"));
}

}  // namespace
}  // namespace omnigraph
