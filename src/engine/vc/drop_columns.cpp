// drop_columns: rewrite the fragments of a table that still store hard-dropped columns.
#include "engine/vc/drop_columns.h"

#include <algorithm>

#include "storage/fragment_writer.h"
#include "storage/table_reader.h"
#include "storage/table_snapshot.h"

namespace omnigraph::engine::vc {

std::string drop_columns(storage::ObjectStore& store, const std::string& snapshot_key,
                         const std::set<std::string>& columns) {
  auto old = storage::read_table_snapshot(store, snapshot_key);
  storage::TableReader reader(store, old);
  storage::TableSnapshot snap;
  snap.table_id = old.table_id;
  snap.version = old.version + 1;
  bool changed = false;
  for (const auto& c : old.columns) {
    if (columns.count(c.name))
      changed = true;
    else
      snap.columns.push_back(c);
  }
  for (size_t f = 0; f < old.fragments.size(); ++f) {
    bool holds = std::any_of(columns.begin(), columns.end(),
                             [&](const std::string& c) { return reader.has_column(f, c); });
    if (!holds) {
      snap.fragments.push_back(old.fragments[f]);
      continue;
    }
    changed = true;
    auto keep = reader.keep_mask(f);
    uint64_t live = static_cast<uint64_t>(std::count(keep.begin(), keep.end(), uint8_t{1}));
    if (live == 0) continue;
    std::vector<storage::Column> kept;
    std::vector<std::string> names;
    // Every remaining column the fragment stores (absent ones keep reading as null).
    for (const auto& c : snap.columns) {
      if (!reader.has_column(f, c.name)) continue;
      auto src = reader.column(f, c.name);
      storage::Column out(src->type);
      out.reserve(live);
      for (uint64_t r = 0; r < keep.size();) {  // copy runs of live rows
        if (!keep[r]) {
          ++r;
          continue;
        }
        uint64_t e = r;
        while (e < keep.size() && keep[e]) ++e;
        out.append_rows(*src, r, e);
        r = e;
      }
      kept.push_back(std::move(out));
      names.push_back(c.name);
    }
    std::vector<storage::NamedColumn> named;
    for (size_t i = 0; i < kept.size(); ++i) named.push_back({names[i], &kept[i]});
    storage::FragmentEntry entry;
    entry.fragment = storage::write_fragment(store, storage::fragment_key(snap.table_id), named);
    snap.fragments.push_back(std::move(entry));
  }
  if (!changed) return snapshot_key;
  storage::carry_index_segments(old, snap);
  return storage::write_table_snapshot(store, snap);
}

}  // namespace omnigraph::engine::vc
