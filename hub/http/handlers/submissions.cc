// POST /api/v1/submissions (a provider pushes an SDMX message) and
// GET /api/v1/submissions/{id} (accepted | committed | rejected).
#include <boost/json.hpp>

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
  return HttpResponse::Make(status, "application/json", json::serialize(v) + "\n");
}

HttpResponse StatusOf(const HandlerContext& ctx, const std::string& id) {
  auto rec = ctx.state->Ledger(id);
  if (!rec.ok()) return ErrorFromStatus(rec.status());
  if (!*rec) {
    if (ctx.ingestor->Accepted(id)) {
      return JsonResponse(200, json::object{{"id", id}, {"status", "accepted"}});
    }
    return HttpResponse::Error(404, "no submission " + id);
  }
  const ev::SubmissionMarker& m = (*rec)->marker();
  json::object o{{"id", id},
                 {"status", m.status() == ev::STATUS_REJECTED ? "rejected" : "committed"},
                 {"provider", m.provider()},
                 {"kind", m.kind()},
                 {"accepted_at", IsoTimeMs(m.accepted_time_ms())},
                 {"series", m.series()},
                 {"observations", m.observations()},
                 {"body_sha256", m.body_sha256()}};
  if (m.has_dataflow()) o["dataflow"] = storage::FromProto(m.dataflow()).ToString();
  if ((*rec)->seq()) o["watermark"] = (*rec)->seq();
  o["mode"] = m.snapshot() ? "snapshot" : "update";
  if (!m.action_override().empty()) o["action"] = m.action_override();
  if (m.skipped_series()) o["skipped_series"] = m.skipped_series();
  if (m.diagnostics_size()) o["diagnostics"] = DiagnosticsJson(m.diagnostics());
  return JsonResponse(200, o);
}

HttpResponse Submit(const HandlerContext& ctx, const HttpRequest& req) {
  const std::string auth = req.Header("authorization");
  const std::string bearer = "Bearer ";
  if (auth.rfind(bearer, 0) != 0) {
    HttpResponse r = HttpResponse::Error(401, "Authorization: Bearer TOKEN required");
    r.SetHeader("WWW-Authenticate", "Bearer");
    return r;
  }
  auto provider = ctx.providers->Authenticate(auth.substr(bearer.size()));
  if (!provider.ok()) {
    HttpResponse r = ErrorFromStatus(provider.status());
    r.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
  }
  connectors::Submission s;
  s.body = req.body;
  s.name = req.HasQuery("name") ? req.Query("name") : "POST /api/v1/submissions";
  s.submission_id = req.HasQuery("id") ? req.Query("id") : req.Header("x-submission-id");
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
  auto receipt = ctx.ingestor->Submit(*provider, s);
  if (!receipt.ok()) return ErrorFromStatus(receipt.status());
  const connectors::SubmissionReceipt& r = *receipt;
  const std::string link = "/api/v1/submissions/" + r.submission_id;
  if (r.outcome == connectors::SubmissionOutcome::kDuplicate) {
    HttpResponse resp = StatusOf(ctx, r.submission_id);
    resp.SetHeader("Location", link);
    return resp;
  }
  json::object o{{"id", r.submission_id}, {"kind", r.kind}, {"series", r.series}, {"observations", r.observations},
                 {"links", {{"status", link}}}};
  if (!r.dataflow.id.empty()) o["dataflow"] = r.dataflow.ToString();
  int code = 202;
  if (r.outcome == connectors::SubmissionOutcome::kRejected) {
    code = 400;
    o["status"] = "rejected";
    o["diagnostics"] = DiagnosticsJson(r.diagnostics);
    o["diagnostics_total"] = r.diagnostics.count();
  } else {
    o["status"] = "accepted";
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
  router->Add("GET", "/api/v1/submissions/{id}", [ctx](HttpRequest& req) { return StatusOf(ctx, req.Param("id")); });
}

}  // namespace hub::http
