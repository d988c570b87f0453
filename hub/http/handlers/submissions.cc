// POST /api/v1/submissions (a provider pushes an SDMX message),
// GET /api/v1/submissions/{id} (accepted | committed | rejected), the ledger
// (GET /api/v1/submissions) and who reports what (GET /api/v1/providers,
// admin; GET /api/v1/providers/{id}/reporting, public).
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <charconv>
#include <map>
#include <tuple>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"
#include "storage/codec.h"

namespace hub::http {
namespace {

namespace json = boost::json;
namespace ev = sdmxhub::events::v1;

json::array DiagnosticsJson(const sdmx::Diagnostics& diags) {
  json::array out;
  for (const auto& d : diags.items()) {
    out.push_back({{"file", d.file}, {"line", d.line}, {"element", d.element}, {"rule", d.rule},
                   {"message", d.message}, {"text", d.ToString()}});
  }
  return out;
}

json::array DiagnosticsJson(const google::protobuf::RepeatedPtrField<ev::Diagnostic>& diags) {
  sdmx::Diagnostics d(static_cast<size_t>(diags.size()));
  for (const auto& p : diags) d.Add({p.file(), p.line(), p.element(), p.rule(), p.message()});
  return DiagnosticsJson(d);
}

HttpResponse JsonResponse(int status, const json::value& v) {
  return HttpResponse::Make(status, "application/json", JsonText(v) + "\n");
}

// The id Submit uses: ?id= first, then X-Submission-Id (may be empty).
std::string SubmissionIdOf(const HttpRequest& req) {
  return req.HasQuery("id") ? req.Query("id") : req.Header("x-submission-id");
}

const char* LedgerStatus(ev::SubmissionStatus s) {
  switch (s) {
    case ev::STATUS_REJECTED: return "rejected";
    case ev::STATUS_FAILED: return "failed";  // committed, but the materialiser could not apply it
    default: return "committed";
  }
}

// What became of a submission: accepted (appended by this process, not
// applied yet), embargoed (held until its release), committed, rejected, failed.
const char* StatusName(const sdmxhub::state::v1::LedgerRecord& rec) {
  if (rec.embargoed()) return "embargoed";
  if (rec.marker().status() == ev::STATUS_COMMITTED && !rec.seq()) return "accepted";
  return LedgerStatus(rec.marker().status());
}

// One ledger record as the API shows it (GET /api/v1/submissions[/{id}]).
json::object LedgerJson(const HandlerContext& ctx, const sdmxhub::state::v1::LedgerRecord& rec) {
  const ev::SubmissionMarker& m = rec.marker();
  json::object o{{"id", m.submission_id()},
                 {"status", StatusName(rec)},
                 {"provider", m.provider()},
                 {"kind", m.kind()},
                 {"accepted_at", IsoTimeMs(m.accepted_time_ms())},
                 {"series", m.series()},
                 {"observations", m.observations()},
                 {"body_sha256", m.body_sha256()}};
  // When this hub wrote it to its ledger (absent for records older than this field).
  if (auto t = ctx.state->AppliedTime(m.submission_id()); t.ok() && *t) o["committed_at"] = IsoTimeMs(**t);
  if (m.has_dataflow()) o["dataflow"] = storage::FromProto(m.dataflow()).ToString();
  if (rec.seq()) o["watermark"] = rec.seq();
  o["mode"] = m.snapshot() ? "snapshot" : "update";
  if (!m.action_override().empty()) o["action_override"] = m.action_override();
  // What the message declared and what the hub applied (SDMX 3.1: Information, Append and no action mean Merge).
  auto joined = [](const google::protobuf::RepeatedPtrField<std::string>& v) {
    std::string out;
    for (const std::string& a : v) out += (out.empty() ? "" : ", ") + a;
    return out;
  };
  if (m.applied_actions_size()) o["action"] = joined(m.applied_actions());
  if (m.declared_actions_size()) o["declared_action"] = joined(m.declared_actions());
  if (rec.has_revisions()) {
    // So that "committed" never hides "nothing changed".
    const sdmxhub::state::v1::RevisionCounts& c = rec.revisions();
    o["revisions"] = json::object{{"new", c.new_observations()},
                                  {"changed", c.changed_observations()},
                                  {"deleted", c.deleted_observations()},
                                  {"unchanged", c.unchanged_observations()},
                                  {"series_attributes_changed", c.series_attributes_changed()},
                                  {"written", c.new_observations() + c.changed_observations() +
                                                  c.deleted_observations()}};
  }
  if (m.skipped_series()) o["skipped_series"] = m.skipped_series();
  if (m.diagnostics_size()) o["diagnostics"] = DiagnosticsJson(m.diagnostics());
  if (!rec.failure().empty()) o["failure"] = rec.failure();
  if (m.forced()) o["forced"] = true;
  // An embargo: its data public from release_at (released_at once it was).
  if (storage::Embargoed(m)) o["release_at"] = IsoTimeMs(m.release_time_ms());
  if (rec.released_time_ms()) o["released_at"] = IsoTimeMs(rec.released_time_ms());
  return o;
}

HttpResponse StatusOf(const HandlerContext& ctx, const std::string& id) {
  auto rec = ctx.ingestor->Lookup(id);
  if (!rec.ok()) return ErrorFromStatus(rec.status());
  if (!*rec) {
    if (auto p = ctx.ingestor->progress()->Get(id)) {
      // Still on its way in: how far it has got.
      json::object progress{{"bytes_total", p->bytes_total}, {"bytes_done", p->bytes_done},
                            {"series", p->series}, {"observations", p->observations},
                            {"updated_at", IsoTimeMs(p->updated_ms)}};
      if (p->bytes_total) progress["percent"] = 100 * p->bytes_done / p->bytes_total;
      json::object o{{"id", id}, {"status", p->phase}, {"progress", std::move(progress)}};
      if (!p->provider.empty()) o["provider"] = p->provider;
      return JsonResponse(200, o);
    }
    return HttpResponse::Error(404, "no submission " + id);
  }
  json::object o = LedgerJson(ctx, **rec);
  o["id"] = id;
  return JsonResponse(200, o);
}

// GET /api/v1/submissions?provider=&dataflow=&status=&offset=&limit=: the
// ledger, newest received first. dataflow= matches ID, AGENCY:ID or
// AGENCY:ID(VERSION); status= committed | embargoed | rejected | failed.
HttpResponse List(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status st = CheckQueryParams(req, {"provider", "dataflow", "status", "offset", "limit"}); !st.ok()) {
    return ErrorFromStatus(st);
  }
  const std::string provider = req.Query("provider"), dataflow = req.Query("dataflow"), status = req.Query("status");
  if (!status.empty() && status != "committed" && status != "embargoed" && status != "rejected" && status != "failed") {
    return HttpResponse::Error(400, "status=" + status + ": expected committed, embargoed, rejected or failed");
  }
  int64_t offset = 0, limit = 1000;
  for (auto [name, out, max] : {std::tuple{"offset", &offset, INT64_MAX}, std::tuple{"limit", &limit, int64_t{10000}}}) {
    if (!req.HasQuery(name)) continue;
    const std::string v = req.Query(name);
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), *out);
    if (ec != std::errc() || p != v.data() + v.size() || *out < 0 || *out > max) {
      return HttpResponse::Error(400, std::string(name) + "=" + v + ": expected an integer from 0 to " + std::to_string(max));
    }
  }
  std::vector<sdmxhub::state::v1::LedgerRecord> found;
  Status s = ctx.state->ScanLedger([&](const sdmxhub::state::v1::LedgerRecord& r) {
    const ev::SubmissionMarker& m = r.marker();
    if (!provider.empty() && m.provider() != provider) return true;
    if (!status.empty() && StatusName(r) != status) return true;
    if (!storage::FlowFilterMatches(dataflow, m.dataflow())) return true;
    found.push_back(r);
    return true;
  });
  if (!s.ok()) return ErrorFromStatus(s);
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.marker().accepted_time_ms() > b.marker().accepted_time_ms();
  });
  json::array items;
  for (size_t i = static_cast<size_t>(std::min<int64_t>(offset, static_cast<int64_t>(found.size())));
       i < found.size() && static_cast<int64_t>(items.size()) < limit; ++i) {
    items.push_back(LedgerJson(ctx, found[i]));
  }
  return JsonResponse(200, json::object{{"total", found.size()}, {"offset", offset}, {"submissions", std::move(items)}});
}

