#include "storage/state.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <algorithm>

#include "hub/base/iso_time.h"
#include "hub/base/sha256.h"
#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace hub::storage {
namespace {

namespace st = sdmxhub::state::v1;

const std::vector<std::string>& FamilyNames() {
  static const std::vector<std::string> k = {"obs", "series", "commits", "ledger", "structures", "meta", "changes"};
  return k;
}

template <typename Msg>
Status ParseValue(const rocksdb::Slice& v, Msg* out, const char* what) {
  if (!out->ParseFromArray(v.data(), static_cast<int>(v.size()))) {
    return Status::Corruption(std::string("undecodable ") + what + " record");
  }
  return Status::Ok();
}

// Attributes by id: their order is how a message happened to list them.
void AddSortedFields(const sdmx::Fields& fields, FramedSha256* h) {
  std::vector<const sdmx::Field*> sorted;
  for (const sdmx::Field& f : fields) sorted.push_back(&f);
  std::sort(sorted.begin(), sorted.end(), [](const sdmx::Field* a, const sdmx::Field* b) { return a->id < b->id; });
  h->Add(std::to_string(sorted.size()));
  for (const sdmx::Field* f : sorted) {
    h->Add(f->id);
    h->Add(f->value);
  }
}

}  // namespace

void AddSeriesToDigest(const sdmx::Series& series, FramedSha256* h) {
  h->Add(series.KeyString());
  AddSortedFields(series.attributes, h);
  h->Add(std::to_string(series.observations.size()));
  for (const sdmx::Observation& o : series.observations) {
    h->Add(o.period);
    h->Add(o.value);
    AddSortedFields(o.attributes, h);
  }
}

Result<std::unique_ptr<VersionedState>> VersionedState::Open(const StateOptions& options) {
  if (options.path.empty()) return Status::InvalidArgument("StateOptions.path is empty");
  std::unique_ptr<VersionedState> s(new VersionedState());
  HUB_RETURN_IF_ERROR(s->Init(options));
  return s;
}

VersionedState::VersionedState() = default;

Status VersionedState::Init(const StateOptions& options) {
  options_ = options;
  rocksdb::DBOptions db_opts;
  db_opts.create_if_missing = true;
  db_opts.create_missing_column_families = true;
  rocksdb::ColumnFamilyOptions family;
  BoundMemory(options.memory, &db_opts, {&family});
  // A large submission flushes many small level-0 files whose keys overlap
  // (a feed is rarely in key order): compacting at RocksDB's default of 4
  // files rewrote the whole of level 1 each time, about 3 times every
  // observation of a 2M-observation feed (6 s of compaction, a third of the
  // hub's CPU in tests/bench/ingest_bench.sh); at 12, about once. Writes are
  // slowed and stopped correspondingly later.
  family.level0_file_num_compaction_trigger = 12;
  family.level0_slowdown_writes_trigger = 30;
  family.level0_stop_writes_trigger = 40;
  std::vector<rocksdb::ColumnFamilyDescriptor> descs;
  descs.emplace_back(rocksdb::kDefaultColumnFamilyName, family);
  for (const auto& n : FamilyNames()) descs.emplace_back(n, family);
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  rocksdb::Status opened =
      options.read_only ? rocksdb::DB::OpenForReadOnly(db_opts, options.path, descs, &handles, &db)
                        : rocksdb::DB::Open(db_opts, options.path, descs, &handles, &db);
  HUB_RETURN_IF_ERROR(FromRocks(opened, "open state " + options.path));
  db_.reset(db);
  // handles[0] is the default family, unused but owned.
  cfs_.assign(handles.begin() + 1, handles.end());
  default_cf_ = handles[0];
  std::string v;
  rocksdb::Status rs = db_->Get(rocksdb::ReadOptions(), cf(Family::kMeta), kWatermarkKey, &v);
  if (rs.ok() && v.size() == 8) {
    watermark_ = DecodeFixed64BE(v.data());
  } else if (!rs.IsNotFound()) {
    return FromRocks(rs, "read watermark");
  }
  return Status::Ok();
}

VersionedState::~VersionedState() {
  if (!db_) return;
  for (auto* h : cfs_) (void)db_->DestroyColumnFamilyHandle(h);
  (void)db_->DestroyColumnFamilyHandle(default_cf_);
}

