// Diagnostic rendering: maps byte offsets to line:column and draws the caret line.
#include "compiler/diagnostics.h"

#include <algorithm>

namespace omnigraph::compiler {

namespace {
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
}  // namespace

SourcePos position_of(std::string_view source, size_t offset) {
  offset = std::min(offset, source.size());
  SourcePos pos;
  for (size_t i = 0; i < offset; ++i) {
    if (source[i] == '\n') {
      ++pos.line;
      pos.column = 1;
    } else if (!is_continuation(source[i])) {
      ++pos.column;
    }
  }
  return pos;
}

std::string render_diagnostic(std::string_view message, std::string_view source, SourcePos pos) {
  // Find the text of line `pos.line`.
  size_t start = 0;
  for (uint32_t line = 1; line < pos.line && start <= source.size(); ++line) {
    size_t nl = source.find('\n', start);
    if (nl == std::string_view::npos) {
      start = source.size();
      break;
    }
    start = nl + 1;
  }
  size_t end = source.find('\n', start);
  if (end == std::string_view::npos) end = source.size();
  std::string line_text(source.substr(start, end - start));
  if (!line_text.empty() && line_text.back() == '\r') line_text.pop_back();
  std::replace(line_text.begin(), line_text.end(), '\t', ' ');

  std::string number = std::to_string(pos.line);
  std::string gutter(number.size(), ' ');
  std::string out(message);
  out += "\n" + gutter + "--> " + std::to_string(pos.line) + ":" + std::to_string(pos.column) + "\n";
  out += gutter + " |\n";
  out += number + " | " + line_text + "\n";
  out += gutter + " | " + std::string(pos.column > 0 ? pos.column - 1 : 0, ' ') + "^";
  return out;
}

CompileError::CompileError(std::string plain, std::optional<SourcePos> pos, std::string rendered)
    : Error(ErrorCode::kBadRequest, std::move(rendered)), plain_(std::move(plain)), pos_(pos) {}

void throw_compile_error(std::string plain, std::string_view source, std::optional<size_t> offset) {
  if (!offset) {
    std::string rendered = plain;
    throw CompileError(std::move(plain), std::nullopt, std::move(rendered));
  }
  SourcePos pos = position_of(source, *offset);
  std::string rendered = render_diagnostic(plain, source, pos);
  throw CompileError(std::move(plain), pos, std::move(rendered));
}

}  // namespace omnigraph::compiler
