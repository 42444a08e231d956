// Fault-injecting ObjectStore wrapper used by the crash tests.
#include "storage/fault_injection_store.h"

#include <unistd.h>

#include "storage/storage_error.h"

namespace omnigraph::storage {

void FaultInjectionStore::before_read() {
  if (crashed_.load()) throw InjectedFault("store is crashed");
}

void FaultInjectionStore::before_write(std::string_view key) {
  before_read();
  // Reserve a slot; the write that would exceed the budget crashes instead.
  uint64_t slot = writes_done_.fetch_add(1);
  if (slot >= writes_allowed_) {
    writes_done_.fetch_sub(1);
    crashed_.store(true);
    if (action_ == FaultAction::kExit) ::_exit(kFaultExitCode);
    throw InjectedFault("crash before write #" + std::to_string(slot + 1) + " ('" + std::string(key) + "')");
  }
}

std::string FaultInjectionStore::get(std::string_view key) {
  before_read();
  return inner_.get(key);
}

std::string FaultInjectionStore::get_range(std::string_view key, uint64_t offset, uint64_t length) {
  before_read();
  return inner_.get_range(key, offset, length);
}

uint64_t FaultInjectionStore::read_range_into(std::string_view key, uint64_t offset, std::span<char> dst) {
  before_read();
  return inner_.read_range_into(key, offset, dst);
}

std::optional<ObjectInfo> FaultInjectionStore::head(std::string_view key) {
  before_read();
  return inner_.head(key);
}

void FaultInjectionStore::put(std::string_view key, std::string_view data) {
  before_write(key);
  inner_.put(key, data);
}

bool FaultInjectionStore::create_if_absent(std::string_view key, std::string_view data) {
  before_write(key);
  return inner_.create_if_absent(key, data);
}

std::vector<std::string> FaultInjectionStore::list(std::string_view prefix) {
  before_read();
  return inner_.list(prefix);
}

void FaultInjectionStore::remove(std::string_view key) {
  before_write(key);
  inner_.remove(key);
}

std::string FaultInjectionStore::describe() const {
  return "fault-injection(" + inner_.describe() + ")";
}

}  // namespace omnigraph::storage
