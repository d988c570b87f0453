// SubmissionProgress: how far each submission still in the works has got,
// so that GET /api/v1/submissions/{id} can answer for a large body before
// it is accepted: "receiving" (the HTTP layer reading the body), then
// "validating" (Ingestor parsing and checking it; a body parsed as it
// arrives stays "receiving", with series counts, until its last byte), then "appending" (its
// events going to the log). Entries live only while that work runs; the
// ledger answers afterwards. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace hub::connectors {

struct ProgressSnapshot {
  std::string phase;         // "receiving" | "validating" | "appending"
  std::string provider;      // empty while receiving (not yet authenticated)
  uint64_t bytes_total = 0;  // the body's size; 0 = unknown
  uint64_t bytes_done = 0;   // received, or read by the parser
  int64_t series = 0;        // read so far (valid or not)
  int64_t observations = 0;
  int64_t updated_ms = 0;    // when this snapshot was taken (ms since the epoch)
};

class SubmissionProgress {
 public:
  // Called (outside the lock) with every update; tests and metrics.
  using Listener = std::function<void(const std::string& id, const ProgressSnapshot&)>;

  // Every entry belongs to one provider: the first to report on an id owns
  // it until it is erased, and updates and erasures from another provider
  // under the same id (two uploads racing) leave it alone.
  void Update(const std::string& id, ProgressSnapshot snapshot);
  // What the HTTP layer sees of an upload: `received` of `total` bytes from
  // `provider`. Creates a "receiving" entry, or moves the bytes of one of the
  // same provider while it is receiving (keeping the series counts that a
  // parser reading the upload as it arrives has set). Never touches another
  // provider's entry, or one past receiving.
  void Received(const std::string& id, const std::string& provider, uint64_t total, uint64_t received);
  void Erase(const std::string& id, const std::string& provider);
  // Erases only if `id` is still in `phase` (an HTTP read that failed must
  // not erase what Submit has moved on to).
  void EraseIfIn(const std::string& id, const std::string& phase, const std::string& provider);
  std::optional<ProgressSnapshot> Get(const std::string& id) const;
  void SetListener(Listener listener);

 private:
  mutable std::mutex mu_;
  std::map<std::string, ProgressSnapshot> live_;
  Listener listener_;
};

}  // namespace hub::connectors
