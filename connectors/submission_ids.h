// SubmissionIds: who owns which submission id, for Ingestor.
//
// A submission id belongs to the provider that first used it and names one
// body (its SHA-256). Two things make that hold inside one process:
//   - a claim: Submit takes the id before it parses anything and keeps it
//     until its receipt is out, so two submissions of one id never both
//     reach the log (the second is told the id is busy);
//   - the markers this process appended, kept until the ledger holds them,
//     so that a resubmission right after a verdict is judged by that
//     verdict even while the materialiser has not recorded it yet.
// Across processes (several hubs ingesting into one Kafka log) the
// materialiser applies the first marker of an id and ignores later ones;
// `sdmx-hub submit --wait` checks the ledger's provider and body hash, so
// a loser there is not reported as applied.
// Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "hub/base/status.h"
#include "storage/events.pb.h"
#include "storage/state.h"
#include "storage/state.pb.h"

namespace hub::connectors {

class SubmissionIds {
 public:
  // `state` (the ledger) must outlive this object.
  explicit SubmissionIds(const storage::VersionedState* state) : state_(state) {}

  // Holds an id while one Submit works on it; released when destroyed.
  class Claim {
   public:
    Claim(SubmissionIds* ids, std::string id) : ids_(ids), id_(std::move(id)) {}
    Claim(Claim&& other) noexcept : ids_(other.ids_), id_(std::move(other.id_)) { other.ids_ = nullptr; }
    Claim(const Claim&) = delete;
    Claim& operator=(const Claim&) = delete;
    Claim& operator=(Claim&&) = delete;
    ~Claim();

   private:
    SubmissionIds* ids_;
    std::string id_;
  };

  // The claim on `id`, or nullopt while another holds it.
  std::optional<Claim> TryClaim(const std::string& id);

  // Records a marker this process appended (committed or rejected), until
  // the ledger has it.
  void Appended(const sdmxhub::events::v1::SubmissionMarker& marker, int64_t now_ms);

  // What is known of `id`: the ledger's record, else the marker this
  // process appended (as a record with seq 0: not applied yet), else nullopt.
  Result<std::optional<sdmxhub::state::v1::LedgerRecord>> Lookup(const std::string& id) const;

  // Markers appended here that the ledger does not hold yet, and when the
  // oldest was appended (ms since the epoch; 0 when none). Forgets those
  // the ledger has.
  struct Unrecorded {
    size_t count = 0;
    int64_t oldest_ms = 0;
  };
  Unrecorded Sweep();

 private:
  struct Entry {
    sdmxhub::events::v1::SubmissionMarker marker;
    int64_t at_ms = 0;
  };
  Unrecorded SweepLocked();

  const storage::VersionedState* state_;
  mutable std::mutex mu_;
  std::set<std::string> claimed_;
  std::map<std::string, Entry> appended_;  // id -> marker, until the ledger has it
};

// Whether `provider` may resubmit under the id of `earlier`: OK, or
// AlreadyExists saying the id belongs to another provider (and nothing of
// theirs: not who, not their body's hash).
Status CheckOwner(const sdmxhub::state::v1::LedgerRecord& earlier, const std::string& provider);

// Whether a body hashing to `body_sha256` is the one `earlier` recorded: OK,
// or AlreadyExists naming both hashes. A record without a hash (written
// before the ledger kept one) matches any body.
Status CheckSameBody(const sdmxhub::state::v1::LedgerRecord& earlier, const std::string& body_sha256);

}  // namespace hub::connectors
