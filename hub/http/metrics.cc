#include "hub/http/metrics.h"

#include <prometheus/text_serializer.h>

#include "hub/base/iso_time.h"

#include <algorithm>
#include <cstdio>
#include <functional>

namespace hub::http {
namespace {

// Request latencies: 0.5 ms to 10 s (SDMX answers range from cached bytes to
// streamed millions of observations).
const prometheus::Histogram::BucketBoundaries kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                                 0.1,    0.25,  0.5,    1,     2.5,   5,     10};
// Accept -> commit: milliseconds when idle, minutes for huge submissions.
const prometheus::Histogram::BucketBoundaries kCommitBuckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                                1,     2.5,  5,     10,   30,  60,  300};

}  // namespace

HubMetrics::HubMetrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      requests_(prometheus::BuildCounter()
                    .Name("sdmxhub_http_requests_total")
                    .Help("HTTP requests by route, method and status.")
                    .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("sdmxhub_http_request_duration_seconds")
                   .Help("Time to the response head, by route (streamed bodies continue after it).")
                   .Register(*registry_)),
      submissions_(prometheus::BuildCounter()
                       .Name("sdmxhub_submissions_total")
                       .Help("Submissions by ingest outcome (accepted, rejected, duplicate) and by commit (committed).")
                       .Register(*registry_)),
      committed_(submissions_.Add({{"status", "committed"}})),
      observations_(prometheus::BuildCounter()
                        .Name("sdmxhub_observations_applied_total")
                        .Help("Observation revisions (deletions included) written by commits.")
                        .Register(*registry_)
                        .Add({})),
      commit_latency_(prometheus::BuildHistogram()
                          .Name("sdmxhub_commit_latency_seconds")
                          .Help("From a submission's acceptance to its commit.")
                          .Register(*registry_)
                          .Add({}, kCommitBuckets)) {}

void HubMetrics::OnRequest(const std::string& method, const std::string& route, int status, double seconds) {
  requests_.Add({{"route", route}, {"method", method}, {"status", std::to_string(status)}}).Increment();
  latency_.Add({{"route", route}}, kLatencyBuckets).Observe(seconds);
}

void HubMetrics::OnReceipt(const connectors::SubmissionReceipt& r) {
  const char* status = r.outcome == connectors::SubmissionOutcome::kAccepted   ? "accepted"
                       : r.outcome == connectors::SubmissionOutcome::kRejected ? "rejected"
                                                                               : "duplicate";
  submissions_.Add({{"status", status}}).Increment();
}

void HubMetrics::OnPublish(const storage::VersionedState& state, uint64_t w) {
  std::lock_guard l(publish_mu_);
  if (last_published_ == 0) last_published_ = w - 1;  // count from the first commit this process sees
  const int64_t now = NowMs();
  for (uint64_t seq = last_published_ + 1; seq <= w; ++seq) {
    auto c = state.Commit(seq);
    if (!c.ok() || !*c) continue;
    committed_.Increment();
    observations_.Increment(static_cast<double>((*c)->revisions_written()));
    commit_latency_.Observe(static_cast<double>(std::max<int64_t>(0, now - (*c)->accepted_time_ms())) / 1000.0);
  }
  last_published_ = std::max(last_published_, w);
}

namespace {

// A sample value as Prometheus text: 17 significant digits, exact for a double.
std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

// A Prometheus label value: backslash, double quote and newline escaped.
std::string LabelValue(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string HubMetrics::Render(const Now& now) {
  std::string out = prometheus::TextSerializer().Serialize(registry_->Collect());
  // Point-in-time gauges, written directly: they are measured per scrape.
  auto gauge = [&](const char* name, const char* help, double v) {
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " gauge\n" + name + " " + Number(v) + "\n";
  };
  gauge("sdmxhub_watermark", "Commit sequence of the last applied submission.", static_cast<double>(now.watermark));
  gauge("sdmxhub_materialiser_lag_events", "Log records not yet consumed by the materialiser.",
        static_cast<double>(now.lag_events));
  gauge("sdmxhub_materialiser_lag_seconds", "Age of the oldest accepted submission not yet applied (0 when none).",
        now.lag_seconds);
  gauge("sdmxhub_materialiser_pending_submissions", "Submissions read by the materialiser, not yet applied.",
        static_cast<double>(now.pending));
  gauge("sdmxhub_unapplied_submissions", "Submissions accepted by this process, not yet in the ledger.",
        static_cast<double>(now.unapplied));
  gauge("sdmxhub_materialiser_up", "1 while the materialiser runs.", now.materialiser_up ? 1 : 0);
  gauge("sdmxhub_log_reachable", "1 when the event log answered this scrape.", now.log_reachable ? 1 : 0);
  gauge("sdmxhub_change_feed_subscribers", "Open change-feed subscriptions.", static_cast<double>(now.feed_subscribers));
  // REST pull, per source and dataflow (the connector keeps the counts).
  auto per_pull = [&](const char* name, const char* type, const char* help,
                      const std::function<double(const connectors::PullStatus&)>& value) {
    if (now.pulls.empty()) return;
    out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    for (const connectors::PullStatus& p : now.pulls) {
      out += std::string(name) + "{source=\"" + LabelValue(p.source) + "\",dataflow=\"" + LabelValue(p.dataflow) +
             "\"} " + Number(value(p)) + "\n";
    }
  };
  per_pull("sdmxhub_pull_successes_total", "counter", "Successful pulls (no results included).",
           [](const connectors::PullStatus& p) { return static_cast<double>(p.successes); });
  per_pull("sdmxhub_pull_failures_total", "counter", "Failed pulls (remote down, HTTP error, bad answer, refusal).",
           [](const connectors::PullStatus& p) { return static_cast<double>(p.failures); });
  per_pull("sdmxhub_pull_last_success_timestamp_seconds", "gauge", "When the last successful pull started (0: never).",
           [](const connectors::PullStatus& p) { return static_cast<double>(p.last_success_ms) / 1000; });
  return out;
}

}  // namespace hub::http
