// Commit changes (data-plane §8.1, §8.2): the entity-level diff of a commit against its first
// parent with before/after images, filters and bounded pages continued by opaque tokens.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/graph.h"
#include "engine/vc/change_token.h"

namespace omnigraph::engine::vc {

// Repeatable filters; an empty set (or every value) selects all.
struct ChangeFilter {
  std::set<std::string> kinds;  // "node" | "edge"
  std::set<std::string> types;  // exact type names (unknown names match nothing)
  std::set<std::string> ops;    // "insert" | "update" | "delete"
};

constexpr uint64_t kDefaultChangePageLimit = 1000;
constexpr uint64_t kMaxChangePageLimit = 8192;
constexpr uint64_t kChangePageByteBudget = 4ull << 20;  // serialized change bytes per page

// One page: {"cause":{…}, "changes":[…], "next_page_token"?}. The commit must lie on a live
// branch's lineage (else not_found). Throws conflict change_diff_refusal (parentless_commit,
// schema_boundary naming the type), bad_request for limit 0 / a bad filter value / a rejected
// page token ("change cursor rejected: <reason>"), resource_limit (413) above 8,192.
// Reads only the fragments that differ between the commit and its first parent.
nlohmann::json commit_changes_page(Graph& graph, const std::string& commit_id, const ChangeFilter& filter,
                                   uint64_t limit = kDefaultChangePageLimit,
                                   const std::optional<std::string>& page_token = std::nullopt);

// Digest of a normalised filter set (tokens and cursors are bound to it).
std::string change_filter_scope(const ChangeFilter& filter);

}  // namespace omnigraph::engine::vc
