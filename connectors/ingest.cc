#include "connectors/ingest.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "connectors/codes_in_use.h"
#include "connectors/default_dataflow.h"
#include "connectors/submission_events.h"
#include "hub/base/crash_point.h"
#include "hub/base/iso_time.h"
#include "hub/base/sha256.h"
#include "sdmx/key_pattern.h"
#include "sdmx/structure_reader.h"
#include "sdmx/validator.h"
#include "sdmx/xml.h"
#include "storage/codec.h"
#include "storage/event_chunks.h"

namespace hub::connectors {
namespace {

namespace ev = sdmxhub::events::v1;

// How often (in series) a submission's progress is published: rare enough
// to cost nothing next to parsing, often enough for a progress bar.
constexpr int64_t kProgressEverySeries = 256;

uint64_t BodySize(const Submission& s) { return s.arriving ? s.arriving->size() : s.body.size(); }

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 128) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

}  // namespace

std::string LoggableId(const std::string& id) {
  if (id.empty()) return "(no id)";
  return ValidId(id) ? id : "(invalid id)";
}

namespace {

void AddDiagnostics(const sdmx::Diagnostics& diags, ev::SubmissionMarker* m) {
  for (const sdmx::Diagnostic& d : diags.items()) {
    ev::Diagnostic* p = m->add_diagnostics();
    p->set_file(d.file);
    p->set_line(d.line);
    p->set_element(d.element);
    p->set_rule(d.rule);
    p->set_message(d.message);
  }
}

void NoteAction(const char* name, std::vector<std::string>* seen) {
  if (std::find(seen->begin(), seen->end(), name) == seen->end()) seen->emplace_back(name);
}

}  // namespace

Status IngestOptions::Validate() const {
  if (max_diagnostics == 0) return Status::InvalidArgument("ingest.max_diagnostics must be > 0");
  // Room for the "...[N bytes cut]..." marker and something on each side of it.
  if (max_quoted_bytes < 64) return Status::InvalidArgument("ingest.max_quoted_bytes must be >= 64");
  if (max_diagnostics_bytes < max_quoted_bytes) {
    return Status::InvalidArgument("ingest.max_diagnostics_bytes must be >= ingest.max_quoted_bytes");
  }
  return Status::Ok();
}

