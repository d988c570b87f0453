// ArrivingBytes: a buffer of known final size whose bytes arrive over time
// (an HTTP upload with a Content-Length), so that a parser can start on the
// first bytes while the rest is still on the wire.
//
// One producer writes into tail() and publishes with Arrived(); any number
// of readers wait for bytes with WaitBeyond()/WaitAll() and read
// view().substr(0, available()). The storage is allocated once, at its final
// size, and never moves: a reader may keep pointers and string_views into
// the bytes it has seen. If the upload stops short, the producer calls
// Fail(): waiting readers wake, see fewer bytes than size() and status()
// says why. Thread-safe as described (one producer).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string_view>

#include "hub/base/status.h"

namespace hub {

class ArrivingBytes {
 public:
  // Allocates `size` bytes, not initialised.
  explicit ArrivingBytes(size_t size);
  // The whole buffer; only its first available() bytes hold data.
  std::string_view view() const { return {data_.get(), size_}; }
  size_t size() const { return size_; }

  // Producer: where the next bytes go (room() of them), then publish n.
  char* tail() { return data_.get() + filled_; }
  size_t room() const { return size_ - filled_; }
  void Arrived(size_t n);
  // The upload ended early (client gone, timeout, server stopping):
  // readers stop waiting. Ignored once every byte arrived.
  void Fail(Status why);

  size_t available() const;
  // Every byte arrived (not: the upload failed).
  bool complete() const;
  // Blocks until more than `have` bytes arrived or the upload ended
  // (completely or not); returns available().
  size_t WaitBeyond(size_t have) const;
  // Blocks until the upload ended; OK when every byte arrived, else the
  // reason given to Fail().
  Status WaitAll() const;

 private:
  const size_t size_;
  std::unique_ptr<char[]> data_;
  size_t filled_ = 0;  // producer's own count; published under mu_
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  size_t published_ = 0;
  bool failed_ = false;
  Status failure_;
};

}  // namespace hub
