// GET /api/v1/history/{flow}/{key}: every revision of every observation of
// one series, with the submission, provider and load time that made it.
#include <boost/json.hpp>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"
#include "storage/codec.h"

namespace hub::http {
namespace {

namespace json = boost::json;

HttpResponse History(const HandlerContext& ctx, const HttpRequest& req) {
  auto structures = ctx.registry->Snapshot();
  auto flow = ResolveFlowRef(req.Param("flow"), *structures);
  if (!flow.ok()) return ErrorFromStatus(flow.status());
  auto at = ReadWatermark(req, *ctx.state);
  if (!at.ok()) return ErrorFromStatus(at.status());
  auto entries = ctx.state->History((*flow)->ref.ToString(), req.Param("key"));
  if (!entries.ok()) return ErrorFromStatus(entries.status());
  json::array revisions;
  for (const auto& e : *entries) {
    if (e.seq > at->value) continue;
    json::object attrs;
    for (const auto& f : e.revision.attributes()) attrs[f.id()] = f.value();
    json::object r{{"period", e.period},
                   {"watermark", e.seq},
                   {"submission", e.commit.submission_id()},
                   {"provider", e.commit.provider()},
                   {"loaded_at", IsoTimeMs(storage::LoadedTimeMs(e.commit))},
                   {"action", sdmx::ActionName(storage::FromProto(e.revision.action()))}};
    // Embargoed until then: public (and in asOf answers) from that time on.
    if (int64_t t = storage::ReleasedTimeMs(e.commit)) r["released_at"] = IsoTimeMs(t);
    if (e.revision.deleted()) {
      r["deleted"] = true;
    } else {
      r["value"] = e.revision.value();
      r["attributes"] = std::move(attrs);
    }
    revisions.push_back(std::move(r));
  }
  if (revisions.empty()) return HttpResponse::Error(404, "no revisions of " + req.Param("key"));
  json::object o{{"dataflow", (*flow)->ref.ToString()}, {"key", req.Param("key")}, {"revisions", std::move(revisions)}};
  HttpResponse resp = HttpResponse::Make(200, "application/json", JsonText(o) + "\n");
  resp.SetHeader("X-Hub-Watermark", std::to_string(at->value));
  return resp;
}

}  // namespace

void RegisterHistoryRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/history/{flow}/{key}", [ctx](HttpRequest& req) { return History(ctx, req); });
}

}  // namespace hub::http
