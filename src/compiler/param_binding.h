// Binding query parameter values from JSON (languages.md §5.3): CLI `--params` and
// HTTP `params`. Produces typed constants in the IR's representation (ir.h), with the
// spec's `param 'k': …` errors. Keeps nlohmann/json out of includers (json_fwd only).
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "compiler/ir.h"

namespace omnigraph::compiler {

enum class ParamMode {
  kStandard,    // CLI and HTTP
  kJavaScript,  // SDK: integers outside ±(2^53−1) must arrive as decimal strings
};

// A bound value: null, or a constant typed by the declaration. Representation:
// String/Blob/enum → kString; integers → kInteger (int_value); floats → kFloat
// (float_value); Bool → kBool; Date → kDate (int_value = epoch days); DateTime → kDateTime
// (int_value = epoch ms); [T] and Vector(N) → kList of element constants (Vector: kFloat).
struct BoundParam {
  ValueType type;
  bool is_null = false;
  Literal value;
};

// Binds `params` (must be a JSON object) to the declared parameters. Omitted nullable
// parameters are bound to null; undeclared keys are ignored. Throws Error(bad_request):
// `params must be a JSON object`, `parameter 'x' not provided` (omitted non-nullable), or
// `param 'k': <reason>` (type mismatch, range, date text, vector length, …).
std::map<std::string, BoundParam> bind_params(const std::vector<ir::ParamDecl>& declared, const nlohmann::json& params,
                                              ParamMode mode = ParamMode::kStandard);

}  // namespace omnigraph::compiler