// A provider's reporting: per dataflow of its agreements (and any other it
// reported), its last submission and whether it is overdue (older than
// report_every_days, or never).
Result<json::object> ReportingJson(const HandlerContext& ctx, const connectors::Provider& listed, int64_t now_ms) {
  const connectors::Provider p = connectors::WithAgreements(listed, *ctx.registry->Snapshot());
  const std::string& id = p.id;
  struct Flow {
    bool agreement = false;
    int64_t committed = 0, rejected = 0;
    std::optional<sdmxhub::state::v1::LedgerRecord> last, last_committed;
  };
  std::map<std::string, Flow> flows;  // AGENCY:ID
  for (const std::string& d : p.dataflows) {
    if (d != "*") flows[d].agreement = true;
  }
  Status s = ctx.state->ScanLedger([&](const sdmxhub::state::v1::LedgerRecord& r) {
    const ev::SubmissionMarker& m = r.marker();
    if (m.provider() != id || !m.has_dataflow()) return true;
    Flow& f = flows[m.dataflow().agency() + ":" + m.dataflow().id()];
    const bool rejected = m.status() != ev::STATUS_COMMITTED;  // rejected by ingest, or failed to apply
    ++(rejected ? f.rejected : f.committed);
    auto newer = [&](const std::optional<sdmxhub::state::v1::LedgerRecord>& cur) {
      return !cur || cur->marker().accepted_time_ms() < m.accepted_time_ms();
    };
    if (newer(f.last)) f.last = r;
    if (!rejected && newer(f.last_committed)) f.last_committed = r;
    return true;
  });
  if (!s.ok()) return s;
  constexpr int64_t kDayMs = 86'400'000;
  json::array out;
  size_t overdue_count = 0;
  for (const auto& [flow, f] : flows) {
    json::object o{{"dataflow", flow}, {"agreement", f.agreement}, {"committed", f.committed}, {"rejected", f.rejected}};
    if (f.last) o["last_submission"] = LedgerJson(ctx, *f.last);
    bool overdue = false;
    if (f.last_committed) {
      const int64_t at = f.last_committed->marker().accepted_time_ms();
      o["last_committed_at"] = IsoTimeMs(at);
      o["days_since_last"] = static_cast<double>(now_ms - at) / kDayMs;
      overdue = p.report_every_days > 0 && now_ms - at > p.report_every_days * kDayMs;
    } else {
      o["last_committed_at"] = nullptr;
      overdue = f.agreement && p.report_every_days > 0;  // agreed, expected, never delivered
    }
    o["overdue"] = overdue;
    overdue_count += overdue;
    out.push_back(std::move(o));
  }
  json::object body{{"provider", id}, {"dataflows", std::move(out)}, {"overdue", overdue_count}};
  if (p.report_every_days > 0) body["report_every_days"] = p.report_every_days;
  return body;
}

