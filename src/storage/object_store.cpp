// Key validation shared by every ObjectStore implementation.
#include "storage/object_store.h"

#include <cstring>

#include "common/error.h"

namespace omnigraph::storage {

uint64_t ObjectStore::read_range_into(std::string_view key, uint64_t offset, std::span<char> dst) {
  std::string bytes = get_range(key, offset, dst.size());
  std::memcpy(dst.data(), bytes.data(), bytes.size());
  return bytes.size();
}

void validate_object_key(std::string_view key) {
  auto fail = [&](std::string_view why) {
    throw Error::bad_request("invalid object key '" + std::string(key) + "': " + std::string(why));
  };
  if (key.empty()) fail("empty");
  if (key.front() == '/' || key.back() == '/') fail("leading or trailing '/'");
  size_t seg_start = 0;
  for (size_t i = 0; i <= key.size(); ++i) {
    if (i == key.size() || key[i] == '/') {
      if (i == seg_start) fail("empty segment");
      if (key[seg_start] == '.') fail("segment starts with '.'");
      seg_start = i + 1;
      continue;
    }
    char c = key[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
              c == '_' || c == '-' || c == '%' || c == '=' || c == '+';
    if (!ok) fail("character not allowed at offset " + std::to_string(i));
  }
}

}  // namespace omnigraph::storage
