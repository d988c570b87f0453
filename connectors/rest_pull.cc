#include "connectors/rest_pull.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <set>

#include "connectors/pull_changes.h"
#include "connectors/pull_cursor.h"
#include "hub/base/iso_time.h"
#include "sdmx/formats.h"

namespace hub::connectors {
namespace {

constexpr std::chrono::milliseconds kLedgerPoll{20};
constexpr size_t kMaxNameLength = 64;
constexpr size_t kErrorBodyChars = 300;
constexpr size_t kMaxErrorChars = 4000;  // of PullStatus::last_error (diagnostics can be long)

bool CharsIn(const std::string& s, const char* extra) {
  return std::all_of(s.begin(), s.end(), [extra](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr(extra, c) != nullptr;
  });
}

// The request for one dataflow, without updatedAfter.
std::string RequestUrl(std::string base, const sdmx::ArtefactRef& flow) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/data/" + flow.agency + "," + flow.id + "," + flow.version + "/all";
}

std::string Excerpt(const std::string& body) {
  std::string s = body.substr(0, kErrorBodyChars);
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r'; }, ' ');
  return s;
}

}  // namespace

Status RestPullOptions::Validate() const {
  if (commit_timeout.count() <= 0) return Status::InvalidArgument("RestPullOptions.commit_timeout must be > 0");
  std::set<std::string> names;
  for (const PullSource& s : sources) {
    if (s.name.empty() || s.name.size() > kMaxNameLength || !CharsIn(s.name, "._-")) {
      return Status::InvalidArgument("pull.name '" + s.name + "' must be 1-64 characters of A-Z a-z 0-9 . _ -");
    }
    if (!names.insert(s.name).second) return Status::InvalidArgument("pull.name '" + s.name + "' is used twice");
    const std::string f = "pull." + s.name + ".";
    if (s.provider.empty()) return Status::InvalidArgument(f + "provider is required");
    if (s.url.find("://") == std::string::npos) {
      return Status::InvalidArgument(f + "url '" + s.url + "' is not an absolute URL (http://host:port/sdmx/v1)");
    }
    if (s.dataflows.empty()) return Status::InvalidArgument(f + "dataflows needs at least one AGENCY,ID,VERSION");
    for (const sdmx::ArtefactRef& d : s.dataflows) {
      const bool ok = !d.agency.empty() && !d.id.empty() && !d.version.empty() && CharsIn(d.agency, "._-@$") &&
                      CharsIn(d.id, "._-@$") && CharsIn(d.version, "._-");
      if (!ok) return Status::InvalidArgument(f + "dataflows: '" + d.ToString() + "' is not AGENCY,ID,VERSION");
    }
    if (s.interval.count() <= 0) return Status::InvalidArgument(f + "interval_ms must be > 0");
    if (s.overlap.count() <= 0) return Status::InvalidArgument(f + "overlap_ms must be > 0");
    if (s.timeout.count() <= 0) return Status::InvalidArgument(f + "timeout_ms must be > 0");
    if (s.max_response_bytes <= 0) return Status::InvalidArgument(f + "max_response_bytes must be > 0");
  }
  return Status::Ok();
}

struct RestPull::Outcome {
  int64_t received = 0;
  int64_t upserts = 0;
  int64_t deletions = 0;
  std::string submission_id;  // empty: nothing submitted
  std::string what;           // for the log
};

RestPull::RestPull(Ingestor* ingestor, const ProviderDirectory* providers, storage::VersionedState* state,
                   const storage::StructureRegistry* registry, RestPullOptions options)
    : ingestor_(ingestor), providers_(providers), state_(state), registry_(registry), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = NowMs;
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    const PullSource& s = options_.sources[i];
    for (const sdmx::ArtefactRef& d : s.dataflows) {
      flows_.push_back({i, d, RequestUrl(s.url, d)});
      PullStatus st;
      st.source = s.name;
      st.dataflow = d.ToString();
      st.url = flows_.back().request;
      status_.push_back(std::move(st));
    }
  }
}

RestPull::~RestPull() { Stop(); }