// GET /api/v1/providers/{id}/reporting: ReportingJson of one provider.
HttpResponse Reporting(const HandlerContext& ctx, const HttpRequest& req, int64_t now_ms) {
  std::optional<connectors::Provider> p = ctx.providers->FindById(req.Param("id"));
  if (!p) return HttpResponse::Error(404, "no provider " + req.Param("id"));
  auto body = ReportingJson(ctx, *p, now_ms);
  if (!body.ok()) return ErrorFromStatus(body.status());
  return JsonResponse(200, *body);
}

// GET /api/v1/reporting: {"providers": [ReportingJson of every provider but
// the admin], "overdue": how many have an overdue dataflow}, as the explorer
// shows who is overdue. Public, as each provider's is: what a provider owes
// is no secret, its token is.
HttpResponse AllReporting(const HandlerContext& ctx, int64_t now_ms) {
  json::array out;
  int64_t overdue = 0;
  for (const connectors::Provider& p : ctx.providers->List()) {
    if (p.admin) continue;
    auto body = ReportingJson(ctx, p, now_ms);
    if (!body.ok()) return ErrorFromStatus(body.status());
    overdue += (*body)["overdue"].to_number<int64_t>() > 0;
    out.push_back(std::move(*body));
  }
  return JsonResponse(200, json::object{{"providers", std::move(out)}, {"overdue", overdue}});
}

