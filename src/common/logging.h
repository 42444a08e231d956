// Process-wide logging set-up (spdlog). The logger is the one piece of global
// mutable state the project allows. Logs go to stderr; never log secrets.
#pragma once

#include <optional>
#include <string_view>

namespace omnigraph::logging {

enum class Level { kTrace, kDebug, kInfo, kWarn, kError, kOff };

// Reads a RUST_LOG-style filter: comma-separated directives, each a bare level
// ("debug") or "target=level". A directive for target "omnigraph" (or a prefix
// "omnigraph_*"/"omnigraph::*") wins over a bare level; unknown tokens are ignored.
// Returns nullopt when the filter names no level.
std::optional<Level> parse_filter(std::string_view filter);

// Configures the default logger: level from OMNIGRAPH_LOG, else RUST_LOG, else
// `fallback`. Safe to call more than once.
void init(Level fallback = Level::kWarn);

}  // namespace omnigraph::logging
