// Compiler diagnostics: source positions, the `line:column` + source line + caret
// rendering, and CompileError, the omnigraph::Error every compiler stage throws.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/error.h"

namespace omnigraph::compiler {

// A 1-based position in a source text. `column` counts Unicode scalar values.
struct SourcePos {
  uint32_t line = 1;
  uint32_t column = 1;
};

// Computes the position of byte `offset` in `source` (clamped to the end).
SourcePos position_of(std::string_view source, size_t offset);

// Renders `message` followed by ` --> line:col`, the offending source line and a caret:
//   parse error: expected `}`
//    --> 3:5
//     |
//   3 |     $p.name
//     |     ^
std::string render_diagnostic(std::string_view message, std::string_view source, SourcePos pos);

// Thrown by the parsers, the catalog builder and the typechecker. It is a bad_request
// omnigraph::Error whose message() is the rendered diagnostic (with caret when a position is
// known); plain() is the one-line contract text (`parse error: …`, `type error: T3: …`).
class CompileError : public Error {
 public:
  CompileError(std::string plain, std::optional<SourcePos> pos, std::string rendered);
  const std::string& plain() const { return plain_; }
  const std::optional<SourcePos>& pos() const { return pos_; }

 private:
  std::string plain_;
  std::optional<SourcePos> pos_;
};

// Builds and throws a CompileError; `offset` is a byte offset into `source` (nullopt: no position).
[[noreturn]] void throw_compile_error(std::string plain, std::string_view source,
                                      std::optional<size_t> offset);

}  // namespace omnigraph::compiler
