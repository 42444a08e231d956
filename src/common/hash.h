// Cryptographic and integrity hashing used across modules.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace omnigraph {

std::array<uint8_t, 32> sha256(std::string_view data);
// Lowercase hex of SHA-256 (64 chars); used for content digests and token hashes.
std::string sha256_hex(std::string_view data);
// Lowercase hex of arbitrary bytes.
std::string to_hex(std::string_view bytes);
// HMAC-SHA256 of `data` under `key`: the 32 raw MAC bytes. Throws internal on an OpenSSL failure.
std::string hmac_sha256(std::string_view key, std::string_view data);
// `n` bytes from OpenSSL's CSPRNG (secrets, keys). Throws internal if it cannot be seeded.
std::string secure_random_bytes(size_t n);
// Compares in time independent of where the inputs differ (secrets, token hashes).
// Inputs of different lengths compare unequal; the length itself is not secret.
bool constant_time_equals(std::string_view a, std::string_view b);

}  // namespace omnigraph
