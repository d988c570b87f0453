// Materialiser::Apply: one committed submission's events, in chunks of
// bounded size, into revisions written above the watermark (partial
// batches), then the commit, ledger and positions in the last batch, which
// publishes the new watermark: readers see all of it or none. An embargoed
// submission is held beside the state instead (HoldEmbargoed) until its
// release applies it (Release).
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <optional>

#include "hub/base/crash_point.h"
#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/materialiser.h"
#include "storage/materialiser_run.h"

namespace hub::storage {

namespace st = sdmxhub::state::v1;

Status Materialiser::WritePartial(uint64_t seq, const std::string& sid, rocksdb::WriteBatch* batch) {
  // Revisions at seq stay invisible (readers stop at the watermark, below
  // it) until the last batch publishes seq. The inflight record tells a
  // restart that something is left at seq (DropInflight).
  batch->Put(state_->cf(Family::kMeta), kInflightKey, SeqKey(seq) + sid);
  CrashPoint("materialiser.before_partial_write");
  HUB_RETURN_IF_ERROR(state_->Write(batch));
  CrashPoint("materialiser.after_partial_write");
  batch->Clear();
  partial_batches_.fetch_add(1, std::memory_order_relaxed);
  // The chunks that follow read what this one wrote at seq.
  HUB_RETURN_IF_ERROR(obs_cursor_->Refresh());
  HUB_RETURN_IF_ERROR(series_cursor_->Refresh());
  return Status::Ok();
}

Status Materialiser::DropInflight(uint64_t seq) {
  rocksdb::WriteBatch drop;
  // Change record parts and stored structure events are rewritten whole by
  // any apply at seq: range deletions, cheap whatever is there.
  for (Family f : {Family::kChanges, Family::kStructures}) drop.DeleteRange(state_->cf(f), SeqKey(seq), SeqKey(seq + 1));
  std::string v;
  rocksdb::Status rs = state_->db()->Get(rocksdb::ReadOptions(), state_->cf(Family::kMeta), kInflightKey, &v);
  if (!rs.ok() && !rs.IsNotFound()) return Status::IoError("read inflight: " + rs.ToString());
  if (rs.ok() && v.size() >= 8 && ParseSeqKey(std::string_view(v).substr(0, 8)) == seq) {
    // Never visible (above the watermark), so deleting is no loss of
    // history. Leftovers of this very submission go too: its chunks read
    // what earlier ones wrote at seq, so a re-apply starts from nothing to
    // count (and write) exactly what a clean one does. The lookups that
    // follow are bounded per key (RevisionCursor): the deleted run costs
    // them nothing.
    spdlog::warn("dropping what submission {} left at seq {}, above the watermark", v.substr(8), seq);
    HUB_RETURN_IF_ERROR(DropRevisionsAt(seq, &drop));
    drop.DeleteRange(state_->cf(Family::kMeta), SentPrefix(seq), SentPrefix(seq + 1));
    drop.DeleteRange(state_->cf(Family::kMeta), EarlyPrefix(seq), EarlyPrefix(seq + 1));
    drop.Delete(state_->cf(Family::kMeta), kInflightKey);
  }
  return state_->Write(&drop);
}

Status Materialiser::DropRevisionsAt(uint64_t seq, rocksdb::WriteBatch* drop) {
  auto scan = [&](Family f, const rocksdb::Slice& from, const rocksdb::Slice& prefix) -> Status {
    std::unique_ptr<rocksdb::Iterator> it(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(f)));
    for (it->Seek(from); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (SeriesKeySeq(std::string_view(it->key().data(), it->key().size())) == seq) drop->Delete(state_->cf(f), it->key());
    }
    return it->status().ok() ? Status::Ok() : Status::IoError("scan inflight: " + it->status().ToString());
  };
  // A run applied before its marker noted each series it wrote
  // (EarlyPrefix, in the batch with its first revisions): only those are
  // walked. Any other run: both families, whole.
  const std::string notes = EarlyPrefix(seq);
  std::unique_ptr<rocksdb::Iterator> note(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kMeta)));
  note->Seek(notes);
  if (!note->Valid() || !note->key().starts_with(notes)) {
    HUB_RETURN_IF_ERROR(note->status().ok() ? Status::Ok() : Status::IoError("scan inflight: " + note->status().ToString()));
    for (Family f : {Family::kObs, Family::kSeries}) HUB_RETURN_IF_ERROR(scan(f, rocksdb::Slice(), rocksdb::Slice()));
    return Status::Ok();
  }
  for (; note->Valid() && note->key().starts_with(notes); note->Next()) {
    // An ObsSeriesPrefix: the series' observation keys, and its series keys
    // (that prefix + be64(~seq)), start with it.
    const rocksdb::Slice prefix(note->key().data() + notes.size(), note->key().size() - notes.size());
    for (Family f : {Family::kObs, Family::kSeries}) HUB_RETURN_IF_ERROR(scan(f, prefix, prefix));
  }
  return note->status().ok() ? Status::Ok() : Status::IoError("scan inflight: " + note->status().ToString());
}