Status VersionedState::Write(rocksdb::WriteBatch* batch) {
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes;
  return FromRocks(db_->Write(wo, batch), "state write");
}

Status VersionedState::ScanSeries(const std::string& flow, const sdmx::KeyPattern& pattern, Watermark at,
                                  const std::function<bool(sdmx::Series&)>& fn, const CommitFilter& from) const {
  // Everything is a change since watermark 0; deletions are simply not shown.
  return ScanChanges(flow, pattern, Watermark{0}, at, [&](sdmx::Series& live, sdmx::Series&) {
    return live.observations.empty() || fn(live);
  }, from);
}

Status VersionedState::ScanChanges(
    const std::string& flow, const sdmx::KeyPattern& pattern, Watermark after, Watermark at,
    const std::function<bool(sdmx::Series& changed, sdmx::Series& deleted)>& fn,
    const CommitFilter& from) const {
  const std::string prefix = FlowPrefix(flow);
  // Seek straight to the series the pattern's leading fixed codes name.
  bool complete = false;
  std::string scan = prefix + pattern.LiteralPrefix(&complete);
  if (complete) scan += '\0';  // exactly one series key: up to its separator
  // Every series is new after watermark 0 (ScanSeries): nothing to restate.
  std::set<std::string> restated;
  if (after.value > 0) {
    HUB_ASSIGN_OR_RETURN(restated, AttributeChanges(flow, after, at, from));
  }
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kObs)));
  sdmx::Series changed, deleted;
  st::ObsRevision rev;  // reused: parsing into it keeps its buffers
  std::string current_key, last_period, skip;
  bool have_series = false, restate = false;
  auto emit = [&]() -> Result<bool> {
    if (!have_series || (changed.observations.empty() && deleted.observations.empty())) return true;
    HUB_ASSIGN_OR_RETURN(auto srev, LatestSeries(flow, current_key, at));
    if (srev && !srev->deleted()) changed.attributes = FromProto(srev->attributes());
    return fn(changed, deleted);
  };
  for (it->Seek(scan); it->Valid() && it->key().starts_with(scan);) {
    ObsKeyParts parts;
    std::string_view key(it->key().data(), it->key().size());
    if (!ParseObsKey(key, &parts)) return Status::Corruption("malformed observation key");
    if (!have_series || parts.series_key != current_key) {
      HUB_ASSIGN_OR_RETURN(bool more, emit());
      if (!more) return Status::Ok();
      have_series = false;
      if (!pattern.Matches(parts.series_key)) {
        // Skip-scan: seek to the next key that can match, not the next key.
        if (!pattern.SkipTarget(parts.series_key, &skip)) break;
        it->Seek(prefix + skip);
        continue;
      }
      changed.key = sdmx::SplitKey(parts.series_key);
      changed.attributes.clear();
      changed.observations.clear();
      deleted.key = changed.key;
      deleted.observations.clear();
      current_key = std::string(parts.series_key);
      last_period.clear();
      have_series = true;
      restate = restated.count(current_key) > 0;
    }
    // Revisions of one observation come newest first: the first <= at decides.
    if (parts.seq <= at.value && !(!last_period.empty() && parts.period == last_period)) {
      last_period = std::string(parts.period);
      const bool newer = parts.seq > after.value;
      if ((newer || restate) && (!from || from(parts.seq))) {
        HUB_RETURN_IF_ERROR(ParseValue(it->value(), &rev, "observation"));
        sdmx::Observation o;
        o.period = last_period;
        if (rev.deleted()) {
          if (newer) deleted.observations.push_back(std::move(o));
        } else {
          o.value = rev.value();
          o.attributes = FromProto(rev.attributes());
          changed.observations.push_back(std::move(o));
        }
      }
    }
    it->Next();
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan changes"));
  HUB_ASSIGN_OR_RETURN(bool ignored, emit());
  (void)ignored;
  return Status::Ok();
}

