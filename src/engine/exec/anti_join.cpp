// AntiJoin (`not { }`): runs the correlated inner pipeline once over all outer rows, tagged
// with their outer position, and keeps the outer rows no inner row survived for.
#include <vector>

#include "engine/exec/operators.h"

namespace omnigraph::engine::exec {

RowBatch anti_join(const std::vector<PhysicalStep>& inner, const RowBatch& in, const Layout& layout,
                   const ExecContext& ctx) {
  // Tag each outer row with its index in a hidden slot so the inner result maps back.
  Layout inner_layout = layout;
  inner_layout.slots.push_back(Slot{"#outer", nullptr, nullptr, false});
  const size_t tag = inner_layout.width() - 1;
  RowBatch tagged;
  tagged.width = inner_layout.width();
  tagged.cells.reserve(in.count * tagged.width);
  for (size_t i = 0; i < in.count; ++i) {
    tagged.cells.insert(tagged.cells.end(), in.row(i), in.row(i) + in.width);
    tagged.cells.push_back(static_cast<uint32_t>(i));
    ++tagged.count;
  }
  RowBatch survivors = run_pipeline(inner, std::move(tagged), inner_layout, ctx);
  std::vector<bool> matched(in.count, false);
  for (size_t i = 0; i < survivors.count; ++i) matched[survivors.row(i)[tag]] = true;
  RowBatch out;
  out.width = in.width;
  for (size_t i = 0; i < in.count; ++i)
    if (!matched[i]) out.push(in.row(i));
  return out;
}

}  // namespace omnigraph::engine::exec
