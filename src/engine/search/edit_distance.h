// Levenshtein edit distance (insert/delete/substitute, each cost 1) over bytes of analysed tokens.
#pragma once

#include <cstddef>
#include <string_view>

namespace omnigraph::engine::search {

// Levenshtein distance between `a` and `b`, computed over Unicode code points (UTF-8 input).
// When the distance exceeds `bound` the function may stop early and return bound + 1.
size_t edit_distance(std::string_view a, std::string_view b, size_t bound = static_cast<size_t>(-1));

}  // namespace omnigraph::engine::search
