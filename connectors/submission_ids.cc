#include "connectors/submission_ids.h"

namespace hub::connectors {
namespace {

namespace ev = sdmxhub::events::v1;

// Markers stay in memory only until the ledger has them: sweep now and then
// so that a long-running hub does not grow the map when nobody reads
// Unrecorded (GET /healthz and /metrics do).
constexpr size_t kSweepEvery = 1024;

}  // namespace

SubmissionIds::Claim::~Claim() {
  if (!ids_) return;
  std::lock_guard lock(ids_->mu_);
  ids_->claimed_.erase(id_);
}

std::optional<SubmissionIds::Claim> SubmissionIds::TryClaim(const std::string& id) {
  std::lock_guard lock(mu_);
  if (!claimed_.insert(id).second) return std::nullopt;
  return Claim(this, id);
}

void SubmissionIds::Appended(const ev::SubmissionMarker& marker, int64_t now_ms) {
  std::lock_guard lock(mu_);
  appended_[marker.submission_id()] = {marker, now_ms};
  if (appended_.size() % kSweepEvery == 0) SweepLocked();
}

Result<std::optional<sdmxhub::state::v1::LedgerRecord>> SubmissionIds::Lookup(const std::string& id) const {
  std::optional<ev::SubmissionMarker> mine;
  {
    std::lock_guard lock(mu_);
    if (auto it = appended_.find(id); it != appended_.end()) mine = it->second.marker;
  }
  // The ledger after the map: an entry leaves the map only once the ledger
  // has it, so an id is never missed between the two. The ledger wins: it
  // is what was applied (another process's marker may have come first).
  HUB_ASSIGN_OR_RETURN(auto rec, state_->Ledger(id));
  if (rec || !mine) return rec;
  sdmxhub::state::v1::LedgerRecord r;
  *r.mutable_marker() = std::move(*mine);
  return std::optional(std::move(r));
}

SubmissionIds::Unrecorded SubmissionIds::Sweep() {
  std::lock_guard lock(mu_);
  return SweepLocked();
}

SubmissionIds::Unrecorded SubmissionIds::SweepLocked() {
  Unrecorded out;
  for (auto it = appended_.begin(); it != appended_.end();) {
    auto rec = state_->Ledger(it->first);
    if (rec.ok() && *rec) {
      it = appended_.erase(it);
      continue;
    }
    ++out.count;
    if (!out.oldest_ms || it->second.at_ms < out.oldest_ms) out.oldest_ms = it->second.at_ms;
    ++it;
  }
  return out;
}

Status CheckOwner(const sdmxhub::state::v1::LedgerRecord& earlier, const std::string& provider) {
  if (earlier.marker().provider() == provider) return Status::Ok();
  return Status::AlreadyExists("submission id " + earlier.marker().submission_id() +
                               " belongs to another provider: choose another id");
}

Status CheckSameBody(const sdmxhub::state::v1::LedgerRecord& earlier, const std::string& body_sha256) {
  const std::string& first = earlier.marker().body_sha256();
  if (first.empty() || first == body_sha256) return Status::Ok();
  return Status::AlreadyExists("submission id " + earlier.marker().submission_id() +
                               " was used for a different body (SHA-256 " + first + "); this body's SHA-256 is " +
                               body_sha256 + ": send it under a new id");
}

}  // namespace hub::connectors
