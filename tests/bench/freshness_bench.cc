// End-to-end freshness: a steady feed of small submissions (one every
// --interval-ms, 20 series each) to an in-process hub over loopback HTTP;
// for each, the time from its 202 to its data being visible at the published
// watermark. Printed as p50/p99 next to a bare GET /healthz round trip
// measured in the same run (the baseline); then ingest throughput: one
// large submission (--large observations, structure-specific 2.1) from
// first byte sent to committed, in observations/s, with the embedded log's
// figure as the baseline. On the embedded log, on Kafka through librdkafka's
// mock cluster, and on a real Apache Kafka 4.1 broker (single node, KRaft,
// started by tests/kafka/broker/cluster.sh; skipped with a note when java
// or mvn is missing).
//   build/bin/freshness_bench [submissions=200] [interval_ms=20] [large=300000]
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

struct Figures {
  double fresh_p50 = 0, fresh_p99 = 0, obs_per_s = 0;
};

void Run(const char* name, const std::string& kafka, int count, int interval_ms, const std::string& large,
         uint64_t large_obs, Figures* out) {
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
  out->fresh_p50 = bench::Percentile(fresh, 0.5);
  out->fresh_p99 = bench::Percentile(fresh, 0.99);
  // Throughput: one large submission, first byte sent -> committed.
  if (large.empty()) {
    (*hub)->Stop();
    hub->reset();
    std::filesystem::remove_all(dir);
    return;
  }
  const std::string id = std::string(name) + "-large";
  auto t0 = Clock::now();
  auto r = hub::http::Fetch("POST", url + "/api/v1/submissions", large,
                            {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", id}});
  if (r.ok() && r->status == 202 && (*hub)->materialiser()->WaitForSubmission(id, 600s).ok()) {
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    out->obs_per_s = static_cast<double>(large_obs) / s;
    std::printf("%-9s large submission: %llu observations, sent -> committed %.2f s = %.0f obs/s\n", name,
                static_cast<unsigned long long>(large_obs), s, out->obs_per_s);
  } else {
    std::printf("%-9s large submission failed: %s\n", name,
                r.ok() ? (std::to_string(r->status) + " " + r->body.substr(0, 300)).c_str() : r.status().ToString().c_str());
  }
  (*hub)->Stop();
  hub->reset();
  std::filesystem::remove_all(dir);
}

}  // namespace

// Runs tests/kafka/broker/cluster.sh; its stdout's last line, "" on failure.
std::string ClusterScript(const std::string& args) {
  const std::string cmd = std::string(HUB_SOURCE_DIR) + "/tests/kafka/broker/cluster.sh " + args;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  std::string out, line;
  char buf[4096];
  while (fgets(buf, sizeof buf, p)) out = buf;
  const int rc = pclose(p);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return rc == 0 ? out : "";
}

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  const int count = argc > 1 ? std::atoi(argv[1]) : 200;
  const int interval = argc > 2 ? std::atoi(argv[2]) : 20;
  const uint64_t large_obs = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 300'000;
  std::string large;
  sdmx::DemoDataOptions lo;
  lo.file = sdmx::DemoDataOptions::File::kLarge;
  lo.observations = large_obs;
  if (!sdmx::WriteDemoData(lo, [&](std::string_view c) { large.append(c); }).ok()) return 1;
  Figures embedded, mock, real;
  Run("embedded", "", count, interval, large, large_obs, &embedded);
  if (auto cluster = hub::storage::KafkaMockCluster::Start({}); cluster.ok()) {
    // No large submission: the mock keeps only 5 MiB per partition.
    Run("kafka-mock", (*cluster)->bootstrap(), count, interval, "", 0, &mock);
  }
  const std::string dir = std::filesystem::temp_directory_path().string() + "/sdmx-hub-fresh-broker";
  ClusterScript("stop " + dir);
  const std::string bootstrap = ClusterScript("start " + dir + " 1");
  if (bootstrap.empty()) {
    std::printf("kafka     no real broker (java and mvn needed: make test-deps); see tests/kafka/broker\n");
    return 0;
  }
  Run("kafka", bootstrap, count, interval, large, large_obs, &real);
  ClusterScript("stop " + dir);
  std::filesystem::remove_all(dir);
  std::printf("real broker vs embedded log: accepted->visible p50 %.2fx, p99 %.2fx; ingest throughput %.2fx\n",
              real.fresh_p50 / std::max(1e-9, embedded.fresh_p50), real.fresh_p99 / std::max(1e-9, embedded.fresh_p99),
              real.obs_per_s / std::max(1e-9, embedded.obs_per_s));
  return 0;
}
