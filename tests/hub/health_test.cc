// /metrics and /healthz over real HTTP: counters move with what the hub
// does (submissions by status, observations applied, requests by route and
// status), and the lag gauges see a materialiser that stopped consuming.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <optional>
#include <sstream>

#include "hub/http/client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

// The value of the sample `series` (name plus labels exactly as rendered,
// e.g. `sdmxhub_submissions_total{status="accepted"}`); 0 when absent.
double Sample(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > series.size() && line.compare(0, series.size(), series) == 0 && line[series.size()] == ' ') {
      return std::stod(line.substr(series.size() + 1));
    }
  }
  return 0;
}

std::string Metrics(Hub& hub) {
  auto r = http::Fetch("GET", hub.url() + "/metrics");
  EXPECT_TRUE(r.ok());
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->FindHeader("Content-Type")->find("text/plain"), std::string::npos);
  return r->body;
}

TEST(MetricsTest, CountersFollowSubmissionsCommitsAndRequests) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string before = Metrics(**hub);
  const std::string initial = testing::DemoInitial();
  ASSERT_TRUE(testing::SubmitAndWait(**hub, initial, "m1", "demo-unsd-token").ok());
  auto bad = testing::Submit(**hub, initial.substr(0, initial.size() / 3), "m2", "demo-unsd-token");
  ASSERT_TRUE(bad.ok());
  ASSERT_EQ(bad->status, 400);
  ASSERT_TRUE(http::Fetch("GET", (*hub)->url() + "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T").ok());
  ASSERT_TRUE(http::Fetch("GET", (*hub)->url() + "/no/such/path").ok());
  const std::string after = Metrics(**hub);
  auto delta = [&](const std::string& series) { return Sample(after, series) - Sample(before, series); };

  EXPECT_EQ(delta(R"(sdmxhub_submissions_total{status="accepted"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_submissions_total{status="rejected"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_submissions_total{status="committed"})"), 1);
  const auto commit = (*hub)->state()->Commit((*hub)->state()->watermark().value);
  ASSERT_TRUE(commit.ok() && *commit);
  EXPECT_EQ(delta("sdmxhub_observations_applied_total"), static_cast<double>((*commit)->revisions_written()));
  EXPECT_GT((*commit)->revisions_written(), 0);
  EXPECT_EQ(delta(R"(sdmxhub_commit_latency_seconds_count)"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_http_requests_total{method="POST",route="/api/v1/submissions",status="202"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_http_requests_total{method="POST",route="/api/v1/submissions",status="400"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_http_requests_total{method="GET",route="/sdmx/v1/data/{flow}/{key}",status="200"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_http_requests_total{method="GET",route="unmatched",status="404"})"), 1);
  EXPECT_EQ(delta(R"(sdmxhub_http_request_duration_seconds_count{route="/api/v1/submissions"})"), 2);
  EXPECT_EQ(Sample(after, "sdmxhub_watermark"), static_cast<double>((*hub)->state()->watermark().value));
  EXPECT_EQ(Sample(after, "sdmxhub_log_reachable"), 1);
  EXPECT_EQ(Sample(after, "sdmxhub_materialiser_up"), 1);
}

TEST(MetricsTest, HealthzAndMetricsShowTheLagOfAStoppedMaterialiser) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  auto health = [&] {
    auto r = http::Fetch("GET", (*hub)->url() + "/healthz");
    EXPECT_TRUE(r.ok());
    return json::parse(r->body);
  };
  json::value h = health();
  EXPECT_EQ(h.at("status").as_string(), "ok");
  EXPECT_TRUE(h.at("log_reachable").as_bool());
  EXPECT_EQ(h.at("lag_events").to_number<int64_t>(), 0);
  EXPECT_EQ(h.at("unapplied_submissions").to_number<int64_t>(), 0);

  (*hub)->materialiser()->Stop();  // the log keeps accepting; nothing applies
  auto r = testing::Submit(**hub, testing::DemoInitial(), "lagging", "demo-unsd-token");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 202);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // so that the age is measurably > 0
  h = health();
  EXPECT_GT(h.at("lag_events").to_number<int64_t>(), 1);  // the series events and the marker
  EXPECT_EQ(h.at("unapplied_submissions").to_number<int64_t>(), 1);
  EXPECT_GE(h.at("lag_seconds").to_number<double>(), 0.05);
  const std::string m = Metrics(**hub);
  EXPECT_EQ(Sample(m, "sdmxhub_materialiser_lag_events"), static_cast<double>(h.at("lag_events").to_number<int64_t>()));
  EXPECT_GE(Sample(m, "sdmxhub_materialiser_lag_seconds"), 0.05);
}

}  // namespace
}  // namespace hub