Status Materialiser::StartRun(const std::string& submission_id, Run* run) {
  run->before = state_->watermark();
  run->seq = run->before.value + 1;
  run->sid = submission_id;
  HUB_RETURN_IF_ERROR(DropInflight(run->seq));
  obs_cursor_ = state_->NewObsCursor();  // after DropInflight: they see the state it leaves
  series_cursor_ = state_->NewSeriesCursor();
  return Status::Ok();
}

Status Materialiser::FlushChanges(std::unique_ptr<Changes>* changes, Run* run, bool partial) {
  const Changes* c = changes->get();
  if (run->note_written) {
    // Observation ids sort by series: one note per series run.
    std::string_view last;
    const std::string prefix = EarlyPrefix(run->seq);
    for (const auto& [id, rev] : c->obs) {
      const std::string_view series = ObsSeriesOf(id);
      if (series == last) continue;
      last = series;
      run->batch.Put(state_->cf(Family::kMeta), prefix + std::string(series), "");
    }
    for (const auto& [id, rev] : c->series) {
      run->batch.Put(state_->cf(Family::kMeta), prefix + ObsSeriesPrefix(id.first, id.second), "");
    }
  }
  run->new_observations = 0;
  st::ChangeRecord summary;
  summary.Swap(&run->new_summary);  // WriteNewSeries' series, in the same part
  HUB_ASSIGN_OR_RETURN(int64_t n, WriteChanges(*c, run->before, run->seq, run->sid, run->note_sent, &run->batch,
                                               &summary, &run->counts));
  run->revisions += n;
  if (summary.series_size() > 0) {
    run->batch.Put(state_->cf(Family::kChanges), ChangeKey(run->seq, run->change_parts++), summary.SerializeAsString());
  }
  *changes = std::make_unique<Changes>();
  if (partial && run->batch.Count() > 0) {
    HUB_RETURN_IF_ERROR(WritePartial(run->seq, run->sid, &run->batch));
    run->new_unwritten.clear();
  }
  return Status::Ok();
}

namespace {

// Events parsed at a time (on one arena, freed at once after them): parsed,
// an event takes several times its encoded size, and a poll's worth of a
// large submission's (1,000 series) took tens of MB.
constexpr size_t kPieceEncodedBytes = size_t{1} << 20;

// Calls `fn` with `events` (encoded) parsed, in pieces of about
// kPieceEncodedBytes.
Status ForEachHeld(const std::vector<std::string>& events, const std::string& sid,
                   const std::function<Status(std::vector<ev::Envelope*>&)>& fn) {
  std::vector<ev::Envelope*> piece;
  for (size_t at = 0; at < events.size();) {
    google::protobuf::Arena arena;
    piece.clear();
    for (size_t bytes = 0; at < events.size() && bytes < kPieceEncodedBytes; ++at) {
      bytes += events[at].size();
      auto* env = google::protobuf::Arena::CreateMessage<ev::Envelope>(&arena);
      if (!env->ParseFromString(events[at])) {
        return Status::Corruption("submission " + sid + ": a held event no longer decodes");
      }
      piece.push_back(env);
    }
    HUB_RETURN_IF_ERROR(fn(piece));
  }
  return Status::Ok();
}

}  // namespace