// GET /api/v1/providers (admin): who may report what.
HttpResponse Providers(const HandlerContext& ctx, const HttpRequest& req) {
  auto who = Authenticate(ctx, req);
  if (!who.ok()) return AuthError(req, who.status());
  if (!who->admin) return HttpResponse::Error(403, "listing providers needs the admin token");
  json::array out;
  const auto structures = ctx.registry->Snapshot();
  for (const connectors::Provider& listed : ctx.providers->List()) {
    const connectors::Provider p = connectors::WithAgreements(listed, *structures);
    json::array flows;
    for (const auto& d : p.dataflows) flows.push_back(json::string(d));
    json::object o{{"id", p.id}, {"dataflows", std::move(flows)}, {"admin", p.admin}};
    if (p.report_every_days > 0) o["report_every_days"] = p.report_every_days;
    out.push_back(std::move(o));
  }
  return JsonResponse(200, json::object{{"providers", std::move(out)}});
}

HttpResponse Submit(const HandlerContext& ctx, HttpRequest& req) {
  auto provider = Authenticate(ctx, req);
  if (!provider.ok()) {
    const std::string id = SubmissionIdOf(req);
    spdlog::warn("submission {}: refused: {}", connectors::LoggableId(id), provider.status().ToString());
    return AuthError(req, provider.status());
  }
  connectors::Submission s;
  if (req.arriving) {
    s.arriving = req.arriving;  // parsed while it arrives
  } else {
    s.body = std::move(req.body);  // up to max_body_bytes: not copied
  }
  s.name = req.HasQuery("name") ? req.Query("name") : "POST /api/v1/submissions";
  s.submission_id = SubmissionIdOf(req);
  if (req.HasQuery("action")) {
    s.action_override = sdmx::ParseAction(req.Query("action"));
    if (!s.action_override) {
      return HttpResponse::Error(400, "action=" + req.Query("action") + ": expected Append, Replace, Merge, Delete or Information");
    }
  }
  if (req.HasQuery("invalid")) {
    const std::string v = req.Query("invalid");
    if (v != "skip" && v != "reject") return HttpResponse::Error(400, "invalid=" + v + ": expected skip or reject");
    s.skip_invalid_series = v == "skip";
  }
  if (req.HasQuery("mode")) {
    const std::string v = req.Query("mode");
    if (v != "snapshot" && v != "update") return HttpResponse::Error(400, "mode=" + v + ": expected update or snapshot");
    s.snapshot = v == "snapshot";
  }
  if (req.HasQuery("force")) {
    const std::string v = req.Query("force");
    if (v != "true" && v != "false") return HttpResponse::Error(400, "force=" + v + ": expected true or false");
    s.force = v == "true";
  }
  if (req.HasQuery("release")) {
    // An embargo: kept from every public read until then (RFC 3339 / ISO 8601 time).
    const std::optional<int64_t> t = ParseIsoTimeMs(req.Query("release"));
    if (!t) return HttpResponse::Error(400, "release=" + req.Query("release") + ": expected an ISO 8601 time such as 2027-01-31T09:00:00Z");
    s.release_time_ms = *t;
  }
  if (connectors::ReservedSubmissionId(s.submission_id)) {
    return HttpResponse::Error(400, "submission id " + s.submission_id + ": ids starting with " +
                                        connectors::kReservedIdPrefixes + " are the hub's own; choose another");
  }
  auto receipt = ctx.ingestor->Submit(*provider, s);
  if (!receipt.ok()) {
    // 409 for an id that is another provider's, another body's, or busy;
    // 503 while the log cannot take it (e.g. Kafka below min.insync.replicas):
    // nothing was acknowledged, and the same id may be sent again.
    HttpResponse resp = ErrorFromStatus(receipt.status());
    if (receipt.status().retryable()) {
      resp.SetHeader("Retry-After", receipt.status().code() == StatusCode::kAlreadyExists ? "1" : "5");
    }
    return resp;
  }
  const connectors::SubmissionReceipt& r = *receipt;
  const std::string link = "/api/v1/submissions/" + r.submission_id;
  if (r.outcome == connectors::SubmissionOutcome::kDuplicate) {
    // A retry gets the first answer's code, with what became of it since.
    json::object o = LedgerJson(ctx, r.earlier);
    o["links"] = {{"status", link}};
    o["duplicate"] = true;
    HttpResponse resp = JsonResponse(r.earlier.marker().status() == ev::STATUS_REJECTED ? 400 : 202, o);
    resp.SetHeader("Location", link);
    return resp;
  }
  json::object o{{"id", r.submission_id}, {"provider", provider->id}, {"kind", r.kind}, {"series", r.series},
                 {"observations", r.observations}, {"links", {{"status", link}}}};
  if (!r.dataflow.id.empty()) o["dataflow"] = r.dataflow.ToString();
  int code = 202;
  if (r.outcome == connectors::SubmissionOutcome::kRejected) {
    code = 400;
    o["status"] = "rejected";
    o["diagnostics"] = DiagnosticsJson(r.diagnostics);
    o["diagnostics_total"] = r.diagnostics.count();
  } else {
    o["status"] = "accepted";
    if (s.release_time_ms > NowMs()) o["release_at"] = IsoTimeMs(s.release_time_ms);  // embargoed till then
    if (r.skipped_series > 0) {  // invalid=skip: what was left out, and why
      o["skipped_series"] = r.skipped_series;
      o["diagnostics"] = DiagnosticsJson(r.diagnostics);
      o["diagnostics_total"] = r.diagnostics.count();
    }
  }
  HttpResponse resp = JsonResponse(code, o);
  resp.SetHeader("Location", link);
  return resp;
}

}  // namespace

void RegisterSubmissionRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("POST", "/api/v1/submissions", [ctx](HttpRequest& req) { return Submit(ctx, req); });
  router->Add("GET", "/api/v1/submissions", [ctx](HttpRequest& req) { return List(ctx, req); });
  router->Add("GET", "/api/v1/submissions/{id}", [ctx](HttpRequest& req) { return StatusOf(ctx, req.Param("id")); });
  router->Add("GET", "/api/v1/providers", [ctx](HttpRequest& req) { return Providers(ctx, req); });
  router->Add("GET", "/api/v1/providers/{id}/reporting",
              [ctx](HttpRequest& req) { return Reporting(ctx, req, NowMs()); });
  router->Add("GET", "/api/v1/reporting", [ctx](HttpRequest&) { return AllReporting(ctx, NowMs()); });
}

namespace {

// For the head of a POST /api/v1/submissions (its target not parsed yet):
// the submission id it names (may be empty). nullopt for other requests.
std::optional<std::string> PostedSubmissionId(const HttpRequest& head) {
  if (head.method != "POST") return std::nullopt;
  HttpRequest parsed;  // the target's path and query, and the one header the id rule reads
  if (!ParseTarget(head.target, &parsed.path, &parsed.query) || parsed.path != "/api/v1/submissions") {
    return std::nullopt;
  }
  parsed.headers["x-submission-id"] = head.Header("x-submission-id");
  return SubmissionIdOf(parsed);
}

}  // namespace

AdmitFn AdmitSubmission(const HandlerContext& ctx) {
  return [ctx](const HttpRequest& head) -> std::optional<HttpResponse> {
    std::optional<std::string> id = PostedSubmissionId(head);
    if (!id) return std::nullopt;
    auto who = Authenticate(ctx, head);
    if (who.ok()) return std::nullopt;
    spdlog::warn("submission {}: refused before its body: {}", connectors::LoggableId(*id), who.status().ToString());
    return AuthError(head, who.status());
  };
}

bool IsSubmissionUpload(const HttpRequest& head) { return PostedSubmissionId(head).has_value(); }

BodyProgressFn SubmissionBodyProgress(const HandlerContext& ctx) {
  return [ctx](const HttpRequest& head, uint64_t received, uint64_t total, bool finished) {
    std::optional<std::string> id = PostedSubmissionId(head);
    if (!id || connectors::LoggableId(*id) != *id) return;  // not a submission, no id, or not a valid one
    connectors::SubmissionProgress* progress = ctx.ingestor->progress();
    // The token was checked by AdmitSubmission; it names the uploader. An
    // entry of another provider, or one already past receiving, is never
    // overwritten or erased.
    auto who = Authenticate(ctx, head);
    if (!who.ok()) return;
    if (finished) return progress->EraseIfIn(*id, "receiving", who->id);
    progress->Received(*id, who->id, total, received);
  };
}

}  // namespace hub::http
