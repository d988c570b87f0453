// Ingestor: the one validated submission path that every connector (HTTP
// push, folder drop, REST pull) feeds.
//
// A data message is parsed and validated against its DSD in full before
// anything is appended: a bad message appends no data, only a REJECTED
// marker that records the diagnostics in the submissions ledger. A valid
// message becomes one DataEvent per series (record key = dataflow + series
// key), flushed, then a COMMITTED marker counting the events per partition
// (see Materialiser). Structure messages (admin only) travel the same way.
// A submission id belongs to the provider that first used it and names one
// body (see Submit). Thread-safe.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "connectors/providers.h"
#include "connectors/submission_events.h"
#include "connectors/submission_ids.h"
#include "connectors/submission_progress.h"
#include "hub/base/arriving_bytes.h"
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
  // What a rejected submission may cost in the ledger (whose records the
  // public GET /api/v1/submissions serves) and in its answer, whatever the
  // body held: diagnostics kept (default 200; more are only counted), bytes
  // quoted in each field of one (file, element, rule, message: a longer one,
  // e.g. a 40 MB value, keeps its head and tail; default 1 KiB, at least 64)
  // and bytes of diagnostics text in all (default 64 KiB).
  size_t max_diagnostics = 200;
  size_t max_quoted_bytes = 1024;
  size_t max_diagnostics_bytes = 64 * 1024;
  std::chrono::milliseconds flush_timeout{30'000};  // log durability wait; default 30 s
  // A submission's validated events wait for its verdict in memory up to
  // spool_memory_bytes (default 8 MiB), so a small bad message appends
  // nothing; past it they go on to the log as they are validated,
  // append_batch_bytes (default 8 MiB) between flushes, harmless until the
  // marker names them (SubmissionEvents): memory stays bounded whatever the
  // message's size, and the materialiser can apply them meanwhile.
  // spool_dir: where the duplicate check's runs go (default: the system's
  // temporary directory; the hub uses <data-dir>/spool).
  std::string spool_dir;
  size_t spool_memory_bytes = size_t{8} << 20;
  size_t append_batch_bytes = size_t{8} << 20;
  // Hashes kept in memory to find duplicate observations; past it, sorted
  // runs in spool_dir (sdmx::ValidatorOptions.duplicate_memory_bytes).
  size_t duplicate_check_bytes = size_t{16} << 20;
  // Load-time clock (ms since the epoch); default the system clock. Tests fix
  // it so that two runs of the same submissions have equal digests.
  std::function<int64_t()> now_ms;
  // Called with every receipt Submit gives (metrics); must not block.
  std::function<void(const SubmissionReceipt&)> on_receipt;

  // InvalidArgument naming the first bad field ("ingest.<name>").
  Status Validate() const;
};

struct Submission {
  std::string body;
  // When set, the body is still arriving (an HTTP upload) and `body` is
  // unused: Submit parses it as it comes and, whatever it finds, waits for
  // the last byte before it appends its marker (the ledger records the hash
  // of the whole body). An upload that stops short records nothing (events
  // it already appended, see spool_memory_bytes, are closed by an
  // AbandonedAttempt) and gives Unavailable: the sender retries with the
  // same id.
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
  // Data only: an embargo. The data stays out of every public read until
  // this time (ms since the epoch); the materialiser holds it and the
  // releaser (connectors/embargo_release.h) publishes it then, at one
  // watermark. 0, or a time already past when it is accepted: no embargo.
  int64_t release_time_ms = 0;
};

enum class SubmissionOutcome {
  kAccepted,   // in the log with its marker; the materialiser will commit it
  kRejected,   // validation failed; recorded as rejected, nothing applied
  kDuplicate,  // this provider sent this body under this id before; nothing appended
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
  // kDuplicate: what became of the first submission of this id (the
  // ledger's record; seq 0 while it is not applied yet).
  sdmxhub::state::v1::LedgerRecord earlier;
};

