// Local-directory object store: durable atomic put and create-if-absent on POSIX filesystems.
#include "storage/local_object_store.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include "common/error.h"
#include "common/ulid.h"

namespace omnigraph::storage {
namespace {

constexpr const char* kTempDir = ".tmp";

[[noreturn]] void throw_io(const std::string& what, const std::string& path, int err) {
  throw Error::internal(what + " '" + path + "': " + std::strerror(err));
}

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

void fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) throw_io("cannot open directory", dir, errno);
  Fd guard(fd);
  if (::fsync(fd) != 0) throw_io("cannot fsync directory", dir, errno);
}

// Opens an object file for reading and reports its size; the caller owns the returned fd.
// An absent object (or a directory where an object would be) is not_found.
int open_object_for_read(std::string_view key, const std::string& path, uint64_t* size) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) throw Error::not_found("object '" + std::string(key) + "' not found");
    throw_io("cannot open", path, errno);
  }
  Fd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0) throw_io("cannot stat", path, errno);
  if (S_ISDIR(st.st_mode)) throw Error::not_found("object '" + std::string(key) + "' not found");
  *size = static_cast<uint64_t>(st.st_size);
  return guard.release();
}

std::string parent_dir(const std::string& path) {
  auto pos = path.rfind('/');
  return pos == std::string::npos ? "." : (pos == 0 ? "/" : path.substr(0, pos));
}

int rename_noreplace(const char* from, const char* to) {
  return static_cast<int>(::syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE));
}

// Publishes temp at target without replacing anything; returns false if target exists.
bool publish_exclusive(ExclusivePublish method, const std::string& temp, const std::string& target) {
  if (method == ExclusivePublish::kLink) {
    if (::link(temp.c_str(), target.c_str()) == 0) {
      ::unlink(temp.c_str());
      return true;
    }
    int err = errno;
    ::unlink(temp.c_str());
    if (err == EEXIST) return false;
    throw_io("cannot link object", target, err);
  }
  if (rename_noreplace(temp.c_str(), target.c_str()) == 0) return true;
  int err = errno;
  ::unlink(temp.c_str());
  if (err == EEXIST) return false;
  throw_io("cannot publish object", target, err);
}

void write_all(int fd, std::string_view data, const std::string& path) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot write", path, errno);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

}  // namespace

std::unique_ptr<LocalObjectStore> LocalObjectStore::open(const std::string& root_in) {
  std::error_code ec;
  std::filesystem::path root_path = std::filesystem::absolute(root_in, ec);
  if (ec) throw Error::bad_request("invalid storage root '" + root_in + "': " + ec.message());
  std::string root = root_path.lexically_normal().string();
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  std::filesystem::create_directories(root + "/" + kTempDir, ec);
  if (ec) throw Error::bad_request("cannot create storage root '" + root + "': " + ec.message());

  // Probe the filesystem: an exclusive publish must succeed once and then report EEXIST.
  std::string probe_base = root + "/" + kTempDir + "/probe-" + new_ulid() + "-" + std::to_string(::getpid());
  std::string src = probe_base + ".src", dst = probe_base + ".dst", src2 = probe_base + ".src2";
  auto touch = [&](const std::string& p) {
    int fd = ::open(p.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
      throw Error::bad_request("storage root '" + root + "' is not writable: " + std::strerror(errno));
    ::close(fd);
  };
  auto cleanup = [&] {
    ::unlink(src.c_str());
    ::unlink(src2.c_str());
    ::unlink(dst.c_str());
  };
  std::optional<ExclusivePublish> method;
  touch(src);
  touch(src2);
  if (::link(src.c_str(), dst.c_str()) == 0) {
    if (::link(src2.c_str(), dst.c_str()) != 0 && errno == EEXIST) method = ExclusivePublish::kLink;
  } else if (rename_noreplace(src.c_str(), dst.c_str()) == 0) {
    if (rename_noreplace(src2.c_str(), dst.c_str()) != 0 && errno == EEXIST)
      method = ExclusivePublish::kRenameNoReplace;
  }
  cleanup();
  if (!method) {
    throw Error::bad_request("storage root '" + root +
                             "' is on a filesystem without atomic create-if-absent (neither link(2) nor "
                             "renameat2(RENAME_NOREPLACE) works); use a local POSIX filesystem or S3");
  }
  return std::unique_ptr<LocalObjectStore>(new LocalObjectStore(root, *method));
}

std::string LocalObjectStore::path_of(std::string_view key) const {
  validate_object_key(key);
  return root_ + "/" + std::string(key);
}

std::string LocalObjectStore::get(std::string_view key) {
  std::string path = path_of(key);
  uint64_t size = 0;
  int fd = open_object_for_read(key, path, &size);
  Fd guard(fd);
  std::string out(static_cast<size_t>(size), '\0');
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<size_t>(n);
  }
  out.resize(done);
  return out;
}

