// spdlog configuration from the environment.
#include "common/logging.h"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string>

namespace omnigraph::logging {
namespace {

std::optional<Level> parse_level(std::string_view s) {
  std::string lower;
  for (char c : s) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (lower == "trace") return Level::kTrace;
  if (lower == "debug") return Level::kDebug;
  if (lower == "info") return Level::kInfo;
  if (lower == "warn" || lower == "warning") return Level::kWarn;
  if (lower == "error") return Level::kError;
  if (lower == "off") return Level::kOff;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool is_our_target(std::string_view target) {
  return target == "omnigraph" || target.starts_with("omnigraph_") || target.starts_with("omnigraph::") ||
         target.starts_with("omnigraph-");
}

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::kTrace: return spdlog::level::trace;
    case Level::kDebug: return spdlog::level::debug;
    case Level::kInfo: return spdlog::level::info;
    case Level::kWarn: return spdlog::level::warn;
    case Level::kError: return spdlog::level::err;
    case Level::kOff: return spdlog::level::off;
  }
  return spdlog::level::warn;
}

}  // namespace

std::optional<Level> parse_filter(std::string_view filter) {
  std::optional<Level> bare, targeted;
  while (!filter.empty()) {
    size_t comma = filter.find(',');
    std::string_view directive = trim(filter.substr(0, comma));
    filter = comma == std::string_view::npos ? std::string_view{} : filter.substr(comma + 1);
    size_t eq = directive.find('=');
    if (eq == std::string_view::npos) {
      if (auto l = parse_level(directive)) bare = l;
    } else if (is_our_target(trim(directive.substr(0, eq)))) {
      if (auto l = parse_level(trim(directive.substr(eq + 1)))) targeted = l;
    }
  }
  return targeted ? targeted : bare;
}

void init(Level fallback) {
  Level level = fallback;
  for (const char* var : {"OMNIGRAPH_LOG", "RUST_LOG"}) {
    const char* value = std::getenv(var);
    if (value == nullptr || *value == '\0') continue;
    if (auto parsed = parse_filter(value)) {
      level = *parsed;
      break;
    }
  }
  auto logger = spdlog::get("omnigraph");
  if (!logger) {
    logger = spdlog::stderr_color_mt("omnigraph");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
    spdlog::set_default_logger(logger);
  }
  spdlog::set_level(to_spdlog(level));
}

}  // namespace omnigraph::logging
