#include "hub/base/arriving_bytes.h"

#include <algorithm>

namespace hub {

// Not value-initialised: a 256 MiB upload should not be zeroed before it is
// overwritten.
ArrivingBytes::ArrivingBytes(size_t size) : size_(size), data_(std::make_unique_for_overwrite<char[]>(size)) {}

void ArrivingBytes::Arrived(size_t n) {
  filled_ += std::min(n, room());
  {
    std::lock_guard lock(mu_);
    published_ = filled_;
  }
  cv_.notify_all();
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
