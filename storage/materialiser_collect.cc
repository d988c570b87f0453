// Turning a chunk of a committed submission's events into revisions (SDMX
// actions) and counting what they change: Materialiser::Collect* and
// WriteChanges. Apply (materialiser_apply.cc) drives them.
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/materialiser.h"
#include "storage/materialiser_run.h"

namespace hub::storage {
namespace {

namespace st = sdmxhub::state::v1;

// The same attribute values, in whatever order: messages list attributes in
// any order (and Merge appends the kept ones after the given ones), and a
// reordering is not a revision. Ids are unique within a field list (a
// repeated XML attribute is ill-formed; readers keep one value per id).
bool SameFields(const google::protobuf::RepeatedPtrField<ev::Field>& a,
                const google::protobuf::RepeatedPtrField<ev::Field>& b) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    // Mostly the same order: try the same position first.
    if (a[i].id() == b[i].id()) {
      if (a[i].value() != b[i].value()) return false;
      continue;
    }
    bool found = false;
    for (const ev::Field& f : b) {
      if (f.id() == a[i].id()) {
        if (f.value() != a[i].value()) return false;
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

bool SameObs(const std::optional<st::ObsRevision>& prev, const st::ObsRevision& next) {
  if (!prev) return next.deleted();  // deleting what never existed changes nothing
  if (prev->deleted() || next.deleted()) return prev->deleted() == next.deleted();
  return prev->value() == next.value() && SameFields(prev->attributes(), next.attributes());
}

enum class ObsChange { kUnchanged, kNew, kChanged, kDeleted };

// What `next` does to an observation that was `prev` before the submission.
ObsChange Classify(const std::optional<st::ObsRevision>& prev, const st::ObsRevision& next) {
  if (SameObs(prev, next)) return ObsChange::kUnchanged;  // deleting what is not live is the same too
  if (next.deleted()) return ObsChange::kDeleted;
  return prev && !prev->deleted() ? ObsChange::kChanged : ObsChange::kNew;
}

void Count(ObsChange c, int64_t n, st::RevisionCounts* counts) {
  switch (c) {
    case ObsChange::kUnchanged: counts->set_unchanged_observations(counts->unchanged_observations() + n); break;
    case ObsChange::kNew: counts->set_new_observations(counts->new_observations() + n); break;
    case ObsChange::kChanged: counts->set_changed_observations(counts->changed_observations() + n); break;
    case ObsChange::kDeleted: counts->set_deleted_observations(counts->deleted_observations() + n); break;
  }
}

bool SameSeries(const std::optional<st::SeriesRevision>& prev, const st::SeriesRevision& next) {
  if (!prev) return next.deleted();
  if (prev->deleted() || next.deleted()) return prev->deleted() == next.deleted();
  return SameFields(prev->attributes(), next.attributes());
}

// Merge: given components replace, the others are kept.
void MergeFields(const google::protobuf::RepeatedPtrField<ev::Field>& base,
                 google::protobuf::RepeatedPtrField<ev::Field>* update) {
  for (const ev::Field& f : base) {
    bool given = false;
    for (const ev::Field& u : *update) given |= u.id() == f.id();
    if (!given) *update->Add() = f;
  }
}

// Delete of attribute values: drops the fields `named` names from `fields`.
void RemoveFields(const google::protobuf::RepeatedPtrField<ev::Field>& named,
                  google::protobuf::RepeatedPtrField<ev::Field>* fields) {
  google::protobuf::RepeatedPtrField<ev::Field> kept;
  for (const ev::Field& f : *fields) {
    bool drop = false;
    for (const ev::Field& n : named) drop |= n.id() == f.id();
    if (!drop) *kept.Add() = f;
  }
  fields->Swap(&kept);
}

}  // namespace

Status Materialiser::CollectDelete(const ev::DataEvent& d, const std::string& flow, Watermark at,
                                   Changes* c) {
  // SDMX Delete: a series key alone deletes the series; with attribute
  // values it deletes those attributes only; an observation with a period
  // (and a value, or nothing) deletes the observation; one with attributes
  // but no value deletes those observation attributes only.
  std::vector<std::string> key(d.key().begin(), d.key().end());
  std::vector<sdmx::Series> targets;  // the series the (possibly partial) key names, as of `at`
  HUB_RETURN_IF_ERROR(state_->ScanSeries(flow, sdmx::KeyPattern::FromKey(key), at, [&](const sdmx::Series& s) {
    targets.push_back(s);
    return true;
  }));
  st::ObsRevision tomb;
  tomb.set_deleted(true);
  tomb.set_action(ev::ACTION_DELETE);
  for (const sdmx::Series& t : targets) {
    const std::string tk = t.KeyString();
    if (d.observations_size() == 0 && d.attributes_size() == 0) {
      for (const sdmx::Observation& o : t.observations) c->SetObs(ObsKeyPrefix(flow, tk, o.period), tomb);
      st::SeriesRevision stomb;
      stomb.set_deleted(true);
      stomb.set_action(ev::ACTION_DELETE);
      c->series[{flow, tk}] = stomb;
      continue;
    }
    if (d.attributes_size() > 0) {
      std::optional<st::SeriesRevision> prev;
      if (auto it = c->series.find({flow, tk}); it != c->series.end()) {
        prev = it->second;
      } else {
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestSeries(series_cursor_.get(), flow, tk, at));
      }
      if (prev && !prev->deleted()) {
        RemoveFields(d.attributes(), prev->mutable_attributes());
        prev->set_action(ev::ACTION_DELETE);
        c->series[{flow, tk}] = *prev;
      }
    }
    RevisionCursor* it = obs_cursor_.get();
    for (const ev::Observation& o : d.observations()) {
      std::string id = ObsKeyPrefix(flow, tk, o.period());
      if (!o.value().empty() || o.attributes_size() == 0) {
        c->SetObs(std::move(id), tomb);
        continue;
      }
      std::optional<st::ObsRevision> prev;
      if (auto found = c->obs.find(id); found != c->obs.end()) {
        prev = *found->second;
      } else {
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it, id, at));
      }
      if (!prev || prev->deleted()) continue;
      RemoveFields(o.attributes(), prev->mutable_attributes());
      prev->set_action(ev::ACTION_DELETE);
      c->SetObs(std::move(id), *prev);
    }
  }
  return Status::Ok();
}

