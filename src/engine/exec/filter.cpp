// Filter: keeps rows whose predicate is true (three-valued logic: null ⇒ dropped).
#include "engine/exec/operators.h"

namespace omnigraph::engine::exec {

RowBatch filter(const CompiledExpr& predicate, const RowBatch& in) {
  RowBatch out;
  out.width = in.width;
  for (size_t i = 0; i < in.count; ++i)
    if (predicate.test(in.row(i))) out.push(in.row(i));
  return out;
}

}  // namespace omnigraph::engine::exec
