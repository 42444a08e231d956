// Banded-free two-row Levenshtein DP with early exit once every cell of a row exceeds the bound;
// per-thread scratch buffers (no allocation per call).
#include "engine/search/edit_distance.h"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace omnigraph::engine::search {
namespace {

// Decodes into `out` (cleared; its capacity is reused across calls).
void code_points(std::string_view s, std::vector<uint32_t>& out) {
  out.clear();
  for (size_t i = 0; i < s.size();) {
    auto b0 = static_cast<unsigned char>(s[i]);
    size_t len = b0 < 0x80 ? 1 : (b0 >> 5) == 0x6 ? 2 : (b0 >> 4) == 0xE ? 3 : (b0 >> 3) == 0x1E ? 4 : 1;
    if (i + len > s.size()) len = 1;
    uint32_t cp = len == 1 ? b0 : (b0 & (0x7Fu >> len));
    for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3Fu);
    out.push_back(cp);
    i += len;
  }
}

}  // namespace

size_t edit_distance(std::string_view a, std::string_view b, size_t bound) {
  // Per-thread scratch: fuzzy calls this once per dictionary term, so no allocation per call.
  thread_local std::vector<uint32_t> x, y;
  thread_local std::vector<size_t> prev, cur;
  code_points(a, x);
  code_points(b, y);
  size_t diff = x.size() > y.size() ? x.size() - y.size() : y.size() - x.size();
  if (bound != static_cast<size_t>(-1) && diff > bound) return bound + 1;
  prev.resize(y.size() + 1);
  cur.resize(y.size() + 1);
  for (size_t j = 0; j <= y.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= x.size(); ++i) {
    cur[0] = i;
    size_t row_min = cur[0];
    for (size_t j = 1; j <= y.size(); ++j) {
      size_t sub = prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
      row_min = std::min(row_min, cur[j]);
    }
    if (bound != static_cast<size_t>(-1) && row_min > bound) return bound + 1;
    std::swap(prev, cur);
  }
  return prev[y.size()];
}

}  // namespace omnigraph::engine::search