Status Materialiser::CollectSnapshotDeletes(Run* run, const std::string& flow) {
  const ev::SubmissionMarker& marker = *run->marker;
  // The provider's earlier reports are the observations and series whose
  // latest revision (<= before) a commit of that provider wrote. One pass
  // over the dataflow: revisions sort newest first within an observation;
  // what was sent is its revision at seq, or (unchanged) read beside it,
  // from the notes in the same key order.
  std::map<uint64_t, bool> by_provider;  // seq -> written by marker.provider()
  auto ours = [&](uint64_t seq) -> Result<bool> {
    auto [it, fresh] = by_provider.try_emplace(seq, false);
    if (fresh) {
      HUB_ASSIGN_OR_RETURN(auto commit, state_->Commit(seq));
      it->second = commit && commit->provider() == marker.provider();
    }
    return it->second;
  };
  std::set<std::string> skipped;  // by ObsSeriesPrefix
  for (const std::string& k : marker.skipped_series_keys()) skipped.insert(ObsSeriesPrefix(flow, k));
  // Whether the note `kind` + `id` exists; `notes` only ever moves forward
  // (callers ask in key order).
  const std::string sent = SentPrefix(run->seq);
  auto noted = [&](rocksdb::Iterator* notes, char kind, std::string_view id) {
    std::string want = sent + kind;
    want += id;
    if (notes->Valid() && notes->key().compare(want) < 0) notes->Seek(want);
    return notes->Valid() && notes->key() == rocksdb::Slice(want);
  };
  auto kept = [&](std::string_view series_prefix) {
    return skipped.count(std::string(series_prefix)) || run->kept.count(std::string(series_prefix));
  };
  auto c = std::make_unique<Changes>();
  st::ObsRevision tomb;
  tomb.set_deleted(true);
  tomb.set_action(ev::ACTION_DELETE);
  const std::string prefix = FlowPrefix(flow);
  std::unique_ptr<rocksdb::Iterator> notes(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kMeta)));
  notes->Seek(sent);
  std::string last_obs;  // ObsKeyPrefix of the observation already decided
  std::unique_ptr<rocksdb::Iterator> it(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kObs)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ObsKeyParts parts;
    const std::string_view key(it->key().data(), it->key().size());
    if (!ParseObsKey(key, &parts)) continue;
    const std::string_view id = key.substr(0, key.size() - 8);
    if (id == last_obs) continue;  // an older revision of a decided observation
    if (parts.seq == run->seq) {  // sent, and changed: decided (revisions sort newest first)
      last_obs.assign(id);
      continue;
    }
    if (parts.seq > run->before.value) continue;
    last_obs.assign(id);
    if (kept(ObsSeriesPrefix(flow, parts.series_key)) || noted(notes.get(), 'o', id)) continue;
    st::ObsRevision prev;
    if (!prev.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("unreadable observation revision in " + flow);
    }
    if (prev.deleted()) continue;
    HUB_ASSIGN_OR_RETURN(bool mine, ours(parts.seq));
    if (!mine) continue;
    c->SetObs(last_obs, tomb);
    if (c->size() >= options_.apply_chunk_observations) HUB_RETURN_IF_ERROR(FlushChanges(&c, run, true));
  }
  if (!it->status().ok()) return Status::IoError("snapshot scan: " + it->status().ToString());
  // Series attributes of series the message leaves out.
  notes->Seek(sent);
  std::unique_ptr<rocksdb::Iterator> sit(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kSeries)));
  std::string last_series;
  for (sit->Seek(prefix); sit->Valid() && sit->key().starts_with(prefix); sit->Next()) {
    const std::string_view key(sit->key().data(), sit->key().size());
    const uint64_t seq = SeriesKeySeq(key);
    if (seq == 0 || seq > run->before.value) continue;
    const std::string series(key.substr(prefix.size(), key.size() - 8 - 1 - prefix.size()));
    if (series == last_series) continue;
    last_series = series;
    const std::string series_prefix = ObsSeriesPrefix(flow, series);
    if (kept(series_prefix) || noted(notes.get(), 's', series_prefix)) continue;
    st::SeriesRevision prev;
    if (!prev.ParseFromArray(sit->value().data(), static_cast<int>(sit->value().size()))) {
      return Status::Corruption("unreadable series revision in " + flow);
    }
    if (prev.deleted()) continue;
    HUB_ASSIGN_OR_RETURN(bool mine, ours(seq));
    if (!mine) continue;
    st::SeriesRevision stomb;
    stomb.set_deleted(true);
    stomb.set_action(ev::ACTION_DELETE);
    c->series[{flow, series}] = stomb;
    if (c->size() >= options_.apply_chunk_observations) HUB_RETURN_IF_ERROR(FlushChanges(&c, run, true));
  }
  if (!sit->status().ok()) return Status::IoError("snapshot scan: " + sit->status().ToString());
  return FlushChanges(&c, run, false);
}