Status RestPull::Start() {
  HUB_RETURN_IF_ERROR(options_.Validate());
  if (!options_.get) return Status::InvalidArgument("RestPullOptions.get (the HTTP client) is required");
  for (const PullSource& s : options_.sources) {
    std::optional<Provider> p = providers_->FindById(s.provider);
    // A remote must never gain the admin's right to write any dataflow.
    if (!p || p->admin) {
      return Status::InvalidArgument("pull." + s.name + ".provider " + s.provider + " is not a provider");
    }
    for (const sdmx::ArtefactRef& d : s.dataflows) {
      if (!p->MayReport(d)) {
        spdlog::warn("rest pull {}: provider {} has no provision agreement for {}: its pulls will be refused", s.name,
                     s.provider, d.ToString());
      }
    }
  }
  {
    std::lock_guard lock(status_mu_);
    for (size_t i = 0; i < flows_.size(); ++i) {
      const PullSource& s = options_.sources[flows_[i].source];
      auto cursor = LoadPullCursor(*state_, s.name, flows_[i].dataflow.ToString(), flows_[i].request);
      if (cursor.ok()) status_[i].cursor_ms = *cursor;
    }
  }
  thread_ = std::thread([this] { Loop(); });
  spdlog::info("rest pull: {} sources, {} dataflows", options_.sources.size(), flows_.size());
  return Status::Ok();
}

void RestPull::Stop() {
  stop_.Stop();
  if (thread_.joinable()) thread_.join();
}

void RestPull::Loop() {
  using Clock = std::chrono::steady_clock;
  std::vector<Clock::time_point> due(options_.sources.size(), Clock::now());
  while (!stop_.stopped()) {
    for (size_t i = 0; i < due.size() && !stop_.stopped(); ++i) {
      if (Clock::now() < due[i]) continue;
      // The interval runs from the start of a pull: a slow remote does not
      // stretch the schedule.
      due[i] = Clock::now() + options_.sources[i].interval;
      (void)PullSourceNow(i);  // recorded in the statuses and logged
    }
    rounds_.fetch_add(1, std::memory_order_release);
    const auto next = due.empty() ? Clock::time_point::max() : *std::min_element(due.begin(), due.end());
    stop_.WaitUntil(next);
  }
}

Status RestPull::PullOnce() {
  Status first;
  for (size_t i = 0; i < options_.sources.size(); ++i) {
    Status s = PullSourceNow(i);
    if (first.ok()) first = s;
  }
  return first;
}

Status RestPull::PullSourceNow(size_t source) {
  std::lock_guard pulling(pull_mu_);
  Status first;
  for (size_t i = 0; i < flows_.size(); ++i) {
    if (flows_[i].source != source) continue;
    if (stop_.stopped()) return Status::Unavailable("rest pull stopping");
    PullStatus st;
    {
      std::lock_guard lock(status_mu_);
      st = status_[i];
    }
    Status s = PullFlow(flows_[i], &st);
    {
      std::lock_guard lock(status_mu_);
      status_[i] = std::move(st);
    }
    if (first.ok()) first = s;
  }
  return first;
}

Status RestPull::PullFlow(const Flow& flow, PullStatus* st) {
  const PullSource& src = options_.sources[flow.source];
  const std::string dataflow = flow.dataflow.ToString();
  // Taken before the request leaves: the next cursor (pull_cursor.h).
  const int64_t started = options_.now_ms();
  st->last_attempt_ms = started;
  st->url = flow.request;
  auto fail = [&](const Status& s) {
    st->last_error_ms = options_.now_ms();
    st->last_error = s.ToString().substr(0, kMaxErrorChars);
    ++st->failures;
    spdlog::warn("rest pull {}: {} from {} failed (cursor kept, retried in {} ms): {}", src.name, dataflow, st->url,
                 src.interval.count(), s.ToString());
    return s;
  };
  std::optional<Provider> provider = providers_->FindById(src.provider);
  if (!provider || provider->admin) return fail(Status::PermissionDenied(src.provider + " is not a provider"));
  auto cursor = LoadPullCursor(*state_, src.name, dataflow, flow.request);
  if (!cursor.ok()) return fail(cursor.status());
  if (auto after = UpdatedAfter(*cursor, src.overlap)) st->url = flow.request + "?updatedAfter=" + *after;
  auto outcome = FetchAndSubmit(flow, *provider, st->url);
  if (!outcome.ok()) return fail(outcome.status());
  Status stored = StorePullCursor(state_, src.name, dataflow, flow.request, started, options_.now_ms());
  if (!stored.ok()) return fail(stored);  // the data is in; the next pull merely repeats some of it
  st->cursor_ms = started;
  st->last_success_ms = options_.now_ms();
  st->last_error.clear();
  ++st->successes;
  st->last_result = outcome->what;
  st->received_observations = outcome->received;
  st->submitted_observations = outcome->upserts;
  st->submitted_deletions = outcome->deletions;
  st->last_submission_id = outcome->submission_id;
  spdlog::info("rest pull {}: {} from {}: {}", src.name, dataflow, st->url, outcome->what);
  return Status::Ok();
}

