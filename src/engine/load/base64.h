// Standard padded base64 (RFC 4648 §4) for managed blob values in load and export, and the
// unpadded URL-safe variant (RFC 4648 §5) for opaque tokens.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnigraph::engine {

std::string base64_encode(std::string_view bytes);
// nullopt unless `text` is canonical padded standard base64 (length % 4 == 0).
std::optional<std::string> base64_decode(std::string_view text);

// URL-safe alphabet (-, _), no padding.
std::string base64url_encode(std::string_view bytes);
// nullopt unless `text` is canonical unpadded URL-safe base64.
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace omnigraph::engine