Status Materialiser::CollectUpsert(const ev::DataEvent& d, const std::string& flow, Watermark at,
                                   Changes* c, const NewSeries& seen) {
  const std::string sk = sdmx::JoinKey(std::vector<std::string>(d.key().begin(), d.key().end()));
  const bool merge = d.action() == ev::ACTION_MERGE;
  if (d.attributes_size() > 0) {
    st::SeriesRevision rev;
    *rev.mutable_attributes() = d.attributes();
    rev.set_action(d.action());
    if (merge) {
      auto it = c->series.find({flow, sk});
      std::optional<st::SeriesRevision> prev;
      if (it != c->series.end()) {
        prev = it->second;
      } else {
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestSeries(series_cursor_.get(), flow, sk, at));
      }
      if (prev && !prev->deleted()) MergeFields(prev->attributes(), rev.mutable_attributes());
    }
    c->series[{flow, sk}] = std::move(rev);
  }
  if (seen.written) return Status::Ok();
  c->upserts = true;
  RevisionCursor* it = obs_cursor_.get();
  // A series met for the first time (most of a new feed) has nothing to merge with.
  bool stored = seen.stored.value_or(false);
  if (merge && !seen.stored) {
    HUB_ASSIGN_OR_RETURN(stored, state_->AnyObs(it, ObsSeriesPrefix(flow, sk)));
  }
  for (const ev::Observation& o : d.observations()) {
    std::string id = ObsKeyPrefix(flow, sk, o.period());
    st::ObsRevision* rev = c->NewObs();
    rev->set_value(o.value());
    *rev->mutable_attributes() = o.attributes();
    rev->set_action(d.action());
    if (merge) {
      auto found = c->obs.find(id);
      std::optional<st::ObsRevision> prev;
      if (found != c->obs.end()) {
        prev = *found->second;
      } else if (stored) {
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it, id, at));
      }
      if (prev && !prev->deleted()) {
        MergeFields(prev->attributes(), rev->mutable_attributes());
        if (o.value().empty()) rev->set_value(prev->value());
      }
    }
    c->obs.insert_or_assign(std::move(id), rev);
  }
  return Status::Ok();
}

