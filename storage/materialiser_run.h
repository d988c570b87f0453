// Internal to the materialiser (materialiser_*.cc): what one chunk of a
// submission changes, and one submission being applied.
#pragma once

#include <google/protobuf/arena.h>
#include <rocksdb/write_batch.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <unordered_set>

#include "storage/materialiser.h"
#include "storage/state.pb.h"

namespace hub::storage {

// The ledger keeps a submission's marker without where the log kept it:
// the attempt id (random per attempt) and the records per partition (topic
// names with their prefix, pieces per the log's record limit). Two hubs
// with the same history on differently named or limited logs hold the
// same ledger.
inline void ClearLogCoordinates(sdmxhub::events::v1::SubmissionMarker* m) {
  m->clear_attempt_id();
  m->clear_counts();
}

// What one chunk of a submission changes, last write per observation /
// series winning. Observation revisions live on an arena: allocating and
// freeing them one by one cost more than writing them.
struct Materialiser::Changes {
  google::protobuf::Arena arena;
  std::map<std::string, sdmxhub::state::v1::ObsRevision*> obs;  // by ObsKeyPrefix; on `arena`
  std::map<SeriesId, sdmxhub::state::v1::SeriesRevision> series;

  sdmxhub::state::v1::ObsRevision* NewObs() {
    return google::protobuf::Arena::CreateMessage<sdmxhub::state::v1::ObsRevision>(&arena);
  }
  void SetObs(std::string id, const sdmxhub::state::v1::ObsRevision& rev) {
    sdmxhub::state::v1::ObsRevision* r = NewObs();
    *r = rev;
    obs.insert_or_assign(std::move(id), r);
  }
  size_t size() const { return obs.size() + series.size(); }
  // Whether an upsert was collected: a deletion that follows must see it in
  // the state (it finds what to delete there), so the chunk is written
  // first.
  bool upserts = false;
};

// One submission being applied at `seq`: the batch in the making and what
// the ledger will say of it.
struct Materialiser::Run {
  uint64_t seq = 0;
  Watermark before;
  std::string sid;
  const sdmxhub::events::v1::SubmissionMarker* marker = nullptr;
  rocksdb::WriteBatch batch;
  sdmxhub::state::v1::RevisionCounts counts;
  int64_t revisions = 0;
  uint32_t change_parts = 0;     // ChangeRecord parts written (ChangeKey)
  uint32_t structure_index = 0;  // structure events stored
  std::shared_ptr<sdmx::StructureSet> structures;  // registered once it commits
  // Snapshot: note what is sent (SentPrefix) while the events are applied,
  // not while the deletions they imply are.
  bool note_sent = false;
  std::set<std::string> kept;  // series sent as Information (legacy records), by ObsSeriesPrefix
  // The release of an embargoed submission: when (the ReleaseMarker's time,
  // the commit's); 0 for a submission applied as it came.
  int64_t released_time_ms = 0;
  // Applied before its marker: each series written is noted (EarlyPrefix),
  // so that dropping it walks those series only.
  bool note_written = false;
  // Series whose observations WriteNewSeries put in `batch` since it was
  // last written out (by ObsSeriesPrefix); those since the chunk's last
  // FlushChanges (counted toward apply_chunk_observations), and their
  // summary, which goes into the chunk's change record part.
  std::unordered_set<std::string> new_unwritten;
  size_t new_observations = 0;
  sdmxhub::state::v1::ChangeRecord new_summary;
};

// Lets the run's cursors go when it ends: a cursor holds on to the
// memtables and files it saw.
struct Materialiser::DropCursors {
  Materialiser* m;
  ~DropCursors() {
    m->obs_cursor_.reset();
    m->series_cursor_.reset();
  }
};

// The submission being applied before its marker (apply_early_bytes): its
// run (marker unset until it comes) and the chunk in the making.
struct Materialiser::Early {
  std::string attempt_id;
  Run run;
  std::unique_ptr<Changes> changes = std::make_unique<Changes>();
};

}  // namespace hub::storage
