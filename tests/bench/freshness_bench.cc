// End-to-end freshness: a steady feed of small submissions (one every
// --interval-ms, 20 series each) to an in-process hub over loopback HTTP;
// for each, the time from its 202 to its data being visible at the published
// watermark. Printed as p50/p99 next to a bare GET /healthz round trip
// measured in the same run (the baseline), on the embedded log and on Kafka
// (librdkafka mock cluster).
//   build/bin/freshness_bench [submissions=200] [interval_ms=20]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/demo_feed.h"
#include "storage/kafka_mock_cluster.h"
#include "bench_feed.h"

namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

void Run(const char* name, const std::string& kafka, int count, int interval_ms) {
  std::string dir = std::filesystem::temp_directory_path().string() + "/sdmx-hub-fresh-" + name;
  std::filesystem::remove_all(dir);
  hub::HubOptions o;
  o.data_dir = dir;
  o.listen = "127.0.0.1:0";
  o.config_path = std::string(HUB_SOURCE_DIR) + "/configs/hub.toml";
  o.kafka_bootstrap = kafka;
  auto hub = hub::Hub::Start(o);
  if (!hub.ok()) {
    std::fprintf(stderr, "%s: %s\n", name, hub.status().ToString().c_str());
    return;
  }
  const std::string url = (*hub)->url();
  std::vector<double> baseline, fresh, end_to_end;
  auto next = Clock::now();
  for (int i = 0; i < count; ++i) {
    std::this_thread::sleep_until(next);
    next += std::chrono::milliseconds(interval_ms);
    auto t0 = Clock::now();
    (void)hub::http::Fetch("GET", url + "/healthz");
    baseline.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    const std::string id = std::string(name) + "-" + std::to_string(i);
    const std::string body = bench::Feed(i);
    auto sent = Clock::now();
    auto r = hub::http::Fetch("POST", url + "/api/v1/submissions", body,
                              {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", id}});
    if (!r.ok() || r->status != 202) continue;
    auto accepted = Clock::now();
    if (!(*hub)->materialiser()->WaitForSubmission(id, 30s).ok()) continue;
    auto visible = Clock::now();
    fresh.push_back(std::chrono::duration<double, std::milli>(visible - accepted).count());
    end_to_end.push_back(std::chrono::duration<double, std::milli>(visible - sent).count());
  }
  // "after 202": accepted -> visible; "sent": request sent -> visible (includes validation and the log append).
  std::printf("%-9s %4zu subs  after 202 p50 %6.2f p99 %6.2f ms  | sent->visible p50 %6.2f p99 %6.2f ms"
              "  | GET /healthz p50 %5.2f ms (sent->visible p50 = %.1fx)\n",
              name, fresh.size(), bench::Percentile(fresh, 0.5), bench::Percentile(fresh, 0.99), bench::Percentile(end_to_end, 0.5),
              bench::Percentile(end_to_end, 0.99), bench::Percentile(baseline, 0.5),
              bench::Percentile(end_to_end, 0.5) / std::max(1e-9, bench::Percentile(baseline, 0.5)));
  (*hub)->Stop();
  hub->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int count = argc > 1 ? std::atoi(argv[1]) : 200;
  const int interval = argc > 2 ? std::atoi(argv[2]) : 20;
  Run("embedded", "", count, interval);
  auto cluster = hub::storage::KafkaMockCluster::Start({});
  if (cluster.ok()) Run("kafka", (*cluster)->bootstrap(), count, interval);
  return 0;
}
