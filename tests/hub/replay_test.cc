// `sdmx-hub replay` rebuilds, from the log alone, a state whose digest equals
// the live one: on the embedded log (read beside the running hub) and on
// Kafka (the mock cluster in this process, reached over loopback TCP).
#include <gtest/gtest.h>

#include <cstdio>
#include <thread>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/test_util.h"

namespace hub {
namespace {

using namespace std::chrono_literals;


class ReplayTest : public ::testing::TestWithParam<bool> {};

TEST_P(ReplayTest, ReplayDigestEqualsLiveDigest) {
  const bool kafka = GetParam();
  testing::TempDir dir;
  std::unique_ptr<storage::KafkaMockCluster> cluster;
  HubOptions o;
  o.data_dir = dir.Sub("live");
  o.listen = "127.0.0.1:0";
  o.config_path = testing::SourcePath("configs/hub.toml");
  if (kafka) {
    auto c = storage::KafkaMockCluster::Start({});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster = std::move(*c);
    o.kafka_bootstrap = cluster->bootstrap();
  }
  auto hub = Hub::Start(o);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string url = (*hub)->url() + "/api/v1/submissions";
  struct Sub {
    std::string body, token, id;
  };
  std::string bad = testing::DemoInitial();
  bad.replace(bad.find("REF_AREA=\"404\""), 14, "REF_AREA=\"999\"");
  for (const Sub& s : {Sub{testing::DemoInitial(), "demo-unsd-token", "r1"}, Sub{bad, "demo-unsd-token", "r2"},
                       Sub{testing::DemoRevision(), "demo-who-token", "r3"}}) {
    auto r = http::Fetch("POST", url, s.body, {{"Authorization", "Bearer " + s.token}, {"X-Submission-Id", s.id}});
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(r->status == 202 || r->status == 400) << r->body;
    ASSERT_TRUE((*hub)->materialiser()->WaitForSubmission(s.id, 30s).ok());
  }
  auto live = (*hub)->state()->Digest();
  ASSERT_TRUE(live.ok());
  EXPECT_EQ((*hub)->state()->watermark().value, 3u);  // structures, r1, r3; r2 rejected

  // The embedded log is replayed read-only while the hub still runs.
  std::string args = "replay --data-dir " + o.data_dir + " --into " + dir.Sub("replayed") +
                     " --config " + o.config_path + (kafka ? " --kafka " + o.kafka_bootstrap : "");
  EXPECT_EQ(testing::HubBinaryOutput(args), *live);
  (*hub)->Stop();
  hub->reset();
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + dir.Sub("replayed")), *live);
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + o.data_dir), *live);
}

INSTANTIATE_TEST_SUITE_P(Logs, ReplayTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Kafka" : "Embedded"; });

}  // namespace
}  // namespace hub
