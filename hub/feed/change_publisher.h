// ChangePublisher: the change feed on a log topic (Kafka's sdmx.changes), for
// consumers that prefer Kafka to SSE or WebSocket. One record per event, in
// watermark order, on partition 0: key = the watermark in decimal, value =
// ChangeEventJson (hub/feed/change_json.h).
//
// It is a subscriber like any other (a cursor over the state), so it never
// slows ingest. It resumes after the last record already on the topic, so a
// restart neither repeats nor skips an event; after a failed flush (some
// records may have landed) it re-reads that position the same way.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "hub/feed/change_feed.h"
#include "storage/event_log.h"

namespace hub::feed {

struct ChangePublisherOptions {
  std::string topic = "sdmx.changes";                  // one partition
  std::chrono::milliseconds flush_timeout{30'000};     // per batch; default 30 s
  std::chrono::milliseconds retry_backoff{1'000};      // after a failure; default 1 s
  std::chrono::milliseconds idle_poll{1'000};          // without a wake; default 1 s
};

class ChangePublisher {
 public:
  // Starts the publishing thread; fails when the topic's last record cannot
  // be read.
  static Result<std::unique_ptr<ChangePublisher>> Start(storage::EventLog* log, ChangeFeed* feed,
                                                        ChangePublisherOptions options);
  ~ChangePublisher();  // stops the thread

  // The last watermark known to be on the topic.
  uint64_t published() const { return published_.load(); }

 private:
  ChangePublisher(storage::EventLog* log, ChangeFeed* feed, ChangePublisherOptions options)
      : log_(log), feed_(feed), options_(std::move(options)) {}
  // The watermark of the topic's last record (0 when empty).
  Result<uint64_t> LastOnTopic();
  // (Re)subscribes after LastOnTopic().
  Status Resume();
  // One round: what the subscription has, appended and flushed.
  Status PublishBatch(bool* resume);
  void Loop();

  storage::EventLog* log_;
  ChangeFeed* feed_;
  const ChangePublisherOptions options_;
  std::shared_ptr<Subscription> sub_;
  std::unique_ptr<storage::LogWriter> writer_;
  std::atomic<uint64_t> published_{0};
  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false, stop_ = false;
  std::thread thread_;
};

}  // namespace hub::feed
