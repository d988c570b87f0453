// SubmissionEvents: the events one ingest attempt appends, in bounded
// memory. The first `memory_bytes` of them wait in memory for the verdict,
// so a small bad message appends nothing. Past that, they go on to the log
// as they come, `append_batch_bytes` between flushes, so a large message
// is in the log (and, with DataEvent.apply_before_marker, being applied)
// by the time its last byte is read. Such events are harmless until a
// marker names them: Commit appends the COMMITTED marker counting every
// record; a rejected attempt's REJECTED marker names the same attempt id,
// and Abandon appends an AbandonedAttempt; either tells the materialiser
// to forget them. Not thread-safe; one per attempt.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "hub/base/status.h"
#include "storage/event_log.h"
#include "storage/events.pb.h"

namespace hub::connectors {

struct SubmissionEventsOptions {
  std::string marker_topic;                     // where the marker goes (LogTopics.submissions)
  size_t memory_bytes = size_t{8} << 20;        // held until the verdict
  size_t append_batch_bytes = size_t{8} << 20;  // appended between flushes
  std::chrono::milliseconds flush_timeout{30'000};
};

class SubmissionEvents {
 public:
  SubmissionEvents(storage::EventLog* log, std::string submission_id, std::string attempt_id,
                   SubmissionEventsOptions options);
  ~SubmissionEvents();
  SubmissionEvents(const SubmissionEvents&) = delete;
  SubmissionEvents& operator=(const SubmissionEvents&) = delete;

  Status Add(std::string_view topic, std::string_view key, std::string_view value);
  size_t count() const { return count_; }
  // Whether any event went to the log before the verdict.
  bool appended() const { return writer_ != nullptr; }
  // Appends what is held, waits until every event is durable, then appends
  // the marker (its counts and status COMMITTED set here, with
  // accepted_time_ms = now_ms) and waits for it.
  Status Commit(sdmxhub::events::v1::SubmissionMarker* marker, int64_t now_ms);
  // When events went to the log: appends an AbandonedAttempt for them
  // (best effort: a hub that cannot append keeps them pending until it
  // restarts). Nothing when none did.
  void Abandon(const std::string& reason);
  // The attempt's REJECTED marker (naming attempt_id) is appended: it ends them.
  void Rejected() { ended_ = true; }

 private:
  // Starts appending (the first time memory_bytes is passed).
  Status Open();
  Status AppendOne(std::string_view topic, std::string_view key, std::string_view value);

  storage::EventLog* log_;
  const std::string submission_id_;
  const std::string attempt_id_;
  SubmissionEventsOptions options_;
  std::string held_;  // records not appended yet: 3 x (u32 length, bytes)
  size_t count_ = 0;
  std::unique_ptr<storage::LogWriter> writer_;
  struct TopicInfo {
    int32_t partitions;
    size_t max_record_bytes;
  };
  std::map<std::string, TopicInfo, std::less<>> topics_;
  std::map<std::pair<std::string, int32_t>, int64_t> counts_;  // records per partition
  size_t unflushed_ = 0;
  bool ended_ = false;  // committed or abandoned
};

}  // namespace hub::connectors
