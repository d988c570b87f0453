// VersionedState: the materialised, versioned indicator state in RocksDB.
//
// Every revision of every observation is kept (key layout in keys.h); a read
// at watermark W sees exactly the submissions with seq <= W. The watermark
// is published (watermark()) only after all of a submission's writes are in,
// so no reader sees part of a submission. Written only by the Materialiser,
// except connector bookkeeping (PutConnectorMeta), which lies outside the
// state proper; reads are thread-safe.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/base/ids.h"
#include "hub/base/status.h"
#include "sdmx/key_pattern.h"
#include "sdmx/model.h"
#include "storage/event_log.h"
#include "storage/rocksdb_memory.h"
#include "storage/state.pb.h"

namespace rocksdb {
class DB;
class ColumnFamilyHandle;
class Iterator;
class Slice;
class WriteBatch;
}  // namespace rocksdb

namespace hub {
class FramedSha256;
}  // namespace hub

namespace hub::storage {

struct StateOptions {
  std::string path;             // directory of the state DB (created if missing); required
  bool read_only = false;       // open without writing (e.g. `sdmx-hub digest` beside a running
                                // hub); default false
  RocksMemoryOptions memory;    // memtables and block cache ([state]); see rocksdb_memory.h
  bool sync_writes = false;     // fsync each applied submission. The log is the source of
                                // truth and offsets commit with the state, so a lost tail is
                                // re-applied after a crash; default false.
};

enum class Family { kObs = 0, kSeries, kCommits, kLedger, kStructures, kMeta, kChanges };

// One revision of one observation, with its provenance.
// A commit's times. Loaded: when the hub accepted its submission. Released
// (0 unless it was embargoed): when its data became public, which is then
// the commit's accepted_time_ms, the time asOf and updatedAfter go by.
inline int64_t LoadedTimeMs(const sdmxhub::state::v1::CommitRecord& c) {
  return c.loaded_time_ms() ? c.loaded_time_ms() : c.accepted_time_ms();
}
inline int64_t ReleasedTimeMs(const sdmxhub::state::v1::CommitRecord& c) {
  return c.loaded_time_ms() ? c.accepted_time_ms() : 0;
}

struct ObsHistoryEntry {
  std::string period;
  uint64_t seq = 0;
  sdmxhub::state::v1::ObsRevision revision;
  sdmxhub::state::v1::CommitRecord commit;
};

// Adds `series` to `h` as VersionedState::DataDigest does: its key, its
// attributes and each observation (period, value, attributes), attributes
// sorted by id (their order is a message's, not the data's).
void AddSeriesToDigest(const sdmx::Series& series, FramedSha256* h);

// Point reads of latest revisions, many in a row (a submission being
// applied compares each observation with what is there): one iterator over
// one family, each seek bounded by the key's own revisions, so that a run
// of deleted neighbours (what an interrupted apply left and was dropped)
// costs nothing. Not thread-safe; lives shorter than its state.
class RevisionCursor {
 public:
  RevisionCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf);
  ~RevisionCursor();
  // Positions on the first record at or after `target` whose key starts
  // with `prefix` (which ends with the '\0' every key prefix of keys.h
  // ends with); false when there is none (or on error: status()).
  bool SeekWithin(const std::string& prefix, const std::string& target);
  // Sees what was written since it was made (or last refreshed): one cursor
  // can serve a whole submission that writes in several batches.
  Status Refresh();
  rocksdb::Iterator* iterator() const { return it_.get(); }

 private:
  std::string bound_;
  std::unique_ptr<rocksdb::Slice> bound_slice_;  // what the iterator's upper bound points to
  std::unique_ptr<rocksdb::Iterator> it_;
};

class VersionedState {
 public:
  static Result<std::unique_ptr<VersionedState>> Open(const StateOptions& options);
  ~VersionedState();

  // The last fully applied commit sequence.
  Watermark watermark() const { return Watermark{watermark_.load(std::memory_order_acquire)}; }

  // Calls `fn` for each series of `flow` ("AGENCY:ID(VERSION)") matching
  // `pattern`, in key order, as of `at`: latest revision <= at of each
  // observation, deletions hidden, series without observations skipped.
  // `fn` returns false to stop; it may take from (move out of) the series
  // it is given, which is scratch space of the scan.
  // `from`, when set, keeps only observations whose latest revision came
  // from a commit it accepts (providerRef: data by one provider).
  using CommitFilter = std::function<bool(uint64_t seq)>;
  Status ScanSeries(const std::string& flow, const sdmx::KeyPattern& pattern, Watermark at,
                    const std::function<bool(sdmx::Series&)>& fn, const CommitFilter& from = {}) const;

