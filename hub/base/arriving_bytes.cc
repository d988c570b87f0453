#include "hub/base/arriving_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "hub/base/unnamed_file.h"

namespace hub {

// Not value-initialised: a 256 MiB upload should not be zeroed before it is
// overwritten.
ArrivingBytes::ArrivingBytes(size_t size)
    : size_(size), owned_(std::make_unique_for_overwrite<char[]>(size)), data_(owned_.get()) {}

ArrivingBytes::ArrivingBytes(char* data, size_t size, int fd)
    : size_(size), data_(data), fd_(fd), staging_(std::make_unique_for_overwrite<char[]>(kStagingBytes)) {}

Result<std::shared_ptr<ArrivingBytes>> ArrivingBytes::Spooled(size_t size, const std::string& dir) {
  auto opened = OpenUnnamedFile(dir);
  if (!opened.ok()) return Status::IoError("upload spool: " + opened.status().message());
  const int fd = *opened;
  if (ftruncate(fd, static_cast<off_t>(size)) != 0) {
    const std::string why = std::strerror(errno);
    close(fd);
    return Status::IoError("upload spool in " + dir + " (" + std::to_string(size) + " bytes): " + why);
  }
  void* map = size ? mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0) : nullptr;
  if (map == MAP_FAILED) {
    const std::string why = std::strerror(errno);
    close(fd);
    return Status::IoError("upload spool map: " + why);
  }
  return std::shared_ptr<ArrivingBytes>(new ArrivingBytes(static_cast<char*>(map), size, fd));
}

ArrivingBytes::~ArrivingBytes() {
  if (fd_ >= 0) {
    if (size_) munmap(data_, size_);
    close(fd_);
  }
}

void ArrivingBytes::Drop(size_t from, size_t to) const {
  if (fd_ < 0) return;
  static const size_t kPage = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  from = (from + kPage - 1) / kPage * kPage;
  to = to / kPage * kPage;
  // A shared file mapping: the data stays in the page cache (and goes to
  // the file); only this process's hold on the pages goes.
  if (to > from) madvise(data_ + from, to - from, MADV_DONTNEED);
}

bool ArrivingBytes::Arrived(size_t n) {
  if (write_failed_) return false;  // what follows a lost piece must not land in its place
  n = std::min(n, room());
  sha_.Update(std::string_view(tail(), n));
  if (fd_ >= 0) {
    if (Status w = WriteAt(fd_, std::string_view(staging_.get(), n), filled_); !w.ok()) {
      write_failed_ = true;
      Fail(Status::IoError("upload spool, at byte " + std::to_string(filled_) + ": " + w.message()));
      return false;
    }
  }
  filled_ += n;
  std::string hex = filled_ == size_ ? sha_.Hex() : std::string();
  {
    std::lock_guard lock(mu_);
    published_ = filled_;
    if (published_ == size_) hex_ = std::move(hex);
  }
  cv_.notify_all();
  return true;
}

void ArrivingBytes::Release(size_t offset) const {
  size_t from;
  {
    std::lock_guard lock(mu_);
    offset = std::min(offset, published_);
    if (offset < read_released_ + kReleaseStep) return;
    from = read_released_;
    read_released_ = offset;
  }
  Drop(from, offset);
}

void ArrivingBytes::Fail(Status why) {
  {
    std::lock_guard lock(mu_);
    if (published_ == size_ || failed_) return;
    failed_ = true;
    failure_ = std::move(why);
  }
  cv_.notify_all();
}

size_t ArrivingBytes::available() const {
  std::lock_guard lock(mu_);
  return published_;
}

bool ArrivingBytes::complete() const {
  std::lock_guard lock(mu_);
  return published_ == size_;
}

std::string ArrivingBytes::sha256() const {
  std::lock_guard lock(mu_);
  return hex_;
}

size_t ArrivingBytes::WaitBeyond(size_t have) const {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return published_ > have || published_ == size_ || failed_; });
  return published_;
}

Status ArrivingBytes::WaitAll() const {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return published_ == size_ || failed_; });
  return published_ == size_ ? Status::Ok() : failure_;
}

}  // namespace hub