Result<std::set<std::string>> VersionedState::AttributeChanges(const std::string& flow, Watermark after,
                                                               Watermark at, const CommitFilter& from) const {
  std::set<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kChanges)));
  st::ChangeRecord c;
  for (it->Seek(SeqKey(after.value + 1)); it->Valid(); it->Next()) {
    const uint64_t seq = ParseSeqPrefix(std::string_view(it->key().data(), it->key().size()));
    if (seq > at.value) break;
    if (from && !from(seq)) continue;
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &c, "changes"));
    for (const auto& s : c.series()) {
      if (s.attributes() && s.dataflow() == flow) out.insert(s.series_key());
    }
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read changes"));
  return out;
}

Status VersionedState::ScanRevisions(
    const std::string& flow, const sdmx::KeyPattern& pattern, Watermark at,
    const std::function<bool(uint64_t seq, const std::vector<sdmx::Series>& revised,
                             const std::vector<sdmx::Series>& deleted)>& fn) const {
  // seq -> series key -> (revised, deleted): the history of the selection,
  // held whole to be replayed in commit order (bounded by the selection).
  std::map<uint64_t, std::map<std::string, std::pair<sdmx::Series, sdmx::Series>>> by_seq;
  const std::string prefix = FlowPrefix(flow);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kObs)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ObsKeyParts parts;
    std::string_view key(it->key().data(), it->key().size());
    if (!ParseObsKey(key, &parts)) return Status::Corruption("malformed observation key");
    if (!pattern.Matches(parts.series_key)) {
      std::string skip;
      if (!pattern.SkipTarget(parts.series_key, &skip)) break;
      it->Seek(prefix + skip);
      if (!it->Valid()) break;
      it->Prev();  // the loop's Next() lands back on the seek target
      continue;
    }
    if (parts.seq > at.value) continue;
    st::ObsRevision rev;
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &rev, "observation"));
    auto& [revised, deleted] = by_seq[parts.seq][std::string(parts.series_key)];
    sdmx::Series& s = rev.deleted() ? deleted : revised;
    if (s.key.empty()) s.key = sdmx::SplitKey(parts.series_key);
    sdmx::Observation o;
    o.period = std::string(parts.period);
    if (!rev.deleted()) {
      o.value = rev.value();
      o.attributes = FromProto(rev.attributes());
    }
    s.observations.push_back(std::move(o));
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "scan revisions"));
  for (auto& [seq, series] : by_seq) {
    std::vector<sdmx::Series> revised, deleted;
    for (auto& [k, pair] : series) {
      if (!pair.first.observations.empty()) {
        // Each dissemination with the series attributes it carried (UNIT_MEASURE...).
        HUB_ASSIGN_OR_RETURN(auto srev, LatestSeries(flow, k, Watermark{seq}));
        if (srev && !srev->deleted()) pair.first.attributes = FromProto(srev->attributes());
        revised.push_back(std::move(pair.first));
      }
      if (!pair.second.observations.empty()) deleted.push_back(std::move(pair.second));
    }
    if (!fn(seq, revised, deleted)) break;
  }
  return Status::Ok();
}

Result<std::vector<ObsHistoryEntry>> VersionedState::History(const std::string& flow,
                                                             const std::string& series_key) const {
  std::vector<ObsHistoryEntry> out;
  const std::string prefix = ObsSeriesPrefix(flow, series_key);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kObs)));
  std::map<uint64_t, st::CommitRecord> commits;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    ObsKeyParts parts;
    if (!ParseObsKey(std::string_view(it->key().data(), it->key().size()), &parts)) {
      return Status::Corruption("malformed observation key");
    }
    ObsHistoryEntry e;
    e.period = std::string(parts.period);
    e.seq = parts.seq;
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &e.revision, "observation"));
    if (!commits.count(e.seq)) {
      HUB_ASSIGN_OR_RETURN(auto c, Commit(e.seq));
      if (c) commits[e.seq] = *c;
    }
    e.commit = commits[e.seq];
    out.push_back(std::move(e));
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "history"));
  // Keys sort newest first within a period; auditors read oldest first.
  std::stable_sort(out.begin(), out.end(), [](const ObsHistoryEntry& a, const ObsHistoryEntry& b) {
    return a.period != b.period ? a.period < b.period : a.seq < b.seq;
  });
  return out;
}

