#include "connectors/pull_changes.h"

#include <rocksdb/iterator.h>

#include <map>
#include <memory>
#include <optional>

#include "hub/base/sha256.h"
#include "sdmx/data_writer.h"
#include "sdmx/key_pattern.h"
#include "storage/codec.h"
#include "storage/keys.h"

namespace hub::connectors {
namespace {

namespace st = sdmxhub::state::v1;
using FieldMap = std::map<std::string, std::string>;

FieldMap AsMap(const sdmx::Fields& fields) {
  FieldMap m;
  for (const sdmx::Field& f : fields) m[f.id] = f.value;
  return m;
}

FieldMap AsMap(const google::protobuf::RepeatedPtrField<sdmxhub::events::v1::Field>& fields) {
  FieldMap m;
  for (const auto& f : fields) m[f.id()] = f.value();
  return m;
}

// Whether every field `given` names holds that value in `local`.
bool Covers(const FieldMap& local, const sdmx::Fields& given) {
  for (const sdmx::Field& f : given) {
    auto it = local.find(f.id);
    if (it == local.end() || it->second != f.value) return false;
  }
  return true;
}

// Whether `local` holds any of the fields `named` names.
bool HoldsAny(const FieldMap& local, const sdmx::Fields& named) {
  for (const sdmx::Field& f : named) {
    if (local.count(f.id)) return true;
  }
  return false;
}

bool SameDataflow(const sdmx::ArtefactRef& got, const sdmx::ArtefactRef& want) {
  return got.agency == want.agency && got.id == want.id &&
         (got.version.empty() || want.version.empty() || got.version == want.version);
}

// Compares one dataflow's pulled series with the local state at one watermark.
class Differ {
 public:
  Differ(const storage::VersionedState& state, std::string flow)
      : state_(state), flow_(std::move(flow)), at_(state.watermark()), it_(state.NewObsCursor()) {}

  // The part of `s` that an upsert (`merge`: given components only) changes; false when none.
  Result<bool> Upsert(const sdmx::Series& s, bool merge, sdmx::Series* out) {
    const std::string sk = s.KeyString();
    uint64_t series_seq = 0;
    HUB_ASSIGN_OR_RETURN(auto local_series, state_.LatestSeries(flow_, sk, at_, &series_seq));
    bool attributes_change = false;
    if (!s.attributes.empty()) {  // none given changes nothing (the materialiser keeps the old ones)
      const bool live = local_series && !local_series->deleted();
      const FieldMap local = live ? AsMap(local_series->attributes()) : FieldMap{};
      attributes_change = !live || (merge ? !Covers(local, s.attributes) : local != AsMap(s.attributes));
    }
    out->key = s.key;
    out->attributes = s.attributes;
    out->observations.clear();
    if (attributes_change) basis_.push_back(series_seq);
    for (const sdmx::Observation& o : s.observations) {
      uint64_t seq = 0;
      HUB_ASSIGN_OR_RETURN(auto local, LocalObs(sk, o.period, &seq));
      bool changed = !local || local->deleted();
      if (!changed && merge) {
        changed = (!o.value.empty() && o.value != local->value()) || !Covers(AsMap(local->attributes()), o.attributes);
      } else if (!changed) {
        changed = o.value != local->value() || AsMap(o.attributes) != AsMap(local->attributes());
      }
      if (!changed && !attributes_change) continue;
      if (changed) ++upserts_;
      basis_.push_back(seq);
      out->observations.push_back(o);
    }
    return !out->observations.empty() || attributes_change;
  }

  // The part of a deletion `s` that removes something live here; false when none.
  Result<bool> Delete(const sdmx::Series& s, sdmx::Series* out) {
    out->key = s.key;
    out->attributes.clear();
    out->observations.clear();
    if (s.observations.empty() && s.attributes.empty()) {
      // The whole series (or, with dimensions left out, every series it names).
      bool live = false;
      HUB_RETURN_IF_ERROR(state_.ScanSeries(flow_, sdmx::KeyPattern::FromKey(s.key), at_, [&](const sdmx::Series&) {
        live = true;
        return false;
      }));
      if (!live) return false;
      ++deletions_;
      basis_.push_back(at_.value);
      return true;
    }
    const std::string sk = s.KeyString();
    if (!s.attributes.empty()) {
      uint64_t seq = 0;
      HUB_ASSIGN_OR_RETURN(auto local, state_.LatestSeries(flow_, sk, at_, &seq));
      if (local && !local->deleted() && HoldsAny(AsMap(local->attributes()), s.attributes)) {
        out->attributes = s.attributes;
        ++deletions_;
        basis_.push_back(seq);
      }
    }
    for (const sdmx::Observation& o : s.observations) {
      uint64_t seq = 0;
      HUB_ASSIGN_OR_RETURN(auto local, LocalObs(sk, o.period, &seq));
      if (!local || local->deleted()) continue;
      // A value (or nothing at all) deletes the observation; attributes alone delete those attributes.
      const bool whole = !o.value.empty() || o.attributes.empty();
      if (!whole && !HoldsAny(AsMap(local->attributes()), o.attributes)) continue;
      ++deletions_;
      basis_.push_back(seq);
      out->observations.push_back(o);
    }
    return !out->attributes.empty() || !out->observations.empty();
  }

