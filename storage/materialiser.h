// Materialiser: consumes the event log and applies each committed submission
// to the VersionedState atomically and exactly once, in marker order.
//
// A submission (one ingest attempt) is applied when its SubmissionMarker and
// every event the marker counts per partition have been read. Its writes,
// the commit record, the ledger entry, the new watermark and the consumer
// positions go into one RocksDB WriteBatch, so a crash at any point either
// applies all of it or none, and a restart resumes from the stored positions.
// Positions never pass an event of a submission still waiting for its
// marker, so nothing read but not applied is lost on restart. Events of a
// submission already in the ledger are skipped: resubmitting the same id is a
// no-op. Events of attempts that never get a marker are never applied.
//
// An embargoed data submission (SubmissionMarker.release_time_ms after its
// accepted time) is held instead: its events go into the state beside it
// (HeldEventPrefix), the ledger says "embargoed", and nothing of it is
// readable. The ReleaseMarker the releaser appends once the time has come
// applies it, in log order, at one watermark, as any submission, its commit
// timed at the release; a release of nothing held is ignored. Both steps
// depend on the log alone, so a replay holds and releases at the same points.
//
// No single record stops it for everyone. A committed submission it cannot
// apply (an event that does not decode, e.g. a string field with invalid
// UTF-8; a structure message that does not read) is recorded in the ledger
// as FAILED with the reason once its marker and events are in, nothing of it
// applied, and later submissions go on. A record it cannot even attribute to
// a submission is skipped and noted under meta "skipped/" (and logged). The
// verdicts depend on the log alone, so a replay reaches the same ones. Only
// failures of the state store itself (I/O) and records of a newer schema
// stop it.
//
// Thread-safe: Start() runs the loop on its own thread; Wait* may be called
// from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <optional>
#include <thread>
#include <tuple>

#include "storage/event_chunks.h"
#include "storage/event_log.h"
#include "storage/events.pb.h"
#include "storage/state.h"
#include "storage/structure_registry.h"

namespace hub::storage {

struct MaterialiserOptions {
  LogTopics topics;
  // Records per poll: what one poll holds in memory (events are a few KB
  // each). Default 1000.
  size_t poll_max_records = 1'000;
  std::chrono::milliseconds poll_timeout{100};  // wait per poll; default 100 ms
  // A submission's revisions are written in WriteBatches of about this many
  // bytes; the last one also carries the commit record, the ledger entry,
  // the consumer positions and the watermark, so readers (who read at the
  // watermark) see all of it or none. Default 64 MiB.
  size_t max_batch_bytes = size_t{64} << 20;
  // Events of submissions still waiting for their marker are held in
  // memory up to this many bytes in all; past it, the largest waiting
  // submission's events are let go and read back from the log when it is
  // applied (the log is the buffer), so a submission of any size costs
  // bounded memory. Default 16 MiB.
  size_t max_held_event_bytes = size_t{16} << 20;
  // A submission is applied in chunks of about this many observations
  // (collected, compared with the state, written as a batch above the
  // watermark): the memory it takes beyond the held events. Default 25k.
  size_t apply_chunk_observations = 25'000;
  // A submission whose events say the marker cannot change how they apply
  // (DataEvent.apply_before_marker: not a snapshot, not embargoed) starts
  // being applied once this many bytes of its events are in, before its
  // marker, above the watermark (an inflight record, as for any
  // submission applied in several batches): a large upload is applied
  // while it is still being read instead of after it. One at a time, and
  // only while no other marker waits; when another submission must commit
  // first, what it wrote is dropped and it applies when its marker comes.
  // Default 8 MiB; 0 = never.
  size_t apply_early_bytes = size_t{8} << 20;
  // The observations of a series with no revision at all (most of a new
  // feed) are written as they are read, with none of the comparing a
  // series with a history takes: every one of them is new. Off only to
  // check that it writes what the general path does (tests).
  bool write_new_series_directly = true;
};

class Materialiser {
 public:
  Materialiser(EventLog* log, VersionedState* state, StructureRegistry* registry, MaterialiserOptions options);
  ~Materialiser();