Result<st::ChangeRecord> VersionedState::ChangesOf(uint64_t seq) const {
  // A large commit writes its record in parts (keys.h ChangeKey), one per
  // chunk it was applied in; a series met in several chunks is in several
  // parts, and is one series changed to a reader: summed here, in key order.
  std::map<std::pair<std::string, std::string>, st::ChangeRecord::SeriesChange> by_series;
  st::ChangeRecord part;
  const std::string prefix = SeqKey(seq);
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kChanges)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &part, "changes"));
    for (st::ChangeRecord::SeriesChange& s : *part.mutable_series()) {
      auto [at, fresh] = by_series.try_emplace({s.dataflow(), s.series_key()});
      st::ChangeRecord::SeriesChange& sum = at->second;
      if (fresh) {
        sum = std::move(s);
        continue;
      }
      sum.set_revised(sum.revised() + s.revised());
      sum.set_deleted(sum.deleted() + s.deleted());
      sum.set_attributes(sum.attributes() || s.attributes());
    }
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read changes"));
  st::ChangeRecord c;
  for (auto& [id, s] : by_series) *c.add_series() = std::move(s);
  return c;
}

Result<std::optional<st::CommitRecord>> VersionedState::Commit(uint64_t seq) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Family::kCommits), SeqKey(seq), &v);
  if (s.IsNotFound()) return std::optional<st::CommitRecord>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "read commit"));
  st::CommitRecord c;
  HUB_RETURN_IF_ERROR(ParseValue(v, &c, "commit"));
  return std::optional<st::CommitRecord>(std::move(c));
}

Result<Watermark> VersionedState::WatermarkAt(int64_t time_ms, Watermark limit) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kCommits)));
  Watermark w;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    st::CommitRecord c;
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &c, "commit"));
    if (c.seq() > limit.value || c.accepted_time_ms() > time_ms) break;
    w.value = c.seq();
  }
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read commits"));
  return w;
}

Result<std::optional<st::LedgerRecord>> VersionedState::Ledger(const std::string& submission_id) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Family::kLedger), submission_id, &v);
  if (s.IsNotFound()) return std::optional<st::LedgerRecord>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "read ledger"));
  st::LedgerRecord r;
  HUB_RETURN_IF_ERROR(ParseValue(v, &r, "ledger"));
  return std::optional<st::LedgerRecord>(std::move(r));
}

Status VersionedState::ScanLedger(const std::function<bool(const st::LedgerRecord&)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kLedger)));
  st::LedgerRecord r;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    HUB_RETURN_IF_ERROR(ParseValue(it->value(), &r, "ledger"));
    if (!fn(r)) break;
  }
  return FromRocks(it->status(), "scan ledger");
}

Result<std::optional<int64_t>> VersionedState::AppliedTime(const std::string& submission_id) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Family::kMeta), AppliedTimeKey(submission_id), &v);
  if (s.IsNotFound() || (s.ok() && v.size() != 8)) return std::optional<int64_t>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "read applied time"));
  return std::optional<int64_t>(static_cast<int64_t>(DecodeFixed64BE(v.data())));
}

void VersionedState::PutAppliedTime(const std::string& submission_id, rocksdb::WriteBatch* batch) const {
  const int64_t now = NowMs();
  std::string v;
  PutFixed64BE(&v, static_cast<uint64_t>(now));
  batch->Put(cf(Family::kMeta), AppliedTimeKey(submission_id), v);
}

Result<std::map<TopicPartition, int64_t>> VersionedState::Offsets(const LogTopics& topics) const {
  std::map<TopicPartition, int64_t> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kMeta)));
  for (const std::string& topic : topics.All()) {
    std::string prefix = "offset/" + topic;
    prefix += '\0';
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      if (it->key().size() != prefix.size() + 4 || it->value().size() != 8) {
        return Status::Corruption("malformed offset record");
      }
      int32_t p = static_cast<int32_t>(DecodeFixed32BE(it->key().data() + prefix.size()));
      out[{topic, p}] = static_cast<int64_t>(DecodeFixed64BE(it->value().data()));
    }
  }
  return out;
}

Result<std::vector<std::string>> VersionedState::StructureMessages() const {
  std::vector<std::string> out;
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kStructures)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) out.push_back(it->value().ToString());
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read structures"));
  return out;
}

