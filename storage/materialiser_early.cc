// Applying a submission before its marker (MaterialiserOptions.
// apply_early_bytes): a large upload's events are applied as they come,
// above the watermark, so that its marker finds it all but written. The
// revisions go where Apply would put them (seq = watermark + 1, partial
// batches under the inflight record), each series noted under EarlyPrefix;
// when anything else must take that seq first, the notes say what to drop,
// and the submission is applied from the log when its marker comes, as if
// it had never begun.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/materialiser.h"
#include "storage/materialiser_run.h"

namespace hub::storage {

bool Materialiser::EarlyIs(const Attempt& a) const { return early_ && early_->attempt_id == a.attempt_id; }

Status Materialiser::Take(Attempt& a, std::string value, ev::Envelope& env) {
  a.received_bytes += value.size();
  if (EarlyIs(a)) {
    if (!a.poison.empty() || !env.has_data() || !env.data().apply_before_marker()) {
      return DropEarly("its events no longer say it may apply before its marker");
    }
    std::string failure;  // data events only: nothing in them is at fault here
    return ApplyEvent(&early_->run, &early_->changes, env, &failure);
  }
  Hold(a, std::move(value));
  // Begun only while nothing else waits to be applied (it would take the
  // seq first), with a marker yet to come, and for enough of it to be worth it.
  if (early_ || options_.apply_early_bytes == 0 || a.received_bytes < options_.apply_early_bytes) return Status::Ok();
  if (a.marker || !a.poison.empty() || !marker_order_.empty() || a.early_dropped) return Status::Ok();
  if (!env.has_data() || !env.data().apply_before_marker()) return Status::Ok();
  return BeginEarly(a);
}

Status Materialiser::BeginEarly(Attempt& a) {
  auto early = std::make_unique<Early>();
  early->attempt_id = a.attempt_id;
  Run& run = early->run;
  run.note_written = true;
  HUB_RETURN_IF_ERROR(StartRun(a.submission_id, &run));
  early_ = std::move(early);
  early_begun_.fetch_add(1, std::memory_order_relaxed);
  spdlog::info("materialiser: submission {} applied as it arrives, before its marker (seq {})", run.sid, run.seq);
  // What came so far (held, or read back when spilled), then each event as
  // it comes. From now on the log is its only copy: dropped, it is read
  // back from there like a spilled one.
  std::string failure;
  HUB_RETURN_IF_ERROR(ForEachEvent(a, [&](std::vector<ev::Envelope*>& events) -> Status {
    for (ev::Envelope* e : events) HUB_RETURN_IF_ERROR(ApplyEvent(&early_->run, &early_->changes, *e, &failure));
    return Status::Ok();
  }));
  held_bytes_ -= a.held_bytes;
  a.held_bytes = 0;
  a.spilled = true;
  std::vector<std::string>().swap(a.events);
  return Status::Ok();
}

Status Materialiser::FinishEarly(Attempt& a) {
  std::unique_ptr<Early> early = std::move(early_);
  DropCursors drop_cursors{this};
  Run& run = early->run;
  const ev::SubmissionMarker marker = *a.marker;
  run.marker = &marker;
  HUB_RETURN_IF_ERROR(FlushChanges(&early->changes, &run, false));
  run.batch.DeleteRange(state_->cf(Family::kMeta), EarlyPrefix(run.seq), EarlyPrefix(run.seq + 1));
  return Commit(&run);
}

Status Materialiser::DropEarly(const std::string& why) {
  std::unique_ptr<Early> early = std::move(early_);
  obs_cursor_.reset();
  series_cursor_.reset();
  if (auto it = pending_.find(early->attempt_id); it != pending_.end()) it->second.early_dropped = true;
  spdlog::info("materialiser: submission {} stops being applied before its marker ({}): what it wrote at seq {} is "
               "dropped; it applies from the log when its marker comes",
               early->run.sid, why, early->run.seq);
  // What it wrote is what an interrupted run leaves (under the inflight
  // record), its notes saying where.
  HUB_RETURN_IF_ERROR(DropInflight(early->run.seq));
  early_dropped_.fetch_add(1, std::memory_order_relaxed);
  return Status::Ok();
}

}  // namespace hub::storage