  // Loads stored positions and structures, then starts the apply loop.
  Status Start();
  void Stop();

  // Blocks until `submission_id` is in the ledger (committed or rejected) or
  // the timeout passes. Returns the ledger record.
  Result<sdmxhub::state::v1::LedgerRecord> WaitForSubmission(const std::string& submission_id,
                                                             std::chrono::milliseconds timeout);
  // OK while the loop runs; the error that stopped it otherwise.
  Status health() const;
  // Submissions read but not yet applied (waiting for events or a marker).
  size_t pending() const;
  // Batches written before a submission's last one (see max_batch_bytes).
  uint64_t partial_batches() const { return partial_batches_.load(std::memory_order_relaxed); }
  // Submissions recorded FAILED, and records skipped as nobody's, by this process.
  uint64_t failed() const { return failed_.load(std::memory_order_relaxed); }
  uint64_t skipped_records() const { return skipped_records_.load(std::memory_order_relaxed); }
  // Submissions whose events were let go and read back from the log.
  uint64_t spilled() const { return spilled_.load(std::memory_order_relaxed); }
  // Submissions begun before their marker (apply_early_bytes), and those of
  // them dropped because another submission had to commit first.
  uint64_t early_begun() const { return early_begun_.load(std::memory_order_relaxed); }
  uint64_t early_dropped() const { return early_dropped_.load(std::memory_order_relaxed); }
  // Series whose observations were written directly (write_new_series_directly).
  uint64_t new_series_written() const { return new_series_written_.load(std::memory_order_relaxed); }
  // Blocks until every record before `end` (per partition) has been read and
  // everything complete among them applied, or the timeout passes. Used by
  // replay to know it has caught up with the log.
  Status WaitForPositions(const std::map<TopicPartition, int64_t>& end, std::chrono::milliseconds timeout);

 private:
  struct Attempt {
    std::string attempt_id;
    std::string submission_id;
    // Held in memory as encoded (parsed again when applied, on an arena)
    // until `spilled` (see max_held_event_bytes), then read back from the
    // log: the offsets of its events span event_range.
    std::vector<std::string> events;
    size_t held_bytes = 0;
    size_t received_bytes = 0;  // of its whole events, held or not
    // Its early apply was dropped once: it waits for its marker (begun
    // again after each other commit, a steady trickle of small ones would
    // have it rewrite what it has so far each time).
    bool early_dropped = false;
    bool spilled = false;
    std::map<TopicPartition, std::pair<int64_t, int64_t>> event_range;  // first, last offset
    std::map<TopicPartition, int64_t> received;
    std::map<TopicPartition, int64_t> first_offset;
    std::optional<sdmxhub::events::v1::SubmissionMarker> marker;
    // Events in pieces (EventChunk) being joined; a whole one is held (or,
    // spilled, dropped and joined again when read back).
    ChunkJoiner joiner;
    std::string poison;  // why it cannot be applied (a record that did not decode); empty = fine
    // A ReleaseMarker read from the log (its released_time_ms): the attempt
    // stands for the release of the held submission, applied in its turn.
    std::optional<int64_t> release;
    bool held_in_state = false;  // its events are the held ones (HeldEventPrefix), not the log's
  };

  using SeriesId = std::pair<std::string, std::string>;  // flow, series key
  struct Changes;
  struct Run;
  struct Early;  // the submission being applied before its marker
  struct DropCursors;  // lets the cursors go when a run ends

