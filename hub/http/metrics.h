// HubMetrics: what GET /metrics serves, in Prometheus text format
// (prometheus-cpp). Counters are fed by hooks (the Router after each
// request, the Ingestor after each receipt, the state after each commit);
// gauges that describe "now" (lag, watermark) are measured by the /metrics
// handler when scraped. Thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include "connectors/ingest.h"
#include "connectors/rest_pull.h"
#include "storage/state.h"

namespace hub::http {

class HubMetrics {
 public:
  HubMetrics();

  // A request answered by `route` (its pattern, e.g. "/sdmx/v1/data/{flow}";
  // "unmatched" for 404s), with the time to its response head.
  void OnRequest(const std::string& method, const std::string& route, int status, double seconds);
  // Submissions by ingest outcome: accepted | rejected | duplicate.
  void OnReceipt(const connectors::SubmissionReceipt& r);
  // Every commit up to watermark `w` (reads their records from `state`):
  // committed submissions, observation revisions applied, and the time from
  // acceptance to commit.
  void OnPublish(const storage::VersionedState& state, uint64_t w);

  // Sets the gauges measured at scrape time, then renders everything.
  struct Now {
    uint64_t watermark = 0;
    size_t pending = 0;          // submissions read by the materialiser, not yet applied
    int64_t lag_events = 0;      // log records not yet consumed by the materialiser
    double lag_seconds = 0;      // age of the oldest accepted, unapplied submission
    size_t unapplied = 0;        // accepted by this process, not yet in the ledger
    bool materialiser_up = false;
    bool log_reachable = false;
    size_t feed_subscribers = 0;
    std::vector<connectors::PullStatus> pulls;  // per REST pull source and dataflow
  };
  std::string Render(const Now& now);

 private:
  std::shared_ptr<prometheus::Registry> registry_;
  prometheus::Family<prometheus::Counter>& requests_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& submissions_;
  prometheus::Counter& committed_;
  prometheus::Counter& observations_;
  prometheus::Histogram& commit_latency_;
  std::mutex publish_mu_;
  uint64_t last_published_ = 0;  // commits up to here are counted
};

}  // namespace hub::http
