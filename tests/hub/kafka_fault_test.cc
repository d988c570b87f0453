// Kafka faults injected through the librdkafka mock cluster, with the hub's
// real producer and consumer: produce errors and a broker that goes down and
// comes back. Every submission must be applied exactly once.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>
// rdkafka_mock.h needs rdkafka.h first.
#include <librdkafka/rdkafka_mock.h>

#include <future>
#include <thread>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/test_util.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
constexpr int16_t kProduceApiKey = 0;

class KafkaFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = storage::KafkaMockCluster::Start({});
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = std::move(*c);
    HubOptions o;
    o.data_dir = dir_.Sub("data");
    o.listen = "127.0.0.1:0";
    o.config_path = testing::SourcePath("configs/hub.toml");
    o.kafka_bootstrap = cluster_->bootstrap();
    auto h = Hub::Start(o);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  int Post(const std::string& body, const std::string& token, const std::string& id) {
    auto r = http::Fetch("POST", hub_->url() + "/api/v1/submissions", body,
                         {{"Authorization", "Bearer " + token}, {"X-Submission-Id", id}});
    return r.ok() ? r->status : -1;
  }

  // Every observation of the demo flow at the current watermark, and how many
  // revisions history holds for each series key in total.
  std::map<std::string, std::string> Values() {
    std::map<std::string, std::string> out;
    EXPECT_TRUE(hub_->state()
                    ->ScanSeries("SDMXHUB:DF_DEMO_SDG(1.0)", sdmx::KeyPattern(), hub_->state()->watermark(),
                                 [&](const sdmx::Series& s) {
                                   for (const auto& o : s.observations) out[s.KeyString() + "|" + o.period] = o.value;
                                   return true;
                                 })
                    .ok());
    return out;
  }

  size_t Revisions(const std::string& series_key) {
    auto h = hub_->state()->History("SDMXHUB:DF_DEMO_SDG(1.0)", series_key);
    EXPECT_TRUE(h.ok());
    return h.ok() ? h->size() : 0;
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::KafkaMockCluster> cluster_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(KafkaFaultTest, ProduceErrorsAreRetriedWithoutDuplicates) {
  // Retriable errors on the next produce requests: the idempotent producer
  // retries them; nothing may be written twice.
  rd_kafka_mock_push_request_errors(cluster_->handle(), kProduceApiKey, 4, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                                    RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
                                    RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE);
  const std::string initial = testing::DemoInitial();
  ASSERT_EQ(Post(initial, "demo-unsd-token", "f1"), 202);
  auto rec = hub_->materialiser()->WaitForSubmission("f1", 60s);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_EQ(Values(), testing::ObservationValues(initial, testing::DemoStructures()));
  EXPECT_EQ(Revisions("A.G.SH_STA_MORT.404._T._T._T"), 7u);  // 2015..2021, once each
  EXPECT_EQ(hub_->state()->watermark().value, 2u);
}

TEST_F(KafkaFaultTest, BrokerDownThenUpLosesNothing) {
  const std::string initial = testing::DemoInitial(), revision = testing::DemoRevision();
  ASSERT_EQ(Post(initial, "demo-unsd-token", "b1"), 202);
  ASSERT_TRUE(hub_->materialiser()->WaitForSubmission("b1", 60s).ok());

  // The broker goes down while WHO submits; it comes back 2 s later. The
  // submission waits for acknowledgement (or fails retryably: then the
  // provider resubmits with the same id).
  ASSERT_EQ(rd_kafka_mock_broker_set_down(cluster_->handle(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  auto pending = std::async(std::launch::async, [&] { return Post(revision, "demo-who-token", "b2"); });
  std::this_thread::sleep_for(2s);
  ASSERT_EQ(rd_kafka_mock_broker_set_up(cluster_->handle(), 1), RD_KAFKA_RESP_ERR_NO_ERROR);
  int status = pending.get();
  if (status != 202) status = Post(revision, "demo-who-token", "b2");  // retry with the same id
  ASSERT_TRUE(status == 202 || status == 200) << status;
  auto rec = hub_->materialiser()->WaitForSubmission("b2", 60s);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();

  std::map<std::string, std::string> expected = testing::ObservationValues(initial, testing::DemoStructures());
  for (const auto& [k, v] : testing::ObservationValues(revision, testing::DemoStructures())) expected[k] = v;
  EXPECT_EQ(Values(), expected);
  EXPECT_EQ(hub_->state()->watermark().value, 3u);  // structures, b1, b2: nothing applied twice
  EXPECT_TRUE(hub_->materialiser()->health().ok()) << hub_->materialiser()->health().ToString();
}

}  // namespace
}  // namespace hub