Result<RestPull::Outcome> RestPull::FetchAndSubmit(const Flow& flow, const Provider& provider, const std::string& url) {
  const PullSource& src = options_.sources[flow.source];
  Outcome out;
  HUB_ASSIGN_OR_RETURN(
      HttpGetResponse r,
      options_.get(url, {{"Accept", sdmx::MediaType(sdmx::DataFormat::kStructureSpecific21)}},
                   {src.timeout, static_cast<uint64_t>(src.max_response_bytes)}));
  if (r.status == 404 || r.status == 204) {  // SDMX REST: NoResultsFound
    out.what = "no results (HTTP " + std::to_string(r.status) + ")";
    return out;
  }
  if (r.status != 200) {
    return Status::Unavailable("HTTP " + std::to_string(r.status) + ": " + Excerpt(r.body));
  }
  std::shared_ptr<const sdmx::StructureSet> structures = registry_->Snapshot();
  HUB_ASSIGN_OR_RETURN(PulledChanges changes,
                       DiffPulled(r.body, "GET " + url, *structures, flow.dataflow, *state_, options_.reader));
  r.body.clear();
  r.body.shrink_to_fit();
  out.received = changes.received_observations;
  if (changes.empty()) {
    out.what = std::to_string(out.received) + " observations received, none changes anything here";
    return out;
  }
  const sdmx::Dataflow* df = structures->FindDataflow(changes.dataflow);
  const sdmx::DataStructure* dsd = df ? structures->FindDataStructure(df->structure) : nullptr;
  if (!dsd) return Status::NotFound("this hub has no structure for " + changes.dataflow.ToString());
  Submission s;
  s.body = changes.Message(*dsd);
  s.name = "GET " + url;
  s.submission_id = "pull-" + src.name + "-" + changes.content_sha256.substr(0, 32);
  HUB_ASSIGN_OR_RETURN(SubmissionReceipt receipt, ingestor_->Submit(provider, s));
  if (receipt.outcome == SubmissionOutcome::kRejected) {
    return Status::InvalidArgument("submission " + s.submission_id + " was rejected: " +
                                   receipt.diagnostics.ToString());
  }
  HUB_RETURN_IF_ERROR(WaitCommitted(s.submission_id));
  out.upserts = changes.upserts;
  out.deletions = changes.deletions;
  out.submission_id = s.submission_id;
  out.what = std::to_string(out.received) + " observations received; submission " + s.submission_id + " (" +
             std::to_string(out.upserts) + " new or revised, " + std::to_string(out.deletions) + " deletions) " +
             (receipt.outcome == SubmissionOutcome::kDuplicate ? "was already submitted" : "committed");
  return out;
}

Status RestPull::WaitCommitted(const std::string& id) {
  const auto deadline = std::chrono::steady_clock::now() + options_.commit_timeout;
  for (;;) {
    HUB_ASSIGN_OR_RETURN(auto rec, state_->Ledger(id));
    if (rec) {
      if (rec->seq() > 0) return Status::Ok();
      std::string why;
      for (const auto& d : rec->marker().diagnostics()) {
        why += "\n" + d.file() + ":" + std::to_string(d.line()) + ": " + d.message();
      }
      return Status::InvalidArgument("submission " + id + " was rejected:" + why);
    }
    if (stop_.stopped()) return Status::Unavailable("stopping before submission " + id + " committed");
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::DeadlineExceeded("submission " + id + " not committed within " +
                                      std::to_string(options_.commit_timeout.count()) + " ms");
    }
    stop_.WaitFor(kLedgerPoll);
  }
}

std::vector<PullStatus> RestPull::statuses() const {
  std::lock_guard lock(status_mu_);
  return status_;
}

}  // namespace hub::connectors
