// Backoff: retrying something that keeps failing (accepting a connection
// at the open-file limit, a folder-drop file that cannot be moved) without
// spinning and without a log line per attempt. The delay before the next
// attempt doubles with each consecutive failure up to a cap; failures are
// reported at most once per interval (the very first at once), each report
// saying how many there were since the last.
//
// Not thread-safe: one per retrying loop (each HTTP io thread has its own).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "hub/base/status.h"

namespace hub {

struct BackoffOptions {
  // Delay after the first failure; doubles with each further one. Default 10 ms.
  std::chrono::milliseconds initial{10};
  // Longest delay between two attempts. Default 1 s.
  std::chrono::milliseconds max{1'000};
  // Failures are reported at most this often (the first at once). Default 10 s.
  std::chrono::milliseconds report_every{10'000};

  // InvalidArgument naming the bad field by the name given for it
  // ("http.accept_retry_max_ms").
  Status Validate(const std::string& initial_name, const std::string& max_name,
                  const std::string& report_name) const;
};

class Backoff {
 public:
  using Clock = std::chrono::steady_clock;

  explicit Backoff(BackoffOptions options = {}) : options_(options) {}

  struct Next {
    std::chrono::milliseconds delay{0};  // wait this long before the next attempt
    uint64_t report = 0;                 // > 0: report now, for this many failures since the last report
  };
  // One more failure, at `now`.
  Next Failed(Clock::time_point now);
  // The operation worked: the next failure waits `initial` again. Failures
  // not reported yet are counted in the next report.
  void Succeeded();

  uint64_t consecutive_failures() const { return consecutive_; }
  const BackoffOptions& options() const { return options_; }

 private:
  BackoffOptions options_;
  uint64_t consecutive_ = 0;
  uint64_t unreported_ = 0;
  std::chrono::milliseconds delay_{0};
  bool reported_ = false;
  Clock::time_point last_report_{};
};

}  // namespace hub
