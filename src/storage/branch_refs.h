// Branch heads as append-only logs: refs/<encoded branch>/<seq>. Every change to a branch
// (create, publish, delete) is exactly one create-if-absent of the log's next entry, so it
// either wins atomically or loses to a concurrent writer — on any store, with no locks.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.h"
#include "storage/object_store.h"

namespace omnigraph::storage {

// A lost publish race: the branch moved since the caller read its head. Public code: conflict.
class PublishConflict : public Error {
 public:
  explicit PublishConflict(std::string message) : Error(ErrorCode::kConflict, std::move(message)) {}
};

struct RefEntry {
  enum class Kind { kHead, kDeleted };
  uint64_t seq = 0;  // position in the branch's log (1-based), from the key
  Kind kind = Kind::kHead;
  std::string commit_id;    // head commit; empty for kDeleted
  std::string incarnation;  // ULID minted by create; a re-created branch gets a new one
  int64_t written_at_us = 0;
  std::optional<std::string> actor;

  bool live() const { return kind == Kind::kHead; }
  bool operator==(const RefEntry&) const = default;
};

// Branch names are stored as one key segment: bytes outside [A-Za-z0-9_-] (and a leading '.')
// become %XX, so "review" and "review/x" are independent logs. Name syntax rules (data-plane
// §4.1) are the engine's; storage only rejects the empty name.
std::string encode_branch_name(std::string_view branch);
std::string decode_branch_name(std::string_view segment);  // throws IntegrityError if malformed

// View over a store's refs/. Log sequence numbers are dense (entry n+1 is only ever written
// after entry n exists) and entries are never removed, so the tail is found with O(log n) head
// probes (galloping from the last tail this object saw) instead of listing the log. Thread-safe
// if the store is. Does not own the store.
class BranchRefs {
 public:
  explicit BranchRefs(ObjectStore& store) : store_(store) {}

  // Last log entry (live or deleted), or nullopt if the name never existed. The result was the
  // branch's true tail at some instant during the call.
  std::optional<RefEntry> tail(std::string_view branch);
  // Live head; throws not_found "branch '<name>' not found" if absent or deleted.
  RefEntry head(std::string_view branch);

  // Creates the branch at commit_id. Throws conflict "branch '<name>' already exists" if live
  // (also when a concurrent creator wins).
  RefEntry create(std::string_view branch, const std::string& commit_id,
                  std::optional<std::string> actor = {});
  // Moves the branch from `expected` (a head previously read) to commit_id. Throws
  // PublishConflict if anything was appended to the log since `expected`, bad_request if
  // `expected` is not a live entry of this branch.
  RefEntry publish(std::string_view branch, const RefEntry& expected, const std::string& commit_id,
                   std::optional<std::string> actor = {});
  // Deletes the live branch (appends a tombstone). Throws not_found if not live, PublishConflict
  // if the branch moved after `expected`. The name may be created again later.
  RefEntry remove(std::string_view branch, const RefEntry& expected, std::optional<std::string> actor = {});

  // Live branch names, sorted by byte order.
  std::vector<std::string> list();
  // Every entry of a branch's log, oldest first.
  std::vector<RefEntry> log(std::string_view branch);

 private:
  RefEntry append(std::string_view branch, uint64_t seq, RefEntry entry);
  RefEntry read_entry(const std::string& key, uint64_t seq);
  // Highest existing seq of the log, 0 if none.
  uint64_t find_tail_seq(std::string_view branch);
  void remember(std::string_view branch, uint64_t seq);

  ObjectStore& store_;
  std::mutex mu_;
  std::map<std::string, uint64_t, std::less<>> known_tail_;  // hints only; never authoritative
};

}  // namespace omnigraph::storage
