// Branch name rules, create, list and delete (data-plane §4).
#include "engine/vc/branch_ops.h"

#include <algorithm>

#include "common/error.h"
#include "storage/graph_commit.h"

namespace omnigraph::engine::vc {

namespace {

std::string_view trim(std::string_view s) {
  constexpr std::string_view kSpace = " \t\r\n\v\f";
  auto b = s.find_first_not_of(kSpace);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(kSpace);
  return s.substr(b, e - b + 1);
}

// Length of the valid UTF-8 multi-byte sequence starting at s[i] (lead byte >= 0x80), 0 if invalid.
size_t utf8_sequence(std::string_view s, size_t i) {
  auto c = static_cast<unsigned char>(s[i]);
  size_t n = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || c == 0xC0 || c == 0xC1 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

Error invalid(std::string_view name, const std::string& why) {
  return Error::bad_request("invalid branch name '" + std::string(name) + "': " + why);
}

}  // namespace

bool is_internal_ref(std::string_view name) {
  return name.starts_with("__");
}

std::string validate_branch_name(std::string_view op, std::string_view raw) {
  std::string_view name = trim(raw);
  if (name.empty()) throw Error::bad_request("branch name must not be empty");
  if (is_internal_ref(name))
    throw Error::bad_request(std::string(op) + " does not allow internal system ref '" + std::string(name) +
                             "'");
  if (name.front() == '/' || name.back() == '/') throw invalid(name, "must not start or end with '/'");
  if (name.find("//") != std::string_view::npos)
    throw invalid(name, "must not contain an empty segment ('//')");
  if (name.find("..") != std::string_view::npos) throw invalid(name, "must not contain '..'");
  size_t seg_start = 0;
  for (size_t i = 0; i <= name.size();) {
    if (i == name.size() || name[i] == '/') {
      auto seg = name.substr(seg_start, i - seg_start);
      if (seg.ends_with(".lock"))
        throw invalid(name, "segment '" + std::string(seg) + "' must not end in '.lock'");
      seg_start = ++i;
      continue;
    }
    auto c = static_cast<unsigned char>(name[i]);
    if (c >= 0x80) {
      size_t n = utf8_sequence(name, i);
      if (n == 0) throw invalid(name, "not valid UTF-8 at byte " + std::to_string(i));
      i += n;
      continue;
    }
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '-' || c == '_';
    if (!ok) {
      std::string shown =
          c < 0x20 || c == 0x7F ? "\\x" + std::to_string(c) : std::string(1, static_cast<char>(c));
      throw invalid(name, "character '" + shown + "' at position " + std::to_string(i + 1) +
                              " is not allowed (letters, digits, '.', '-', '_' and '/' only)");
    }
    ++i;
  }
  return std::string(name);
}

BranchCreated create_branch(Graph& graph, std::string_view raw_name, std::string_view raw_from,
                            std::optional<std::string> actor) {
  std::string name = validate_branch_name("branch_create", raw_name);
  if (name == "main") throw Error::bad_request("cannot create branch 'main'");
  std::string from(trim(raw_from));
  if (from.empty()) from = "main";
  if (is_internal_ref(from))
    throw Error::bad_request("branch_create does not allow internal system ref '" + from + "'");
  std::string commit_id;
  auto tail = graph.refs().tail(from);
  if (tail && tail->live()) {
    commit_id = tail->commit_id;
  } else {
    try {
      commit_id = storage::read_commit(graph.store(), from).id;  // a snapshot id
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kNotFound) throw;
      throw Error::not_found("branch '" + from + "' not found");
    }
  }
  auto entry = graph.refs().create(name, commit_id, std::move(actor));
  return {name, from, entry.commit_id};
}

void delete_branch(Graph& graph, std::string_view raw_name, std::optional<std::string> actor) {
  std::string name = validate_branch_name("branch_delete", raw_name);
  if (name == "main") throw Error::bad_request("cannot delete branch 'main'");
  auto head = graph.refs().head(name);
  graph.refs().remove(name, head, std::move(actor));
}

std::vector<std::string> list_branches(Graph& graph) {
  auto all = graph.refs().list();
  std::erase_if(all, [](const std::string& n) { return is_internal_ref(n); });
  return all;
}

}  // namespace omnigraph::engine::vc