  int64_t upserts() const { return upserts_; }
  int64_t deletions() const { return deletions_; }
  const std::vector<uint64_t>& basis() const { return basis_; }

 private:
  Result<std::optional<sdmxhub::state::v1::ObsRevision>> LocalObs(const std::string& series_key,
                                                                   const std::string& period, uint64_t* seq) {
    return state_.LatestObs(it_.get(), storage::ObsKeyPrefix(flow_, series_key, period), at_, seq);
  }

  const storage::VersionedState& state_;
  const std::string flow_;
  const Watermark at_;
  std::unique_ptr<storage::RevisionCursor> it_;
  int64_t upserts_ = 0, deletions_ = 0;
  std::vector<uint64_t> basis_;  // commit of the local revision each kept change replaces (0: none)
};

std::string ContentSha256(const PulledChanges& c, const std::vector<uint64_t>& basis) {
  FramedSha256 h;
  h.Add(c.dataflow.ToString());
  for (const PulledDataSet& d : c.datasets) {
    h.Add(sdmx::ActionName(d.action));
    h.Add(std::to_string(d.series.size()));
    for (const sdmx::Series& s : d.series) storage::AddSeriesToDigest(s, &h);
  }
  h.Add(std::to_string(basis.size()));
  for (uint64_t seq : basis) h.Add(std::to_string(seq));
  return h.Hex();
}

}  // namespace

std::string PulledChanges::Message(const sdmx::DataStructure& dsd) const {
  sdmx::WriteContext wc;
  wc.dsd = &dsd;
  wc.dataflow = dataflow;
  wc.message_id = "PULL-" + content_sha256.substr(0, 16);
  if (!datasets.empty()) wc.action = datasets.front().action;
  std::string body;
  auto writer = sdmx::NewDataWriter(sdmx::DataFormat::kStructureSpecific21, wc,
                                    [&](std::string_view chunk) { body.append(chunk); });
  for (size_t i = 0; i < datasets.size(); ++i) {
    if (i) writer->NextDataSet({datasets[i].action, "", ""});
    for (const sdmx::Series& s : datasets[i].series) writer->WriteSeries(s);
  }
  writer->Finish();
  return body;
}

Result<PulledChanges> DiffPulled(std::string_view body, const std::string& name, const sdmx::StructureSet& structures,
                                 const sdmx::ArtefactRef& want, const storage::VersionedState& state,
                                 const sdmx::DataReaderOptions& reader_options) {
  const sdmx::Dataflow* flow = structures.FindDataflow(want);
  if (!flow) return Status::NotFound("this hub has no dataflow " + want.ToString());
  PulledChanges out;
  out.dataflow = flow->ref;
  sdmx::Diagnostics diags(5);
  auto reader = sdmx::DataReader::Open(body, name, structures, reader_options, &diags);
  if (!reader.ok()) return Status::InvalidArgument("unreadable answer: " + diags.ToString());
  Differ differ(state, flow->ref.ToString());
  for (auto& rd = *reader; rd->Valid(); rd->Next()) {
    const sdmx::DataSetInfo& ds = rd->dataset();
    // Whatever the remote sends is submitted as the dataflow asked for, so
    // it must be that one (the provision check is made on it).
    if (ds.dataflow ? !SameDataflow(*ds.dataflow, flow->ref) : !(rd->structure().ref == flow->structure)) {
      const std::string got = ds.dataflow ? ds.dataflow->ToString() : rd->structure().ref.ToString();
      return Status::InvalidArgument("the answer holds " + got + ", not " + flow->ref.ToString());
    }
    const sdmx::Series& s = rd->series();
    ++out.received_series;
    out.received_observations += static_cast<int64_t>(s.observations.size());
    if (ds.action == sdmx::Action::kInformation) continue;
    sdmx::Series kept;
    Result<bool> keep = ds.action == sdmx::Action::kDelete
                            ? differ.Delete(s, &kept)
                            : differ.Upsert(s, ds.action == sdmx::Action::kMerge, &kept);
    if (!keep.ok()) return keep.status();
    if (!*keep) continue;
    if (out.datasets.empty() || out.datasets.back().action != ds.action) out.datasets.push_back({ds.action, {}});
    out.datasets.back().series.push_back(std::move(kept));
  }
  if (!reader.value()->status().ok()) {
    return Status::InvalidArgument("unreadable answer: " + (diags.empty() ? reader.value()->status().ToString()
                                                                          : diags.ToString()));
  }
  out.upserts = differ.upserts();
  out.deletions = differ.deletions();
  out.content_sha256 = ContentSha256(out, differ.basis());
  return out;
}

}  // namespace hub::connectors