uint64_t LocalObjectStore::read_range_into(std::string_view key, uint64_t offset, std::span<char> dst) {
  std::string path = path_of(key);
  uint64_t size = 0;
  int fd = open_object_for_read(key, path, &size);
  Fd guard(fd);
  if (offset > size) {
    throw Error::bad_request("range offset " + std::to_string(offset) + " is past the end of object '" +
                             std::string(key) + "' (" + std::to_string(size) + " bytes)");
  }
  uint64_t want = std::min<uint64_t>(dst.size(), size - offset);
  uint64_t done = 0;
  while (done < want) {
    ssize_t n = ::pread(fd, dst.data() + done, want - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot read", path, errno);
    }
    if (n == 0) break;
    done += static_cast<uint64_t>(n);
  }
  return done;
}

std::string LocalObjectStore::get_range(std::string_view key, uint64_t offset, uint64_t length) {
  auto info = head(key);
  if (!info) throw Error::not_found("object '" + std::string(key) + "' not found");
  if (offset > info->size) {
    throw Error::bad_request("range offset " + std::to_string(offset) + " is past the end of object '" +
                             std::string(key) + "' (" + std::to_string(info->size) + " bytes)");
  }
  std::string out(static_cast<size_t>(std::min(length, info->size - offset)), '\0');
  out.resize(read_range_into(key, offset, std::span<char>(out.data(), out.size())));
  return out;
}

std::optional<ObjectInfo> LocalObjectStore::head(std::string_view key) {
  std::string path = path_of(key);
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw_io("cannot stat", path, errno);
  }
  if (S_ISDIR(st.st_mode)) return std::nullopt;
  ObjectInfo info;
  info.size = static_cast<uint64_t>(st.st_size);
  info.etag = std::to_string(st.st_ino) + "-" + std::to_string(st.st_size) + "-" +
              std::to_string(static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec);
  return info;
}

void LocalObjectStore::ensure_parent(const std::string& path) const {
  std::string dir = parent_dir(path);
  struct stat st {};
  if (::stat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) return;
  ensure_parent(dir);
  if (::mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) throw_io("cannot create directory", dir, errno);
  // The new directory entry must survive a crash too.
  fsync_dir(parent_dir(dir));
}

std::string LocalObjectStore::write_temp(std::string_view data) const {
  // The pid keeps names unique even when forked processes share a copied ULID generator state.
  std::string temp = root_ + "/" + kTempDir + "/" + new_ulid() + "-" + std::to_string(::getpid()) + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw_io("cannot create temp file", temp, errno);
  Fd guard(fd);
  try {
    write_all(fd, data, temp);
    if (::fsync(fd) != 0) throw_io("cannot fsync", temp, errno);
  } catch (...) {
    ::unlink(temp.c_str());
    throw;
  }
  return temp;
}

void LocalObjectStore::put(std::string_view key, std::string_view data) {
  std::string path = path_of(key);
  ensure_parent(path);
  std::string temp = write_temp(data);
  if (::rename(temp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(temp.c_str());
    throw_io("cannot publish object", path, err);
  }
  fsync_dir(parent_dir(path));
}

bool LocalObjectStore::create_if_absent(std::string_view key, std::string_view data) {
  std::string path = path_of(key);
  ensure_parent(path);
  std::string temp = write_temp(data);
  bool created = publish_exclusive(method_, temp, path);
  if (created) fsync_dir(parent_dir(path));
  return created;
}

std::vector<std::string> LocalObjectStore::list(std::string_view prefix) {
  // Walk only the deepest directory the prefix names; filter the rest by string prefix.
  std::string prefix_str(prefix);
  auto slash = prefix_str.rfind('/');
  std::string base_rel = slash == std::string::npos ? "" : prefix_str.substr(0, slash);
  std::vector<std::string> out;
  std::vector<std::string> stack{base_rel};
  while (!stack.empty()) {
    std::string rel = std::move(stack.back());
    stack.pop_back();
    std::string dir_path = rel.empty() ? root_ : root_ + "/" + rel;
    DIR* dir = ::opendir(dir_path.c_str());
    if (dir == nullptr) {
      if (errno == ENOENT || errno == ENOTDIR) continue;
      throw_io("cannot list", dir_path, errno);
    }
    while (dirent* ent = ::readdir(dir)) {
      std::string name = ent->d_name;
      if (name.empty() || name[0] == '.') continue;  // ".", "..", ".tmp"
      std::string child = rel.empty() ? name : rel + "/" + name;
      bool is_dir = ent->d_type == DT_DIR;
      if (ent->d_type == DT_UNKNOWN) {
        struct stat st {};
        if (::stat((root_ + "/" + child).c_str(), &st) == 0) is_dir = S_ISDIR(st.st_mode);
      }
      if (is_dir) {
        // Descend only where keys could still match the prefix.
        std::string as_dir = child + "/";
        bool may_match = as_dir.size() >= prefix_str.size()
                             ? as_dir.compare(0, prefix_str.size(), prefix_str) == 0
                             : prefix_str.compare(0, as_dir.size(), as_dir) == 0;
        if (may_match) stack.push_back(child);
      } else if (child.compare(0, prefix_str.size(), prefix_str) == 0) {
        out.push_back(std::move(child));
      }
    }
    ::closedir(dir);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void LocalObjectStore::remove(std::string_view key) {
  std::string path = path_of(key);
  if (::unlink(path.c_str()) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return;
    throw_io("cannot delete object", path, errno);
  }
  fsync_dir(parent_dir(path));
}

std::string LocalObjectStore::describe() const {
  return "file://" + root_;
}

}  // namespace omnigraph::storage