  // Changes since watermark `after`, as of `at` (updatedAfter): for each
  // series matching `pattern` with an observation whose latest revision <=
  // `at` came after `after`, `fn(changed, deleted)` gets the changed
  // observations with their values at `at` (and the series' attributes)
  // and, apart, the periods deleted since. Either may be empty. A series
  // whose attributes changed after `after` comes whole (every live
  // observation at `at`): series attributes travel only with a series, and
  // a reader of the changes must be able to apply them.
  Status ScanChanges(const std::string& flow, const sdmx::KeyPattern& pattern, Watermark after, Watermark at,
                     const std::function<bool(sdmx::Series& changed, sdmx::Series& deleted)>& fn,
                     const CommitFilter& from = {}) const;

  // Every revision <= `at` of the series matching `pattern`, grouped by the
  // commit that wrote it (includeHistory): `fn(seq, revised, deleted)` in
  // commit order, once per commit, with the series it touched.
  Status ScanRevisions(
      const std::string& flow, const sdmx::KeyPattern& pattern, Watermark at,
      const std::function<bool(uint64_t seq, const std::vector<sdmx::Series>& revised,
                               const std::vector<sdmx::Series>& deleted)>& fn) const;

  // Every revision of one series' observations, oldest first per period.
  Result<std::vector<ObsHistoryEntry>> History(const std::string& flow, const std::string& series_key) const;

  Result<std::optional<sdmxhub::state::v1::CommitRecord>> Commit(uint64_t seq) const;
  // What commit `seq` changed (empty for a structure submission): each
  // series once, in key order, whatever parts the record was written in.
  Result<sdmxhub::state::v1::ChangeRecord> ChangesOf(uint64_t seq) const;
  // asOf: the watermark of the data as loaded at `time_ms` (load times come
  // from the log). Concurrent ingests can commit slightly out of load-time
  // order, so this is the longest prefix of commits all loaded at or before
  // `time_ms`: never a state that mixes in something loaded later.
  Result<Watermark> WatermarkAt(int64_t time_ms, Watermark limit) const;
  Result<std::optional<sdmxhub::state::v1::LedgerRecord>> Ledger(const std::string& submission_id) const;
  // Every ledger record (submission id order) until `fn` returns false.
  Status ScanLedger(const std::function<bool(const sdmxhub::state::v1::LedgerRecord&)>& fn) const;
  // When this hub recorded the submission in its ledger (ms since the epoch).
  Result<std::optional<int64_t>> AppliedTime(const std::string& submission_id) const;
  // Puts the applied time of `submission_id` (now) into `batch`.
  void PutAppliedTime(const std::string& submission_id, rocksdb::WriteBatch* batch) const;
  // Stored consumer positions (next offset to read) per partition.
  Result<std::map<TopicPartition, int64_t>> Offsets(const LogTopics& topics) const;
  // Structure messages applied so far, in commit order.
  Result<std::vector<std::string>> StructureMessages() const;

  // SHA-256 (hex) over the observations, series, commits, ledger and
  // structures, in key order: equal for equal histories, whatever the log
  // backend or consumer offsets.
  Result<std::string> Digest() const;

  // SHA-256 (hex) over the data of one dataflow ("AGENCY:ID(VERSION)") as
  // readers see it at the published watermark: per series in key order, the
  // key, the series attributes and each live observation (period, value,
  // attributes), attributes sorted by id. Deleted observations, series
  // without live observations and all provenance (commit numbers, load
  // times, submission ids, providers) are left out, so two hubs that hold
  // the same data agree however it reached them (pushed, pulled, split into
  // other submissions), where Digest() differs.
  Result<std::string> DataDigest(const std::string& flow) const;

  // Embargoed submissions held until their release (Materialiser), by
  // submission id: their markers (release_time_ms says when), one of them,
  // and its events as encoded Envelopes in log order (`fn` returns false to
  // stop).
  Result<std::vector<sdmxhub::events::v1::SubmissionMarker>> HeldEmbargoes() const;
  Result<std::optional<sdmxhub::events::v1::SubmissionMarker>> HeldEmbargo(const std::string& submission_id) const;
  Status ScanHeldEvents(const std::string& submission_id, const std::function<bool(std::string_view)>& fn) const;