Status Materialiser::ForEachEvent(Attempt& a, const std::function<Status(std::vector<ev::Envelope*>&)>& fn) {
  if (!a.spilled && !a.held_in_state) return ForEachHeld(a.events, a.submission_id, fn);
  if (a.held_in_state) {
    // An embargoed submission's, from the state, a piece at a time.
    std::vector<std::string> block;
    size_t bytes = 0;
    Status inner;
    HUB_RETURN_IF_ERROR(state_->ScanHeldEvents(a.submission_id, [&](std::string_view v) {
      block.emplace_back(v);
      bytes += v.size();
      if (bytes < kPieceEncodedBytes) return true;
      inner = ForEachHeld(block, a.submission_id, fn);
      block.clear();
      bytes = 0;
      return inner.ok();
    }));
    HUB_RETURN_IF_ERROR(inner);
    return ForEachHeld(block, a.submission_id, fn);
  }
  std::vector<ev::Envelope*> piece;
  // Read back from the log: each partition from the attempt's first event
  // to its last, keeping the attempt's own (others share the partitions).
  std::vector<std::pair<TopicPartition, int64_t>> start;
  std::map<TopicPartition, int64_t> left;  // partitions not read to the end yet -> last offset
  for (const auto& [tp, range] : a.event_range) {
    start.emplace_back(tp, range.first);
    left[tp] = range.second;
  }
  HUB_ASSIGN_OR_RETURN(std::unique_ptr<LogReader> reader, log_->NewReader(start));
  std::vector<LogRecord> records;
  ChunkJoiner joiner;
  auto idle_since = std::chrono::steady_clock::now();
  while (!left.empty()) {
    records.clear();
    HUB_RETURN_IF_ERROR(reader->Poll(options_.poll_timeout, options_.poll_max_records, &records));
    if (records.empty()) {
      if (std::chrono::steady_clock::now() - idle_since > std::chrono::seconds(60)) {
        return Status::Unavailable("reading back submission " + a.submission_id + " from the log: no records");
      }
      continue;
    }
    idle_since = std::chrono::steady_clock::now();
    std::optional<google::protobuf::Arena> arena;
    size_t bytes = 0;
    auto flush = [&]() -> Status {
      if (!piece.empty()) HUB_RETURN_IF_ERROR(fn(piece));
      piece.clear();
      arena.reset();
      bytes = 0;
      return Status::Ok();
    };
    for (LogRecord& r : records) {
      auto it = left.find(r.tp);
      if (it == left.end() || r.offset > it->second) continue;  // past its last event
      if (r.offset == it->second) left.erase(it);
      if (!arena) arena.emplace();
      auto* env = google::protobuf::Arena::CreateMessage<ev::Envelope>(&*arena);
      if (!env->ParseFromString(r.value)) continue;  // poisoned attempts never get here; others' junk
      size_t encoded = r.value.size();
      if (env->has_chunk()) {
        if (env->chunk().attempt_id() != a.attempt_id) continue;
        // Handle joined these already and found the whole decodable.
        HUB_ASSIGN_OR_RETURN(std::optional<std::string> whole, joiner.Add(r.tp, r.offset, env->chunk()));
        if (!whole) continue;
        env = google::protobuf::Arena::CreateMessage<ev::Envelope>(&*arena);
        if (!env->ParseFromString(*whole)) {
          return Status::Corruption("submission " + a.submission_id + ": an event in pieces no longer decodes");
        }
        encoded = whole->size();
      }
      const std::string& aid = env->has_data() ? env->data().attempt_id()
                               : env->has_structure() ? env->structure().attempt_id() : std::string();
      if (aid != a.attempt_id) continue;
      piece.push_back(env);
      bytes += encoded;
      if (bytes >= kPieceEncodedBytes) HUB_RETURN_IF_ERROR(flush());
    }
    HUB_RETURN_IF_ERROR(flush());
  }
  return Status::Ok();
}

