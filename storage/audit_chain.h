// The tamper-evident trail: one link per commit, each a SHA-256 over the
// commit's provenance, its submission's body hash, a hash of the revisions
// it wrote, and the previous link's hash. Changing any stored revision,
// commit record or link breaks the chain from that commit on; `sdmx-hub
// verify` and GET /api/v1/audit/chain let an auditor check it, the latter
// with nothing but sha256sum (hub/README.md, "Audit trail").
//
// The algorithm, in full (what an auditor's script repeats):
//  - RevisionLines(seq): for each series the commit changed, in key order
//    (flow, then series key): one line per observation revision it wrote, in
//    period order, then one for the series' attributes if it wrote them:
//      obs\t{flow}\t{series}\t{period}\t{value, or "deleted"}\t{sha256 of the stored revision}\n
//      series\t{flow}\t{series}\t\t\t{sha256 of the stored series revision}\n
//    A structure commit has one line: structure\t\t\t\t\t{sha256 of the stored message}\n.
//    Fields escape '\\' '\t' '\n' as \\ \t \n. revisions_sha256 = SHA-256 of
//    the lines, concatenated.
//  - LinkText(link) = "sdmx-hub chain v1\n" then one "name value\n" line each
//    for seq, prev, submission, provider, kind, dataflow, accepted_ms,
//    commit_sha256 (of the stored commit record), body_sha256,
//    revisions_sha256; hash = SHA-256 of it (lowercase hex).
//    prev is the previous commit's hash, 64 zeros for the first.
// Links are derived from the state (so a replay rebuilds the same chain) and
// kept in the meta family (AuditChain::Extend, after each publish).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <functional>
#include <optional>
#include <string>

#include "hub/base/status.h"
#include "storage/state.h"
#include "storage/state.pb.h"

namespace hub::storage {

inline constexpr char kChainGenesis[] = "0000000000000000000000000000000000000000000000000000000000000000";

// A field as LinkText and the revision lines write it: \\ \t \n escaped.
std::string ChainField(std::string_view s);

// The text a link's hash is the SHA-256 of.
std::string LinkText(const sdmxhub::state::v1::ChainLink& link);

// Each revision line of commit `seq`, in order (see above); `seq` must be
// a commit (none for a number that is not one).
Status RevisionLines(const VersionedState& state, uint64_t seq, const std::function<void(std::string_view)>& fn);

// The link of commit `seq` after `prev`, computed from the state.
Result<sdmxhub::state::v1::ChainLink> ComputeLink(const VersionedState& state, uint64_t seq, const std::string& prev);

// Stored links, in commit order, up to `at`; fn returns false to stop.
Status ScanChain(const VersionedState& state, uint64_t at,
                 const std::function<bool(const sdmxhub::state::v1::ChainLink&)>& fn);

// Links every commit up to the published watermark that has none yet;
// returns the number of links written. Stops early, between two commits,
// once `stop` (when given) is true: a hub shutting down does not wait for a
// long backlog (the first start on a data dir from before the trail).
Result<uint64_t> ExtendChain(VersionedState* state, const std::atomic<bool>* stop = nullptr);

// What VerifyChain found: every link recomputed from the state and compared
// with the stored one, and each stored link's prev with the hash before it.
struct ChainVerdict {
  uint64_t links = 0;             // links checked
  std::string head;               // hash of the last good link
  uint64_t head_seq = 0;
  std::optional<uint64_t> broken;  // the first commit whose link does not hold
  std::string reason;             // why, when broken
  uint64_t unlinked = 0;          // commits after the last link (not linked yet)
};
Result<ChainVerdict> VerifyChain(const VersionedState& state);

// Keeps the chain up with the commits: ExtendChain on its own thread after
// each publish (Notify, which never blocks the materialiser) and on start,
// so that linking a large commit (its revisions read back) never delays the
// next one. A failure is logged and tried again at the next notify.
class ChainFollower {
 public:
  explicit ChainFollower(VersionedState* state);
  ~ChainFollower();  // stops the thread
  ChainFollower(const ChainFollower&) = delete;
  ChainFollower& operator=(const ChainFollower&) = delete;
  void Notify();
  // Blocks until every commit up to `seq` is linked (tests, shutdown).
  bool WaitLinked(uint64_t seq, std::chrono::milliseconds timeout);

 private:
  void Loop();
  VersionedState* state_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool dirty_ = true;
  std::atomic<bool> stop_{false};
  uint64_t linked_ = 0;  // the watermark ExtendChain last reached
  std::thread thread_;
};

}  // namespace hub::storage
