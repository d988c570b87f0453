// Every key encoding of the hub's RocksDB databases, in one place.
//
// State column families (state.h):
//   obs         flow '\0' series_key '\0' period '\0' be64(~seq) -> ObsRevision
//   series      flow '\0' series_key '\0' be64(~seq)              -> SeriesRevision
//   commits     be64(seq)                                          -> CommitRecord
//   ledger      submission_id                                      -> LedgerRecord
//   structures  be64(seq)                                          -> StructureEvent
//   meta        "watermark" -> be64; "offset/" topic '\0' be32(p)  -> be64;
//               "applied/" submission_id -> be64(wall ms this hub applied it);
//               "connector/" name -> what the connector keeps (PullCursor);
//               "chain/" be64(seq) -> ChainLink (audit_chain.h)
//   changes     be64(seq)                                          -> ChangeRecord
//
// flow = "AGENCY:ID(VERSION)"; series_key = dimension values joined by '.'
// (SDMX ids cannot contain '.' or '\0'). Revisions are versioned by a key
// suffix holding the inverted commit sequence, so the newest revision sorts
// first and "latest as of watermark W" is one Seek to ~W. We chose the suffix
// over RocksDB user-defined timestamps: same semantics, and plain iterators,
// checkpoints and the digest see every revision without timestamp options.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace hub::storage {

void PutFixed32BE(std::string* out, uint32_t v);
void PutFixed64BE(std::string* out, uint64_t v);
uint32_t DecodeFixed32BE(const char* p);
uint64_t DecodeFixed64BE(const char* p);
void PutVarint64(std::string* out, uint64_t v);
bool GetVarint64(std::string_view* in, uint64_t* v);

std::string ObsKey(std::string_view flow, std::string_view series_key, std::string_view period, uint64_t seq);
// ObsKey without the sequence suffix: every revision of one observation.
std::string ObsKeyPrefix(std::string_view flow, std::string_view series_key, std::string_view period);
// Prefix of every observation revision of one series.
std::string ObsSeriesPrefix(std::string_view flow, std::string_view series_key);
// Prefix of every observation revision of one dataflow.
std::string FlowPrefix(std::string_view flow);

struct ObsKeyParts {
  std::string_view flow;
  std::string_view series_key;
  std::string_view period;
  uint64_t seq = 0;
};
bool ParseObsKey(std::string_view key, ObsKeyParts* out);
// The ObsSeriesPrefix that an ObsKeyPrefix or ObsKey starts with (empty
// when malformed).
std::string_view ObsSeriesOf(std::string_view obs_key);

std::string SeriesKey(std::string_view flow, std::string_view series_key, uint64_t seq);
std::string SeriesPrefix(std::string_view flow, std::string_view series_key);
// seq of a SeriesKey, or 0 when malformed.
uint64_t SeriesKeySeq(std::string_view key);

std::string SeqKey(uint64_t seq);
uint64_t ParseSeqKey(std::string_view key);

std::string OffsetKey(const std::string& topic, int32_t partition);
// When this hub wrote a submission's ledger record (wall clock). In meta, so
// outside the digest: a replay applies the same history at another time.
std::string AppliedTimeKey(std::string_view submission_id);
// A connector's bookkeeping (VersionedState::PutConnectorMeta). In meta, so
// outside the digest, like the applied times.
std::string ConnectorMetaKey(std::string_view name);
// A log record that belongs to no submission the materialiser can name
// (not an Envelope, or one without ids), skipped: the reason, under its
// position. In meta, outside the digest, like the applied times.
// Snapshot submissions note what they sent while they are applied at seq:
// SentPrefix(seq) + 'o' + ObsKeyPrefix for an observation, + 's' +
// ObsSeriesPrefix for a series (value "k" when kept as it was). In meta,
// removed when the submission commits (or another takes the seq).
std::string SentPrefix(uint64_t seq);
// A submission applied before its marker (Materialiser, apply_early_bytes)
// notes each series it wrote at seq: EarlyPrefix(seq) + ObsSeriesPrefix.
// In meta; dropping what it wrote when another submission must take seq
// first costs a walk of those series, not of the state. Removed when it
// commits (or another takes the seq).
std::string EarlyPrefix(uint64_t seq);
// A commit's change record, in parts: part 0 at SeqKey(seq), part n at
// SeqKey(seq) + fixed32 n. ParseSeqPrefix reads the seq of either.
std::string ChangeKey(uint64_t seq, uint32_t part);
uint64_t ParseSeqPrefix(std::string_view key);
std::string SkippedRecordKey(const std::string& topic, int32_t partition, int64_t offset);
inline constexpr char kSkippedRecordPrefix[] = "skipped/";
inline constexpr char kWatermarkKey[] = "watermark";
// The audit trail's link of commit `seq` (audit_chain.h). In meta, outside
// the digest: derived from the state, and rebuilt from it after a replay.
inline constexpr char kChainPrefix[] = "chain/";
std::string ChainKey(uint64_t seq);
// An embargoed submission held until its release (Materialiser): its
// marker under kHeldMarkerPrefix + submission id, its events (encoded
// Envelopes, in log order) under HeldEventPrefix(id) + fixed32 index. In
// meta, outside the digest (the ledger says "embargoed"); removed in the
// batch that commits it.
inline constexpr char kHeldMarkerPrefix[] = "held/m/";
std::string HeldMarkerKey(std::string_view submission_id);
std::string HeldEventPrefix(std::string_view submission_id);
std::string HeldEventEnd(std::string_view submission_id);  // past the last of them
// A submission applied in several batches: SeqKey(seq) + submission id,
// written with the first batch, removed with the last (see Materialiser).
inline constexpr char kInflightKey[] = "inflight";

}  // namespace hub::storage
