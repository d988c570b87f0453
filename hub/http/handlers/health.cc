// GET /healthz (log and materialiser state) and GET /metrics (Prometheus text).
#include <boost/json.hpp>

#include "hub/http/handlers/handlers.h"

namespace hub::http {

void RegisterHealthRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/healthz", [ctx](HttpRequest&) {
    Status h = ctx.materialiser->health();
    boost::json::object o{{"status", h.ok() ? "ok" : "failing"},
                          {"watermark", ctx.state->watermark().value},
                          {"log", ctx.log_description},
                          {"pending_submissions", ctx.materialiser->pending()}};
    if (!h.ok()) o["error"] = h.ToString();
    return HttpResponse::Make(h.ok() ? 200 : 503, "application/json", boost::json::serialize(o) + "\n");
  });
  router->Add("GET", "/metrics", [ctx](HttpRequest&) {
    std::string body;
    body += "# HELP sdmxhub_watermark Commit sequence of the last applied submission.\n";
    body += "# TYPE sdmxhub_watermark gauge\n";
    body += "sdmxhub_watermark " + std::to_string(ctx.state->watermark().value) + "\n";
    body += "# HELP sdmxhub_materialiser_pending_submissions Submissions read but not yet applied.\n";
    body += "# TYPE sdmxhub_materialiser_pending_submissions gauge\n";
    body += "sdmxhub_materialiser_pending_submissions " + std::to_string(ctx.materialiser->pending()) + "\n";
    body += "# HELP sdmxhub_materialiser_up 1 while the materialiser runs.\n";
    body += "# TYPE sdmxhub_materialiser_up gauge\n";
    body += std::string("sdmxhub_materialiser_up ") + (ctx.materialiser->health().ok() ? "1" : "0") + "\n";
    return HttpResponse::Make(200, "text/plain; version=0.0.4", body);
  });
}

}  // namespace hub::http