Result<int64_t> Materialiser::WriteChanges(const Changes& c, Watermark before, uint64_t seq, const std::string& sid,
                                           bool note_unchanged, rocksdb::WriteBatch* batch, st::ChangeRecord* summary,
                                           st::RevisionCounts* counts) {
  // A revision is what differs from the state before the submission: that
  // is what is counted (and summarised for the change feed). A revision an
  // earlier chunk wrote at seq (the same observation or series met again,
  // e.g. deleted then sent in one message) is overwritten and counted
  // again in place of what it was, or removed when the state comes back to
  // what it was before; so the counts do not depend on the chunk size.
  int64_t revisions = 0;
  std::map<std::pair<std::string, std::string>, st::ChangeRecord::SeriesChange> changed;  // (flow, series key)
  // Series the summary holds already (WriteNewSeries'): one entry a series.
  for (st::ChangeRecord::SeriesChange& s : *summary->mutable_series()) {
    changed[{s.dataflow(), s.series_key()}] = std::move(s);
  }
  summary->clear_series();
  auto change_of = [&](std::string_view flow, std::string_view series) -> st::ChangeRecord::SeriesChange& {
    return changed[{std::string(flow), std::string(series)}];
  };
  const Watermark at{seq};
  RevisionCursor* it = obs_cursor_.get();
  std::string key;
  std::string value;
  // Whether the series of the observations at hand (ids sort by series) has
  // any revision: when not, its observations need no lookup each.
  std::string series;
  bool series_stored = false;
  st::ChangeRecord::SeriesChange* series_change = nullptr;  // its summary, once it has a revision
  for (const auto& [id, rev] : c.obs) {
    const std::string_view id_series = ObsSeriesOf(id);
    if (series.empty() || id_series != series) {
      series.assign(id_series);
      series_change = nullptr;
      HUB_ASSIGN_OR_RETURN(series_stored, state_->AnyObs(it, series));
    }
    uint64_t found = 0;
    std::optional<st::ObsRevision> prev;
    if (series_stored) {
      HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it, id, at, &found));
    }
    std::optional<st::ObsRevision> earlier;  // what an earlier chunk wrote at seq
    if (found == seq) {
      earlier = std::move(prev);
      HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it, id, before));
      Count(Classify(prev, *earlier), -1, counts);
    }
    key.assign(id);
    PutFixed64BE(&key, ~seq);
    const ObsChange change = Classify(prev, *rev);
    Count(change, 1, counts);
    if (change == ObsChange::kUnchanged) {  // an unchanged value is not a revision
      if (earlier) batch->Delete(state_->cf(Family::kObs), key);
      if (note_unchanged) batch->Put(state_->cf(Family::kMeta), SentPrefix(seq) + 'o' + id, "");
      continue;
    }
    value.clear();
    rev->AppendToString(&value);
    batch->Put(state_->cf(Family::kObs), key, value);
    if (earlier) continue;  // summarised when first written
    ++revisions;
    // Ids sort by series: one summary lookup per series, not per observation.
    if (series_change == nullptr) {
      ObsKeyParts parts;
      if (ParseObsKey(key, &parts)) series_change = &change_of(parts.flow, parts.series_key);
    }
    if (series_change != nullptr) {
      series_change->set_revised(series_change->revised() + 1);
      if (rev->deleted()) series_change->set_deleted(series_change->deleted() + 1);
    }
    if (batch->GetDataSize() >= options_.max_batch_bytes) HUB_RETURN_IF_ERROR(WritePartial(seq, sid, batch));
  }
  for (const auto& [id, rev] : c.series) {
    uint64_t found = 0;
    HUB_ASSIGN_OR_RETURN(auto prev, state_->LatestSeries(series_cursor_.get(), id.first, id.second, at, &found));
    if (found == seq) {
      HUB_ASSIGN_OR_RETURN(prev, state_->LatestSeries(series_cursor_.get(), id.first, id.second, before));
    }
    const std::string series_key = SeriesKey(id.first, id.second, seq);
    if (SameSeries(prev, rev)) {
      if (found == seq) {  // back to what it was: no revision after all
        batch->Delete(state_->cf(Family::kSeries), series_key);
        counts->set_series_attributes_changed(counts->series_attributes_changed() - 1);
      }
      continue;
    }
    if (found != seq) counts->set_series_attributes_changed(counts->series_attributes_changed() + 1);
    batch->Put(state_->cf(Family::kSeries), series_key, rev.SerializeAsString());
    change_of(id.first, id.second).set_attributes(true);
    if (batch->GetDataSize() >= options_.max_batch_bytes) HUB_RETURN_IF_ERROR(WritePartial(seq, sid, batch));
  }
  for (auto& [id, ch] : changed) {
    ch.set_dataflow(id.first);
    ch.set_series_key(id.second);
    *summary->add_series() = std::move(ch);
  }
  return revisions;
}

}  // namespace hub::storage
