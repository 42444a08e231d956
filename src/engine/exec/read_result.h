// The result of a read query: typed, named columns (languages.md §6.7 runtime names) and
// rows of Values aligned with them. A plain value type.
#pragma once

#include <string>
#include <vector>

#include "compiler/types.h"
#include "engine/value.h"

namespace omnigraph::engine::exec {

struct ResultColumn {
  std::string name;
  compiler::ValueType type;  // how to render the Values (Date/DateTime, F32, enum, …)
};

struct ReadResult {
  std::vector<ResultColumn> columns;
  std::vector<std::vector<Value>> rows;
};

}  // namespace omnigraph::engine::exec
