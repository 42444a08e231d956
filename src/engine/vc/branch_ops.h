// Branch operations of data-plane §4: name rules (§4.1), create (no data copied), list and
// delete over the storage branch logs. Creating or deleting a branch never creates a commit.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/graph.h"

namespace omnigraph::engine::vc {

// §4.1 name check for the public operation `op` (e.g. "branch_create"). Returns the trimmed
// name. Throws Error(bad_request) naming the rule: empty name, bad '/' placement, a character
// outside Unicode letters/digits (non-ASCII UTF-8 accepted as such) and `.-_`, "..", a segment
// ending in ".lock", or an internal ref ("__…": `<op> does not allow internal system ref '<n>'`).
// `main` is accepted here; create/delete refuse it themselves.
std::string validate_branch_name(std::string_view op, std::string_view name);

// True for names reserved for internal refs (leading "__"); never listed.
bool is_internal_ref(std::string_view name);

struct BranchCreated {
  std::string name;
  std::string from;       // the source as given (branch name or commit id)
  std::string commit_id;  // the new branch's head
};

// Creates `name` whose head is the head of branch `from` (default main) or, when `from` is not
// a live branch, the commit `from` (a snapshot id). Copies no data, writes no commit.
// Throws bad_request (name rules, "cannot create branch 'main'"), not_found "branch '<from>' not
// found" when `from` is neither, conflict "branch '<name>' already exists".
BranchCreated create_branch(Graph& graph, std::string_view name, std::string_view from,
                            std::optional<std::string> actor);

// Deletes live branch `name`. Branches created from it are unaffected (snapshots are immutable).
// Throws bad_request ("cannot delete branch 'main'", name rules), not_found "branch '<n>' not
// found", conflict when the branch moved during the call.
void delete_branch(Graph& graph, std::string_view name, std::optional<std::string> actor);

// Live public branches (main included, internal refs excluded), byte order.
std::vector<std::string> list_branches(Graph& graph);

}  // namespace omnigraph::engine::vc
