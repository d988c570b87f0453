#include "storage/audit_chain.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>
#include <spdlog/spdlog.h>

#include "hub/base/sha256.h"
#include "storage/codec.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace hub::storage {

namespace st = sdmxhub::state::v1;

// \, tab and newline escaped, so that a line splits back into exactly its fields.
std::string ChainField(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

namespace {

std::string Line(std::string_view what, std::string_view flow, std::string_view series, std::string_view period,
                 std::string_view value, std::string_view stored) {
  std::string l(what);
  for (std::string_view f : {flow, series, period, value}) {
    l += '\t';
    l += ChainField(f);
  }
  l += '\t';
  l += Sha256Hex(stored);
  l += '\n';
  return l;
}

// Every stored value under [SeqKey(seq), SeqKey(seq + 1)) of a family.
Status ScanSeq(const VersionedState& state, Family family, uint64_t seq,
               const std::function<void(const rocksdb::Slice&)>& fn) {
  const std::string from = SeqKey(seq);
  std::unique_ptr<rocksdb::Iterator> it(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(family)));
  for (it->Seek(from); it->Valid() && it->key().starts_with(from); it->Next()) fn(it->value());
  return FromRocks(it->status(), "audit chain: scan by commit");
}

Result<std::optional<st::ChainLink>> StoredLink(const VersionedState& state, uint64_t seq) {
  std::string v;
  rocksdb::Status s = state.db()->Get(rocksdb::ReadOptions(), state.cf(Family::kMeta), ChainKey(seq), &v);
  if (s.IsNotFound()) return std::optional<st::ChainLink>();
  HUB_RETURN_IF_ERROR(FromRocks(s, "audit chain: read link"));
  st::ChainLink link;
  if (!link.ParseFromString(v)) return Status::Corruption("audit chain: link of commit " + std::to_string(seq) + " does not parse");
  return std::optional<st::ChainLink>(std::move(link));
}

// The seq of each commit from `from` up to `at`, in order (from the key:
// the record itself may be what was tampered with).
Status ScanCommits(const VersionedState& state, uint64_t from, uint64_t at,
                   const std::function<Status(uint64_t seq)>& fn) {
  std::unique_ptr<rocksdb::Iterator> it(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(Family::kCommits)));
  for (it->Seek(SeqKey(from)); it->Valid(); it->Next()) {
    const uint64_t seq = ParseSeqKey(std::string_view(it->key().data(), it->key().size()));
    if (seq > at) break;
    HUB_RETURN_IF_ERROR(fn(seq));
  }
  return FromRocks(it->status(), "audit chain: scan commits");
}

// The link with the highest seq, if any.
Result<std::optional<st::ChainLink>> LastLink(const VersionedState& state) {
  std::unique_ptr<rocksdb::Iterator> it(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(Family::kMeta)));
  it->SeekForPrev(ChainKey(UINT64_MAX));
  HUB_RETURN_IF_ERROR(FromRocks(it->status(), "audit chain: find the last link"));
  if (!it->Valid() || !it->key().starts_with(kChainPrefix)) return std::optional<st::ChainLink>();
  st::ChainLink last;
  if (!last.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
    return Status::Corruption("audit chain: the last link does not parse");
  }
  return std::optional<st::ChainLink>(std::move(last));
}

}  // namespace

std::string LinkText(const st::ChainLink& l) {
  std::string t = "sdmx-hub chain v1\n";
  auto line = [&](const char* name, const std::string& v) { t += std::string(name) + " " + ChainField(v) + "\n"; };
  line("seq", std::to_string(l.seq()));
  line("prev", l.prev());
  line("submission", l.submission_id());
  line("provider", l.provider());
  line("kind", l.kind());
  line("dataflow", l.dataflow());
  line("accepted_ms", std::to_string(l.accepted_time_ms()));
  line("commit_sha256", l.commit_sha256());
  line("body_sha256", l.body_sha256());
  line("revisions_sha256", l.revisions_sha256());
  return t;
}

