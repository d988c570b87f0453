#include "hub/http/response_cache.h"

#include <memory>

namespace hub::http {

std::string ResponseCache::KeyOf(const HttpRequest& req) {
  std::string key = req.target;
  for (const char* h : {"accept", "accept-encoding"}) {
    key += '\n';
    key += req.Header(h);
  }
  return key;
}

size_t ResponseCache::SizeOf(const HttpResponse& r) {
  size_t n = r.body.size() + 64;
  for (const auto& [k, v] : r.headers) n += k.size() + v.size();
  return n;
}

size_t ResponseCache::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void ResponseCache::DropAllLocked() {
  entries_.clear();
  lru_.clear();
  bytes_ = 0;
}

std::optional<HttpResponse> ResponseCache::Get(const std::string& key, uint64_t watermark) {
  if (options_.max_bytes == 0) return std::nullopt;
  std::lock_guard lock(mu_);
  if (watermark != watermark_) {
    DropAllLocked();  // a commit since: every entry may be out of date
    watermark_ = watermark;
  }
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    misses_.fetch_add(1, std::memory_order_relaxed);
    return std::nullopt;
  }
  lru_.splice(lru_.begin(), lru_, it->second.lru);
  hits_.fetch_add(1, std::memory_order_relaxed);
  return it->second.response;
}

void ResponseCache::Put(const std::string& key, uint64_t watermark, const HttpResponse& resp) {
  if (options_.max_bytes == 0 || resp.stream || resp.status != 200) return;
  const size_t size = SizeOf(resp) + key.size();
  if (size > options_.max_entry_bytes || size > options_.max_bytes) return;
  std::lock_guard lock(mu_);
  if (watermark != watermark_) {
    if (watermark < watermark_) return;  // answered before the last commit: already stale
    DropAllLocked();
    watermark_ = watermark;
  }
  if (auto old = entries_.find(key); old != entries_.end()) {
    bytes_ -= old->second.bytes;
    lru_.erase(old->second.lru);
    entries_.erase(old);
  }
  while (bytes_ + size > options_.max_bytes && !lru_.empty()) {
    auto victim = entries_.find(lru_.back());
    bytes_ -= victim->second.bytes;
    entries_.erase(victim);
    lru_.pop_back();
  }
  lru_.push_front(key);
  entries_.emplace(key, Entry{resp, size, lru_.begin()});
  bytes_ += size;
}

void ResponseCache::StoreWhenComplete(const std::string& key, uint64_t watermark, HttpResponse* resp) {
  if (options_.max_bytes == 0 || resp->status != 200) return;
  if (!resp->stream) {
    Put(key, watermark, *resp);
    return;
  }
  // Copy the pieces as they go; store only a whole body that fits.
  auto inner = std::move(resp->stream);
  HttpResponse headers = *resp;  // status and headers; the body comes from the stream
  resp->stream = [this, key, watermark, headers = std::move(headers),
                  inner = std::move(inner)](const HttpResponse::Write& write) -> Status {
    std::string copy;
    bool keep = true, delivered = true;
    Status s = inner([&](std::string_view piece) {
      if (keep && copy.size() + piece.size() <= options_.max_entry_bytes) {
        copy.append(piece);
      } else if (keep) {
        keep = false;
        std::string().swap(copy);
      }
      return delivered = delivered && write(piece);
    });
    if (s.ok() && keep && delivered) {
      HttpResponse whole = headers;
      whole.body = std::move(copy);
      Put(key, watermark, whole);
    }
    return s;
  };
}

}  // namespace hub::http
