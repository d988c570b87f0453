#include "connectors/submission_events.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstring>

#include "hub/base/crash_point.h"
#include "storage/codec.h"
#include "storage/event_chunks.h"

namespace hub::connectors {
namespace {

namespace ev = sdmxhub::events::v1;

constexpr std::chrono::milliseconds kAbandonFlushTimeout{5'000};

void PutPiece(std::string* out, std::string_view piece) {
  const auto n = static_cast<uint32_t>(piece.size());
  out->append(reinterpret_cast<const char*>(&n), sizeof n);
  out->append(piece);
}

// A length-prefixed piece at *at of `data`.
std::string_view GetPiece(std::string_view data, size_t* at) {
  uint32_t n;
  std::memcpy(&n, data.data() + *at, sizeof n);
  std::string_view piece = data.substr(*at + sizeof n, n);
  *at += sizeof n + n;
  return piece;
}

}  // namespace

SubmissionEvents::SubmissionEvents(storage::EventLog* log, std::string submission_id, std::string attempt_id,
                                   SubmissionEventsOptions options)
    : log_(log),
      submission_id_(std::move(submission_id)),
      attempt_id_(std::move(attempt_id)),
      options_(std::move(options)) {}

SubmissionEvents::~SubmissionEvents() {
  if (!ended_) Abandon("the submission ended without a verdict");
}

Status SubmissionEvents::Add(std::string_view topic, std::string_view key, std::string_view value) {
  ++count_;
  if (writer_) return AppendOne(topic, key, value);
  // Room for the whole budget at once: growing by doubling would take up to
  // twice of it.
  if (held_.capacity() < options_.memory_bytes + (size_t{1} << 16)) held_.reserve(options_.memory_bytes + (size_t{1} << 16));
  PutPiece(&held_, topic);
  PutPiece(&held_, key);
  PutPiece(&held_, value);
  return held_.size() >= options_.memory_bytes ? Open() : Status::Ok();
}

Status SubmissionEvents::Open() {
  if (!writer_) {
    CrashPoint("ingest.before_append");
    HUB_ASSIGN_OR_RETURN(writer_, log_->NewWriter());
  }
  for (size_t at = 0; at < held_.size();) {
    const std::string_view topic = GetPiece(held_, &at);
    const std::string_view key = GetPiece(held_, &at);
    const std::string_view value = GetPiece(held_, &at);
    HUB_RETURN_IF_ERROR(AppendOne(topic, key, value));
  }
  std::string().swap(held_);  // appending from now on: the budget is free
  return Status::Ok();
}

Status SubmissionEvents::AppendOne(std::string_view topic, std::string_view key, std::string_view value) {
  auto it = topics_.find(topic);
  if (it == topics_.end()) {
    HUB_ASSIGN_OR_RETURN(int32_t n, log_->PartitionCount(std::string(topic)));
    HUB_ASSIGN_OR_RETURN(size_t limit, log_->MaxRecordBytes(std::string(topic)));
    it = topics_.emplace(std::string(topic), TopicInfo{n, limit}).first;
  }
  const int32_t p = storage::PartitionForKey(key, it->second.partitions);
  // An event larger than the log takes goes in pieces, each counted.
  HUB_ASSIGN_OR_RETURN(int64_t records, storage::AppendEvent(writer_.get(), it->first, p, key, value, submission_id_,
                                                             attempt_id_, it->second.max_record_bytes));
  counts_[{it->first, p}] += records;
  // In batches: what the writer holds until a flush stays bounded.
  unflushed_ += value.size();
  if (unflushed_ >= options_.append_batch_bytes) {
    HUB_RETURN_IF_ERROR(writer_->Flush(options_.flush_timeout));
    CrashPoint("ingest.after_batch_flush");
    unflushed_ = 0;
  }
  return Status::Ok();
}

Status SubmissionEvents::Commit(ev::SubmissionMarker* m, int64_t now_ms) {
  HUB_RETURN_IF_ERROR(Open());
  // The marker goes only after every event is durable: a marker must never
  // name events that could still be lost.
  HUB_RETURN_IF_ERROR(writer_->Flush(options_.flush_timeout));
  CrashPoint("ingest.after_data_flush");
  for (const auto& [tp, n] : counts_) {
    ev::PartitionCount* c = m->add_counts();
    c->set_topic(tp.first);
    c->set_partition(tp.second);
    c->set_events(n);
  }
  m->set_accepted_time_ms(now_ms);
  m->set_status(ev::STATUS_COMMITTED);
  ev::Envelope env;
  *env.mutable_marker() = *m;
  HUB_RETURN_IF_ERROR(writer_->Append(options_.marker_topic, 0, m->submission_id(), storage::Serialize(&env)));
  HUB_RETURN_IF_ERROR(writer_->Flush(options_.flush_timeout));
  CrashPoint("ingest.after_marker_flush");
  ended_ = true;
  return Status::Ok();
}

void SubmissionEvents::Abandon(const std::string& reason) {
  if (ended_) return;
  ended_ = true;
  if (!writer_) return;  // nothing reached the log
  ev::Envelope env;
  ev::AbandonedAttempt* a = env.mutable_abandoned();
  a->set_submission_id(submission_id_);
  a->set_attempt_id(attempt_id_);
  a->set_reason(reason);
  Status s = writer_->Append(options_.marker_topic, 0, submission_id_, storage::Serialize(&env));
  // Not the whole flush_timeout: a log that is down has already kept the
  // sender waiting that long for the answer this precedes.
  if (s.ok()) s = writer_->Flush(std::min(options_.flush_timeout, kAbandonFlushTimeout));
  if (!s.ok()) {
    spdlog::warn("submission {}: attempt {} abandoned ({}), but its end could not be appended: {}", submission_id_,
                 attempt_id_, reason, s.ToString());
  }
}

}  // namespace hub::connectors
