// Physical removal of dropped property columns for a hard schema drop (languages.md §3.8
// "data removed at apply"): a new table snapshot whose fragments no longer hold the columns.
#pragma once

#include <set>
#include <string>

#include "storage/object_store.h"

namespace omnigraph::engine::vc {

// Reads the table snapshot at `snapshot_key` and writes one equal to it minus `columns`:
// every fragment that physically stores one of them is rewritten with its live rows only
// (deletion vector applied) and without those columns (a fragment with no live rows left is
// dropped); other fragments are kept as they are, deletion vectors included. The columns leave
// the column list; index segments on them or on rewritten fragments are dropped (other
// segments stay valid). Returns the new snapshot's key, or `snapshot_key` itself when no
// fragment stores any of the columns and none is listed. The old snapshot and fragments are
// untouched (older commits still read them until cleanup). Throws storage errors.
std::string drop_columns(storage::ObjectStore& store, const std::string& snapshot_key,
                         const std::set<std::string>& columns);

}  // namespace omnigraph::engine::vc
