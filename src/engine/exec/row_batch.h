// The executor's intermediate rows: a layout (which variable lives in which slot, and of
// which node/edge type) plus a flat row-major buffer of table row numbers, one per slot.
// Operators consume one RowBatch and produce the next; nothing here is thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/catalog.h"
#include "engine/graph_snapshot.h"

namespace omnigraph::engine::exec {

struct Slot {
  std::string var;
  const compiler::TypeDef* type = nullptr;
  const TableData* table = nullptr;  // the live rows the slot's numbers index
  bool is_edge = false;
};

struct Layout {
  std::vector<Slot> slots;
  // Slot index of `var`, or -1.
  int find(std::string_view var) const {
    for (size_t i = 0; i < slots.size(); ++i)
      if (slots[i].var == var) return static_cast<int>(i);
    return -1;
  }
  size_t width() const { return slots.size(); }
};

struct RowBatch {
  size_t width = 0;
  size_t count = 0;
  std::vector<uint32_t> cells;  // count × width

  const uint32_t* row(size_t i) const { return cells.data() + i * width; }
  void push(const uint32_t* values) {
    cells.insert(cells.end(), values, values + width);
    ++count;
  }
};

}  // namespace omnigraph::engine::exec
