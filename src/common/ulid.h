// ULIDs: 26-character Crockford base32 ids, 48-bit millisecond time + 80 random
// bits, lexicographically sortable. Commit ids and generated entity ids use them.
#pragma once

#include <array>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace omnigraph {

struct Ulid {
  uint64_t time_ms = 0;           // low 48 bits used
  std::array<uint8_t, 10> random{};  // 80 bits, big-endian

  std::string to_string() const;  // 26 chars, uppercase Crockford base32
  // Parses 26 Crockford base32 chars (case-insensitive; I/L → 1, O → 0). nullopt if malformed.
  static std::optional<Ulid> parse(std::string_view text);
  auto operator<=>(const Ulid&) const = default;
};

// Produces strictly increasing ULIDs within one process, even when several are
// minted in the same millisecond or the wall clock steps backwards: the random
// part of the previous id is incremented instead. Thread-safe. A forked child starts
// afresh (new random bits), so processes forked from one parent never share ids.
class UlidGenerator {
 public:
  UlidGenerator() = default;
  UlidGenerator(const UlidGenerator&) = delete;
  UlidGenerator& operator=(const UlidGenerator&) = delete;

  Ulid next();
  // Same, with an explicit clock reading (for tests and replay).
  Ulid next_at(uint64_t now_ms);

  // Process-wide generator (ids from all threads stay ordered).
  static UlidGenerator& global();

 private:
  std::mutex mu_;
  std::optional<Ulid> last_;
  uint64_t fork_generation_ = 0;  // see ulid.cpp: state is discarded in a forked child
};

// Convenience: UlidGenerator::global().next().to_string().
std::string new_ulid();

}  // namespace omnigraph
