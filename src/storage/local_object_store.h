// ObjectStore over a local directory. Objects are files under the root; writes go to a
// fully written, fsynced temp file that is then published atomically.
#pragma once

#include <memory>
#include <string>

#include "storage/object_store.h"

namespace omnigraph::storage {

// How create_if_absent publishes a temp file without ever replacing an existing object.
enum class ExclusivePublish { kLink, kRenameNoReplace };

class LocalObjectStore final : public ObjectStore {
 public:
  // Opens (creating it and its parents if needed) the directory `root`, then probes that the
  // filesystem supports an atomic no-replace publish (link(2), else renameat2 RENAME_NOREPLACE).
  // Throws bad_request naming the root if it cannot be created, or if neither primitive works
  // (e.g. some network or FUSE filesystems): such a filesystem could silently lose commits.
  static std::unique_ptr<LocalObjectStore> open(const std::string& root);

  LocalObjectStore(const LocalObjectStore&) = delete;
  LocalObjectStore& operator=(const LocalObjectStore&) = delete;

  std::string get(std::string_view key) override;
  std::string get_range(std::string_view key, uint64_t offset, uint64_t length) override;
  uint64_t read_range_into(std::string_view key, uint64_t offset, std::span<char> dst) override;
  std::optional<ObjectInfo> head(std::string_view key) override;
  // Temp file + fsync + rename(2) + fsync of the directory.
  void put(std::string_view key, std::string_view data) override;
  // Temp file + fsync + link(2) (or renameat2 RENAME_NOREPLACE) + fsync of the directory.
  bool create_if_absent(std::string_view key, std::string_view data) override;
  std::vector<std::string> list(std::string_view prefix) override;
  void remove(std::string_view key) override;
  std::string describe() const override;

  const std::string& root() const { return root_; }
  ExclusivePublish publish_method() const { return method_; }

 private:
  LocalObjectStore(std::string root, ExclusivePublish method) : root_(std::move(root)), method_(method) {}

  std::string path_of(std::string_view key) const;
  // Writes data to a fresh temp file in <root>/.tmp, fsyncs it, returns its path.
  std::string write_temp(std::string_view data) const;
  // mkdir -p of the key's parent directory, fsyncing each directory entry it creates.
  void ensure_parent(const std::string& path) const;

  std::string root_;
  ExclusivePublish method_;
};

}  // namespace omnigraph::storage
