// Signed change tokens: the per-graph secret and the HMAC-SHA256 sign/verify of payloads.
#include "engine/vc/change_token.h"

#include <optional>

#include "common/error.h"
#include "common/hash.h"
#include "engine/load/base64.h"

namespace omnigraph::engine::vc {

namespace {

constexpr size_t kSecretBytes = 32;
// Domain separation: a MAC computed for any other purpose never verifies as a token.
constexpr std::string_view kMacDomain = "omnigraph change token v1\n";

std::string mac(std::string_view secret, std::string_view payload) {
  std::string data(kMacDomain);
  data.append(payload);
  return base64url_encode(hmac_sha256(secret, data));
}

}  // namespace

std::string change_token_secret(storage::ObjectStore& store) {
  std::string secret;
  try {
    secret = store.get(kChangeTokenSecretKey);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kNotFound) throw;
    store.create_if_absent(kChangeTokenSecretKey, secure_random_bytes(kSecretBytes));
    secret = store.get(kChangeTokenSecretKey);  // ours, or the concurrent winner's
  }
  if (secret.size() != kSecretBytes) throw Error::internal("the graph's change-token secret is damaged");
  return secret;
}

void reject_change_token(const std::string& why) {
  throw Error::bad_request("change cursor rejected: " + why);
}

std::string make_change_token(storage::ObjectStore& store, const nlohmann::json& payload) {
  auto text = payload.dump();
  return base64url_encode(text) + "." + mac(change_token_secret(store), text);
}

nlohmann::json read_change_token(storage::ObjectStore& store, const std::string& token,
                                 std::string_view expected_kind) {
  auto dot = token.rfind('.');
  if (dot == std::string::npos || dot == 0) reject_change_token("malformed token");
  auto text = base64url_decode(token.substr(0, dot));
  if (!text) reject_change_token("malformed token");
  if (!constant_time_equals(mac(change_token_secret(store), *text), std::string_view(token).substr(dot + 1)))
    reject_change_token("token signature does not verify (tampered, forged or issued by another graph)");
  auto j = nlohmann::json::parse(*text, nullptr, false);
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) reject_change_token("malformed token");
  if (j.value("kind", "") != expected_kind) reject_change_token("not a " + std::string(expected_kind) + " token");
  return j;
}

}  // namespace omnigraph::engine::vc
