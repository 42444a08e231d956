// Scratch directories for storage unit tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"
#include "storage/object_store.h"

namespace omnigraph::storage::testing {

class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "omnigraph-storage-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// In-memory store that counts bytes served, to prove reads touch only what they need.
class MemoryStore : public ObjectStore {
 public:
  std::map<std::string, std::string, std::less<>> objects;
  uint64_t bytes_read = 0;
  uint64_t gets = 0;
  uint64_t heads = 0;
  uint64_t lists = 0;

  std::string get(std::string_view key) override {
    auto it = objects.find(key);
    if (it == objects.end()) throw Error::not_found("missing");
    bytes_read += it->second.size();
    ++gets;
    return it->second;
  }
  std::string get_range(std::string_view key, uint64_t offset, uint64_t length) override {
    auto it = objects.find(key);
    if (it == objects.end()) throw Error::not_found("missing");
    if (offset > it->second.size()) throw Error::bad_request("offset");
    std::string out = it->second.substr(offset, length);
    bytes_read += out.size();
    ++gets;
    return out;
  }
  std::optional<ObjectInfo> head(std::string_view key) override {
    ++heads;
    auto it = objects.find(key);
    if (it == objects.end()) return std::nullopt;
    return ObjectInfo{it->second.size(), "x"};
  }
  void put(std::string_view key, std::string_view data) override { objects[std::string(key)] = data; }
  bool create_if_absent(std::string_view key, std::string_view data) override {
    return objects.emplace(std::string(key), std::string(data)).second;
  }
  std::vector<std::string> list(std::string_view prefix) override {
    ++lists;
    std::vector<std::string> out;
    for (auto& [k, v] : objects)
      if (k.starts_with(prefix)) out.push_back(k);
    return out;
  }
  void remove(std::string_view key) override {
    auto it = objects.find(key);
    if (it != objects.end()) objects.erase(it);
  }
  std::string describe() const override { return "memory"; }
};

}  // namespace omnigraph::storage::testing