Status Materialiser::ApplyEvent(Run* run, std::unique_ptr<Changes>* changes, ev::Envelope& env,
                                std::string* failure) {
  if (env.has_structure()) {
    auto merged = registry_->Merged(env.structure().message(), "submission " + run->sid, run->structures);
    if (!merged.ok()) {
      *failure = "structure message does not read: " + merged.status().message();
      return Status::InvalidArgument(*failure);  // stops the reading; `failure` says why
    }
    run->structures = std::move(*merged);
    std::string key = SeqKey(run->seq);
    PutFixed32BE(&key, run->structure_index++);
    ev::StructureEvent& stored = *env.mutable_structure();
    stored.clear_attempt_id();  // random per attempt: not part of the history
    run->batch.Put(state_->cf(Family::kStructures), key, stored.SerializeAsString());
    return Status::Ok();
  }
  const ev::DataEvent& d = env.data();
  const std::string flow = FromProto(d.dataflow()).ToString();
  if (run->note_sent) {  // a snapshot
    const std::string series =
        ObsSeriesPrefix(flow, sdmx::JoinKey(std::vector<std::string>(d.key().begin(), d.key().end())));
    // Only records written before ingest applied SDMX 3.1's rules carry
    // Information (then: change nothing); their replay keeps that meaning.
    if (d.action() == ev::ACTION_INFORMATION) run->kept.insert(series);
    run->batch.Put(state_->cf(Family::kMeta), SentPrefix(run->seq) + 's' + series, "");
  }
  if (d.action() == ev::ACTION_INFORMATION) return Status::Ok();
  const Watermark at{run->seq};
  if (d.action() == ev::ACTION_DELETE) {
    // What to delete is found in the state: upserts before it in the
    // message are written out first, so that it sees them whatever the
    // chunking.
    if ((*changes)->upserts || !run->new_unwritten.empty()) HUB_RETURN_IF_ERROR(FlushChanges(changes, run, true));
    HUB_RETURN_IF_ERROR(CollectDelete(d, flow, at, changes->get()));
  } else {
    NewSeries seen;
    HUB_RETURN_IF_ERROR(WriteNewSeries(run, changes, d, flow, &seen));
    HUB_RETURN_IF_ERROR(CollectUpsert(d, flow, at, changes->get(), seen));
  }
  if ((*changes)->size() + run->new_observations >= options_.apply_chunk_observations) {
    HUB_RETURN_IF_ERROR(FlushChanges(changes, run, true));
  }
  return Status::Ok();
}