RevisionCursor::RevisionCursor(rocksdb::DB* db, rocksdb::ColumnFamilyHandle* cf)
    : bound_slice_(std::make_unique<rocksdb::Slice>()) {
  rocksdb::ReadOptions ro;
  // The iterator reads the bound through this pointer at every seek.
  ro.iterate_upper_bound = bound_slice_.get();
  it_.reset(db->NewIterator(ro, cf));
}

RevisionCursor::~RevisionCursor() = default;

bool RevisionCursor::SeekWithin(const std::string& prefix, const std::string& target) {
  // Keys with `prefix` end before prefix[:-1] + '\x01' (the prefix ends in '\0').
  bound_ = prefix;
  if (!bound_.empty()) bound_.back() = static_cast<char>(bound_.back() + 1);
  *bound_slice_ = rocksdb::Slice(bound_);
  it_->Seek(target);
  return it_->Valid() && it_->key().starts_with(prefix);
}

Status RevisionCursor::Refresh() { return FromRocks(it_->Refresh(), "refresh cursor"); }

std::unique_ptr<RevisionCursor> VersionedState::NewObsCursor() const {
  return std::make_unique<RevisionCursor>(db_.get(), cf(Family::kObs));
}

std::unique_ptr<RevisionCursor> VersionedState::NewSeriesCursor() const {
  return std::make_unique<RevisionCursor>(db_.get(), cf(Family::kSeries));
}

Result<std::optional<st::ObsRevision>> VersionedState::LatestObs(const std::string& flow,
                                                                 const std::string& series_key,
                                                                 const std::string& period, Watermark at) const {
  return LatestObs(NewObsCursor().get(), ObsKeyPrefix(flow, series_key, period), at);
}

Result<std::optional<st::ObsRevision>> VersionedState::LatestObs(RevisionCursor* cursor, const std::string& prefix,
                                                                 Watermark at, uint64_t* seq) const {
  std::string target = prefix;
  PutFixed64BE(&target, ~at.value);
  const bool found = cursor->SeekWithin(prefix, target);
  rocksdb::Iterator* it = cursor->iterator();
  if (seq) *seq = 0;
  if (!found || it->key().size() != prefix.size() + 8) {
    HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read observation"));
    return std::optional<st::ObsRevision>();
  }
  if (seq) *seq = ~DecodeFixed64BE(it->key().data() + prefix.size());
  st::ObsRevision rev;
  HUB_RETURN_IF_ERROR(ParseValue(it->value(), &rev, "observation"));
  return std::optional<st::ObsRevision>(std::move(rev));
}

Result<bool> VersionedState::AnyObs(RevisionCursor* cursor, const std::string& series_prefix) const {
  if (cursor->SeekWithin(series_prefix, series_prefix)) return true;
  HUB_RETURN_IF_ERROR(FromRocks(cursor->iterator()->status(), "read observations"));
  return false;
}

Result<std::optional<st::SeriesRevision>> VersionedState::LatestSeries(const std::string& flow,
                                                                       const std::string& series_key,
                                                                       Watermark at, uint64_t* seq) const {
  RevisionCursor cursor(db_.get(), cf(Family::kSeries));
  return LatestSeries(&cursor, flow, series_key, at, seq);
}

Result<std::optional<st::SeriesRevision>> VersionedState::LatestSeries(RevisionCursor* cursor, const std::string& flow,
                                                                       const std::string& series_key, Watermark at,
                                                                       uint64_t* seq) const {
  const std::string prefix = SeriesPrefix(flow, series_key);
  const bool found = cursor->SeekWithin(prefix, SeriesKey(flow, series_key, at.value));
  rocksdb::Iterator* it = cursor->iterator();
  if (seq) *seq = 0;
  if (!found || it->key().size() != prefix.size() + 8) {
    HUB_RETURN_IF_ERROR(FromRocks(it->status(), "read series"));
    return std::optional<st::SeriesRevision>();
  }
  if (seq) *seq = SeriesKeySeq(std::string_view(it->key().data(), it->key().size()));
  st::SeriesRevision rev;
  HUB_RETURN_IF_ERROR(ParseValue(it->value(), &rev, "series"));
  return std::optional<st::SeriesRevision>(std::move(rev));
}

