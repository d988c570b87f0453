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
// says why. The SHA-256 of the bytes is computed as they arrive.
// Thread-safe as described (one producer).
//
// Spooled (Spooled()): the storage is an unnamed temporary file, mapped
// shared, so that memory stays bounded whatever the size: the producer lets
// go of the pages it has written and a reader of those it has passed
// (Release()); the kernel keeps them in its page cache, and a page read
// again comes back from there or from the file. Nothing is left on disk
// after the object (or the process) goes.
#pragma once

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "hub/base/sha256.h"
#include "hub/base/status.h"

namespace hub {

class ArrivingBytes {
 public:
  // In memory: `size` bytes allocated at once, not initialised.
  explicit ArrivingBytes(size_t size);
  // In an unnamed file of `size` bytes in directory `dir`.
  static Result<std::shared_ptr<ArrivingBytes>> Spooled(size_t size, const std::string& dir);
  ~ArrivingBytes();
  ArrivingBytes(const ArrivingBytes&) = delete;
  ArrivingBytes& operator=(const ArrivingBytes&) = delete;

  // The whole buffer; only its first available() bytes hold data.
  std::string_view view() const { return {data_, size_}; }
  size_t size() const { return size_; }
  bool spooled() const { return fd_ >= 0; }

  // Producer: where the next bytes go (room() of them), then publish n.
  // Spooled, that is a staging buffer of kStagingBytes written to the file
  // by Arrived(): writing through the mapping would fault in (and zero) a
  // fresh page of the file at every 4 KiB, a third of the receiving
  // thread's time.
  char* tail() { return fd_ >= 0 ? staging_.get() : data_ + filled_; }
  size_t room() const { return fd_ >= 0 ? std::min(kStagingBytes, size_ - filled_) : size_ - filled_; }
  // False when the piece could not be kept (the spool file refused it):
  // the upload has failed, and later pieces are refused too.
  bool Arrived(size_t n);
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
  // Lowercase hex SHA-256 of every byte, once complete(); "" before.
  std::string sha256() const;

  // A reader will not need the bytes before `offset` soon: their pages may
  // go (spooled only; they can still be read). Thread-safe.
  void Release(size_t offset) const;

  // Pages are let go this many bytes at a time.
  static constexpr size_t kReleaseStep = size_t{8} << 20;
  static constexpr size_t kStagingBytes = size_t{1} << 20;

 private:
  ArrivingBytes(char* data, size_t size, int fd);
  // Lets the pages wholly inside [from, to) go.
  void Drop(size_t from, size_t to) const;

  const size_t size_;
  std::unique_ptr<char[]> owned_;  // in memory
  char* data_;
  const int fd_ = -1;  // spooled: the file, mapped at data_ (read only)
  std::unique_ptr<char[]> staging_;  // spooled: tail()
  bool write_failed_ = false;  // producer's: the file refused a piece
  size_t filled_ = 0;  // producer's own count; published under mu_
  Sha256 sha_;  // producer's
  mutable std::mutex mu_;
  mutable std::condition_variable cv_;
  size_t published_ = 0;
  bool failed_ = false;
  Status failure_;
  std::string hex_;  // the digest, once complete
  mutable size_t read_released_ = 0;  // under mu_
};

}  // namespace hub
