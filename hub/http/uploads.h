// Uploads: where the server runs the handlers of request bodies streamed to
// them while they arrive (HttpOptions.stream_body), and the bodies still
// arriving, so that Stop() can wake handlers waiting for bytes that will
// never come. Included only by server.cc. Thread-safe.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <mutex>
#include <vector>

#include "hub/base/arriving_bytes.h"

namespace hub::http {

class Uploads {
 public:
  explicit Uploads(int threads) : workers_(static_cast<size_t>(threads)) {}

  boost::asio::thread_pool& workers() { return workers_; }

  void Add(const std::shared_ptr<ArrivingBytes>& body) {
    std::lock_guard lock(mu_);
    std::erase_if(live_, [](const std::weak_ptr<ArrivingBytes>& w) { return w.expired(); });
    live_.push_back(body);
  }

  // After the io threads stopped: every body still arriving fails, so that
  // its handler returns; then waits for the handlers.
  void Stop() {
    {
      std::lock_guard lock(mu_);
      for (auto& w : live_) {
        if (auto body = w.lock()) body->Fail(Status::Unavailable("the server is stopping"));
      }
      live_.clear();
    }
    workers_.join();
  }

 private:
  boost::asio::thread_pool workers_;
  std::mutex mu_;
  std::vector<std::weak_ptr<ArrivingBytes>> live_;
};

}  // namespace hub::http