  void Loop();
  Status Handle(const LogRecord& record);
  // An event of attempt `aid` at `record`: counted, and `value` (its
  // encoded Envelope) held unless the attempt is spilled.
  Attempt& NoteEvent(const LogRecord& record, const std::string& sid, const std::string& aid);
  // A whole event of `a` (parsed: `env`): applied at once when `a` is being
  // applied early, else held (Hold), which may begin applying it early.
  Status Take(Attempt& a, std::string value, sdmxhub::events::v1::Envelope& env);
  void Hold(Attempt& a, std::string value);
  // Early apply (materialiser_early.cc, see apply_early_bytes): begins
  // applying `a` with the events it has (Take applies the rest as they
  // come); finishes it once its marker is in (Apply calls it); drops what
  // it wrote (another submission takes the seq first, or it ends unapplied).
  Status BeginEarly(Attempt& a);
  Status FinishEarly(Attempt& a);
  Status DropEarly(const std::string& why);
  bool EarlyIs(const Attempt& a) const;
  // One event of a submission into `run`: structures registered and
  // stored, data collected into `changes` (flushed every
  // apply_chunk_observations). `failure` says why the content is at fault.
  Status ApplyEvent(Run* run, std::unique_ptr<Changes>* changes, sdmxhub::events::v1::Envelope& env,
                    std::string* failure);
  Status HandleChunk(const LogRecord& record, const sdmxhub::events::v1::EventChunk& piece);
  Status ApplyReady();
  Status Apply(Attempt& attempt);
  // An embargoed submission, complete: its events and marker into the state,
  // its ledger record "embargoed", nothing applied.
  Status HoldEmbargoed(Attempt& attempt);
  // A release in its turn: the held submission it names is applied, timed
  // at the release; nothing held (released before) = nothing to do.
  Status Release(Attempt& release);
  // Calls `fn` with the attempt's events in log order per partition, in
  // pieces: those held, or those read back from the log when spilled.
  // The envelopes live on an arena until `fn` returns.
  Status ForEachEvent(Attempt& a, const std::function<Status(std::vector<sdmxhub::events::v1::Envelope*>&)>& fn);
  // The last batch of `run`: its commit record, ledger entry, positions and
  // watermark; then the watermark is published.
  Status Commit(Run* run);
  // Lets the largest waiting attempt's events go (max_held_event_bytes).
  void SpillLargest();
  void EraseAttempt(std::map<std::string, Attempt>::iterator it);
  // The Collect* functions read the state at `at`: the seq being applied,
  // so that a chunk sees what earlier chunks of its submission wrote.
  Status CollectDelete(const sdmxhub::events::v1::DataEvent& d, const std::string& flow, Watermark at,
                       Changes* changes);
  // What WriteNewSeries did with an upsert's observations, and found.
  struct NewSeries {
    bool written = false;        // the observations are in the batch
    std::optional<bool> stored;  // whether the state holds any of the series', when it looked
  };
  // With `seen.written`, the series attributes only; a lookup `seen` made
  // is not made again.
  Status CollectUpsert(const sdmxhub::events::v1::DataEvent& d, const std::string& flow, Watermark at,
                       Changes* changes, const NewSeries& seen);
  // The observations of upsert `d` straight into the run's batch when its
  // series has none anywhere yet: not in the state (at any seq), not in
  // `changes`, not in the batch (materialiser_new_series.cc).
  Status WriteNewSeries(Run* run, std::unique_ptr<Changes>* changes, const sdmxhub::events::v1::DataEvent& d,
                        const std::string& flow, NewSeries* out);
  // Snapshot submissions: tombstones for what the run's provider reported in
  // `flow` (as of the watermark before it) and the submission left out:
  // observations and series it did not send (an observation sent has a
  // revision at seq, or, unchanged, a note under the meta prefix
  // SentPrefix(seq); a series, a note), but for the marker's skipped series and
  // series sent as Information by records of before SDMX 3.1's rules.
  Status CollectSnapshotDeletes(Run* run, const std::string& flow);
  // Writes `c` into the run (its revisions, counts and a change record
  // part) and starts it afresh; with `partial`, writes the batch out too so
  // that later chunks read what it holds.
  Status FlushChanges(std::unique_ptr<Changes>* c, Run* run, bool partial);
  // Puts the revisions into `batch`, writing it out (and starting afresh)
  // whenever it grows past max_batch_bytes, and summarises them per series
  // into `summary` (with the series it holds already). With `note_unchanged` (a
  // snapshot), an observation sent unchanged is noted under SentPrefix(seq):
  // one sent and changed is known by its revision at seq.
  Result<int64_t> WriteChanges(const Changes& changes, Watermark before, uint64_t seq, const std::string& sid,
                               bool note_unchanged, rocksdb::WriteBatch* batch,
                               sdmxhub::state::v1::ChangeRecord* summary,
                               sdmxhub::state::v1::RevisionCounts* counts);
  Status WritePartial(uint64_t seq, const std::string& sid, rocksdb::WriteBatch* batch);
  // Removes what a crashed multi-batch apply left at `seq` (see WritePartial),
  // or what an early apply overtaken by another wrote.
  Status DropInflight(uint64_t seq);
  // Adds to `drop` the deletion of every revision at `seq`: of the series
  // its EarlyPrefix notes name, or (no notes) found by a whole scan.
  Status DropRevisionsAt(uint64_t seq, rocksdb::WriteBatch* drop);
  // A run of `submission_id` at the next seq: leftovers at it dropped, the
  // cursors made.
  Status StartRun(const std::string& submission_id, Run* run);
  Status RecordRejected(const sdmxhub::events::v1::SubmissionMarker& marker);
  // A record that does not decode: its attempt is poisoned (see the class
  // comment), or, when it belongs to no attempt, it is skipped and noted.
  Status HandleUndecodable(const LogRecord& record, const std::string& why);
  // Records `a` as FAILED with `reason`, dropping revisions an interrupted
  // Apply of it left at the next seq; the registry is left as it was.
  Status RecordFailed(const Attempt& a, const std::string& reason);
  // Forgets every attempt of `submission_id` (it is in the ledger now);
  // its releases too unless `releases` is false (it is held: they are due).
  void DropAttempts(const std::string& submission_id, bool releases = true);
  bool Complete(const Attempt& attempt) const;
  // Positions safe to store: never past an event of a pending attempt.
  std::map<TopicPartition, int64_t> SafeOffsets() const;
  void PutOffsets(rocksdb::WriteBatch* batch) const;
  Result<bool> AlreadyApplied(const std::string& submission_id);

