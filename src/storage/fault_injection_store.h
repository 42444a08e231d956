// ObjectStore wrapper for crash tests: lets a chosen number of writes through, then "crashes"
// (throws InjectedFault on every later call, or terminates the process) — SQLite's crash VFS idea.
#pragma once

#include <atomic>
#include <cstdint>
#include <limits>

#include "storage/object_store.h"

namespace omnigraph::storage {

enum class FaultAction {
  kThrow,  // throw InjectedFault from the failing write and from every call after it
  kExit,   // _exit(kFaultExitCode) immediately, like a killed process (for forked tests)
};

inline constexpr int kFaultExitCode = 86;

// Writes are put, create_if_absent and remove. Reads pass through until the crash; after it,
// every call fails, as if the process were gone. Thread-safe. Does not own `inner`.
class FaultInjectionStore final : public ObjectStore {
 public:
  // `writes_allowed` writes succeed; the next one fails before reaching `inner`.
  explicit FaultInjectionStore(ObjectStore& inner,
                               uint64_t writes_allowed = std::numeric_limits<uint64_t>::max(),
                               FaultAction action = FaultAction::kThrow)
      : inner_(inner), writes_allowed_(writes_allowed), action_(action) {}

  std::string get(std::string_view key) override;
  std::string get_range(std::string_view key, uint64_t offset, uint64_t length) override;
  uint64_t read_range_into(std::string_view key, uint64_t offset, std::span<char> dst) override;
  std::optional<ObjectInfo> head(std::string_view key) override;
  void put(std::string_view key, std::string_view data) override;
  bool create_if_absent(std::string_view key, std::string_view data) override;
  std::vector<std::string> list(std::string_view prefix) override;
  void remove(std::string_view key) override;
  std::string describe() const override;

  // Writes that reached the inner store so far.
  uint64_t writes_done() const { return writes_done_.load(); }
  bool crashed() const { return crashed_.load(); }

 private:
  void before_read();
  void before_write(std::string_view key);

  ObjectStore& inner_;
  uint64_t writes_allowed_;
  FaultAction action_;
  std::atomic<uint64_t> writes_done_{0};
  std::atomic<bool> crashed_{false};
};

}  // namespace omnigraph::storage
