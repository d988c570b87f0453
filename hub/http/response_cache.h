// ResponseCache: whole SDMX responses, kept while the watermark stays put.
//
// An SDMX read is a function of the target, Accept and Accept-Encoding at
// the current watermark (the Router's ETag says the same): until the next
// commit, answering it again from memory gives the same bytes. Portals ask
// the same small queries over and over; those skip the state scan and the
// writer. The first commit after an entry was stored makes it stale (the
// whole cache is dropped when a lookup sees a new watermark). Bounded by
// bytes, least recently used out first. Thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "hub/http/message.h"

namespace hub::http {

struct ResponseCacheOptions {
  size_t max_bytes = 64ull << 20;      // all entries; 0 disables the cache; default 64 MiB
  size_t max_entry_bytes = 1ull << 20;  // larger responses are not kept; default 1 MiB
};

class ResponseCache {
 public:
  explicit ResponseCache(const ResponseCacheOptions& options) : options_(options) {}

  // What selects the bytes of an SDMX answer at one watermark: target,
  // Accept and Accept-Encoding. The cache's key; the Router's ETag hashes it.
  static std::string KeyOf(const HttpRequest& req);

  // The response stored for `key` at `watermark`, if any.
  std::optional<HttpResponse> Get(const std::string& key, uint64_t watermark);
  // Stores `resp` (a 200 with a body and no stream) as the answer at `watermark`.
  void Put(const std::string& key, uint64_t watermark, const HttpResponse& resp);
  // Makes `resp` store itself once its body is complete: a plain body now, a
  // streamed one when the producer finishes with every piece delivered and
  // within max_entry_bytes.
  void StoreWhenComplete(const std::string& key, uint64_t watermark, HttpResponse* resp);

  uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }
  uint64_t misses() const { return misses_.load(std::memory_order_relaxed); }
  size_t bytes() const;

 private:
  struct Entry {
    HttpResponse response;
    size_t bytes = 0;
    std::list<std::string>::iterator lru;  // position in lru_
  };
  static size_t SizeOf(const HttpResponse& r);
  void DropAllLocked();

  const ResponseCacheOptions options_;
  mutable std::mutex mu_;
  uint64_t watermark_ = 0;  // of every entry
  std::unordered_map<std::string, Entry> entries_;
  std::list<std::string> lru_;  // most recently used first
  size_t bytes_ = 0;
  std::atomic<uint64_t> hits_{0}, misses_{0};
};

}  // namespace hub::http
