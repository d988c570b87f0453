// StopSignal: the stop flag of a background thread that sleeps between
// rounds. Stop() sets it and wakes every sleeper at once, so a thread
// waiting out a long interval stops without waiting it out. Thread-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>

namespace hub {

class StopSignal {
 public:
  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    wake_.notify_all();
  }
  bool stopped() const {
    std::lock_guard lock(mu_);
    return stopped_;
  }
  // Sleeps until `deadline` or Stop(), whichever comes first; true if stopped.
  template <typename Clock, typename Duration>
  bool WaitUntil(const std::chrono::time_point<Clock, Duration>& deadline) {
    std::unique_lock lock(mu_);
    return wake_.wait_until(lock, deadline, [this] { return stopped_; });
  }
  template <typename Rep, typename Period>
  bool WaitFor(const std::chrono::duration<Rep, Period>& d) {
    std::unique_lock lock(mu_);
    return wake_.wait_for(lock, d, [this] { return stopped_; });
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopped_ = false;
};

}  // namespace hub
