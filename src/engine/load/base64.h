// Standard padded base64 (RFC 4648 §4) for managed blob values in load and export.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace omnigraph::engine {

std::string base64_encode(std::string_view bytes);
// nullopt unless `text` is canonical padded standard base64 (length % 4 == 0).
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace omnigraph::engine
