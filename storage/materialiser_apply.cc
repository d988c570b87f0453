// Materialiser::Apply and what it needs: turning one committed submission's
// events into revisions (SDMX actions), and writing them in batches that
// become visible at once (see MaterialiserOptions::max_batch_bytes).
#include "storage/materialiser.h"

#include <google/protobuf/arena.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "hub/base/crash_point.h"
#include "storage/codec.h"
#include "storage/keys.h"

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

// Counts `next` (replacing `prev`) in `counts`; true when it is a revision.
bool CountObs(const std::optional<st::ObsRevision>& prev, const st::ObsRevision& next, st::RevisionCounts* counts) {
  const bool was_live = prev && !prev->deleted();
  if (SameObs(prev, next)) {  // deleting what is not live is the same too
    counts->set_unchanged_observations(counts->unchanged_observations() + 1);
    return false;
  }
  if (next.deleted()) {
    counts->set_deleted_observations(counts->deleted_observations() + 1);
  } else if (was_live) {
    counts->set_changed_observations(counts->changed_observations() + 1);
  } else {
    counts->set_new_observations(counts->new_observations() + 1);
  }
  return true;
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

// What one submission changes, last write per observation / series winning.
// Observation revisions live on an arena: a large submission holds millions,
// and allocating and freeing them one by one cost more than writing them.
struct Materialiser::Changes {
  google::protobuf::Arena arena;
  std::map<std::string, st::ObsRevision*> obs;  // by ObsKeyPrefix; on `arena`
  std::map<SeriesId, st::SeriesRevision> series;

  st::ObsRevision* NewObs() { return google::protobuf::Arena::CreateMessage<st::ObsRevision>(&arena); }
  void SetObs(std::string id, const st::ObsRevision& rev) {
    st::ObsRevision* r = NewObs();
    *r = rev;
    obs.insert_or_assign(std::move(id), r);
  }
};

Status Materialiser::CollectDelete(const ev::DataEvent& d, const std::string& flow, Watermark before,
                                   Changes* c) {
  // SDMX Delete: a series key alone deletes the series; with attribute
  // values it deletes those attributes only; an observation with a period
  // (and a value, or nothing) deletes the observation; one with attributes
  // but no value deletes those observation attributes only.
  std::vector<std::string> key(d.key().begin(), d.key().end());
  std::vector<sdmx::Series> targets;  // the series the (possibly partial) key names, as of `before`
  HUB_RETURN_IF_ERROR(state_->ScanSeries(flow, sdmx::KeyPattern::FromKey(key), before, [&](const sdmx::Series& s) {
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
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestSeries(flow, tk, before));
      }
      if (prev && !prev->deleted()) {
        RemoveFields(d.attributes(), prev->mutable_attributes());
        prev->set_action(ev::ACTION_DELETE);
        c->series[{flow, tk}] = *prev;
      }
    }
    std::unique_ptr<rocksdb::Iterator> it = state_->NewObsIterator();
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
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it.get(), id, before));
      }
      if (!prev || prev->deleted()) continue;
      RemoveFields(o.attributes(), prev->mutable_attributes());
      prev->set_action(ev::ACTION_DELETE);
      c->SetObs(std::move(id), *prev);
    }
  }
  return Status::Ok();
}

