#include "storage/materialiser.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <tuple>

#include "hub/base/crash_point.h"
#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/materialiser_run.h"

namespace hub::storage {

namespace st = sdmxhub::state::v1;

Materialiser::Materialiser(EventLog* log, VersionedState* state, StructureRegistry* registry,
                           MaterialiserOptions options)
    : log_(log), state_(state), registry_(registry), options_(std::move(options)) {}

Materialiser::~Materialiser() { Stop(); }

Status Materialiser::Start() {
  HUB_ASSIGN_OR_RETURN(std::vector<std::string> structures, state_->StructureMessages());
  for (size_t i = 0; i < structures.size(); ++i) {
    ev::StructureEvent se;
    if (!se.ParseFromString(structures[i])) return Status::Corruption("undecodable stored structure event");
    HUB_RETURN_IF_ERROR(registry_->Apply(se.message(), "structure submission " + se.submission_id()));
  }
  HUB_ASSIGN_OR_RETURN(auto stored, state_->Offsets(options_.topics));
  std::vector<std::pair<TopicPartition, int64_t>> start;
  for (const std::string& topic : options_.topics.All()) {
    HUB_ASSIGN_OR_RETURN(int32_t n, log_->PartitionCount(topic));
    for (int32_t p = 0; p < n; ++p) {
      TopicPartition tp{topic, p};
      int64_t off = stored.count(tp) ? stored[tp] : 0;
      start.emplace_back(tp, off);
      next_offset_[tp] = off;
    }
  }
  HUB_ASSIGN_OR_RETURN(reader_, log_->NewReader(start));
  {
    std::lock_guard lock(mu_);
    positions_ = next_offset_;
  }
  spdlog::info("materialiser: watermark {}, reading {} partitions of {}", state_->watermark().value,
               start.size(), log_->Describe());
  thread_ = std::thread([this] { Loop(); });
  return Status::Ok();
}

void Materialiser::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

Status Materialiser::health() const {
  std::lock_guard lock(mu_);
  return health_;
}

size_t Materialiser::pending() const {
  std::lock_guard lock(mu_);
  return pending_count_;
}

void Materialiser::Loop() {
  std::vector<LogRecord> records;
  while (!stop_) {
    records.clear();
    const Status polled = reader_->Poll(options_.poll_timeout, options_.poll_max_records, &records);
    // Records a poll returned before an error (a broker that timed out) are
    // consumed: the reader will not give them again, so they are handled
    // now. Dropped, a submission would wait for ever for its own events.
    Status s;
    for (size_t i = 0; s.ok() && i < records.size(); ++i) s = Handle(records[i]);
    if (s.ok()) s = ApplyReady();
    if (s.ok()) s = polled;
    {
      std::lock_guard lock(mu_);
      pending_count_ = pending_.size();
      positions_ = next_offset_;
      if (!s.ok() && !s.retryable()) health_ = s;
    }
    applied_.notify_all();
    if (!s.ok()) {
      if (s.retryable()) {
        spdlog::warn("materialiser: {} (retrying)", s.ToString());
        std::this_thread::sleep_for(options_.poll_timeout);
        continue;
      }
      spdlog::error("materialiser stopped: {}", s.ToString());
      applied_.notify_all();
      return;
    }
  }
}

Result<bool> Materialiser::AlreadyApplied(const std::string& submission_id) {
  // A submission's events arrive together: one ledger read for the run. A
  // "no" stays valid until that submission is applied (Apply resets it).
  if (submission_id == unapplied_cache_) return false;
  HUB_ASSIGN_OR_RETURN(auto rec, state_->Ledger(submission_id));
  if (!rec) unapplied_cache_ = submission_id;
  return rec.has_value();
}

Status Materialiser::Handle(const LogRecord& r) {
  CrashPoint("materialiser.handle");
  next_offset_[r.tp] = r.offset + 1;
  // Parsed on an arena: a large submission's events are read again when
  // applied, so this parse only sorts them and checks they decode, and
  // allocating (then freeing) every field of it cost more than the parse.
  google::protobuf::Arena arena(scratch_.data(), scratch_.size());
  ev::Envelope& env = *google::protobuf::Arena::CreateMessage<ev::Envelope>(&arena);
  if (!env.ParseFromString(r.value)) {
    return HandleUndecodable(r, "not a decodable event (malformed, or a text field that is not valid UTF-8)");
  }
  if (env.has_data() || env.has_structure()) {
    const std::string& sid = env.has_data() ? env.data().submission_id() : env.structure().submission_id();
    const std::string& aid = env.has_data() ? env.data().attempt_id() : env.structure().attempt_id();
    HUB_ASSIGN_OR_RETURN(bool applied, AlreadyApplied(sid));
    if (applied) return Status::Ok();
    Attempt& a = NoteEvent(r, sid, aid);
    if (Status s = a.joiner.Whole(r.tp, r.offset); !s.ok() && a.poison.empty()) a.poison = s.message();
    return Take(a, r.value, env);
  }
  if (env.has_chunk()) return HandleChunk(r, env.chunk());
  if (env.has_release()) {
    // In marker order: the hold it ends may not be written yet (its
    // marker in the same poll), and what came between applies before it.
    const std::string aid = "release/" + r.tp.ToString() + "/" + std::to_string(r.offset);
    Attempt& a = pending_[aid];
    a.attempt_id = aid;
    a.submission_id = env.release().submission_id();
    a.first_offset.emplace(r.tp, r.offset);
    a.marker.emplace().set_submission_id(a.submission_id);  // counts nothing: complete
    a.release = env.release().released_time_ms();
    marker_order_.push_back(aid);
    return Status::Ok();
  }
  if (env.has_abandoned()) {
    // Its events went to the log before its verdict, and it will never
    // have one: forget them (the submission id stays free).
    const ev::AbandonedAttempt& ab = env.abandoned();
    auto it = pending_.find(ab.attempt_id());
    if (it == pending_.end()) return Status::Ok();
    if (EarlyIs(it->second)) HUB_RETURN_IF_ERROR(DropEarly("it was abandoned: " + ab.reason()));
    spdlog::info("materialiser: attempt {} of submission {} abandoned ({}): its events are dropped", ab.attempt_id(),
                 ab.submission_id(), ab.reason());
    EraseAttempt(it);
    return Status::Ok();
  }
  if (env.has_marker()) {
    const ev::SubmissionMarker& m = env.marker();
    HUB_ASSIGN_OR_RETURN(bool applied, AlreadyApplied(m.submission_id()));
    if (applied) return Status::Ok();
    if (m.status() == ev::STATUS_REJECTED) {
      // Never applied: the events a large one appended before its verdict go.
      if (auto it = pending_.find(m.attempt_id()); it != pending_.end()) {
        if (EarlyIs(it->second)) HUB_RETURN_IF_ERROR(DropEarly("it was rejected"));
        EraseAttempt(it);
      }
      return RecordRejected(m);
    }
    Attempt& a = pending_[m.attempt_id()];
    a.attempt_id = m.attempt_id();
    a.submission_id = m.submission_id();
    a.first_offset.emplace(r.tp, r.offset);
    a.marker = m;
    marker_order_.push_back(m.attempt_id());
    return Status::Ok();
  }
  if (env.schema_version() > kSchemaVersion) {
    // A newer hub wrote it: skipping could drop data this version cannot
    // read. Stop, and say so.
    return Status::Corruption("event at " + r.tp.ToString() + " offset " + std::to_string(r.offset) +
                              " has schema version " + std::to_string(env.schema_version()) + ", newer than " +
                              std::to_string(kSchemaVersion) + ": upgrade the hub");
  }
  return HandleUndecodable(r, "an envelope holding no event");
}

Materialiser::Attempt& Materialiser::NoteEvent(const LogRecord& r, const std::string& sid, const std::string& aid) {
  Attempt& a = pending_[aid];
  a.attempt_id = aid;
  a.submission_id = sid;
  a.received[r.tp]++;
  a.first_offset.emplace(r.tp, r.offset);
  auto [range, fresh] = a.event_range.try_emplace(r.tp, r.offset, r.offset);
  range->second.second = r.offset;
  return a;
}

void Materialiser::Hold(Attempt& a, std::string value) {
  if (a.spilled) return;
  const size_t bytes = value.size();
  a.events.push_back(std::move(value));
  a.held_bytes += bytes;
  held_bytes_ += bytes;
  if (held_bytes_ > options_.max_held_event_bytes) SpillLargest();
}

Status Materialiser::HandleChunk(const LogRecord& r, const ev::EventChunk& piece) {
  HUB_ASSIGN_OR_RETURN(bool applied, AlreadyApplied(piece.submission_id()));
  if (applied) return Status::Ok();
  Attempt& a = NoteEvent(r, piece.submission_id(), piece.attempt_id());
  if (!a.poison.empty()) return Status::Ok();  // it fails anyway: nothing more to join
  // Joined whole even for a spilled attempt (then dropped): that the event
  // decodes is known now, as for an event in one record, and a joined one
  // costs no more memory than that record would have.
  Result<std::optional<std::string>> whole = a.joiner.Add(r.tp, r.offset, piece);
  if (!whole.ok()) {
    a.poison = whole.status().message();
    a.joiner.Clear();
    return Status::Ok();
  }
  if (!*whole) return Status::Ok();
  google::protobuf::Arena arena;  // not on scratch_: Handle's arena holds the piece
  ev::Envelope& env = *google::protobuf::Arena::CreateMessage<ev::Envelope>(&arena);
  const std::string where = "the event in pieces ending at " + r.tp.ToString() + " offset " + std::to_string(r.offset);
  if (!env.ParseFromString(**whole)) {
    a.poison = where + " is not a decodable event (malformed, or a text field that is not valid UTF-8)";
  } else if (!(env.has_data() && env.data().attempt_id() == piece.attempt_id()) &&
             !(env.has_structure() && env.structure().attempt_id() == piece.attempt_id())) {
    a.poison = where + " is not a data or structure event of its attempt";
  } else {
    return Take(a, std::move(**whole), env);
  }
  return Status::Ok();
}

void Materialiser::SpillLargest() {
  auto largest = pending_.end();
  for (auto it = pending_.begin(); it != pending_.end(); ++it) {
    if (largest == pending_.end() || it->second.held_bytes > largest->second.held_bytes) largest = it;
  }
  if (largest == pending_.end() || largest->second.held_bytes == 0) return;
  Attempt& a = largest->second;
  spdlog::info("materialiser: submission {} holds {} MiB of events: read back from the log when applied",
               a.submission_id, a.held_bytes >> 20);
  held_bytes_ -= a.held_bytes;
  a.held_bytes = 0;
  a.spilled = true;
  std::vector<std::string>().swap(a.events);
  spilled_.fetch_add(1, std::memory_order_relaxed);
}

void Materialiser::EraseAttempt(std::map<std::string, Attempt>::iterator it) {
  held_bytes_ -= it->second.held_bytes;
  pending_.erase(it);
}

bool Materialiser::Complete(const Attempt& a) const {
  if (!a.marker) return false;
  for (const ev::PartitionCount& c : a.marker->counts()) {
    auto it = a.received.find({c.topic(), c.partition()});
    if (c.events() > 0 && (it == a.received.end() || it->second < c.events())) return false;
  }
  return true;
}

Status Materialiser::ApplyReady() {
  while (!marker_order_.empty()) {
    auto it = pending_.find(marker_order_.front());
    if (it == pending_.end()) {
      marker_order_.pop_front();
      continue;
    }
    if (!Complete(it->second)) break;
    HUB_RETURN_IF_ERROR(it->second.release ? Release(it->second) : Apply(it->second));
    marker_order_.pop_front();
  }
  return Status::Ok();
}

std::map<TopicPartition, int64_t> Materialiser::SafeOffsets() const {
  std::map<TopicPartition, int64_t> out = next_offset_;
  for (const auto& [aid, a] : pending_) {
    for (const auto& [tp, off] : a.first_offset) {
      auto it = out.find(tp);
      if (it != out.end() && off < it->second) it->second = off;
    }
  }
  return out;
}

void Materialiser::PutOffsets(rocksdb::WriteBatch* batch) const {
  for (const auto& [tp, off] : SafeOffsets()) {
    std::string v;
    PutFixed64BE(&v, static_cast<uint64_t>(off));
    batch->Put(state_->cf(Family::kMeta), OffsetKey(tp.topic, tp.partition), v);
  }
}

Status Materialiser::RecordRejected(const ev::SubmissionMarker& m) {
  rocksdb::WriteBatch batch;
  st::LedgerRecord rec;
  *rec.mutable_marker() = m;
  ClearLogCoordinates(rec.mutable_marker());
  unapplied_cache_.clear();
  batch.Put(state_->cf(Family::kLedger), m.submission_id(), rec.SerializeAsString());
  state_->PutAppliedTime(m.submission_id(), &batch);
  PutOffsets(&batch);
  CrashPoint("materialiser.before_rejected_write");
  HUB_RETURN_IF_ERROR(state_->Write(&batch));
  spdlog::info("submission {} rejected by ingest ({} diagnostics), recorded in the ledger", m.submission_id(),
               m.diagnostics_size());
  applied_.notify_all();
  return Status::Ok();
}

Status Materialiser::WaitForPositions(const std::map<TopicPartition, int64_t>& end,
                                      std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  auto reached = [&] {
    for (const auto& [tp, off] : end) {
      auto it = positions_.find(tp);
      if (it == positions_.end() || it->second < off) return false;
    }
    return true;
  };
  if (!applied_.wait_for(lock, timeout, [&] { return reached() || !health_.ok(); })) {
    return Status::DeadlineExceeded("materialiser did not reach the end of the log in time");
  }
  return health_;
}

Result<st::LedgerRecord> Materialiser::WaitForSubmission(const std::string& submission_id,
                                                         std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    HUB_ASSIGN_OR_RETURN(auto rec, state_->Ledger(submission_id));
    if (rec) return *rec;
    std::unique_lock lock(mu_);
    if (!health_.ok()) return health_;
    if (applied_.wait_until(lock, deadline) == std::cv_status::timeout &&
        std::chrono::steady_clock::now() >= deadline) {
      HUB_ASSIGN_OR_RETURN(auto last, state_->Ledger(submission_id));
      if (last) return *last;
      return Status::DeadlineExceeded("submission " + submission_id + " not applied in time");
    }
  }
}

}  // namespace hub::storage
