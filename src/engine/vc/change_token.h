// Opaque continuation tokens of the change surfaces (data-plane §8.3 token format): a
// kind-tagged JSON payload, URL-safe, signed with HMAC-SHA256 under a per-graph secret so a
// token can be neither forged nor carried to another graph.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "storage/object_store.h"

namespace omnigraph::engine::vc {

// Object key of the graph's token-signing secret (32 random bytes). Outside commits/ and
// tables/, so garbage collection never touches it.
inline constexpr std::string_view kChangeTokenSecretKey = "secrets/change-token.key";

// The graph's signing secret: read, or on first use created with create-if-absent (concurrent
// first users all end up with the winner's bytes). Never logged, never part of any output.
// Throws internal if the stored secret is not 32 bytes, storage errors as the store does.
std::string change_token_secret(storage::ObjectStore& store);

// Throws bad_request "change cursor rejected: <why>" (data-plane §8.3 typed rejections).
[[noreturn]] void reject_change_token(const std::string& why);

// base64url(payload JSON) "." base64url(HMAC-SHA256(secret, payload JSON)). `payload` must be
// an object with a "kind" field.
std::string make_change_token(storage::ObjectStore& store, const nlohmann::json& payload);

// Verifies the signature in constant time before parsing anything, then decodes. Throws
// bad_request "change cursor rejected: <reason>" for a malformed token, a signature that does
// not verify (tampered, forged, or issued by another graph) or a kind other than
// `expected_kind`.
nlohmann::json read_change_token(storage::ObjectStore& store, const std::string& token,
                                 std::string_view expected_kind);

}  // namespace omnigraph::engine::vc
