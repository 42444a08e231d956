// Scanner implementation: whitespace/comments, token recognisers, expectation tracking.
#include "compiler/lexer.h"

#include "compiler/diagnostics.h"

namespace omnigraph::compiler {

namespace {
bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_upper(c) || is_lower(c) || is_digit(c) || c == '_'; }
}  // namespace

Scanner::Scanner(std::string_view source) : src_(source) {}

void Scanner::skip_ws() {
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
      while (pos_ < src_.size() && src_[pos_] != '\n') ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '*') {
      size_t end = src_.find("*/", pos_ + 2);
      if (end == std::string_view::npos) fail_at(pos_, "unterminated block comment");
      pos_ = end + 2;
    } else {
      break;
    }
  }
}

bool Scanner::at_end() {
  skip_ws();
  return pos_ >= src_.size();
}

void Scanner::note(size_t at, std::string_view what) {
  if (at > furthest_) {
    furthest_ = at;
    expected_.clear();
  }
  if (at == furthest_) expected_.insert(std::string(what));
}

void Scanner::expected(std::string_view what) {
  skip_ws();
  note(pos_, what);
}

bool Scanner::accept(std::string_view literal) {
  skip_ws();
  if (src_.substr(pos_, literal.size()) == literal) {
    pos_ += literal.size();
    return true;
  }
  std::string quoted(1, '`');  // built stepwise: GCC 12 -Wrestrict misfires on operator+ here
  quoted.append(literal);
  quoted.push_back('`');
  note(pos_, quoted);
  return false;
}

std::optional<std::string> Scanner::type_name() {
  skip_ws();
  if (pos_ < src_.size() && is_upper(src_[pos_])) {
    size_t start = pos_++;
    while (pos_ < src_.size() && is_word(src_[pos_])) ++pos_;
    return std::string(src_.substr(start, pos_ - start));
  }
  note(pos_, "type name");
  return std::nullopt;
}

std::optional<std::string> Scanner::ident() {
  skip_ws();
  if (pos_ < src_.size() && (is_lower(src_[pos_]) || src_[pos_] == '_')) {
    size_t start = pos_++;
    while (pos_ < src_.size() && is_word(src_[pos_])) ++pos_;
    return std::string(src_.substr(start, pos_ - start));
  }
  note(pos_, "identifier");
  return std::nullopt;
}

std::optional<std::string> Scanner::edge_ident() {
  skip_ws();
  size_t start = pos_;
  // `not` is excluded when not followed by a letter/digit (§1); `_` counts as neither, so
  // `not_x` is excluded too, which is why such edges cannot be traversed.
  if (src_.substr(pos_, 3) == "not") {
    bool followed = pos_ + 3 < src_.size() && (is_upper(src_[pos_ + 3]) || is_lower(src_[pos_ + 3]) ||
                                                is_digit(src_[pos_ + 3]));
    if (!followed) {
      note(pos_, "edge name");
      return std::nullopt;
    }
  }
  auto name = ident();
  if (!name) {
    pos_ = start;
    note(pos_, "edge name");
  }
  return name;
}

std::optional<std::string> Scanner::variable() {
  skip_ws();
  if (pos_ + 1 < src_.size() && src_[pos_] == '$' && (is_lower(src_[pos_ + 1]) || src_[pos_ + 1] == '_')) {
    size_t start = ++pos_;
    while (pos_ < src_.size() && is_word(src_[pos_])) ++pos_;
    return std::string(src_.substr(start, pos_ - start));
  }
  note(pos_, "variable");
  return std::nullopt;
}

std::optional<std::string> Scanner::integer() {
  skip_ws();
  if (pos_ < src_.size() && is_digit(src_[pos_])) {
    size_t start = pos_;
    while (pos_ < src_.size() && is_digit(src_[pos_])) ++pos_;
    return std::string(src_.substr(start, pos_ - start));
  }
  note(pos_, "integer");
  return std::nullopt;
}

std::optional<std::string> Scanner::float_number() {
  skip_ws();
  size_t start = pos_;
  size_t p = pos_;
  while (p < src_.size() && is_digit(src_[p])) ++p;
  if (p > start && p + 1 < src_.size() && src_[p] == '.' && is_digit(src_[p + 1])) {
    ++p;
    while (p < src_.size() && is_digit(src_[p])) ++p;
    pos_ = p;
    return std::string(src_.substr(start, p - start));
  }
  note(pos_, "float");
  return std::nullopt;
}

std::optional<NumberToken> Scanner::signed_number() {
  skip_ws();
  size_t start = pos_;
  size_t p = pos_;
  if (p < src_.size() && src_[p] == '-') ++p;
  size_t digits = p;
  while (p < src_.size() && is_digit(src_[p])) ++p;
  if (p == digits) {
    note(start, "number");
    return std::nullopt;
  }
  NumberToken token;
  if (p + 1 < src_.size() && src_[p] == '.' && is_digit(src_[p + 1])) {
    ++p;
    while (p < src_.size() && is_digit(src_[p])) ++p;
    token.is_float = true;
  }
  pos_ = p;
  token.text = std::string(src_.substr(start, p - start));
  return token;
}

std::optional<std::string> Scanner::enum_value() {
  skip_ws();
  size_t start = pos_;
  while (pos_ < src_.size() && (is_word(src_[pos_]) || src_[pos_] == '-')) ++pos_;
  if (pos_ == start) {
    note(pos_, "enum value");
    return std::nullopt;
  }
  return std::string(src_.substr(start, pos_ - start));
}

std::optional<std::string> Scanner::string_literal() {
  skip_ws();
  if (pos_ >= src_.size() || src_[pos_] != '"') {
    note(pos_, "string");
    return std::nullopt;
  }
  size_t start = pos_;
  size_t p = pos_ + 1;
  std::string out;
  while (true) {
    if (p >= src_.size()) fail_at(start, "unterminated string literal");
    char c = src_[p];
    if (c == '"') break;
    if (c == '\\') {
      if (p + 1 >= src_.size()) fail_at(start, "unterminated string literal");
      char e = src_[p + 1];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        default: fail_at(p, std::string("unsupported escape sequence: \\") + e);
      }
      p += 2;
      continue;
    }
    out += c;
    ++p;
  }
  pos_ = p + 1;
  return out;
}

void Scanner::fail_expected() {
  std::string message = "parse error: ";
  if (expected_.empty()) {
    message += "unexpected input";
  } else {
    message += "expected ";
    size_t i = 0;
    for (const auto& e : expected_) {
      if (i > 0) message += (i + 1 == expected_.size()) ? " or " : ", ";
      message += e;
      ++i;
    }
  }
  if (furthest_ < src_.size()) {
    // Show the offending character (UTF-8 lead byte plus its continuation bytes).
    size_t len = 1;
    while (furthest_ + len < src_.size() && (static_cast<unsigned char>(src_[furthest_ + len]) & 0xC0) == 0x80) ++len;
    message += ", found '" + std::string(src_.substr(furthest_, len)) + "'";
  } else {
    message += ", found end of input";
  }
  throw_compile_error(std::move(message), src_, furthest_);
}

void Scanner::fail_at(size_t offset, const std::string& message) const {
  throw_compile_error("parse error: " + message, src_, offset);
}

}  // namespace omnigraph::compiler
