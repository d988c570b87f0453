// GET /healthz (log reachable, materialiser running and its lag; the REST
// pull sources' last successes and errors) and GET /metrics (Prometheus
// text: HubMetrics plus the same measurements).
#include <boost/json.hpp>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"

namespace hub::http {
namespace {

// The materialiser's lag, measured now: log records past its stored
// positions (asking the log for its end offsets also tells whether the log
// is reachable), and the age of the oldest accepted, unapplied submission.
HubMetrics::Now Measure(const HandlerContext& ctx, Status* log_status) {
  HubMetrics::Now n;
  n.watermark = ctx.state->watermark().value;
  n.pending = ctx.materialiser->pending();
  n.materialiser_up = ctx.materialiser->health().ok();
  n.feed_subscribers = ctx.changes ? ctx.changes->subscribers() : 0;
  if (ctx.rest_pull) n.pulls = ctx.rest_pull->statuses();
  *log_status = Status::Ok();
  auto positions = ctx.state->Offsets(ctx.topics);
  if (!positions.ok()) *log_status = positions.status();
  for (const std::string& topic : ctx.topics.All()) {
    if (!log_status->ok()) break;
    auto parts = ctx.log->PartitionCount(topic);
    if (!parts.ok()) {
      *log_status = parts.status();
      break;
    }
    for (int32_t p = 0; p < *parts && log_status->ok(); ++p) {
      const storage::TopicPartition tp{topic, p};
      auto end = ctx.log->EndOffset(tp);
      if (!end.ok()) {
        *log_status = end.status();
        break;
      }
      auto it = positions->find(tp);
      n.lag_events += std::max<int64_t>(0, *end - (it == positions->end() ? 0 : it->second));
    }
  }
  n.log_reachable = log_status->ok();
  const connectors::Ingestor::InFlight f = ctx.ingestor->Unapplied();
  n.unapplied = f.count;
  if (f.oldest_ms) {
    const int64_t now = NowMs();
    n.lag_seconds = static_cast<double>(std::max<int64_t>(0, now - f.oldest_ms)) / 1000.0;
  }
  return n;
}

std::string TimeOrEmpty(int64_t ms) { return ms ? IsoTimeMs(ms) : ""; }

// One entry per (source, dataflow). A failing remote is reported here but
// does not make this hub unhealthy: its own data path works.
boost::json::array PullJson(const connectors::RestPull& pull) {
  boost::json::array out;
  for (const connectors::PullStatus& p : pull.statuses()) {
    boost::json::object o{{"source", p.source},
                          {"dataflow", p.dataflow},
                          {"url", p.url},
                          {"last_attempt", TimeOrEmpty(p.last_attempt_ms)},
                          {"last_success", TimeOrEmpty(p.last_success_ms)},
                          {"last_error_at", TimeOrEmpty(p.last_error_ms)},
                          {"last_error", p.last_error},
                          {"successes", p.successes},
                          {"failures", p.failures},
                          {"cursor", p.cursor_ms ? IsoTimeMs(*p.cursor_ms) : ""},
                          {"last_result", p.last_result},
                          {"received_observations", p.received_observations},
                          {"submitted_observations", p.submitted_observations},
                          {"submitted_deletions", p.submitted_deletions},
                          {"last_submission", p.last_submission_id}};
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace

void RegisterHealthRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/healthz", [ctx](HttpRequest&) {
    Status log_status;
    const HubMetrics::Now n = Measure(ctx, &log_status);
    Status h = ctx.materialiser->health();
    const bool ok = h.ok() && log_status.ok();
    boost::json::object o{{"status", ok ? "ok" : "failing"},
                          {"watermark", n.watermark},
                          {"log", ctx.log_description},
                          {"log_reachable", n.log_reachable},
                          {"materialiser_running", h.ok()},
                          {"lag_events", n.lag_events},
                          {"lag_seconds", n.lag_seconds},
                          {"pending_submissions", n.pending},
                          {"unapplied_submissions", n.unapplied}};
    if (!h.ok()) o["error"] = h.ToString();
    if (!log_status.ok()) o["log_error"] = log_status.ToString();
    if (ctx.rest_pull) o["pull"] = PullJson(*ctx.rest_pull);
    return HttpResponse::Make(ok ? 200 : 503, "application/json", JsonText(o) + "\n");
  });
  router->Add("GET", "/metrics", [ctx](HttpRequest&) {
    Status log_status;
    return HttpResponse::Make(200, "text/plain; version=0.0.4", ctx.metrics->Render(Measure(ctx, &log_status)));
  });
}

}  // namespace hub::http