bool ReservedSubmissionId(const std::string& id) {
  for (const char* prefix : {"drop-", "pull-", "config-"}) {
    if (id.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

std::string NewSubmissionId() {
  static thread_local std::mt19937_64 rng(std::random_device{}());
  static const char kHex[] = "0123456789abcdef";
  uint64_t v = rng();
  std::string id = "sub-";
  for (int i = 0; i < 16; ++i) id += kHex[(v >> (i * 4)) & 15];
  return id;
}

Ingestor::Ingestor(storage::EventLog* log, storage::StructureRegistry* registry,
                   const storage::VersionedState* state, IngestOptions options)
    : log_(log), registry_(registry), state_(state), options_(std::move(options)), ids_(state) {
  if (!options_.now_ms) options_.now_ms = NowMs;
}

Ingestor::InFlight Ingestor::Unapplied() {
  const SubmissionIds::Unrecorded u = ids_.Sweep();
  return {u.count, u.oldest_ms};
}

Result<SubmissionReceipt> Ingestor::Submit(const Provider& provider, const Submission& s) {
  Result<SubmissionReceipt> r = SubmitOnce(provider, s);
  if (!r.ok()) {
    // Refused (nothing appended): still a line naming the submission.
    spdlog::warn("submission {}: refused for {}: {}", LoggableId(s.submission_id), provider.id, r.status().ToString());
  } else if (r->outcome == SubmissionOutcome::kDuplicate) {
    spdlog::info("submission {}: already known, nothing appended", r->submission_id);
  }
  if (r.ok() && options_.on_receipt) options_.on_receipt(*r);
  return r;
}

Result<SubmissionReceipt> Ingestor::SubmitOnce(const Provider& provider, const Submission& s) {
  SubmissionReceipt r;
  r.diagnostics = sdmx::Diagnostics(
      sdmx::DiagnosticLimits{options_.max_diagnostics, options_.max_quoted_bytes, options_.max_diagnostics_bytes});
  r.submission_id = s.submission_id.empty() ? NewSubmissionId() : s.submission_id;
  if (!ValidId(r.submission_id)) {
    return Status::InvalidArgument("submission id must be 1-128 characters of A-Z a-z 0-9 - _ .");
  }
  // Held until the receipt is out: the lookup below and the append are one
  // step for this id, so two racing submissions cannot both append.
  std::optional<SubmissionIds::Claim> claim = ids_.TryClaim(r.submission_id);
  if (!claim) {
    return Status(StatusCode::kAlreadyExists,
                  "submission id " + r.submission_id + " is being submitted by another request right now: " +
                      "retry once that one is answered (GET /api/v1/submissions/" + r.submission_id + ")",
                  /*retryable=*/true);
  }
  HUB_ASSIGN_OR_RETURN(auto known, ids_.Lookup(r.submission_id));
  if (known) return Resubmit(provider, s, std::move(r), std::move(*known));
  // Visible to GET /api/v1/submissions/{id} until the receipt is out.
  struct ProgressGuard {
    SubmissionProgress* progress;
    std::string id;  // a copy: `r` moves on
    std::string provider;
    ~ProgressGuard() { progress->Erase(id, provider); }
  } guard{&progress_, r.submission_id, provider.id};
  const bool streamed = s.arriving != nullptr;
  progress_.Update(r.submission_id, {streamed && !s.arriving->complete() ? "receiving" : "validating", provider.id,
                                     BodySize(s), streamed ? s.arriving->available() : 0, 0, 0, 0});
  if ((streamed ? sdmx::RootElementName(s.arriving.get()) : sdmx::RootElementName(s.body)) == "Structure") {
    r.kind = "structure";
    return SubmitStructure(provider, s, std::move(r));
  }
  r.kind = "data";
  return SubmitData(provider, s, std::move(r));
}

Result<SubmissionReceipt> Ingestor::Resubmit(const Provider& provider, const Submission& s, SubmissionReceipt r,
                                             sdmxhub::state::v1::LedgerRecord earlier) {
  // Another provider's id is refused before its body is complete: nothing
  // this body holds could change that.
  HUB_RETURN_IF_ERROR(CheckOwner(earlier, provider.id));
  HUB_ASSIGN_OR_RETURN(const std::string sha256, BodySha256(s));
  HUB_RETURN_IF_ERROR(CheckSameBody(earlier, sha256));
  r.outcome = SubmissionOutcome::kDuplicate;
  r.kind = earlier.marker().kind();
  if (earlier.marker().has_dataflow()) r.dataflow = storage::FromProto(earlier.marker().dataflow());
  r.series = earlier.marker().series();
  r.observations = earlier.marker().observations();
  r.skipped_series = earlier.marker().skipped_series();
  r.earlier = std::move(earlier);
  return r;
}

Result<SubmissionReceipt> Ingestor::SubmitData(const Provider& provider, const Submission& s,
                                               SubmissionReceipt r) {
  std::shared_ptr<const sdmx::StructureSet> structures = registry_->Snapshot();
  auto reader = s.arriving ? sdmx::DataReader::Open(s.arriving.get(), s.name, *structures, options_.reader, &r.diagnostics)
                           : sdmx::DataReader::Open(s.body, s.name, *structures, options_.reader, &r.diagnostics);
  if (!reader.ok()) {
    r.outcome = SubmissionOutcome::kRejected;
    HUB_RETURN_IF_ERROR(AppendRejected(provider, s, r));
    return r;
  }
  const std::string attempt = NewSubmissionId();
  SubmissionEvents events(log_, r.submission_id, attempt, EventsOptions());
  // The marker cannot change how this one applies: the materialiser may
  // apply its events as they come (DataEvent.apply_before_marker).
  const bool before_marker = !s.snapshot && s.release_time_ms == 0;
  // A rejection after events went to the log names their attempt: the
  // materialiser forgets them.
  auto reject = [&]() -> Status {
    HUB_RETURN_IF_ERROR(AppendRejected(provider, s, r, attempt));
    events.Rejected();
    return Status::Ok();
  };
  std::vector<std::string> skipped_keys;  // snapshot: series left out as invalid
  std::map<std::string, std::unique_ptr<sdmx::Validator>> validators;  // by DSD
  std::optional<sdmx::ArtefactRef> flow_ref;
  std::vector<std::string> declared_actions, applied_actions;  // distinct, in order met
  bool fatal = false;  // a problem with the message, not with one series
  int64_t seen = 0;  // series read, valid or not
  std::vector<char> arena_block(size_t{64} << 10);  // first block of each event's arena
  std::string encoded;                              // each event, encoded
  // The dataflow of a dataset (named by the message, or the only one using
  // its DSD: for a DSD registered alone, its default dataflow, see
  // default_dataflow.h), checked against the provider's agreements and the
  // rule of one dataflow per submission. nullopt (with a diagnostic) when
  // the message is at fault; PermissionDenied when the provider is.
  auto take_flow = [&](const sdmx::DataSetInfo& ds, const sdmx::DataStructure& dsd,
                       int line) -> Result<std::optional<sdmx::ArtefactRef>> {
    std::optional<sdmx::ArtefactRef> flow = ds.dataflow;
    if (!flow) {
      const std::vector<const sdmx::Dataflow*> using_dsd = structures->DataflowsUsing(dsd.ref);
      if (using_dsd.size() != 1) {
        std::string names;
        for (const sdmx::Dataflow* df : using_dsd) names += (names.empty() ? "" : ", ") + df->ref.ToString();
        r.diagnostics.Add({s.name, line, "Header", "dataflow-known",
                           using_dsd.empty()
                               ? "no dataflow uses " + dsd.ref.ToString() +
                                     " (registered before the hub gave DSDs a default dataflow: submit the DSD "
                                     "again, or a dataflow for it)"
                               : "several dataflows use " + dsd.ref.ToString() + " (" + names +
                                     "): name one in the header (StructureUsage)"});
        fatal = true;
        return std::optional<sdmx::ArtefactRef>();
      }
      flow = using_dsd.front()->ref;
    }
    if (flow_ref && !(*flow_ref == *flow)) {
      r.diagnostics.Add({s.name, line, "DataSet", "one-dataflow",
                         "one submission carries one dataflow; found " + flow_ref->ToString() + " and " +
                             flow->ToString()});
      fatal = true;
      return std::optional<sdmx::ArtefactRef>();
    }
    if (!flow_ref) {
      if (!WithAgreements(provider, *structures).MayReport(*flow)) {
        return Status::PermissionDenied("provider " + provider.id + " has no provision agreement for " +
                                        flow->ToString());
      }
      flow_ref = flow;
    }
    return flow;
  };
  // The action applied to a dataset, noted with the one it declared.
  auto apply_action = [&](const sdmx::DataSetInfo& ds) {
    const sdmx::Action declared = s.action_override.value_or(ds.action);
    const bool given = s.action_override.has_value() || ds.action_given;
    sdmx::Action action = sdmx::AppliedAction(declared, given);
    // A snapshot is the provider's complete dataset: what it leaves out is
    // withdrawn, down to an observation's attributes, so Merge applies as
    // Replace (the ledger says so).
    if (s.snapshot && action == sdmx::Action::kMerge) action = sdmx::Action::kReplace;
    NoteAction(given ? sdmx::ActionName(declared) : "(none)", &declared_actions);
    NoteAction(sdmx::ActionName(action), &applied_actions);
    return action;
  };
  for (auto& rd = *reader; rd->Valid(); rd->Next()) {
    if (++seen % kProgressEverySeries == 0) {
      // While the body arrives the parser keeps pace with it: show what it
      // has read so far under "receiving".
      const bool receiving = s.arriving && !s.arriving->complete();
      progress_.Update(r.submission_id, {receiving ? "receiving" : "validating", provider.id, BodySize(s),
                                         receiving ? s.arriving->available() : rd->consumed(), seen, r.observations, 0});
      if (s.arriving) s.arriving->Release(rd->consumed());  // the pages the parser has passed
    }
    const sdmx::DataSetInfo& ds = rd->dataset();
    const sdmx::DataStructure& dsd = rd->structure();
    HUB_ASSIGN_OR_RETURN(std::optional<sdmx::ArtefactRef> flow, take_flow(ds, dsd, rd->series().line));
    if (!flow) break;
    auto& v = validators[dsd.ref.ToString()];  // one dataflow per submission (above)
    if (!v) {
      sdmx::ValidatorOptions vo;
      vo.dataflow = flow;
      vo.provider = provider.id;
      vo.duplicate_memory_bytes = options_.duplicate_check_bytes;
      vo.spool_dir = options_.spool_dir;
      v = std::make_unique<sdmx::Validator>(dsd, *structures, s.name, vo);
    }
    const sdmx::Series& series = rd->series();
    const sdmx::Action action = apply_action(ds);
    if (!v->Validate(series, action, &r.diagnostics)) {
      ++r.skipped_series;
      if (s.snapshot) skipped_keys.push_back(series.KeyString());
      continue;
    }
    if (!r.diagnostics.empty() && !s.skip_invalid_series) continue;  // stop building events once anything failed
    // On an arena whose first block is reused: a series' event takes no
    // allocation of its own (on the heap it took one per field and observation).
    google::protobuf::Arena arena(arena_block.data(), arena_block.size());
    ev::Envelope& env = *google::protobuf::Arena::CreateMessage<ev::Envelope>(&arena);
    ev::DataEvent* d = env.mutable_data();
    d->set_submission_id(r.submission_id);
    d->set_attempt_id(attempt);
    *d->mutable_dataflow() = storage::ToProto(*flow);
    d->set_action(storage::ToProto(action));
    d->set_apply_before_marker(before_marker);
    for (const std::string& k : series.key) d->add_key(k);
    storage::ToProto(series.attributes, d->mutable_attributes());
    for (const sdmx::Observation& o : series.observations) {
      ev::Observation* po = d->add_observations();
      po->set_period(o.period);
      po->set_value(o.value);
      storage::ToProto(o.attributes, po->mutable_attributes());
    }
    ++r.series;
    r.observations += series.observations.size();
    storage::SerializeTo(&env, &encoded);
    HUB_RETURN_IF_ERROR(events.Add(options_.topics.data,
                                   storage::DataRecordKey(flow->ToString(), series.KeyString()), encoded));
  }
  // Duplicates found only now (past [ingest] duplicate_check_bytes) cannot
  // be skipped: their series are already among the events.
  const size_t before_finish = r.diagnostics.count();
  for (auto& [unused, v] : validators) HUB_RETURN_IF_ERROR(v->Finish(&r.diagnostics));
  if (r.diagnostics.count() != before_finish) fatal = true;
  // Reading stopped early, or a problem the skip policy does not cover (one
  // outside any series, or every series invalid): reject it all.
  const bool only_series_problems = s.skip_invalid_series && !fatal && r.skipped_series > 0 && r.series > 0;
  if (!reader.value()->status().ok() || (!r.diagnostics.empty() && !only_series_problems)) {
    r.outcome = SubmissionOutcome::kRejected;
    if (flow_ref) r.dataflow = *flow_ref;
    HUB_RETURN_IF_ERROR(reject());
    return r;
  }
  // A valid message whose datasets hold no series (KG's first 1.a.2
  // publications) still names its structure: it commits, changing nothing
  // (in snapshot mode: withdrawing what the provider reported).
  if (!flow_ref && reader.value()->has_structure()) {
    const sdmx::DataReader& rd = **reader;
    HUB_ASSIGN_OR_RETURN(std::optional<sdmx::ArtefactRef> flow, take_flow(rd.dataset(), rd.structure(), 0));
    if (flow) (void)apply_action(rd.dataset());
    if (!r.diagnostics.empty()) {
      r.outcome = SubmissionOutcome::kRejected;
      HUB_RETURN_IF_ERROR(reject());
      return r;
    }
  }
  if (!flow_ref) {
    r.diagnostics.Add({s.name, 0, "DataSet", "not-empty", "the message holds no series"});
    r.outcome = SubmissionOutcome::kRejected;
    HUB_RETURN_IF_ERROR(reject());
    return r;
  }
  r.dataflow = *flow_ref;
  ev::SubmissionMarker m;
  m.set_submission_id(r.submission_id);
  m.set_attempt_id(attempt);
  m.set_provider(provider.id);
  m.set_kind("data");
  *m.mutable_dataflow() = storage::ToProto(*flow_ref);
  m.set_series(r.series);
  m.set_observations(r.observations);
  m.set_skipped_series(r.skipped_series);
  if (s.action_override) m.set_action_override(sdmx::ActionName(*s.action_override));
  for (const std::string& a : declared_actions) m.add_declared_actions(a);
  for (const std::string& a : applied_actions) m.add_applied_actions(a);
  m.set_snapshot(s.snapshot);
  m.set_release_time_ms(s.release_time_ms);
  for (const std::string& k : skipped_keys) m.add_skipped_series_keys(k);
  AddDiagnostics(r.diagnostics, &m);  // the skipped series, if any
  // Nothing is recorded before the last byte: the verdict and the ledger's
  // hash are of the whole body (AppendRejected waits the same way).
  HUB_ASSIGN_OR_RETURN(const std::string sha256, BodySha256(s));
  m.set_body_sha256(sha256);
  progress_.Update(r.submission_id, {"appending", provider.id, BodySize(s), BodySize(s), seen, r.observations, 0});
  HUB_RETURN_IF_ERROR(events.Commit(&m, options_.now_ms()));
  ids_.Appended(m, m.accepted_time_ms());
  spdlog::info("submission {}: accepted {} series / {} observations of {} from {}", r.submission_id, r.series,
               r.observations, flow_ref->ToString(), provider.id);
  return r;
}

Result<SubmissionReceipt> Ingestor::SubmitStructure(const Provider& provider, const Submission& s,
                                                    SubmissionReceipt r) {
  if (!provider.admin) return Status::PermissionDenied("only the admin token may submit structures");
  if (s.release_time_ms) {
    return Status::InvalidArgument("a release time (embargo) applies to data submissions, not to structures");
  }
  HUB_ASSIGN_OR_RETURN(const std::string_view body, WholeBody(s));
  const std::shared_ptr<const sdmx::StructureSet> registered = registry_->Snapshot();
  sdmx::StructureSet merged = *registered;
  sdmx::StructureSet found;
  if (sdmx::ReadStructureMessage(body, s.name, {}, &found, &r.diagnostics).ok()) {
    merged.Merge(found);
    (void)sdmx::CheckReferences(merged, &r.diagnostics, &found);
  }
  // Codes that stored data uses and these structures drop (codes_in_use.h):
  // refused, or with `force` noted in the ledger. Read at the watermark of
  // now: a data submission committing meanwhile was validated against the
  // codelists still registered, and is counted by the next such check.
  sdmx::Diagnostics in_use(options_.max_diagnostics);
  if (r.diagnostics.empty()) {
    HUB_ASSIGN_OR_RETURN(std::vector<CodeInUse> codes, CodesNoLongerAllowed(*state_, *registered, merged));
    for (const CodeInUse& u : codes) {
      in_use.Add({s.name, 0, "Codelist", "codes-in-use",
                  u.component + "='" + u.code + "' is used by " + std::to_string(u.observations) +
                      " stored observations of " + u.dataflow + ", and " + u.codelist + " would not have it" +
                      (s.force ? " (forced: they stay as they are)" : " (force=true registers it anyway)")});
    }
    if (!s.force) {
      for (const sdmx::Diagnostic& d : in_use.items()) r.diagnostics.Add(d);
    }
  }
  if (!r.diagnostics.empty()) {
    r.outcome = SubmissionOutcome::kRejected;
    HUB_RETURN_IF_ERROR(AppendRejected(provider, s, r));
    return r;
  }
  r.diagnostics = std::move(in_use);  // forced: what it was forced past, for the ledger
  const std::string attempt = NewSubmissionId();
  SubmissionEvents events(log_, r.submission_id, attempt, EventsOptions());
  auto add_event = [&](std::string message) {
    ev::Envelope env;
    ev::StructureEvent* se = env.mutable_structure();
    se->set_submission_id(r.submission_id);
    se->set_attempt_id(attempt);
    se->set_format("sdmx-ml");
    se->set_message(std::move(message));
    return events.Add(options_.topics.structures, r.submission_id, storage::Serialize(&env));
  };
  HUB_RETURN_IF_ERROR(add_event(std::string(body)));
  // DSDs that no dataflow uses get their default one, in the same submission.
  const sdmx::StructureSet defaults = DefaultDataflowsFor(found, merged);
  if (!defaults.empty()) HUB_RETURN_IF_ERROR(add_event(GeneratedStructureMessage(defaults)));
  ev::SubmissionMarker m;
  m.set_submission_id(r.submission_id);
  m.set_attempt_id(attempt);
  m.set_provider(provider.id);
  m.set_kind("structure");
  m.set_body_sha256(Sha256Hex(body));
  m.set_forced(s.force);
  AddDiagnostics(r.diagnostics, &m);
  HUB_RETURN_IF_ERROR(events.Commit(&m, options_.now_ms()));
  ids_.Appended(m, m.accepted_time_ms());
  spdlog::info("submission {}: accepted structures ({} codelists, {} DSDs, {} dataflows, {} default dataflows)",
               r.submission_id, found.codelists().size(), found.data_structures().size(), found.dataflows().size(),
               defaults.dataflows().size());
  return r;
}

SubmissionEventsOptions Ingestor::EventsOptions() const {
  SubmissionEventsOptions o;
  o.marker_topic = options_.topics.submissions;
  o.memory_bytes = options_.spool_memory_bytes;
  o.append_batch_bytes = options_.append_batch_bytes;
  o.flush_timeout = options_.flush_timeout;
  return o;
}

Result<std::string_view> Ingestor::WholeBody(const Submission& s) {
  if (!s.arriving) return std::string_view(s.body);
  Status st = s.arriving->WaitAll();
  if (!st.ok()) {
    return Status::Unavailable("the upload stopped after " + std::to_string(s.arriving->available()) + " of " +
                               std::to_string(s.arriving->size()) + " bytes (" + st.message() + "); nothing was " +
                               "recorded: send it again with the same submission id");
  }
  return s.arriving->view();
}

Result<std::string> Ingestor::BodySha256(const Submission& s) {
  HUB_ASSIGN_OR_RETURN(const std::string_view body, WholeBody(s));
  // An upload's was computed as it arrived: its pages need not come back.
  return s.arriving ? s.arriving->sha256() : Sha256Hex(body);
}

Status Ingestor::AppendRejected(const Provider& provider, const Submission& s, const SubmissionReceipt& r,
                                const std::string& attempt) {
  ev::Envelope env;
  ev::SubmissionMarker* m = env.mutable_marker();
  m->set_submission_id(r.submission_id);
  m->set_attempt_id(attempt.empty() ? NewSubmissionId() : attempt);
  m->set_provider(provider.id);
  m->set_kind(r.kind);
  if (!r.dataflow.id.empty()) *m->mutable_dataflow() = storage::ToProto(r.dataflow);
  m->set_accepted_time_ms(options_.now_ms());
  m->set_status(ev::STATUS_REJECTED);
  // Before anything is appended: a cut upload is not a bad message, and is
  // not recorded as one.
  HUB_ASSIGN_OR_RETURN(const std::string sha256, BodySha256(s));
  m->set_body_sha256(sha256);
  AddDiagnostics(r.diagnostics, m);
  HUB_ASSIGN_OR_RETURN(auto writer, log_->NewWriter());
  HUB_RETURN_IF_ERROR(writer->Append(options_.topics.submissions, 0, r.submission_id, storage::Serialize(&env)));
  HUB_RETURN_IF_ERROR(writer->Flush(options_.flush_timeout));
  CrashPoint("ingest.after_rejected_flush");
  ids_.Appended(*m, m->accepted_time_ms());
  spdlog::info("submission {}: rejected, {} diagnostics, first: {}", r.submission_id, r.diagnostics.count(),
               r.diagnostics.items().empty() ? "" : r.diagnostics.items().front().ToString());
  return Status::Ok();
}

}  // namespace hub::connectors
