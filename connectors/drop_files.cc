#include "connectors/drop_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "hub/base/sha256.h"

namespace hub::connectors::drop_files {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxNameSuffix = 10'000;  // done/feed.1.xml ... feed.9999.xml, then give up

Status ReadOpen(int fd, const std::string& path, int64_t size, int64_t mtime_ns, int64_t max_bytes, FileRead* out) {
  struct stat st {};
  if (::fstat(fd, &st) != 0) return FromErrno(path + ": stat", errno);
  if (!S_ISREG(st.st_mode) || st.st_size != size || MtimeNs(st) != mtime_ns) {
    out->changed = true;
    return Status::Ok();
  }
  out->dev = st.st_dev;
  out->ino = st.st_ino;
  out->size = size;
  if (size > max_bytes) {
    out->too_large = true;
    return Status::Ok();
  }
  // One byte more than expected is asked for, to notice a file still growing.
  out->content.resize(static_cast<size_t>(size) + 1);
  size_t got = 0;
  while (got < out->content.size()) {
    const ssize_t n = ::read(fd, out->content.data() + got, out->content.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return FromErrno(path + ": read", errno);
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  out->content.resize(got);
  if (::fstat(fd, &st) != 0) return FromErrno(path + ": stat", errno);
  // Rewritten in place while read (same size, new mtime) counts as changed too.
  if (got != static_cast<size_t>(size) || st.st_size != size || MtimeNs(st) != mtime_ns) out->changed = true;
  return Status::Ok();
}

// `name` with `n` inserted before its extension: feed.xml -> feed.3.xml.
std::string Suffixed(const std::string& name, int n) {
  if (n == 0) return name;
  const fs::path p(name);
  return p.stem().string() + "." + std::to_string(n) + p.extension().string();
}

// rename(2) that fails with EEXIST instead of replacing `to`.
int RenameNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS) return -1;
  // File systems without RENAME_NOREPLACE: link(2) fails on an existing name too.
  if (::link(from.c_str(), to.c_str()) != 0) return -1;
  return ::unlink(from.c_str());
}

Status WriteNew(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) {
    if (errno == EEXIST) return Status::AlreadyExists(path + ": " + std::strerror(errno));
    return FromErrno(path, errno);
  }
  size_t put = 0;
  int err = 0;
  while (put < content.size()) {
    const ssize_t n = ::write(fd, content.data() + put, content.size() - put);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      err = errno;
      break;
    }
    put += static_cast<size_t>(n);
  }
  ::close(fd);
  if (put == content.size()) return Status::Ok();
  ::unlink(path.c_str());  // no half-written diagnostics file
  return FromErrno(path + ": write", err);
}

}  // namespace

Status FromErrno(const std::string& what, int err) {
  const std::string msg = what + ": " + std::strerror(err);
  switch (err) {
    case EMFILE:
    case ENFILE:
    case ENOMEM:
    case ENOSPC:
      return Status::Unavailable(msg);
    case EACCES:
    case EPERM:
      return Status::PermissionDenied(msg);
    case ENAMETOOLONG:
      return Status::InvalidArgument(msg);
    default:
      return Status::IoError(msg);
  }
}

int64_t MtimeNs(const struct stat& st) { return int64_t{st.st_mtim.tv_sec} * 1'000'000'000 + st.st_mtim.tv_nsec; }

Result<FileRead> ReadIfUnchanged(const std::string& path, int64_t size, int64_t mtime_ns, int64_t max_bytes) {
  FileRead out;
  // O_NOFOLLOW: a symlink swapped in after the scan must not be followed.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT || errno == ELOOP) {  // gone, or replaced by a symlink
      out.changed = true;
      return out;
    }
    return FromErrno(path + ": open", errno);
  }
  Status status = ReadOpen(fd, path, size, mtime_ns, max_bytes, &out);
  ::close(fd);
  if (!status.ok()) return status;
  return out;
}

Result<std::string> MoveAside(const std::string& path, const std::string& dir, const std::string& name,
                              const std::string* diagnostics) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return FromErrno(dir, ec.value());
  for (int n = 0; n < kMaxNameSuffix; ++n) {
    const std::string to = dir + "/" + Suffixed(name, n);
    if (diagnostics) {
      std::error_code exists_ec;
      if (fs::exists(fs::symlink_status(to, exists_ec))) continue;
      Status w = WriteNew(to + kDiagnosticsSuffix, *diagnostics);
      if (w.code() == StatusCode::kAlreadyExists) continue;
      HUB_RETURN_IF_ERROR(w);
    }
    if (RenameNoReplace(path, to) == 0) return to;
    const int err = errno;
    if (diagnostics) ::unlink((to + kDiagnosticsSuffix).c_str());
    if (err != EEXIST) return FromErrno("move " + path + " to " + to, err);
  }
  return Status::IoError("move " + path + ": no free name in " + dir);
}

bool SameFile(const std::string& path, dev_t dev, ino_t ino) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && st.st_dev == dev && st.st_ino == ino;
}

std::string ShortName(const std::string& name, size_t max_bytes) {
  if (name.size() <= max_bytes) return name;
  const std::string ext = fs::path(name).extension().string();
  const std::string keep_ext = ext.size() <= 16 ? ext : "";
  const std::string tag = "~" + Sha256Hex(name).substr(0, 12);
  size_t cut = max_bytes > tag.size() + keep_ext.size() ? max_bytes - tag.size() - keep_ext.size() : 0;
  // Not inside a UTF-8 sequence: back up over continuation bytes.
  while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
  return name.substr(0, cut) + tag + keep_ext;
}

}  // namespace hub::connectors::drop_files