Status Materialiser::Apply(Attempt& a) {
  // Every record the marker counts is in: an event still missing pieces
  // was written wrong, and the submission cannot be read whole.
  if (a.poison.empty()) a.poison = a.joiner.Unfinished();
  const bool hold = a.poison.empty() && !a.held_in_state && Embargoed(*a.marker);
  if (early_) {
    // Begun before its marker: finished, unless it cannot apply or its
    // marker says otherwise than its events did. Any other submission that
    // takes the seq (or, failing, clears what is at it) goes first.
    const bool mine = EarlyIs(a);
    if (mine && a.poison.empty() && !hold && !a.marker->snapshot() && a.marker->kind() == "data") {
      return FinishEarly(a);
    }
    if (mine || !hold) {
      HUB_RETURN_IF_ERROR(DropEarly(mine ? "it cannot apply as begun (failed, a snapshot or embargoed)"
                                         : "submission " + a.submission_id + " is applied first"));
    }
  }
  if (!a.poison.empty()) return RecordFailed(a, a.poison);
  if (hold) return HoldEmbargoed(a);
  Run run;
  if (a.held_in_state) run.released_time_ms = a.release.value_or(0);
  const ev::SubmissionMarker marker = *a.marker;
  run.marker = &marker;
  const bool snapshot = marker.snapshot() && marker.kind() == "data";
  run.note_sent = snapshot;
  HUB_RETURN_IF_ERROR(StartRun(a.submission_id, &run));
  DropCursors drop_cursors{this};

  auto changes = std::make_unique<Changes>();
  std::string failure;  // the content of the submission is at fault
  Status s = ForEachEvent(a, [&](std::vector<ev::Envelope*>& events) -> Status {
    for (ev::Envelope* e : events) HUB_RETURN_IF_ERROR(ApplyEvent(&run, &changes, *e, &failure));
    return Status::Ok();
  });
  if (!failure.empty()) return RecordFailed(a, failure);
  HUB_RETURN_IF_ERROR(s);
  if (snapshot) {
    HUB_RETURN_IF_ERROR(FlushChanges(&changes, &run, true));  // what was sent, readable
    run.note_sent = false;
    HUB_RETURN_IF_ERROR(CollectSnapshotDeletes(&run, FromProto(marker.dataflow()).ToString()));
    run.batch.DeleteRange(state_->cf(Family::kMeta), SentPrefix(run.seq), SentPrefix(run.seq + 1));
  } else {
    HUB_RETURN_IF_ERROR(FlushChanges(&changes, &run, false));
  }
  return Commit(&run);
}

Status Materialiser::Commit(Run* run) {
  const ev::SubmissionMarker& marker = *run->marker;
  const uint64_t seq = run->seq;
  const std::string sid = run->sid;
  rocksdb::WriteBatch& batch = run->batch;
  st::CommitRecord commit;
  commit.set_seq(seq);
  commit.set_submission_id(sid);
  commit.set_provider(marker.provider());
  commit.set_kind(marker.kind());
  *commit.mutable_dataflow() = marker.dataflow();
  // Released: the data became public then, and asOf, updatedAfter and
  // Last-Modified go by that; when it was loaded is kept beside it.
  const int64_t public_time = run->released_time_ms ? run->released_time_ms : marker.accepted_time_ms();
  commit.set_accepted_time_ms(public_time);
  if (run->released_time_ms) {
    commit.set_loaded_time_ms(marker.accepted_time_ms());
    commit.set_release_time_ms(marker.release_time_ms());
  }
  int64_t modified = public_time;
  if (seq > 1) {
    Result<std::optional<st::CommitRecord>> previous = state_->Commit(seq - 1);
    HUB_RETURN_IF_ERROR(previous.status());
    if (*previous) modified = std::max({modified, (*previous)->modified_time_ms(), (*previous)->accepted_time_ms()});
  }
  commit.set_modified_time_ms(modified);
  commit.set_series(marker.series());
  commit.set_observations(marker.observations());
  commit.set_revisions_written(run->revisions);
  *commit.mutable_revisions() = run->counts;
  batch.Put(state_->cf(Family::kCommits), SeqKey(seq), commit.SerializeAsString());
  st::LedgerRecord ledger;
  *ledger.mutable_marker() = marker;
  ClearLogCoordinates(ledger.mutable_marker());
  ledger.set_seq(seq);
  if (run->released_time_ms) {
    ledger.set_released_time_ms(run->released_time_ms);
    batch.DeleteRange(state_->cf(Family::kMeta), HeldEventPrefix(sid), HeldEventEnd(sid));
    batch.Delete(state_->cf(Family::kMeta), HeldMarkerKey(sid));
  }
  if (marker.kind() == "data") *ledger.mutable_revisions() = run->counts;
  batch.Put(state_->cf(Family::kLedger), sid, ledger.SerializeAsString());
  state_->PutAppliedTime(sid, &batch);
  batch.Put(state_->cf(Family::kMeta), kWatermarkKey, SeqKey(seq));
  batch.Delete(state_->cf(Family::kMeta), kInflightKey);

  // Other attempts of the same submission can never apply now.
  DropAttempts(sid);
  PutOffsets(&batch);
  // Before the ledger says committed (a waiter then reads the registry);
  // after every check that could fail the submission.
  if (run->structures) registry_->Publish(std::move(run->structures));
  CrashPoint("materialiser.before_apply_write");
  HUB_RETURN_IF_ERROR(state_->Write(&batch));
  CrashPoint("materialiser.after_apply_write");
  state_->Publish(Watermark{seq});
  {
    std::lock_guard lock(mu_);
    pending_count_ = pending_.size();  // before waking waiters, so they see it
  }
  const st::RevisionCounts& counts = run->counts;
  spdlog::info("submission {} from {} committed at watermark {} ({} revisions: {} new, {} changed, {} deleted; "
               "{} unchanged)",
               sid, marker.provider(), seq, run->revisions, counts.new_observations(), counts.changed_observations(),
               counts.deleted_observations(), counts.unchanged_observations());
  applied_.notify_all();
  return Status::Ok();
}

