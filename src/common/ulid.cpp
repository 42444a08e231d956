// ULID encoding and the monotonic generator.
#include "common/ulid.h"

#include <pthread.h>
#include <sys/random.h>

#include <atomic>

#include "common/error.h"
#include "common/time_util.h"

namespace omnigraph {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

int decode_char(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (c == 'I' || c == 'L') return 1;
  if (c == 'O') return 0;
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

void fill_random(std::array<uint8_t, 10>& out) {
  size_t got = 0;
  while (got < out.size()) {
    ssize_t n = getrandom(out.data() + got, out.size() - got, 0);
    if (n < 0) throw Error::internal("getrandom failed");
    got += static_cast<size_t>(n);
  }
}

// Bumped in every forked child. A child inherits its parent's generator state, so two
// children forked in the same millisecond would otherwise mint identical ids by
// incrementing the same predecessor; a generator that sees a new generation drops it.
std::atomic<uint64_t> g_fork_generation{0};
void on_fork_child() { g_fork_generation.fetch_add(1, std::memory_order_relaxed); }
const bool g_fork_handler_registered = [] {
  pthread_atfork(nullptr, nullptr, on_fork_child);
  return true;
}();

// Increments the 80-bit big-endian value; returns false on overflow.
bool increment(std::array<uint8_t, 10>& r) {
  for (int i = 9; i >= 0; --i) {
    if (++r[i] != 0) return true;
  }
  return false;
}

}  // namespace

std::string Ulid::to_string() const {
  // 128 bits = 48-bit time || 80-bit random, emitted as 26 base32 digits (first digit holds 3 bits).
  unsigned __int128 v = static_cast<unsigned __int128>(time_ms & 0xFFFFFFFFFFFFULL) << 80;
  for (int i = 0; i < 10; ++i) v |= static_cast<unsigned __int128>(random[i]) << (8 * (9 - i));
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[static_cast<int>(v & 31)];
    v >>= 5;
  }
  return out;
}

std::optional<Ulid> Ulid::parse(std::string_view text) {
  if (text.size() != 26) return std::nullopt;
  unsigned __int128 v = 0;
  for (size_t i = 0; i < 26; ++i) {
    int d = decode_char(text[i]);
    if (d < 0) return std::nullopt;
    if (i == 0 && d > 7) return std::nullopt;  // would overflow 128 bits
    v = (v << 5) | static_cast<unsigned>(d);
  }
  Ulid u;
  u.time_ms = static_cast<uint64_t>(v >> 80);
  for (int i = 0; i < 10; ++i) u.random[i] = static_cast<uint8_t>(v >> (8 * (9 - i)));
  return u;
}

Ulid UlidGenerator::next() { return next_at(static_cast<uint64_t>(now_epoch_ms())); }

Ulid UlidGenerator::next_at(uint64_t now_ms) {
  std::lock_guard lock(mu_);
  uint64_t generation = g_fork_generation.load(std::memory_order_relaxed);
  if (generation != fork_generation_) {
    last_.reset();
    fork_generation_ = generation;
  }
  Ulid u;
  if (last_ && now_ms <= last_->time_ms) {
    u = *last_;
    if (!increment(u.random)) {
      // 2^80 ids in one millisecond cannot happen; borrow the next millisecond instead.
      ++u.time_ms;
      fill_random(u.random);
    }
  } else {
    u.time_ms = now_ms;
    fill_random(u.random);
    // Leave headroom so increments within the millisecond cannot overflow in practice.
    u.random[0] &= 0x7F;
  }
  last_ = u;
  return u;
}

UlidGenerator& UlidGenerator::global() {
  static UlidGenerator generator;
  return generator;
}

std::string new_ulid() { return UlidGenerator::global().next().to_string(); }

}  // namespace omnigraph