class Ingestor {
 public:
  // `state` is read to answer resubmissions of a known id, and for the
  // codes stored data uses (codes_in_use.h).
  Ingestor(storage::EventLog* log, storage::StructureRegistry* registry, const storage::VersionedState* state,
           IngestOptions options);

  // Submits one message as `provider`. The submission id (the caller's, or
  // a fresh one) belongs to the provider that first used it and names one
  // body:
  //   - a new id: parsed, validated, then appended (kAccepted) or recorded
  //     as rejected with its diagnostics (kRejected);
  //   - the same provider with the same body (SHA-256) again: kDuplicate,
  //     nothing appended, `earlier` says what became of the first (a retry
  //     gets the first's answer);
  //   - another provider: AlreadyExists, saying the id belongs to another
  //     provider and nothing else of theirs;
  //   - the same provider with another body: AlreadyExists naming both
  //     hashes;
  //   - while another Submit of the same id runs in this process:
  //     AlreadyExists, retryable. Only one of two racing submissions can
  //     reach the log. The second does not wait for the first: it may run on
  //     an HTTP io thread that the first's streamed upload needs.
  // For a streamed body (Submission::arriving) of a known id the hash, and
  // so the answer, waits for its last byte; another provider's is refused
  // at once (its bytes are still read by the HTTP layer, and dropped).
  // Other errors: PermissionDenied (provider may not report that dataflow,
  // or a non-admin sent structures; nothing appended), Unavailable (log
  // down, or the upload stopped short; retry with the same submission id),
  // InvalidArgument (bad id). Validation problems are not errors: they give
  // a kRejected receipt.
  Result<SubmissionReceipt> Submit(const Provider& provider, const Submission& submission);

  // What is known of submission `id`: the ledger's record, or the marker
  // this process appended that the ledger does not hold yet (seq 0).
  Result<std::optional<sdmxhub::state::v1::LedgerRecord>> Lookup(const std::string& id) const {
    return ids_.Lookup(id);
  }
  // Submissions this process appended (accepted or rejected) that the
  // ledger does not hold yet, and when the oldest was appended (ms since
  // the epoch; 0 when none): how far the materialiser is behind ingest.
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
  // A resubmission of a known id (see Submit).
  Result<SubmissionReceipt> Resubmit(const Provider& provider, const Submission& s, SubmissionReceipt r,
                                     sdmxhub::state::v1::LedgerRecord earlier);
  Result<SubmissionReceipt> SubmitData(const Provider& provider, const Submission& s, SubmissionReceipt r);
  Result<SubmissionReceipt> SubmitStructure(const Provider& provider, const Submission& s, SubmissionReceipt r);
  SubmissionEventsOptions EventsOptions() const;
  // The REJECTED marker; `attempt` names the attempt whose events went to
  // the log before the verdict (SubmissionEvents), if any.
  Status AppendRejected(const Provider& provider, const Submission& s, const SubmissionReceipt& r,
                        const std::string& attempt = "");
  // The whole body; for one still arriving, once its last byte is in
  // (Unavailable when the upload stopped short).
  static Result<std::string_view> WholeBody(const Submission& s);
  // The SHA-256 (hex) of the whole body, once its last byte is in.
  static Result<std::string> BodySha256(const Submission& s);

  storage::EventLog* log_;
  storage::StructureRegistry* registry_;
  const storage::VersionedState* state_;  // codes in use by stored data
  IngestOptions options_;
  SubmissionIds ids_;
  SubmissionProgress progress_;
};

// `id` when it is a valid submission id, else "(no id)" or "(invalid id)":
// what a log line may print of a client-supplied id.
std::string LoggableId(const std::string& id);

// A fresh random id ("sub-" + 16 hex digits).
std::string NewSubmissionId();

// Whether `id` starts with a prefix the hub's own connectors make ids with
// (folder drop "drop-", REST pull "pull-", config structures "config-"):
// those derive the id from the content, so a client that took one first
// would own the id a connector will use. HTTP refuses them from clients.
bool ReservedSubmissionId(const std::string& id);
inline constexpr const char* kReservedIdPrefixes = "drop-, pull- or config-";

}  // namespace hub::connectors
