// What the materialiser does with what it cannot apply: a record that does
// not decode poisons its submission, which is then recorded FAILED (see the
// class comment in materialiser.h); a record that belongs to no submission
// is skipped and noted. Nothing here stops the loop but the state store.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "hub/base/crash_point.h"
#include "hub/base/utf8.h"
#include "storage/event_peek.h"
#include "storage/keys.h"
#include "storage/materialiser.h"
#include "storage/materialiser_run.h"

namespace hub::storage {
namespace {

namespace ev = sdmxhub::events::v1;
namespace st = sdmxhub::state::v1;

constexpr size_t kMaxFailureText = 1000;  // bytes of reason kept in the ledger

std::string Where(const LogRecord& r) { return r.tp.ToString() + " offset " + std::to_string(r.offset); }

}  // namespace

Status Materialiser::HandleUndecodable(const LogRecord& r, const std::string& why) {
  const std::optional<PeekedRecord> peek = PeekRecord(r.value);
  if (!peek) {
    // Nobody's: skip it, noted where an operator finds it.
    skipped_records_.fetch_add(1, std::memory_order_relaxed);
    spdlog::error("materialiser: skipped the record at {}: {} and it names no submission", Where(r), why);
    rocksdb::WriteBatch batch;
    batch.Put(state_->cf(Family::kMeta), SkippedRecordKey(r.tp.topic, r.tp.partition, r.offset), why);
    PutOffsets(&batch);
    return state_->Write(&batch);
  }
  HUB_ASSIGN_OR_RETURN(bool applied, AlreadyApplied(peek->submission_id));
  if (applied) return Status::Ok();
  const bool marker = peek->kind == PeekedRecord::Kind::kMarker;
  const std::string reason = std::string(marker ? "its marker" : "an event") + " at " + Where(r) + " is " + why;
  spdlog::error("materialiser: submission {}: {}; it will be recorded as failed", peek->submission_id, reason);
  Attempt& a = pending_[peek->attempt_id];
  a.attempt_id = peek->attempt_id;
  a.submission_id = peek->submission_id;
  a.first_offset.emplace(r.tp, r.offset);
  if (a.poison.empty()) a.poison = reason;
  if (!marker) {
    a.received[r.tp]++;  // it still counts towards the marker's numbers
    return Status::Ok();
  }
  // A marker read only in part: its counts (when they could be read) let the
  // attempt wait for its events, as any marker does, before it fails.
  a.marker = peek->marker;
  if (a.marker->status() != ev::STATUS_COMMITTED) a.marker->clear_counts();
  marker_order_.push_back(peek->attempt_id);
  return Status::Ok();
}

Status Materialiser::RecordFailed(const Attempt& a, const std::string& reason) {
  const uint64_t seq = state_->watermark().value + 1;
  const std::string sid = a.submission_id;
  HUB_RETURN_IF_ERROR(DropInflight(seq));  // whatever an interrupted apply of it left
  st::LedgerRecord rec;
  *rec.mutable_marker() = *a.marker;
  ClearLogCoordinates(rec.mutable_marker());
  rec.mutable_marker()->set_status(ev::STATUS_FAILED);
  rec.set_failure(ToValidUtf8(reason, kMaxFailureText));
  rocksdb::WriteBatch batch;
  batch.Put(state_->cf(Family::kLedger), sid, rec.SerializeAsString());
  state_->PutAppliedTime(sid, &batch);
  DropAttempts(sid);
  PutOffsets(&batch);
  CrashPoint("materialiser.before_failed_write");
  HUB_RETURN_IF_ERROR(state_->Write(&batch));
  failed_.fetch_add(1, std::memory_order_relaxed);
  spdlog::error("submission {} from {} FAILED, nothing of it applied: {}", sid, rec.marker().provider(),
                rec.failure());
  applied_.notify_all();
  return Status::Ok();
}

void Materialiser::DropAttempts(const std::string& submission_id, bool releases) {
  unapplied_cache_.clear();
  for (auto it = pending_.begin(); it != pending_.end();) {
    if (it->second.submission_id != submission_id || (!releases && it->second.release)) {
      ++it;
      continue;
    }
    held_bytes_ -= it->second.held_bytes;
    it = pending_.erase(it);
  }
}

}  // namespace hub::storage