Status Materialiser::CollectSnapshotDeletes(const ev::SubmissionMarker& marker, const std::string& flow,
                                            const std::set<std::string>& sent, const std::set<std::string>& kept,
                                            Watermark before, Changes* c) {
  // The provider's earlier reports are the observations and series whose
  // latest revision (<= before) a commit of that provider wrote. One pass
  // over the dataflow: revisions sort newest first within an observation.
  std::map<uint64_t, bool> by_provider;  // seq -> written by marker.provider()
  auto ours = [&](uint64_t seq) -> Result<bool> {
    auto [it, fresh] = by_provider.try_emplace(seq, false);
    if (fresh) {
      HUB_ASSIGN_OR_RETURN(auto commit, state_->Commit(seq));
      it->second = commit && commit->provider() == marker.provider();
    }
    return it->second;
  };
  const std::set<std::string> skipped(marker.skipped_series_keys().begin(), marker.skipped_series_keys().end());
  st::ObsRevision tomb;
  tomb.set_deleted(true);
  tomb.set_action(ev::ACTION_DELETE);
  const std::string prefix = FlowPrefix(flow);
  std::string last_obs;  // ObsKeyPrefix of the observation already decided
  std::unique_ptr<rocksdb::Iterator> it = state_->NewObsIterator();
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ObsKeyParts parts;
    const std::string_view key(it->key().data(), it->key().size());
    if (!ParseObsKey(key, &parts) || parts.seq > before.value) continue;
    const std::string_view id = key.substr(0, key.size() - 8);
    if (id == last_obs) continue;  // an older revision of a decided observation
    last_obs.assign(id);
    const std::string series(parts.series_key);
    if (skipped.count(series) || kept.count(series) || c->obs.count(last_obs)) continue;
    st::ObsRevision prev;
    if (!prev.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("unreadable observation revision in " + flow);
    }
    if (prev.deleted()) continue;
    HUB_ASSIGN_OR_RETURN(bool mine, ours(parts.seq));
    if (mine) c->SetObs(last_obs, tomb);
  }
  if (!it->status().ok()) return Status::IoError("snapshot scan: " + it->status().ToString());
  // Series attributes of series the message leaves out.
  std::unique_ptr<rocksdb::Iterator> sit(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kSeries)));
  std::string last_series;
  for (sit->Seek(prefix); sit->Valid() && sit->key().starts_with(prefix); sit->Next()) {
    const std::string_view key(sit->key().data(), sit->key().size());
    const uint64_t seq = SeriesKeySeq(key);
    if (seq == 0 || seq > before.value) continue;
    const std::string series(key.substr(prefix.size(), key.size() - 8 - 1 - prefix.size()));
    if (series == last_series) continue;
    last_series = series;
    if (sent.count(series) || skipped.count(series) || kept.count(series) || c->series.count({flow, series})) continue;
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
  }
  if (!sit->status().ok()) return Status::IoError("snapshot scan: " + sit->status().ToString());
  return Status::Ok();
}

