// Change feed polling over a branch's first-parent chain, cursors and baseline export.
#include "engine/vc/change_feed.h"

#include <algorithm>
#include <ostream>

#include "common/error.h"
#include "engine/export.h"

namespace omnigraph::engine::vc {

namespace {

// Every change of one commit (filtered), all pages.
nlohmann::json block_of(Graph& graph, const std::string& commit_id, const ChangeFilter& filter) {
  auto page = commit_changes_page(graph, commit_id, filter, kMaxChangePageLimit);
  nlohmann::json block{{"cause", page["cause"]}, {"changes", page["changes"]}};
  while (page.contains("next_page_token")) {
    page = commit_changes_page(graph, commit_id, filter, kMaxChangePageLimit,
                               page["next_page_token"].get<std::string>());
    for (auto& c : page["changes"]) block["changes"].push_back(std::move(c));
  }
  return block;
}

std::string make_cursor(Graph& graph, const std::string& branch, const std::string& incarnation,
                        const std::string& scope, const std::string& after) {
  return make_change_token(graph.store(), {{"kind", "feed-cursor"},
                                           {"branch", branch},
                                           {"inc", incarnation},
                                           {"scope", scope},
                                           {"after", after}});
}

}  // namespace

nlohmann::json poll_changes(Graph& graph, const std::string& branch, const FeedPosition& position,
                            const ChangeFilter& filter, uint64_t limit) {
  int given = position.start.has_value() + position.cursor.has_value() + position.page_token.has_value();
  if (given > 1) throw Error::bad_request("give at most one of start, cursor and page_token");
  if (limit == 0) throw Error::bad_request("limit must be at least 1");
  if (limit > kMaxChangePageLimit)
    throw Error(ErrorCode::kBadRequest, "limit " + std::to_string(limit) + " exceeds the maximum of 8192",
                ResourceLimitDetail{"commit_changes_page_changes", kMaxChangePageLimit, limit});
  std::string scope = change_filter_scope(filter);
  auto head = graph.refs().head(branch);  // not_found for an unknown branch

  std::string cut = head.commit_id;
  std::optional<std::string> after;  // last fully delivered commit (exclusive start)
  std::string partial_commit;        // page token: block being continued
  uint64_t partial_offset = 0;
  auto check_binding = [&](const nlohmann::json& t) {
    if (t.value("branch", "") != branch) reject_change_token("token belongs to another branch");
    if (t.value("inc", "") != head.incarnation)
      reject_change_token("branch was deleted and re-created since the token was issued");
    if (t.value("scope", "") != scope) reject_change_token("token belongs to another filter scope");
  };
  if (position.cursor) {
    auto t = read_change_token(graph.store(), *position.cursor, "feed-cursor");
    check_binding(t);
    after = t.value("after", "");
  } else if (position.page_token) {
    auto t = read_change_token(graph.store(), *position.page_token, "feed-page");
    check_binding(t);
    cut = t.value("cut", "");
    after = t.value("after", "");
    partial_commit = t.value("partial", "");
    partial_offset = t.value("offset", uint64_t{0});
  } else {
    std::string start = position.start.value_or("now");
    if (start == "now") {
      return {{"blocks", nlohmann::json::array()},
              {"cursor", make_cursor(graph, branch, head.incarnation, scope, head.commit_id)},
              {"caught_up", true}};
    }
    if (start != "beginning") {
      if (!start.starts_with("after:") || start.size() == 6)
        throw Error::bad_request("invalid start '" + start +
                                 "': expected now, beginning or after:<commit_id>");
      after = start.substr(6);
    }
  }

  // The chain from the cut back to `after` (exclusive), oldest first.
  auto lineage = storage::commit_lineage(graph.store(), cut);
  std::vector<storage::GraphCommit> chain;
  bool found = !after;
  for (auto& c : lineage) {
    if (after && c.id == *after) {
      found = true;
      break;
    }
    if (c.parents.empty()) break;  // genesis is never a block
    chain.push_back(std::move(c));
  }
  if (!found) reject_change_token("commit '" + *after + "' is not on the chain of branch '" + branch + "'");
  std::reverse(chain.begin(), chain.end());

  nlohmann::json blocks = nlohmann::json::array();
  uint64_t budget = limit, examined = 0;
  std::string last = after.value_or(lineage.empty() ? std::string() : lineage.back().id);
  for (const auto& c : chain) {
    if (examined == kFeedCommitsPerPoll) break;
    nlohmann::json block;
    try {
      block = block_of(graph, c.id, filter);
    } catch (const Error& e) {
      const auto* gap = std::get_if<ChangeFeedGapDetail>(&e.detail());
      // A refused or reclaimed commit after at least one block ends the page at that boundary.
      if (!blocks.empty() && (gap || std::holds_alternative<ChangeDiffRefusalDetail>(e.detail()))) break;
      if (gap) throw Error(e.code(), e.message(), ChangeFeedGapDetail{position.cursor, gap->first_unreadable_commit_id});
      throw;
    }
    ++examined;
    uint64_t offset = c.id == partial_commit ? partial_offset : 0;
    auto& changes = block["changes"];
    uint64_t remaining = changes.size() - std::min<uint64_t>(offset, changes.size());
    if (remaining > budget) {
      if (!blocks.empty()) break;  // end at the previous block boundary
      nlohmann::json part = nlohmann::json::array();
      for (uint64_t i = offset; i < offset + budget; ++i) part.push_back(changes[i]);
      blocks.push_back({{"cause", block["cause"]}, {"changes", part}});
      return {{"blocks", blocks},
              {"next_page_token", make_change_token(graph.store(), {{"kind", "feed-page"},
                                                                    {"branch", branch},
                                                                    {"inc", head.incarnation},
                                                                    {"scope", scope},
                                                                    {"cut", cut},
                                                                    {"after", last},
                                                                    {"partial", c.id},
                                                                    {"offset", offset + budget}})}};
    }
    nlohmann::json part = nlohmann::json::array();
    for (uint64_t i = offset; i < changes.size(); ++i) part.push_back(changes[i]);
    blocks.push_back({{"cause", block["cause"]}, {"changes", part}});
    budget -= remaining;
    last = c.id;
  }
  bool reached = last == cut;
  nlohmann::json page{{"blocks", blocks},
                      {"cursor", make_cursor(graph, branch, head.incarnation, scope, last)}};
  if (!reached) {
    page["next_page_token"] = make_change_token(graph.store(), {{"kind", "feed-page"},
                                                                {"branch", branch},
                                                                {"inc", head.incarnation},
                                                                {"scope", scope},
                                                                {"cut", cut},
                                                                {"after", last},
                                                                {"partial", ""},
                                                                {"offset", 0}});
  }
  page["caught_up"] = reached && graph.refs().head(branch).commit_id == cut;
  return page;
}

nlohmann::json write_baseline(Graph& graph, const std::string& branch, const ChangeFilter& filter,
                              std::ostream& out) {
  std::string scope = change_filter_scope(filter);
  auto head = graph.refs().head(branch);
  auto snap = graph.snapshot({.snapshot = head.commit_id});
  std::vector<std::string> types;
  bool any = filter.kinds.empty() || filter.kinds.size() == 2;
  auto pick = [&](const compiler::TypeDef& t, const char* kind) {
    if (!any && !filter.kinds.count(kind)) return;
    if (!filter.types.empty() && !filter.types.count(t.name)) return;
    types.push_back(t.name);
  };
  for (const auto& t : snap->catalog().nodes) pick(t, "node");
  for (const auto& t : snap->catalog().edges) pick(t, "edge");
  bool filtered = !any || !filter.types.empty();
  if (!filtered || !types.empty())
    export_ndjson(*snap, graph.store(), filtered ? types : std::vector<std::string>{}, out);
  nlohmann::json info{{"snapshot_commit_id", head.commit_id},
                      {"resume_cursor", make_cursor(graph, branch, head.incarnation, scope, head.commit_id)}};
  out << nlohmann::json{{"baseline", info}}.dump() << "\n";
  return info;
}

}  // namespace omnigraph::engine::vc
