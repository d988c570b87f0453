#include "hub/base/backoff.h"

#include <algorithm>

namespace hub {

Status BackoffOptions::Validate(const std::string& initial_name, const std::string& max_name,
                                const std::string& report_name) const {
  if (initial.count() <= 0) return Status::InvalidArgument(initial_name + " must be > 0");
  if (max < initial) return Status::InvalidArgument(max_name + " must be >= " + initial_name);
  if (report_every.count() <= 0) return Status::InvalidArgument(report_name + " must be > 0");
  return Status::Ok();
}

Backoff::Next Backoff::Failed(Clock::time_point now) {
  Next next;
  delay_ = consecutive_ == 0 ? options_.initial : std::min(delay_ * 2, options_.max);
  next.delay = delay_;
  ++consecutive_;
  ++unreported_;
  // Rate-limited across successes too: at the open-file limit accepts can
  // alternate between failing and working, and each first failure of a run
  // must not make a line.
  if (!reported_ || now - last_report_ >= options_.report_every) {
    next.report = unreported_;
    unreported_ = 0;
    last_report_ = now;
    reported_ = true;
  }
  return next;
}

void Backoff::Succeeded() {
  consecutive_ = 0;
  delay_ = std::chrono::milliseconds(0);
}

}  // namespace hub