Status Materialiser::HoldEmbargoed(Attempt& a) {
  const ev::SubmissionMarker marker = *a.marker;  // DropAttempts erases `a`
  const std::string sid = a.submission_id;
  rocksdb::WriteBatch batch;
  // What an interrupted hold of another attempt of it left.
  batch.DeleteRange(state_->cf(Family::kMeta), HeldEventPrefix(sid), HeldEventEnd(sid));
  uint32_t index = 0;
  HUB_RETURN_IF_ERROR(ForEachEvent(a, [&](std::vector<ev::Envelope*>& events) -> Status {
    for (ev::Envelope* e : events) {
      std::string key = HeldEventPrefix(sid);
      PutFixed32BE(&key, index++);
      batch.Put(state_->cf(Family::kMeta), key, e->SerializeAsString());
    }
    // Held events are invisible whatever happens to them, and a hold
    // begun again rewrites the same keys: the batch can go out in parts.
    if (batch.GetDataSize() >= options_.max_batch_bytes) {
      HUB_RETURN_IF_ERROR(state_->Write(&batch));
      batch.Clear();
    }
    return Status::Ok();
  }));
  ev::SubmissionMarker held = marker;
  ClearLogCoordinates(&held);
  batch.Put(state_->cf(Family::kMeta), HeldMarkerKey(sid), held.SerializeAsString());
  st::LedgerRecord ledger;
  *ledger.mutable_marker() = held;
  ledger.set_embargoed(true);
  batch.Put(state_->cf(Family::kLedger), sid, ledger.SerializeAsString());
  state_->PutAppliedTime(sid, &batch);
  DropAttempts(sid, /*releases=*/false);  // a replay may have read its release already
  PutOffsets(&batch);
  CrashPoint("materialiser.before_hold_write");
  HUB_RETURN_IF_ERROR(state_->Write(&batch));
  spdlog::info("submission {} from {} held under embargo until {} ms ({} events)", sid, marker.provider(),
               marker.release_time_ms(), index);
  applied_.notify_all();
  return Status::Ok();
}

Status Materialiser::Release(Attempt& r) {
  const std::string sid = r.submission_id;
  HUB_ASSIGN_OR_RETURN(std::optional<ev::SubmissionMarker> held, state_->HeldEmbargo(sid));
  if (!held) {
    // Released before (another releaser, a retried append) or never held.
    spdlog::info("release of submission {}: nothing held, nothing to do", sid);
    if (auto it = pending_.find(r.attempt_id); it != pending_.end()) EraseAttempt(it);
    return Status::Ok();
  }
  r.marker = std::move(*held);
  r.held_in_state = true;
  return Apply(r);
}

}  // namespace hub::storage
