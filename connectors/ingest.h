// Ingestor: the one validated submission path that every connector (HTTP
// push, folder drop, REST pull) feeds.
//
// A data message is parsed and validated against its DSD in full before
// anything is appended: a bad message appends no data, only a REJECTED
// marker that records the diagnostics in the submissions ledger. A valid
// message becomes one DataEvent per series (record key = dataflow + series
// key), flushed, then a COMMITTED marker counting the events per partition
// (see Materialiser). Structure messages (admin only) travel the same way.
// Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "connectors/providers.h"
#include "hub/base/arriving_bytes.h"
#include "connectors/submission_progress.h"
#include "sdmx/data_reader.h"
#include "sdmx/diagnostic.h"
#include "storage/event_log.h"
#include "storage/events.pb.h"
#include "storage/state.h"
#include "storage/structure_registry.h"

namespace hub::connectors {

struct SubmissionReceipt;

struct IngestOptions {
  storage::LogTopics topics;
  sdmx::DataReaderOptions reader;
  size_t max_diagnostics = 200;                 // kept per submission; default 200
  std::chrono::milliseconds flush_timeout{30'000};  // log durability wait; default 30 s
  // Load-time clock (ms since the epoch); default the system clock. Tests fix
  // it so that two runs of the same submissions have equal digests.
  std::function<int64_t()> now_ms;
  // Called with every receipt Submit gives (metrics); must not block.
  std::function<void(const SubmissionReceipt&)> on_receipt;
};

struct Submission {
  std::string body;
  // When set, the body is still arriving (an HTTP upload) and `body` is
  // unused: Submit parses it as it comes and, whatever it finds, waits for
  // the last byte before it appends anything (the ledger records the hash
  // of the whole body). An upload that stops short appends nothing and
  // gives Unavailable: the sender retries with the same id.
  std::shared_ptr<const ArrivingBytes> arriving;
  std::string name;           // file name or "POST /api/v1/submissions", for diagnostics
  std::string submission_id;  // empty = the hub assigns one; else idempotency key
  // Applies to every dataset instead of the message's `action` (then
  // mapped by sdmx::AppliedAction like a declared one: Information and
  // Append apply as Merge). A submitter that means "replace what you hold"
  // for a feed labelled otherwise says so here.
  std::optional<sdmx::Action> action_override;
  // Default all-or-nothing: one invalid series rejects the submission. When
  // set, invalid series are left out (and listed with their diagnostics in
  // the ledger) and the valid ones are committed. Structural errors (bad
  // XML, unknown structure, wrong dataflow) still reject everything.
  bool skip_invalid_series = false;
  // The message is the provider's complete dataset of its dataflow: what the
  // provider reported before and this message leaves out is deleted when it
  // commits (national platforms republish everything; a dropped observation
  // is a withdrawn one). Default false: SDMX actions alone, nothing implied.
  bool snapshot = false;
  // Structures only (admin): register them even though stored data uses
  // codes they drop (connectors/codes_in_use.h says what that does); the
  // ledger lists those codes. Default false: such a submission is rejected.
  bool force = false;
};

enum class SubmissionOutcome {
  kAccepted,   // in the log with its marker; the materialiser will commit it
  kRejected,   // validation failed; recorded as rejected, nothing applied
  kDuplicate,  // this id was submitted before; nothing appended
};

struct SubmissionReceipt {
  std::string submission_id;
  SubmissionOutcome outcome = SubmissionOutcome::kAccepted;
  std::string kind;  // "data" | "structure"
  sdmx::ArtefactRef dataflow;
  int64_t series = 0;
  int64_t observations = 0;
  int64_t skipped_series = 0;  // see Submission::skip_invalid_series
  sdmx::Diagnostics diagnostics;
};

class Ingestor {
 public:
  // `state` is read to answer resubmissions of a known id.
  Ingestor(storage::EventLog* log, storage::StructureRegistry* registry, const storage::VersionedState* state,
           IngestOptions options);

  // Errors: PermissionDenied (provider may not report that dataflow, or a
  // non-admin sent structures; nothing appended), Unavailable (log down;
  // retry with the same submission id), InvalidArgument (bad id).
  // Validation problems are not errors: they give a kRejected receipt.
  Result<SubmissionReceipt> Submit(const Provider& provider, const Submission& submission);

  // Whether this process accepted `id` (the ledger knows the rest).
  bool Accepted(const std::string& id) const;
  // Submissions this process appended that the ledger does not hold yet,
  // and when the oldest was accepted (ms since the epoch; 0 when none):
  // how far the materialiser is behind ingest.
  struct InFlight {
    size_t count = 0;
    int64_t oldest_ms = 0;
  };
  InFlight Unapplied();

  // Submissions being received (HTTP writes here), validated or appended
  // (Submit writes here): GET /api/v1/submissions/{id} reads it.
  SubmissionProgress* progress() { return &progress_; }

 private:
  Result<SubmissionReceipt> SubmitOnce(const Provider& provider, const Submission& s);
  Result<SubmissionReceipt> SubmitData(const Provider& provider, const Submission& s, SubmissionReceipt r);
  Result<SubmissionReceipt> SubmitStructure(const Provider& provider, const Submission& s, SubmissionReceipt r);
  // Appends `events` (topic, key, value) then the marker; both flushed.
  Status AppendWithMarker(const std::vector<std::tuple<std::string, std::string, std::string>>& events,
                          sdmxhub::events::v1::SubmissionMarker* marker);
  Status AppendRejected(const Provider& provider, const Submission& s, const SubmissionReceipt& r);
  // The whole body; for one still arriving, once its last byte is in
  // (Unavailable when the upload stopped short).
  static Result<std::string_view> WholeBody(const Submission& s);

  storage::EventLog* log_;
  storage::StructureRegistry* registry_;
  const storage::VersionedState* state_;
  IngestOptions options_;
  mutable std::mutex mu_;
  std::map<std::string, int64_t> accepted_;  // id -> accepted time (ms), until in the ledger
  SubmissionProgress progress_;
};

// `id` when it is a valid submission id, else "(no id)" or "(invalid id)":
// what a log line may print of a client-supplied id.
std::string LoggableId(const std::string& id);

// A fresh random id ("sub-" + 16 hex digits).
std::string NewSubmissionId();

}  // namespace hub::connectors