Status RevisionLines(const VersionedState& state, uint64_t seq, const std::function<void(std::string_view)>& fn) {
  bool structure = false;
  HUB_RETURN_IF_ERROR(ScanSeq(state, Family::kStructures, seq, [&](const rocksdb::Slice& v) {
    structure = true;
    fn(Line("structure", "", "", "", "", std::string_view(v.data(), v.size())));
  }));
  if (structure) return Status::Ok();
  // The series the commit changed, in key order, one part of its change
  // record at a time (a large commit's comes in parts): memory stays
  // bounded by one part, whatever the commit's size.
  const std::string prefix = SeqKey(seq);
  std::unique_ptr<rocksdb::Iterator> parts(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(Family::kChanges)));
  std::unique_ptr<rocksdb::Iterator> obs(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(Family::kObs)));
  st::ChangeRecord part;
  st::ObsRevision rev;
  for (parts->Seek(prefix); parts->Valid() && parts->key().starts_with(prefix); parts->Next()) {
    if (!part.ParseFromArray(parts->value().data(), static_cast<int>(parts->value().size()))) {
      return Status::Corruption("audit chain: the change record of commit " + std::to_string(seq) + " does not parse");
    }
    for (const auto& s : part.series()) {
      const std::string series_prefix = ObsSeriesPrefix(s.dataflow(), s.series_key());
      for (obs->Seek(series_prefix); obs->Valid() && obs->key().starts_with(series_prefix); obs->Next()) {
        ObsKeyParts key;
        if (!ParseObsKey(std::string_view(obs->key().data(), obs->key().size()), &key)) {
          return Status::Corruption("audit chain: malformed observation key in " + s.series_key());
        }
        if (key.seq != seq) continue;
        const std::string_view stored(obs->value().data(), obs->value().size());
        if (!rev.ParseFromArray(stored.data(), static_cast<int>(stored.size()))) {
          // Still a line: the hash of the stored bytes is what the chain holds.
          fn(Line("obs", s.dataflow(), s.series_key(), key.period, "unreadable", stored));
          continue;
        }
        fn(Line("obs", s.dataflow(), s.series_key(), key.period, rev.deleted() ? "deleted" : rev.value(), stored));
      }
      HUB_RETURN_IF_ERROR(FromRocks(obs->status(), "audit chain: scan observations"));
      std::string v;
      rocksdb::Status got = state.db()->Get(rocksdb::ReadOptions(), state.cf(Family::kSeries),
                                            SeriesKey(s.dataflow(), s.series_key(), seq), &v);
      if (got.ok()) {
        fn(Line("series", s.dataflow(), s.series_key(), "", "", v));
      } else if (!got.IsNotFound()) {
        return FromRocks(got, "audit chain: read series");
      }
    }
  }
  return FromRocks(parts->status(), "audit chain: scan the change record");
}

Result<st::ChainLink> ComputeLink(const VersionedState& state, uint64_t seq, const std::string& prev) {
  // The stored bytes once: hashed as they are, and parsed for the fields.
  std::string stored;
  rocksdb::Status got = state.db()->Get(rocksdb::ReadOptions(), state.cf(Family::kCommits), SeqKey(seq), &stored);
  if (got.IsNotFound()) return Status::NotFound("no commit " + std::to_string(seq));
  HUB_RETURN_IF_ERROR(FromRocks(got, "audit chain: read commit"));
  st::CommitRecord commit;
  if (!commit.ParseFromString(stored)) {
    return Status::Corruption("audit chain: the commit record of " + std::to_string(seq) + " does not parse");
  }
  st::ChainLink l;
  l.set_commit_sha256(Sha256Hex(stored));
  l.set_seq(seq);
  l.set_prev(prev);
  l.set_submission_id(commit.submission_id());
  l.set_provider(commit.provider());
  l.set_kind(commit.kind());
  if (commit.has_dataflow() && !commit.dataflow().id().empty()) l.set_dataflow(FromProto(commit.dataflow()).ToString());
  l.set_accepted_time_ms(commit.accepted_time_ms());
  HUB_ASSIGN_OR_RETURN(auto ledger, state.Ledger(commit.submission_id()));
  if (ledger) l.set_body_sha256(ledger->marker().body_sha256());
  Sha256 revisions;
  HUB_RETURN_IF_ERROR(RevisionLines(state, seq, [&](std::string_view line) { revisions.Update(line); }));
  l.set_revisions_sha256(revisions.Hex());
  l.set_hash(Sha256Hex(LinkText(l)));
  return l;
}

Status ScanChain(const VersionedState& state, uint64_t at, const std::function<bool(const st::ChainLink&)>& fn) {
  const std::string prefix = kChainPrefix;
  std::unique_ptr<rocksdb::Iterator> it(state.db()->NewIterator(rocksdb::ReadOptions(), state.cf(Family::kMeta)));
  st::ChainLink link;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    if (!link.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return Status::Corruption("audit chain: a link does not parse");
    }
    if (link.seq() > at || !fn(link)) break;
  }
  return FromRocks(it->status(), "audit chain: scan links");
}

