// Helpers for vc unit tests: write people on a branch, read a name set from a snapshot,
// capture an error message.
#pragma once

#include <functional>
#include <set>
#include <string>

#include "common/error.h"
#include "engine/graph.h"
#include "engine/write_txn.h"
#include "engine_test_util.h"

namespace omnigraph::engine::vc::test {

using engine::test::kPeopleSchema;
using engine::test::TempGraphDir;

inline storage::GraphCommit put_people(Graph& g, const std::string& branch,
                                       std::initializer_list<const char*> names,
                                       std::optional<std::string> actor = {}) {
  Graph::WriteOptions o;
  o.branch = branch;
  o.actor = std::move(actor);
  auto c = g.write(o, [&](const GraphSnapshot& base, WriteTxn& txn) {
    const auto& t = *base.catalog().find_node("Person");
    for (const char* n : names) txn.put(t, Entity{n, "", "", {Value(std::string(n)), {}, {}, {}}});
  });
  return *c;
}

inline std::set<std::string> people(const GraphSnapshot& s) {
  const auto& data = s.table(*s.catalog().find_node("Person"));
  std::set<std::string> out;
  for (uint64_t r = 0; r < data.row_count(); ++r) out.insert(std::get<std::string>(data.value(r, "id").v));
  return out;
}

// The message of the omnigraph::Error `fn` throws, or "no error".
inline std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.message();
  }
  return "no error";
}

}  // namespace omnigraph::engine::vc::test
