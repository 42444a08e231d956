// Exact vector distance kernels (languages.md §6.11: Euclidean L2, ascending).
#pragma once

#include <cstddef>

namespace omnigraph::engine::search {

// Squared L2 distance between a[0..dim) and b[0..dim). AVX2+FMA when the CPU has it (chosen once
// at start-up), otherwise 8-lane unrolled code the compiler auto-vectorises; one machine always
// uses the same kernel, so results are reproducible on it. Thread-safe.
float l2_squared(const float* a, const float* b, size_t dim);

}  // namespace omnigraph::engine::search
