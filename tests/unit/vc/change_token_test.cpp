// Signed change tokens (§8.3): the per-graph secret is created once and shared; tokens
// round-trip; tampered, forged, re-signed and other-graph tokens are rejected before any
// payload field is trusted.
#include "engine/vc/change_token.h"

#include <gtest/gtest.h>

#include <thread>

#include "common/error.h"
#include "common/hash.h"
#include "engine/load/base64.h"
#include "engine/vc/commit_changes.h"
#include "vc_test_util.h"

namespace omnigraph::engine::vc {
namespace {

using namespace test;

const char* kForged =
    "change cursor rejected: token signature does not verify (tampered, forged or issued by another graph)";


class ChangeTokenTest : public ::testing::Test {
 protected:
  void SetUp() override { graph = Graph::init(dir.uri(), kPeopleSchema); }
  std::string rejection(const std::string& token, std::string_view kind = "commit-page") {
    try {
      read_change_token(graph->store(), token, kind);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kBadRequest);
      return e.message();
    }
    return "accepted";
  }
  TempGraphDir dir;
  std::unique_ptr<Graph> graph;
};

TEST_F(ChangeTokenTest, SecretIsCreatedOnceAndTokensRoundTripAcrossHandles) {
  EXPECT_FALSE(graph->store().head(kChangeTokenSecretKey).has_value());
  nlohmann::json payload{{"kind", "commit-page"}, {"commit", "C1"}, {"offset", 7}};
  auto token = make_change_token(graph->store(), payload);
  auto secret = graph->store().get(kChangeTokenSecretKey);
  EXPECT_EQ(secret.size(), 32u);
  EXPECT_EQ(change_token_secret(graph->store()), secret);
  EXPECT_EQ(token.find(secret), std::string::npos);
  EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."),
            std::string::npos);  // URL-safe
  EXPECT_EQ(read_change_token(graph->store(), token, "commit-page"), payload);
  auto again = Graph::open(dir.uri());  // another handle (or process) verifies the same token
  EXPECT_EQ(read_change_token(again->store(), token, "commit-page"), payload);
  EXPECT_EQ(rejection(token, "feed-cursor"), "change cursor rejected: not a feed-cursor token");
}

TEST_F(ChangeTokenTest, ConcurrentFirstUsersAgreeOnOneSecret) {
  std::vector<std::string> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i)
    threads.emplace_back([&, i] { seen[i] = change_token_secret(graph->store()); });
  for (auto& t : threads) t.join();
  for (const auto& s : seen) EXPECT_EQ(s, seen[0]);
  EXPECT_EQ(graph->store().get(kChangeTokenSecretKey), seen[0]);
}

TEST_F(ChangeTokenTest, TamperedForgedAndForeignTokensAreRejected) {
  nlohmann::json payload{{"kind", "commit-page"}, {"commit", "C1"}, {"scope", "s"}, {"offset", 2}};
  auto token = make_change_token(graph->store(), payload);
  auto dot = token.rfind('.');

  // A payload edited by the holder (offset 2 → 0) keeps the old tag: rejected.
  auto edited = payload;
  edited["offset"] = 0;
  EXPECT_EQ(rejection(base64url_encode(edited.dump()) + token.substr(dot)), kForged);
  // The unkeyed integrity tag of the old format (sha256 prefix) is not a signature.
  EXPECT_EQ(rejection(base64url_encode(edited.dump()) + "." + sha256_hex(edited.dump()).substr(0, 16)), kForged);
  // Re-signed with a guessed key using the real construction: rejected.
  auto guessed =
      hmac_sha256(std::string(32, '\0'), std::string("omnigraph change token v1\n") + edited.dump());
  EXPECT_EQ(rejection(base64url_encode(edited.dump()) + "." + base64url_encode(guessed)), kForged);
  // A flipped or truncated tag.
  auto flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(rejection(flipped), kForged);
  EXPECT_EQ(rejection(token.substr(0, token.size() - 1)), kForged);
  // Not a token at all.
  EXPECT_EQ(rejection("no-dot-here"), "change cursor rejected: malformed token");
  EXPECT_EQ(rejection("%%%." + token.substr(dot + 1)), "change cursor rejected: malformed token");

  // Valid on its own graph, rejected by another graph (different secret).
  TempGraphDir other_dir;
  auto other = Graph::init(other_dir.uri(), kPeopleSchema);
  try {
    read_change_token(other->store(), token, "commit-page");
    ADD_FAILURE() << "a token of another graph was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), kForged);
  }
  EXPECT_EQ(read_change_token(graph->store(), token, "commit-page"), payload);
}

// Through the public surface: a forged continuation of a real commit is refused.
TEST_F(ChangeTokenTest, ForgedPageTokenIsRefusedByCommitChanges) {
  auto c = put_people(*graph, "main", {"A", "B", "C"});
  auto page = commit_changes_page(*graph, c.id, {}, 1);
  ASSERT_TRUE(page.contains("next_page_token"));
  auto token = page["next_page_token"].get<std::string>();
  auto real = read_change_token(graph->store(), token, "commit-page");
  real["offset"] = 2;  // skip ahead without the secret
  auto forged = base64url_encode(real.dump()) + token.substr(token.rfind('.'));
  try {
    commit_changes_page(*graph, c.id, {}, 1, forged);
    ADD_FAILURE() << "forged token accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.message(), kForged);
  }
}

}  // namespace
}  // namespace omnigraph::engine::vc