  // Bookkeeping a connector keeps beside the state (REST pull cursors), by
  // `name`: in the meta family, outside Digest() and DataDigest(), never
  // rebuilt by a replay (a connector must cope with its absence). A write
  // is ordered after every state write before it (one RocksDB WAL).
  Result<std::optional<std::string>> ConnectorMeta(const std::string& name) const;
  Status PutConnectorMeta(const std::string& name, const std::string& value);
  Status DeleteConnectorMeta(const std::string& name);
  // Every entry whose name starts with `prefix`, in name order (`fn`
  // returns false to stop).
  Status ScanConnectorMeta(const std::string& prefix,
                           const std::function<bool(const std::string& name, std::string_view value)>& fn) const;

  // --- For the Materialiser -------------------------------------------------
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return cfs_[static_cast<int>(f)]; }
  rocksdb::DB* db() const { return db_.get(); }
  // Writes `batch` (which must set the watermark key if it advances it).
  Status Write(rocksdb::WriteBatch* batch);
  // Makes `w` visible to readers. Call after the batch holding seq w is written.
  void Publish(Watermark w) {
    watermark_.store(w.value, std::memory_order_release);
    if (on_publish_) on_publish_(w);
  }
  // Called (on the materialiser's thread) after each Publish: must not block.
  // Set once, before the materialiser starts.
  void SetPublishListener(std::function<void(Watermark)> fn) { on_publish_ = std::move(fn); }
  // Latest revision <= at of one observation; nullopt if none.
  Result<std::optional<sdmxhub::state::v1::ObsRevision>> LatestObs(const std::string& flow,
                                                                   const std::string& series_key,
                                                                   const std::string& period, Watermark at) const;
  // Latest revision <= at of the observation whose key without the sequence
  // suffix is `obs_prefix` (keys.h ObsKeyPrefix), through a caller's iterator
  // on the obs family, so that a large submission opens one iterator.
  // `seq`, when set, gets the commit that wrote it (0 when none).
  Result<std::optional<sdmxhub::state::v1::ObsRevision>> LatestObs(RevisionCursor* cursor,
                                                                   const std::string& obs_prefix, Watermark at,
                                                                   uint64_t* seq = nullptr) const;
  std::unique_ptr<RevisionCursor> NewObsCursor() const;
  std::unique_ptr<RevisionCursor> NewSeriesCursor() const;
  // Whether any observation of the series whose key prefix is
  // `series_prefix` (keys.h ObsSeriesPrefix) has a revision at all, in any
  // commit: one seek that spares a new series' observations one each.
  Result<bool> AnyObs(RevisionCursor* cursor, const std::string& series_prefix) const;
  // `seq`, when set, gets the commit that wrote it (0 when none).
  Result<std::optional<sdmxhub::state::v1::SeriesRevision>> LatestSeries(const std::string& flow,
                                                                         const std::string& series_key,
                                                                         Watermark at,
                                                                         uint64_t* seq = nullptr) const;
  // The same through a caller's cursor on the series family (NewSeriesCursor).
  Result<std::optional<sdmxhub::state::v1::SeriesRevision>> LatestSeries(RevisionCursor* cursor,
                                                                         const std::string& flow,
                                                                         const std::string& series_key,
                                                                         Watermark at, uint64_t* seq = nullptr) const;

 private:
  VersionedState();
  // Calls `fn` with each meta entry whose key starts with `prefix`, in key
  // order, until it returns false; `what` names the scan in errors.
  Status ScanMeta(const std::string& prefix, const char* what,
                  const std::function<bool(std::string_view key, std::string_view value)>& fn) const;
  Status Init(const StateOptions& options);
  // Keys of the series of `flow` whose attributes a commit in (after, at]
  // (one `from` accepts) changed, from the change records.
  Result<std::set<std::string>> AttributeChanges(const std::string& flow, Watermark after, Watermark at,
                                                 const CommitFilter& from) const;

  StateOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> cfs_;
  rocksdb::ColumnFamilyHandle* default_cf_ = nullptr;
  std::atomic<uint64_t> watermark_{0};
  std::function<void(Watermark)> on_publish_;
};

}  // namespace hub::storage
