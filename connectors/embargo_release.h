// EmbargoRelease: ends embargoes on time, whether or not anyone asks.
//
// An embargoed submission (Submission::release_time_ms) is held by the
// materialiser, its data readable by nobody but the admin and its provider
// (GET /api/v1/embargoes). This thread watches the held ones and, when a
// release time comes, appends a ReleaseMarker for it to the log; the
// materialiser applies the submission where it reads that record, at one
// watermark. The release is in the log, so a replay releases at the same
// point of the history and never at the replay's own time.
//
// Exactly once: a release whose submission is not held any more (released
// by another hub sharing the log, or a retried append that landed twice)
// is ignored by the materialiser. A hub that was down at a release time
// releases as soon as it starts.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "hub/base/backoff.h"
#include "hub/base/status.h"
#include "storage/event_log.h"
#include "storage/state.h"

namespace hub::connectors {

struct EmbargoReleaseOptions {
  std::string topic;  // where releases go: the submissions topic (partition 0, with the markers)
  // How often the held submissions are looked at again (a new hold is found
  // this late at most, when its release is sooner). Between looks it sleeps
  // until the next release time. Default 250 ms.
  std::chrono::milliseconds poll_interval{250};
  // A release appended but still held this long after (its append was
  // lost, or the materialiser is behind) is appended again. Default 30 s.
  std::chrono::milliseconds retry_after{30'000};
  std::chrono::milliseconds flush_timeout{30'000};  // log durability wait per release
  // After a failed append: the delay before the next try (doubling) and how
  // often failures are logged. Default 250 ms up to 30 s, logged each minute.
  BackoffOptions retry{std::chrono::milliseconds(250), std::chrono::milliseconds(30'000),
                       std::chrono::milliseconds(60'000)};
  std::function<int64_t()> now_ms;                   // default: the wall clock
};

class EmbargoRelease {
 public:
  EmbargoRelease(storage::EventLog* log, const storage::VersionedState* state, EmbargoReleaseOptions options);
  ~EmbargoRelease();

  void Start();
  void Stop();

  // Appends a release for every held submission whose time has come and
  // that was not released by this process lately; returns how many, and
  // sets *next (if given) to the earliest release time still ahead.
  Result<int> ReleaseDue(std::optional<int64_t>* next = nullptr);

 private:
  void Loop();

  storage::EventLog* log_;
  const storage::VersionedState* state_;
  EmbargoReleaseOptions options_;
  std::map<std::string, int64_t> appended_;  // submission id -> when its release was appended
  Backoff backoff_{options_.retry};          // the loop's own
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace hub::connectors
