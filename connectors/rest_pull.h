// RestPull: the REST pull connector. On a schedule, it asks a provider's
// SDMX REST 1.x endpoint for the data of some dataflows, as SDMX-ML 2.1
// structure-specific data:
//
//   GET <url>/data/<AGENCY>,<ID>,<VERSION>/all[?updatedAfter=<time>]
//
// and submits what changes this hub through Ingestor::Submit as the
// source's provider: the path HTTP push takes, so validation and provision
// agreements apply alike. The first pull of a dataflow is full; later ones
// ask only for what changed since the last successful one, less an overlap
// (pull_cursor.h says why). Re-pulled, unchanged data is dropped before
// submitting (pull_changes.h), so the overlap adds no revisions and a pull
// that changes nothing commits nothing.
//
// Each (source, dataflow) pull is all or nothing. The submission id is
// "pull-<source>-<hash of the changes and the local revisions they
// replace>": a pull repeated after a crash submits the same id, a no-op.
// The cursor moves only once the submission is committed here. Any failure
// (remote down, HTTP error, an answer too large or unreadable, a refusal or
// rejection here, no commit in time) is logged, counted and recorded in
// statuses(); the cursor stays, and the next interval tries again. An answer
// of 404 or 204 (SDMX REST: no results) is a successful pull of nothing.
//
// One thread pulls every source when due; Start() launches it (each source
// is pulled at once, then every `interval`), Stop() (or the destructor)
// joins it after the pull in hand. PullOnce() pulls everything now on the
// caller's thread (tests, operators), one pull at a time with the thread's.
// Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connectors/http_get.h"
#include "connectors/ingest.h"
#include "connectors/providers.h"
#include "hub/base/status.h"
#include "hub/base/stop_signal.h"
#include "sdmx/data_reader.h"
#include "sdmx/model.h"
#include "storage/state.h"
#include "storage/structure_registry.h"

namespace hub::connectors {

// One remote agency and what to pull from it.
struct PullSource {
  // Names the source in logs, statuses, cursors and submission ids: 1-64 of
  // A-Z a-z 0-9 . _ -, unique. Required.
  std::string name;
  // The provider this hub submits as (its provision agreements apply); not
  // the admin. Required.
  std::string provider;
  // Base of the remote's SDMX REST 1.x API, e.g. "http://host:8080/sdmx/v1"
  // (a trailing '/' is ignored). Required.
  std::string url;
  // The dataflows to pull, each with agency, id and version. At least one.
  std::vector<sdmx::ArtefactRef> dataflows;
  // Between the start of one pull of the source and the next. Default 10 min.
  std::chrono::milliseconds interval{600'000};
  // Safety margin subtracted from the cursor: more than the remote's
  // accept-to-visible delay plus how far this hub's clock may run ahead of
  // the remote's (pull_cursor.h). Default 10 min.
  std::chrono::milliseconds overlap{600'000};
  // Longest wait for one answer. Default 5 min.
  std::chrono::milliseconds timeout{300'000};
  // Larger answers fail the pull, refused by the HTTP client as soon as
  // their size is known. Default 256 MiB, like [http] max_body_bytes.
  int64_t max_response_bytes = int64_t{256} << 20;
};

struct RestPullOptions {
  std::vector<PullSource> sources;  // [[pull]] entries; none = the connector is off
  // The HTTP client (the Hub passes hub::http::Fetch). Required by Start().
  HttpGet get;
  // How long a pull waits for its submission to commit here before it
  // counts as failed (and is retried, a no-op if it commits meanwhile).
  // Default 5 min.
  std::chrono::milliseconds commit_timeout{300'000};
  // Limits for reading answers (the Hub passes [ingest]'s).
  sdmx::DataReaderOptions reader;
  // This hub's clock (ms since the epoch) for cursors; default the system clock.
  std::function<int64_t()> now_ms;

  // InvalidArgument naming the first bad field ("pull.<name>.<field>").
  // Providers are checked by Start(), against the directory.
  Status Validate() const;
};

// What the last pulls of one (source, dataflow) did. Times are ms since the
// epoch by this hub's clock; 0 = never.
struct PullStatus {
  std::string source;
  std::string dataflow;  // AGENCY:ID(VERSION)
  std::string url;       // of the last request, updatedAfter included
  int64_t last_attempt_ms = 0;
  int64_t last_success_ms = 0;
  int64_t last_error_ms = 0;
  std::string last_error;  // of the last failure; empty once a pull succeeds
  uint64_t successes = 0;
  uint64_t failures = 0;
  std::optional<int64_t> cursor_ms;  // as stored (nullopt: the next pull is full)
  // Of the last successful pull: what it found ("no results (HTTP 404)",
  // "... none changes anything here", ...), observations in the answer, and
  // what of it changed this hub (upserts, deletions) under which submission
  // (empty: nothing to submit).
  std::string last_result;
  int64_t received_observations = 0;
  int64_t submitted_observations = 0;
  int64_t submitted_deletions = 0;
  std::string last_submission_id;
};

class RestPull {
 public:
  // `ingestor`, `providers`, `state` and `registry` must outlive this object.
  RestPull(Ingestor* ingestor, const ProviderDirectory* providers, storage::VersionedState* state,
           const storage::StructureRegistry* registry, RestPullOptions options);
  ~RestPull();
  RestPull(const RestPull&) = delete;
  RestPull& operator=(const RestPull&) = delete;

  // Validates the options and the sources' providers, then starts pulling.
  Status Start();
  void Stop();

  // Pulls every dataflow of every source now. The first failure (after
  // trying them all); each is also in statuses().
  Status PullOnce();

  std::vector<PullStatus> statuses() const;
  // Rounds of the pull thread completed so far (tests wait on it).
  uint64_t rounds() const { return rounds_.load(std::memory_order_acquire); }
  const RestPullOptions& options() const { return options_; }

 private:
  struct Flow {
    size_t source = 0;
    sdmx::ArtefactRef dataflow;
    std::string request;  // the URL without updatedAfter
  };
  struct Outcome;

  void Loop();
  Status PullSourceNow(size_t source);
  Status PullFlow(const Flow& flow, PullStatus* status);
  // One request, and the submission of what it changes here (committed).
  Result<Outcome> FetchAndSubmit(const Flow& flow, const Provider& provider, const std::string& url);
  // Waits until `id` is in the ledger (committed, or rejected: an error).
  Status WaitCommitted(const std::string& id);

  Ingestor* ingestor_;
  const ProviderDirectory* providers_;
  storage::VersionedState* state_;
  const storage::StructureRegistry* registry_;
  RestPullOptions options_;
  std::vector<Flow> flows_;

  std::mutex pull_mu_;  // one pull at a time
  mutable std::mutex status_mu_;
  std::vector<PullStatus> status_;  // parallel to flows_; guarded by status_mu_
  std::atomic<uint64_t> rounds_{0};
  StopSignal stop_;
  std::thread thread_;
};

}  // namespace hub::connectors