  EventLog* log_;
  VersionedState* state_;
  StructureRegistry* registry_;
  MaterialiserOptions options_;
  std::unique_ptr<LogReader> reader_;

  std::map<std::string, Attempt> pending_;  // by attempt id
  std::vector<char> scratch_ = std::vector<char>(size_t{64} << 10);  // first block of Handle's arena
  // Cursors on the state, one each for the submission being applied
  // (refreshed after each partial batch): a new RocksDB iterator per event
  // cost more than the lookups of a one-observation event.
  std::unique_ptr<RevisionCursor> obs_cursor_, series_cursor_;
  std::unique_ptr<Early> early_;
  size_t held_bytes_ = 0;                   // of the events held by pending_
  std::deque<std::string> marker_order_;    // attempt ids, in marker order
  std::map<TopicPartition, int64_t> next_offset_;
  std::string unapplied_cache_;  // a submission id known not to be in the ledger

  mutable std::mutex mu_;
  std::condition_variable applied_;
  Status health_;
  size_t pending_count_ = 0;
  std::map<TopicPartition, int64_t> positions_;  // next_offset_ as of the last finished loop
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> partial_batches_{0};
  std::atomic<uint64_t> failed_{0}, skipped_records_{0}, spilled_{0}, early_begun_{0}, early_dropped_{0},
      new_series_written_{0};
  std::thread thread_;
};

}  // namespace hub::storage
