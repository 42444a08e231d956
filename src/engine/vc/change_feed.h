// Change feed (data-plane §8.3, §8.4): blocks of commit changes along a branch's first-parent
// chain, bounded pages, durable cursors, and the baseline export that seeds a feed.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "engine/graph.h"
#include "engine/vc/commit_changes.h"

namespace omnigraph::engine::vc {

// Where a poll starts: exactly one of `start` ("now" | "beginning" | "after:<commit id>"),
// `cursor` or `page_token`; none = start now. More than one → bad_request.
struct FeedPosition {
  std::optional<std::string> start;
  std::optional<std::string> cursor;
  std::optional<std::string> page_token;
};

constexpr uint64_t kFeedCommitsPerPoll = 128;

// One feed page: {"blocks":[{"cause","changes"}], "next_page_token"?, "cursor"?, "caught_up"?}.
// The cut is the branch head at the first page's start; a page ending inside a block carries
// only next_page_token; one ending at a block boundary carries cursor and caught_up (true iff
// the cut was reached and is still the head). Throws not_found (branch), bad_request
// ("change cursor rejected: …", mixed positions, limits), the commit-changes refusals when met
// before any block.
nlohmann::json poll_changes(Graph& graph, const std::string& branch, const FeedPosition& position,
                            const ChangeFilter& filter, uint64_t limit = kDefaultChangePageLimit);

// Writes the export of `branch` at one captured head (types chosen by the kind/type filters),
// then the line {"baseline":{"snapshot_commit_id","resume_cursor"}}. Returns that object.
nlohmann::json write_baseline(Graph& graph, const std::string& branch, const ChangeFilter& filter,
                              std::ostream& out);

}  // namespace omnigraph::engine::vc