Status Materialiser::CollectUpsert(const ev::DataEvent& d, const std::string& flow, Watermark before,
                                   Changes* c) {
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
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestSeries(flow, sk, before));
      }
      if (prev && !prev->deleted()) MergeFields(prev->attributes(), rev.mutable_attributes());
    }
    c->series[{flow, sk}] = std::move(rev);
  }
  std::unique_ptr<rocksdb::Iterator> it = merge ? state_->NewObsIterator() : nullptr;
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
      } else {
        HUB_ASSIGN_OR_RETURN(prev, state_->LatestObs(it.get(), id, before));
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

Status Materialiser::WritePartial(uint64_t seq, const std::string& sid, rocksdb::WriteBatch* batch) {
  // Revisions at seq stay invisible (readers stop at the watermark, below
  // it) until the last batch publishes seq. The inflight record lets a
  // restart tell a re-apply of this submission (which rewrites the same
  // keys with the same values: everything derives from the log) from
  // leftovers under another one.
  batch->Put(state_->cf(Family::kMeta), kInflightKey, SeqKey(seq) + sid);
  CrashPoint("materialiser.before_partial_write");
  HUB_RETURN_IF_ERROR(state_->Write(batch));
  CrashPoint("materialiser.after_partial_write");
  batch->Clear();
  partial_batches_.fetch_add(1, std::memory_order_relaxed);
  return Status::Ok();
}

Status Materialiser::DropInflight(uint64_t seq, const std::string& sid) {
  std::string v;
  rocksdb::Status rs = state_->db()->Get(rocksdb::ReadOptions(), state_->cf(Family::kMeta), kInflightKey, &v);
  if (rs.IsNotFound()) return Status::Ok();
  if (!rs.ok()) return Status::IoError("read inflight: " + rs.ToString());
  if (v.size() < 8 || ParseSeqKey(std::string_view(v).substr(0, 8)) != seq || v.substr(8) == sid) {
    return Status::Ok();  // nothing left over, or ours to overwrite
  }
  // Never visible (above the watermark), so deleting is no loss of history.
  spdlog::warn("dropping revisions of interrupted submission {} left at seq {}", v.substr(8), seq);
  rocksdb::WriteBatch drop;
  for (Family f : {Family::kObs, Family::kSeries}) {
    std::unique_ptr<rocksdb::Iterator> it(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(f)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if (SeriesKeySeq(std::string_view(it->key().data(), it->key().size())) == seq) drop.Delete(state_->cf(f), it->key());
    }
    if (!it->status().ok()) return Status::IoError("scan inflight: " + it->status().ToString());
  }
  drop.Delete(state_->cf(Family::kMeta), kInflightKey);
  return state_->Write(&drop);
}

Result<int64_t> Materialiser::WriteChanges(const Changes& c, Watermark before, uint64_t seq, const std::string& sid,
                                           rocksdb::WriteBatch* batch, st::ChangeRecord* summary,
                                           st::RevisionCounts* counts) {
  int64_t revisions = 0;
  std::map<std::pair<std::string, std::string>, st::ChangeRecord::SeriesChange> changed;  // (flow, series key)
  auto change_of = [&](std::string_view flow, std::string_view series) -> st::ChangeRecord::SeriesChange& {
    return changed[{std::string(flow), std::string(series)}];
  };
  std::unique_ptr<rocksdb::Iterator> it = state_->NewObsIterator();
  std::string key;
  std::string value;
  for (const auto& [id, rev] : c.obs) {
    HUB_ASSIGN_OR_RETURN(auto prev, state_->LatestObs(it.get(), id, before));
    if (!CountObs(prev, *rev, counts)) continue;  // an unchanged value is not a revision
    key.assign(id);
    PutFixed64BE(&key, ~seq);
    value.clear();
    rev->AppendToString(&value);
    batch->Put(state_->cf(Family::kObs), key, value);
    ++revisions;
    ObsKeyParts parts;
    if (ParseObsKey(key, &parts)) {
      st::ChangeRecord::SeriesChange& ch = change_of(parts.flow, parts.series_key);
      ch.set_revised(ch.revised() + 1);
      if (rev->deleted()) ch.set_deleted(ch.deleted() + 1);
    }
    if (batch->GetDataSize() >= options_.max_batch_bytes) HUB_RETURN_IF_ERROR(WritePartial(seq, sid, batch));
  }
  for (const auto& [id, rev] : c.series) {
    HUB_ASSIGN_OR_RETURN(auto prev, state_->LatestSeries(id.first, id.second, before));
    if (SameSeries(prev, rev)) continue;
    counts->set_series_attributes_changed(counts->series_attributes_changed() + 1);
    batch->Put(state_->cf(Family::kSeries), SeriesKey(id.first, id.second, seq), rev.SerializeAsString());
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

Status Materialiser::Apply(Attempt& a) {
  const Watermark before = state_->watermark();
  const uint64_t seq = before.value + 1;
  const ev::SubmissionMarker marker = *a.marker;
  const std::string sid = a.submission_id;
  rocksdb::WriteBatch batch;

  if (!a.poison.empty()) return RecordFailed(a, a.poison);
  Changes changes;
  std::set<std::string> sent, kept;  // snapshot: series sent; sent as Information (left as they are)
  uint32_t structure_index = 0;
  std::shared_ptr<sdmx::StructureSet> structures;  // registered once the submission commits
  for (const ev::Envelope& env : a.events) {
    if (env.has_structure()) {
      auto merged = registry_->Merged(env.structure().message(), "submission " + sid, structures);
      if (!merged.ok()) return RecordFailed(a, "structure message does not read: " + merged.status().message());
      structures = std::move(*merged);
      std::string key = SeqKey(seq);
      PutFixed32BE(&key, structure_index++);
      ev::StructureEvent stored = env.structure();
      stored.clear_attempt_id();  // random per attempt: not part of the history
      batch.Put(state_->cf(Family::kStructures), key, stored.SerializeAsString());
      continue;
    }
    const ev::DataEvent& d = env.data();
    const std::string flow = FromProto(d.dataflow()).ToString();
    if (marker.snapshot()) {
      std::string key = sdmx::JoinKey(std::vector<std::string>(d.key().begin(), d.key().end()));
      // Only records written before ingest applied SDMX 3.1's rules carry
      // Information (then: change nothing); their replay keeps that meaning.
      if (d.action() == ev::ACTION_INFORMATION) kept.insert(key);
      sent.insert(std::move(key));
    }
    if (d.action() == ev::ACTION_INFORMATION) continue;
    HUB_RETURN_IF_ERROR(d.action() == ev::ACTION_DELETE ? CollectDelete(d, flow, before, &changes)
                                                        : CollectUpsert(d, flow, before, &changes));
  }
  if (marker.snapshot() && marker.kind() == "data") {
    HUB_RETURN_IF_ERROR(
        CollectSnapshotDeletes(marker, FromProto(marker.dataflow()).ToString(), sent, kept, before, &changes));
  }
  HUB_RETURN_IF_ERROR(DropInflight(seq, sid));
  st::ChangeRecord summary;
  st::RevisionCounts counts;
  HUB_ASSIGN_OR_RETURN(int64_t revisions, WriteChanges(changes, before, seq, sid, &batch, &summary, &counts));
  if (summary.series_size() > 0) batch.Put(state_->cf(Family::kChanges), SeqKey(seq), summary.SerializeAsString());

  st::CommitRecord commit;
  commit.set_seq(seq);
  commit.set_submission_id(sid);
  commit.set_provider(marker.provider());
  commit.set_kind(marker.kind());
  *commit.mutable_dataflow() = marker.dataflow();
  commit.set_accepted_time_ms(marker.accepted_time_ms());
  commit.set_series(marker.series());
  commit.set_observations(marker.observations());
  commit.set_revisions_written(revisions);
  *commit.mutable_revisions() = counts;
  batch.Put(state_->cf(Family::kCommits), SeqKey(seq), commit.SerializeAsString());
  st::LedgerRecord ledger;
  *ledger.mutable_marker() = marker;
  ledger.mutable_marker()->clear_attempt_id();  // random per attempt: not part of the history
  ledger.set_seq(seq);
  if (marker.kind() == "data") *ledger.mutable_revisions() = counts;
  batch.Put(state_->cf(Family::kLedger), sid, ledger.SerializeAsString());
  state_->PutAppliedTime(sid, &batch);
  batch.Put(state_->cf(Family::kMeta), kWatermarkKey, SeqKey(seq));
  batch.Delete(state_->cf(Family::kMeta), kInflightKey);

  // Other attempts of the same submission can never apply now.
  DropAttempts(sid);
  PutOffsets(&batch);
  // Before the ledger says committed (a waiter then reads the registry);
  // after every check that could fail the submission.
  if (structures) registry_->Publish(std::move(structures));
  CrashPoint("materialiser.before_apply_write");
  HUB_RETURN_IF_ERROR(state_->Write(&batch));
  CrashPoint("materialiser.after_apply_write");
  state_->Publish(Watermark{seq});
  {
    std::lock_guard lock(mu_);
    pending_count_ = pending_.size();  // before waking waiters, so they see it
  }
  spdlog::info("submission {} from {} committed at watermark {} ({} revisions: {} new, {} changed, {} deleted; "
               "{} unchanged)",
               sid, marker.provider(), seq, revisions, counts.new_observations(), counts.changed_observations(),
               counts.deleted_observations(), counts.unchanged_observations());
  applied_.notify_all();
  return Status::Ok();
}

}  // namespace hub::storage
