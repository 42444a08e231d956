// Append-only branch head logs over create-if-absent.
#include "storage/branch_refs.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "common/time_util.h"
#include "common/ulid.h"
#include "storage/meta_object.h"
#include "storage/storage_error.h"

namespace omnigraph::storage {
namespace {

using nlohmann::json;

constexpr std::string_view kRefsPrefix = "refs/";

std::string seq_text(uint64_t seq) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%020llu", static_cast<unsigned long long>(seq));
  return buf;
}

std::string log_prefix(std::string_view branch) {
  return std::string(kRefsPrefix) + encode_branch_name(branch) + "/";
}

uint64_t parse_seq(std::string_view text, const std::string& key) {
  if (text.size() != 20) throw IntegrityError("ref key '" + key + "' has a malformed sequence");
  uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') throw IntegrityError("ref key '" + key + "' has a malformed sequence");
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

}  // namespace

std::string encode_branch_name(std::string_view branch) {
  if (branch.empty()) throw Error::bad_request("branch name is empty");
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (size_t i = 0; i < branch.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(branch[i]);
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                 c == '-' || (c == '.' && i > 0);
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string decode_branch_name(std::string_view segment) {
  std::string out;
  for (size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] != '%') {
      out.push_back(segment[i]);
      continue;
    }
    auto nib = [&](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      throw IntegrityError("ref segment '" + std::string(segment) + "' has a malformed escape");
    };
    if (i + 2 >= segment.size())
      throw IntegrityError("ref segment '" + std::string(segment) + "' has a truncated escape");
    out.push_back(static_cast<char>(nib(segment[i + 1]) << 4 | nib(segment[i + 2])));
    i += 2;
  }
  return out;
}

RefEntry BranchRefs::read_entry(const std::string& key, uint64_t seq) {
  std::string what = "ref entry '" + key + "'";
  std::string payload = open_meta(store_.get(key), MetaKind::kRefEntry, what);
  try {
    json j = json::parse(payload);
    RefEntry e;
    e.seq = seq;
    std::string kind = j.at("kind").get<std::string>();
    if (kind == "head")
      e.kind = RefEntry::Kind::kHead;
    else if (kind == "deleted")
      e.kind = RefEntry::Kind::kDeleted;
    else
      throw IntegrityError(what + ": unknown kind '" + kind + "'");
    e.commit_id = j.at("commit").get<std::string>();
    e.incarnation = j.at("incarnation").get<std::string>();
    e.written_at_us = j.at("written_at_us").get<int64_t>();
    if (!j.at("actor").is_null()) e.actor = j.at("actor").get<std::string>();
    return e;
  } catch (const json::exception& ex) {
    throw IntegrityError(what + ": malformed payload: " + ex.what());
  }
}

uint64_t BranchRefs::find_tail_seq(std::string_view branch) {
  std::string prefix = log_prefix(branch);
  auto exists = [&](uint64_t seq) { return store_.head(prefix + seq_text(seq)).has_value(); };
  uint64_t lo = 0;  // highest seq known to exist (0 = none)
  {
    std::lock_guard lock(mu_);
    if (auto it = known_tail_.find(branch); it != known_tail_.end()) lo = it->second;
  }
  // Gallop forward from the hint until a missing entry, then binary-search the gap.
  uint64_t step = 1, hi = lo + 1;
  while (exists(hi)) {
    lo = hi;
    step *= 2;
    hi = lo + step;
  }
  while (hi - lo > 1) {
    uint64_t mid = lo + (hi - lo) / 2;
    if (exists(mid))
      lo = mid;
    else
      hi = mid;
  }
  if (lo > 0) remember(branch, lo);
  return lo;
}

void BranchRefs::remember(std::string_view branch, uint64_t seq) {
  std::lock_guard lock(mu_);
  auto it = known_tail_.find(branch);
  if (it == known_tail_.end())
    known_tail_.emplace(std::string(branch), seq);
  else if (it->second < seq)
    it->second = seq;
}

std::optional<RefEntry> BranchRefs::tail(std::string_view branch) {
  uint64_t seq = find_tail_seq(branch);
  if (seq == 0) return std::nullopt;
  return read_entry(log_prefix(branch) + seq_text(seq), seq);
}

RefEntry BranchRefs::head(std::string_view branch) {
  auto t = tail(branch);
  if (!t || !t->live()) throw Error::not_found("branch '" + std::string(branch) + "' not found");
  return *t;
}

RefEntry BranchRefs::append(std::string_view branch, uint64_t seq, RefEntry entry) {
  entry.seq = seq;
  entry.written_at_us = now_epoch_us();
  json j = {{"kind", entry.live() ? "head" : "deleted"},
            {"commit", entry.commit_id},
            {"incarnation", entry.incarnation},
            {"written_at_us", entry.written_at_us},
            {"actor", entry.actor ? json(*entry.actor) : json(nullptr)}};
  std::string key = log_prefix(branch) + seq_text(seq);
  if (!store_.create_if_absent(key, seal_meta(MetaKind::kRefEntry, j.dump()))) {
    remember(branch, seq);
    throw PublishConflict("branch '" + std::string(branch) + "' was changed concurrently (ref entry " +
                          std::to_string(seq) + " already exists); re-read the head and retry");
  }
  remember(branch, seq);
  return entry;
}

RefEntry BranchRefs::create(std::string_view branch, const std::string& commit_id,
                            std::optional<std::string> actor) {
  if (commit_id.empty()) throw Error::bad_request("branch create: commit id is empty");
  auto t = tail(branch);
  if (t && t->live()) throw Error::conflict("branch '" + std::string(branch) + "' already exists");
  RefEntry e;
  e.kind = RefEntry::Kind::kHead;
  e.commit_id = commit_id;
  e.incarnation = new_ulid();
  e.actor = std::move(actor);
  try {
    return append(branch, t ? t->seq + 1 : 1, std::move(e));
  } catch (const PublishConflict&) {
    throw Error::conflict("branch '" + std::string(branch) + "' already exists");
  }
}

RefEntry BranchRefs::publish(std::string_view branch, const RefEntry& expected, const std::string& commit_id,
                             std::optional<std::string> actor) {
  if (!expected.live() || expected.seq == 0)
    throw Error::bad_request("publish on branch '" + std::string(branch) + "' needs a live head entry");
  if (commit_id.empty()) throw Error::bad_request("publish: commit id is empty");
  RefEntry e;
  e.kind = RefEntry::Kind::kHead;
  e.commit_id = commit_id;
  e.incarnation = expected.incarnation;
  e.actor = std::move(actor);
  return append(branch, expected.seq + 1, std::move(e));
}

RefEntry BranchRefs::remove(std::string_view branch, const RefEntry& expected,
                            std::optional<std::string> actor) {
  if (!expected.live()) throw Error::not_found("branch '" + std::string(branch) + "' not found");
  RefEntry e;
  e.kind = RefEntry::Kind::kDeleted;
  e.incarnation = expected.incarnation;
  e.actor = std::move(actor);
  return append(branch, expected.seq + 1, std::move(e));
}

std::vector<std::string> BranchRefs::list() {
  std::vector<std::string> keys = store_.list(kRefsPrefix);
  std::vector<std::string> out;
  // Keys are sorted, so each branch's entries are contiguous and its last one is its tail.
  for (size_t i = 0; i < keys.size(); ++i) {
    std::string_view rest = std::string_view(keys[i]).substr(kRefsPrefix.size());
    auto slash = rest.find('/');
    if (slash == std::string_view::npos) continue;
    std::string_view seg = rest.substr(0, slash);
    bool last_of_branch =
        i + 1 == keys.size() ||
        !std::string_view(keys[i + 1]).substr(kRefsPrefix.size()).starts_with(std::string(seg) + "/");
    if (!last_of_branch) continue;
    RefEntry e = read_entry(keys[i], parse_seq(rest.substr(slash + 1), keys[i]));
    if (e.live()) out.push_back(decode_branch_name(seg));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<RefEntry> BranchRefs::log(std::string_view branch) {
  std::string prefix = log_prefix(branch);
  std::vector<RefEntry> out;
  for (const std::string& key : store_.list(prefix))
    out.push_back(read_entry(key, parse_seq(std::string_view(key).substr(prefix.size()), key)));
  return out;
}

}  // namespace omnigraph::storage
