// Immutable graph commits: one object per commit naming every table's snapshot, so reading a
// commit reads a consistent graph (time travel is a commit id).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "storage/object_store.h"

namespace omnigraph::storage {

struct GraphCommit {
  std::string id;                    // ULID (26 chars)
  std::vector<std::string> parents;  // none = genesis; [previous head] ; [previous head, merged head]
  std::string branch;                // authored branch ("main" spelled out)
  uint64_t sequence = 0;             // graph_manifest_version: genesis 1, parent's + 1 along a lineage
  std::optional<std::string> actor;
  int64_t created_at_us = 0;                  // authorship time, Unix epoch microseconds
  std::string schema_identity;                // opaque to storage (the compiler's schema digest)
  std::map<std::string, std::string> tables;  // stable table id -> table snapshot key
  // A maintenance commit (optimize) rewrites stored data without changing any entity: every
  // type reads the same entities as in its parent. Stored as "maintenance":true; absent (every
  // other commit, and all commits written before the field existed) = false.
  bool maintenance = false;

  bool operator==(const GraphCommit&) const = default;
};

// Key of a commit object: "commits/<id>".
std::string commit_key(const std::string& commit_id);

// Validates (bad_request naming the field: id must be a ULID, at most two parents that are
// ULIDs, sequence >= 1, branch non-empty) and stores with create_if_absent. Writing an id twice
// is an internal error: ids are minted fresh per attempt.
void write_commit(ObjectStore& store, const GraphCommit& commit);
// Throws not_found "commit '<id>' not found" (also for a malformed id), IntegrityError.
GraphCommit read_commit(ObjectStore& store, const std::string& commit_id);

// The lineage ending at commit_id, newest first, following first parents; at most `limit`.
std::vector<GraphCommit> commit_lineage(ObjectStore& store, const std::string& commit_id,
                                        size_t limit = SIZE_MAX);

// Whether `descendant` is `ancestor` or is reached from it by maintenance commits only: walking
// first parents from `descendant`, every commit met before `ancestor` is a maintenance commit.
// Gives up (false) after `max_steps` commits. Throws what read_commit throws.
bool moved_only_by_maintenance(ObjectStore& store, const std::string& ancestor, const std::string& descendant,
                               size_t max_steps = 64);

std::string encode_commit(const GraphCommit& commit);
GraphCommit decode_commit(std::string_view payload, const std::string& what);

}  // namespace omnigraph::storage