Result<uint64_t> ExtendChain(VersionedState* state, const std::atomic<bool>* stop) {
  // The last link, if any: the chain goes on from there.
  HUB_ASSIGN_OR_RETURN(std::optional<st::ChainLink> last, LastLink(*state));
  uint64_t head_seq = last ? last->seq() : 0;
  std::string head = last ? last->hash() : kChainGenesis;
  uint64_t written = 0;
  HUB_RETURN_IF_ERROR(ScanCommits(*state, head_seq + 1, state->watermark().value, [&](uint64_t seq) -> Status {
    if (stop && stop->load()) return Status::Ok();
    HUB_ASSIGN_OR_RETURN(st::ChainLink link, ComputeLink(*state, seq, head));
    HUB_RETURN_IF_ERROR(FromRocks(state->db()->Put(rocksdb::WriteOptions(), state->cf(Family::kMeta), ChainKey(seq),
                                                   link.SerializeAsString()),
                                  "audit chain: write link"));
    head = link.hash();
    ++written;
    return Status::Ok();
  }));
  return written;
}

Result<ChainVerdict> VerifyChain(const VersionedState& state) {
  ChainVerdict v;
  v.head = kChainGenesis;
  // Commits after the last link are not linked yet (ExtendChain follows
  // the commits); a commit before it without a link lost it.
  HUB_ASSIGN_OR_RETURN(std::optional<st::ChainLink> last, LastLink(state));
  const uint64_t last_linked = last ? last->seq() : 0;
  Status s = ScanCommits(state, 0, state.watermark().value, [&](uint64_t seq) -> Status {
    if (v.broken) return Status::Ok();
    if (seq > last_linked) {
      ++v.unlinked;
      return Status::Ok();
    }
    auto fail = [&](const std::string& why) {
      v.broken = seq;
      v.reason = why;
      return Status::Ok();
    };
    Result<std::optional<st::ChainLink>> stored = StoredLink(state, seq);
    if (!stored.ok()) return fail(stored.status().ToString());
    if (!*stored) return fail("the commit has no link, though later commits have one");
    if ((*stored)->hash() != Sha256Hex(LinkText(**stored))) return fail("the stored link's hash is not the hash of its text");
    if ((*stored)->prev() != v.head) return fail("the link's prev is not the hash of the link before (" + v.head + ")");
    // What the state holds now; a record that no longer reads is a break too.
    Result<st::ChainLink> now = ComputeLink(state, seq, v.head);
    if (!now.ok()) return fail(now.status().ToString());
    if (now->revisions_sha256() != (*stored)->revisions_sha256()) {
      return fail("the revisions stored for this commit are not those it was linked with");
    }
    if (now->body_sha256() != (*stored)->body_sha256()) return fail("the ledger's body hash differs from the linked one");
    if (now->commit_sha256() != (*stored)->commit_sha256()) return fail("the commit record differs from the linked one");
    if (now->hash() != (*stored)->hash()) return fail("the commit record differs from the linked one");
    ++v.links;
    v.head = (*stored)->hash();
    v.head_seq = seq;
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return v;
}

ChainFollower::ChainFollower(VersionedState* state) : state_(state), thread_([this] { Loop(); }) {}

ChainFollower::~ChainFollower() {
  {
    std::lock_guard l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ChainFollower::Notify() {
  {
    std::lock_guard l(mu_);
    dirty_ = true;
  }
  cv_.notify_all();
}

bool ChainFollower::WaitLinked(uint64_t seq, std::chrono::milliseconds timeout) {
  std::unique_lock l(mu_);
  return cv_.wait_for(l, timeout, [&] { return linked_ >= seq; });
}

void ChainFollower::Loop() {
  std::unique_lock l(mu_);
  while (true) {
    cv_.wait(l, [&] { return stop_ || dirty_; });
    if (stop_) return;
    dirty_ = false;
    const uint64_t target = state_->watermark().value;
    l.unlock();
    Result<uint64_t> written = ExtendChain(state_, &stop_);
    if (!written.ok()) spdlog::error("audit chain: linking commits up to {}: {}", target, written.status().ToString());
    l.lock();
    if (written.ok() && !stop_) linked_ = std::max(linked_, target);
    cv_.notify_all();
  }
}

}  // namespace hub::storage
