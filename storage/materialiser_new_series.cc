// Materialiser::WriteNewSeries: the observations of a series the state has
// never held go straight into the run's batch. Most of a new feed is such
// series, and for them the general path (collect into Changes, look each
// observation up, classify, count) finds what is known beforehand: every
// observation is new. The bytes written are the general path's.
#include <rocksdb/write_batch.h>

#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/materialiser.h"
#include "storage/materialiser_run.h"

namespace hub::storage {

namespace st = sdmxhub::state::v1;

Status Materialiser::WriteNewSeries(Run* run, std::unique_ptr<Changes>* changes, const ev::DataEvent& d,
                                    const std::string& flow, NewSeries* out) {
  // A snapshot notes what it sent as the general path compares it
  // (SentPrefix): not here.
  if (!options_.write_new_series_directly || run->note_sent || d.observations_size() == 0) return Status::Ok();
  const std::string series_key = sdmx::JoinKey(std::vector<std::string>(d.key().begin(), d.key().end()));
  std::string key = ObsSeriesPrefix(flow, series_key);
  if (run->new_unwritten.count(key)) {
    // Met again while its first observations wait in the batch: they are
    // written out, and the general path (which reads the state) takes it.
    return FlushChanges(changes, run, true);
  }
  const Changes& c = **changes;
  if (auto it = c.obs.lower_bound(key); it != c.obs.end() && it->first.starts_with(key)) return Status::Ok();
  HUB_ASSIGN_OR_RETURN(bool stored, state_->AnyObs(obs_cursor_.get(), key));
  out->stored = stored;
  if (stored) return Status::Ok();

  rocksdb::WriteBatch& batch = run->batch;
  if (run->note_written) batch.Put(state_->cf(Family::kMeta), EarlyPrefix(run->seq) + key, "");
  const size_t series_end = key.size();
  st::ObsRevision rev;
  std::string value;
  for (const ev::Observation& o : d.observations()) {
    // ObsKey, and the ObsRevision CollectUpsert makes of an observation
    // with nothing to merge with.
    key.resize(series_end);
    key += o.period();
    key += '\0';
    PutFixed64BE(&key, ~run->seq);
    rev.Clear();
    rev.set_value(o.value());
    *rev.mutable_attributes() = o.attributes();
    rev.set_action(d.action());
    value.clear();
    rev.AppendToString(&value);
    batch.Put(state_->cf(Family::kObs), key, value);
  }
  // Ingest refuses a message with an observation twice (sdmx::Validator),
  // so each is one new revision.
  const int64_t n = d.observations_size();
  run->counts.set_new_observations(run->counts.new_observations() + n);
  run->revisions += n;
  run->new_observations += static_cast<size_t>(n);
  st::ChangeRecord::SeriesChange* change = run->new_summary.add_series();
  change->set_dataflow(flow);
  change->set_series_key(series_key);
  change->set_revised(n);
  key.resize(series_end);
  run->new_unwritten.insert(std::move(key));
  new_series_written_.fetch_add(1, std::memory_order_relaxed);
  out->written = true;
  if (batch.GetDataSize() >= options_.max_batch_bytes) {
    HUB_RETURN_IF_ERROR(WritePartial(run->seq, run->sid, &batch));
    run->new_unwritten.clear();
  }
  return Status::Ok();
}

}  // namespace hub::storage