Result<std::string> VersionedState::Digest() const {
  FramedSha256 h;
  // The state at the published watermark: revisions of a submission still
  // being written in several batches (seq above it) are not part of it yet.
  const uint64_t w = watermark().value;
  for (Family f : {Family::kObs, Family::kSeries, Family::kCommits, Family::kLedger, Family::kStructures}) {
    h.Add(FamilyNames()[static_cast<int>(f)]);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(f)));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      if ((f == Family::kObs || f == Family::kSeries) && SeriesKeySeq(std::string_view(it->key().data(), it->key().size())) > w) {
        continue;
      }
      h.Add(std::string_view(it->key().data(), it->key().size()));
      h.Add(std::string_view(it->value().data(), it->value().size()));
    }
    HUB_RETURN_IF_ERROR(FromRocks(it->status(), "digest"));
  }
  return h.Hex();
}

Result<std::string> VersionedState::DataDigest(const std::string& flow) const {
  FramedSha256 h;
  h.Add(flow);
  HUB_RETURN_IF_ERROR(ScanSeries(flow, sdmx::KeyPattern(), watermark(), [&](const sdmx::Series& s) {
    AddSeriesToDigest(s, &h);
    return true;
  }));
  return h.Hex();
}

Status VersionedState::ScanMeta(const std::string& prefix, const char* what,
                                const std::function<bool(std::string_view key, std::string_view value)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), cf(Family::kMeta)));
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!fn(std::string_view(it->key().data(), it->key().size()), std::string_view(it->value().data(), it->value().size()))) {
      break;
    }
  }
  return FromRocks(it->status(), what);
}

Result<std::vector<ev::SubmissionMarker>> VersionedState::HeldEmbargoes() const {
  std::vector<ev::SubmissionMarker> out;
  Status bad;
  HUB_RETURN_IF_ERROR(ScanMeta(kHeldMarkerPrefix, "scan held embargoes", [&](std::string_view, std::string_view v) {
    bad = ParseValue(rocksdb::Slice(v.data(), v.size()), &out.emplace_back(), "held marker");
    return bad.ok();
  }));
  HUB_RETURN_IF_ERROR(bad);
  return out;
}

Result<std::optional<ev::SubmissionMarker>> VersionedState::HeldEmbargo(const std::string& submission_id) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Family::kMeta), HeldMarkerKey(submission_id), &v);
  if (s.IsNotFound()) return std::optional<ev::SubmissionMarker>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "read held marker"));
  ev::SubmissionMarker m;
  HUB_RETURN_IF_ERROR(ParseValue(v, &m, "held marker"));
  return std::optional<ev::SubmissionMarker>(std::move(m));
}

Status VersionedState::ScanHeldEvents(const std::string& submission_id,
                                      const std::function<bool(std::string_view)>& fn) const {
  return ScanMeta(HeldEventPrefix(submission_id), "scan held events",
                  [&](std::string_view, std::string_view value) { return fn(value); });
}

Result<std::optional<std::string>> VersionedState::ConnectorMeta(const std::string& name) const {
  std::string v;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf(Family::kMeta), ConnectorMetaKey(name), &v);
  if (s.IsNotFound()) return std::optional<std::string>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "read connector meta"));
  return std::optional<std::string>(std::move(v));
}

Status VersionedState::PutConnectorMeta(const std::string& name, const std::string& value) {
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes;
  return FromRocks(db_->Put(wo, cf(Family::kMeta), ConnectorMetaKey(name), value), "write connector meta");
}

Status VersionedState::DeleteConnectorMeta(const std::string& name) {
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync_writes;
  return FromRocks(db_->Delete(wo, cf(Family::kMeta), ConnectorMetaKey(name)), "delete connector meta");
}

Status VersionedState::ScanConnectorMeta(
    const std::string& prefix, const std::function<bool(const std::string& name, std::string_view value)>& fn) const {
  const size_t skip = ConnectorMetaKey("").size();
  return ScanMeta(ConnectorMetaKey(prefix), "scan connector meta", [&](std::string_view key, std::string_view value) {
    return fn(std::string(key.substr(skip)), value);
  });
}

}  // namespace hub::storage
