#include "hub/feed/change_publisher.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "hub/feed/change_json.h"

namespace hub::feed {

Result<std::unique_ptr<ChangePublisher>> ChangePublisher::Start(storage::EventLog* log, ChangeFeed* feed,
                                                                ChangePublisherOptions options) {
  std::unique_ptr<ChangePublisher> p(new ChangePublisher(log, feed, std::move(options)));
  HUB_ASSIGN_OR_RETURN(p->writer_, log->NewWriter());
  HUB_RETURN_IF_ERROR(p->Resume());
  p->thread_ = std::thread([raw = p.get()] { raw->Loop(); });
  return p;
}

ChangePublisher::~ChangePublisher() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  sub_.reset();  // no more wakes into mu_ and cv_, which go before it
}

Result<uint64_t> ChangePublisher::LastOnTopic() {
  const storage::TopicPartition tp{options_.topic, 0};
  HUB_ASSIGN_OR_RETURN(int64_t end, log_->EndOffset(tp));
  if (end == 0) return uint64_t{0};
  HUB_ASSIGN_OR_RETURN(auto reader, log_->NewReader({{tp, end - 1}}));
  std::vector<storage::LogRecord> records;
  const auto deadline = std::chrono::steady_clock::now() + options_.flush_timeout;
  while (records.empty() && std::chrono::steady_clock::now() < deadline) {
    HUB_RETURN_IF_ERROR(reader->Poll(std::chrono::milliseconds(200), 1, &records));
  }
  if (records.empty()) return Status::Unavailable("reading the last record of " + tp.ToString() + " timed out");
  const std::string& key = records.front().key;
  uint64_t w = 0;
  auto [p, ec] = std::from_chars(key.data(), key.data() + key.size(), w);
  if (ec != std::errc() || p != key.data() + key.size()) {
    return Status::Corruption("the last record of " + tp.ToString() + " has key '" + key + "', not a watermark");
  }
  // The last part of an event in parts (ChangeEventRecords) may be missing:
  // then that event goes again, whole.
  boost::system::error_code jec;
  const boost::json::value v = boost::json::parse(records.front().value, jec);
  if (!jec && v.is_object() && v.as_object().contains("part")) {
    const auto* part = v.as_object().if_contains("part");
    const auto* parts = v.as_object().if_contains("parts");
    if (part && parts && part->is_int64() && parts->is_int64() && part->as_int64() + 1 < parts->as_int64()) {
      return w - 1;
    }
  }
  return w;
}

Status ChangePublisher::Resume() {
  HUB_ASSIGN_OR_RETURN(uint64_t last, LastOnTopic());
  sub_.reset();  // before subscribing again: it counts against max_subscribers
  HUB_ASSIGN_OR_RETURN(sub_, feed_->Subscribe(last, {}));
  sub_->SetWake([this] {
    std::lock_guard l(mu_);
    woken_ = true;
    cv_.notify_all();
  });
  published_.store(last);
  return Status::Ok();
}

Status ChangePublisher::PublishBatch(bool* resume) {
  HUB_ASSIGN_OR_RETURN(auto batch, sub_->Next());
  *resume = batch.resume;
  if (batch.events.empty()) return Status::Ok();
  HUB_ASSIGN_OR_RETURN(const size_t limit, log_->MaxRecordBytes(options_.topic));
  for (const ChangeEvent& e : batch.events) {
    // A commit of many series may not fit in one record of the topic.
    const std::string key = std::to_string(e.commit.seq());
    for (const std::string& record : ChangeEventRecords(e, limit - std::min(limit, key.size() + 1024))) {
      HUB_RETURN_IF_ERROR(writer_->Append(options_.topic, 0, key, record));
    }
  }
  HUB_RETURN_IF_ERROR(writer_->Flush(options_.flush_timeout));
  published_.store(batch.events.back().commit.seq());
  return Status::Ok();
}

void ChangePublisher::Loop() {
  bool healthy = true;
  for (;;) {
    {
      std::unique_lock l(mu_);
      if (stop_) return;
      if (healthy) {
        cv_.wait_for(l, options_.idle_poll, [this] { return woken_ || stop_; });
      } else {
        cv_.wait_for(l, options_.retry_backoff, [this] { return stop_; });
      }
      if (stop_) return;
      woken_ = false;
    }
    // After a failure the topic may hold part of the last batch: start again
    // from what it holds.
    Status s = healthy ? Status::Ok() : Resume();
    bool resume = false;
    // Drain what has committed: Next() reads a bounded batch at a time.
    if (s.ok()) {
      uint64_t before = 0;
      do {
        before = sub_->cursor();
        s = PublishBatch(&resume);
      } while (s.ok() && !resume && sub_->cursor() != before);
    }
    if (s.ok() && resume) s = Resume();  // fell max_lag behind: a fresh cursor from the topic
    if (!s.ok()) spdlog::warn("publishing changes to {}: {} (retrying)", options_.topic, s.ToString());
    healthy = s.ok();
  }
}

}  // namespace hub::feed
