// The lexical layer shared by the `.pg` and `.gq` parsers (languages.md §1): a
// scanner over the source with PEG-style primitives (try a token, restore on failure)
// and "furthest failure" tracking so a failed parse reports what was expected where.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace omnigraph::compiler {

// A numeric token as written. `is_float` ⇔ `[0-9]+ "." [0-9]+`.
struct NumberToken {
  std::string text;  // as written, including a leading '-' for signed bounds
  bool is_float = false;
};

// Not thread-safe; one scanner per parse. Every token method first skips whitespace and
// comments, then either consumes the token and returns it, or consumes nothing, records
// the expectation at the current offset, and returns false/nullopt. Hard lexical errors
// (unsupported escape, unterminated string/comment) throw CompileError (`parse error: …`).
class Scanner {
 public:
  explicit Scanner(std::string_view source);

  std::string_view source() const { return src_; }
  size_t offset() const { return pos_; }
  void reset(size_t offset) { pos_ = offset; }

  // Skips whitespace, `//` and `/* */` comments.
  void skip_ws();
  // True at end of input (after skipping whitespace).
  bool at_end();

  // Literal text (keywords are not word-delimited, §1).
  bool accept(std::string_view literal);
  // `[A-Z][A-Za-z0-9_]*`
  std::optional<std::string> type_name();
  // `[a-z_][A-Za-z0-9_]*`
  std::optional<std::string> ident();
  // ident except the word `not` not followed by a letter/digit/underscore.
  std::optional<std::string> edge_ident();
  // `$` + ident; returns the name without `$`.
  std::optional<std::string> variable();
  // `[0-9]+` (text).
  std::optional<std::string> integer();
  // `[0-9]+ "." [0-9]+`.
  std::optional<std::string> float_number();
  // `-`? (float | integer) with no space after the sign (token).
  std::optional<NumberToken> signed_number();
  // `[A-Za-z0-9_-]+` (enum value token).
  std::optional<std::string> enum_value();
  // A string literal, decoded.
  std::optional<std::string> string_literal();

  // Records that `what` was expected at the current offset (after whitespace).
  void expected(std::string_view what);
  // Throws `parse error: expected …` at the furthest offset any token attempt reached.
  [[noreturn]] void fail_expected();
  // Throws `parse error: <message>` at `offset`.
  [[noreturn]] void fail_at(size_t offset, const std::string& message) const;

 private:
  void note(size_t at, std::string_view what);

  std::string_view src_;
  size_t pos_ = 0;
  size_t furthest_ = 0;
  std::set<std::string> expected_;
};

}  // namespace omnigraph::compiler
