// The hub on a real Apache Kafka cluster (KRaft, jars from Maven Central,
// tests/kafka/broker/): topics as an operator expects them, and faults on a
// 3-broker cluster with replication 3 and min.insync.replicas=2 (acks=all):
// the partition leader killed during a large submission, two of three
// brokers stopped. Each: no acknowledged submission lost, none applied
// twice, and a replay of the log equals the live state.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "hub/hub.h"
#include "storage/kafka_event_log.h"
#include "testing/kafka_cluster.h"
#include "testing/test_hub.h"
#include "testing/test_util.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

TEST(KafkaTopicsTest, ATopicThatWouldDeleteHistoryIsRefusedUnlessAllowed) {
  auto cluster = testing::KafkaCluster::Shared();
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  storage::KafkaEventLogOptions o;
  o.bootstrap = (*cluster)->bootstrap();
  o.topics = storage::LogTopics::WithPrefix(testing::KafkaCluster::UniquePrefix());
  o.timeout = 10s;
  {
    // Created by the hub: infinite retention, so a plain reopen passes the check.
    auto log = storage::KafkaEventLog::Open(o);
    ASSERT_TRUE(log.ok()) << log.status().ToString();
  }
  auto again = storage::KafkaEventLog::Open(o);
  EXPECT_TRUE(again.ok()) << again.status().ToString();
  again->reset();

  // Topics someone else made with a week's retention.
  storage::KafkaEventLogOptions week = o;
  week.topics = storage::LogTopics::WithPrefix(testing::KafkaCluster::UniquePrefix());
  week.topic_config["retention.ms"] = "604800000";
  week.allow_finite_retention = true;
  auto made = storage::KafkaEventLog::Open(week);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  made->reset();
  week.topic_config.clear();
  week.allow_finite_retention = false;
  auto refused = storage::KafkaEventLog::Open(week);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("kafka topic " + week.topics.data + " would delete the hub's history "
                                            "(retention.ms=604800000"),
            std::string::npos)
      << refused.status().message();
  week.allow_finite_retention = true;
  EXPECT_TRUE(storage::KafkaEventLog::Open(week).ok());
}

// A hub (in this process) on a 3-broker cluster it shares with nobody.
class ThreeBrokerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = testing::KafkaCluster::Start(dir_.Sub("kafka"), 3);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    cluster_ = std::move(*c);
    // Replication 3, two in sync to acknowledge; delivery given up after
    // 10 s so that a refusal comes while the test waits.
    // Events appended 256 KiB per flush: a large submission spends seconds
    // appending, in which the test kills a broker.
    config_ = testing::DemoConfig(dir_, {{"replication_factor = 1 ", "replication_factor = 3 "},
                                         {"timeout_ms = 30000 ", "timeout_ms = 10000 "},
                                         {"append_batch_bytes = 8388608", "append_batch_bytes = 262144"}});
    std::string toml = testing::ReadFileOrDie(config_);
    toml += "\n[kafka.topic_config]\n\"min.insync.replicas\" = 2\n";
    testing::WriteFileOrDie(config_, toml);
    StartHub();
  }

  void StartHub() {
    HubOptions o;
    o.data_dir = dir_.Sub("data");
    o.listen = "127.0.0.1:0";
    o.config_path = config_;
    o.kafka_bootstrap = cluster_->bootstrap();
    auto h = Hub::Start(o);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  // Submits until the hub acknowledges (202), as a provider retries a 503
  // with the same id. The statuses seen, in order.
  std::vector<int> SubmitUntilAccepted(const std::string& body, const std::string& id, const std::string& token,
                                       int tries = 20) {
    std::vector<int> seen;
    for (int i = 0; i < tries; ++i) {
      auto r = testing::Submit(*hub_, body, id, token);
      seen.push_back(r.ok() ? r->status : -1);
      if (r.ok() && r->status == 202) break;
      std::this_thread::sleep_for(1s);
    }
    return seen;
  }

  // The live digest equals that of `sdmx-hub replay` from the cluster.
  void ExpectReplayEqualsLive() {
    auto live = hub_->state()->Digest();
    ASSERT_TRUE(live.ok());
    const std::string args = "replay --data-dir " + dir_.Sub("data") + " --into " + dir_.Sub("replayed") +
                             " --config " + config_ + " --kafka " + cluster_->bootstrap();
    EXPECT_EQ(testing::HubBinaryOutput(args), *live);
  }

  testing::TempDir dir_;
  std::string config_;
  std::unique_ptr<testing::KafkaCluster> cluster_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ThreeBrokerTest, KillingThePartitionLeaderDuringALargeSubmissionLosesNothing) {
  // Large enough that its events take seconds to append.
  const std::string large = testing::LargeDemoMessage(400'000);
  const storage::LogTopics topics;
  storage::KafkaEventLogOptions lo;
  lo.bootstrap = cluster_->bootstrap();
  lo.timeout = 10s;
  auto watcher = storage::KafkaEventLog::Open(lo);
  ASSERT_TRUE(watcher.ok()) << watcher.status().ToString();
  const storage::TopicPartition p0{topics.data, 0};
  auto before = (*watcher)->EndOffset(p0);
  ASSERT_TRUE(before.ok());
  auto leader = cluster_->Leader(topics.data, 0);
  ASSERT_TRUE(leader.ok()) << leader.status().ToString();

  std::atomic<bool> done{false};
  std::vector<int> statuses;
  std::thread provider([&] {
    statuses = SubmitUntilAccepted(large, "large-1", "demo-unsd-token");
    done = true;
  });
  // Kill the leader of data partition 0 once the submission's events land there.
  for (int i = 0; i < 600 && !done; ++i) {
    auto end = (*watcher)->EndOffset(p0);
    if (end.ok() && *end > *before) break;
    std::this_thread::sleep_for(50ms);
  }
  const bool killed_during = !done;
  {
    const Status s = cluster_->Kill(*leader);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  provider.join();
  EXPECT_TRUE(killed_during) << "the submission was acknowledged before the leader died: the test saw no fault";
  ASSERT_FALSE(statuses.empty());
  EXPECT_EQ(statuses.back(), 202) << "never acknowledged";

  auto rec = hub_->materialiser()->WaitForSubmission("large-1", 120s);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_GT(rec->seq(), 0u) << "acknowledged, then lost";
  // Every observation once: new, none counted twice (a duplicated event
  // would find its own value and count unchanged).
  EXPECT_EQ(rec->revisions().new_observations(), rec->marker().observations());
  EXPECT_EQ(rec->revisions().unchanged_observations(), 0);
  EXPECT_GT(rec->marker().observations(), 300'000);

  // The broker comes back and catches up; replay reads every partition.
  {
    const Status s = cluster_->Restart(*leader);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  ExpectReplayEqualsLive();
  std::cout << "leader " << *leader << " killed during the submission; answers: ";
  for (int s : statuses) std::cout << s << " ";
  std::cout << "\n";
}

TEST_F(ThreeBrokerTest, WithTwoOfThreeBrokersDownTheHubRefusesToAcknowledgeAndLosesNothing) {
  auto first = testing::SubmitAndWait(*hub_, testing::DemoInitial(), "before", "demo-unsd-token");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  {
    const Status s = cluster_->Kill(1);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  {
    const Status s = cluster_->Kill(2);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  // Below min.insync.replicas (and without a controller quorum): nothing
  // may be acknowledged.
  auto r = testing::Submit(*hub_, testing::DemoRevision(), "during", "demo-who-token");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_NE(r->FindHeader("Retry-After"), nullptr);
  // Back up: the provider retries with the same id, applied exactly once.
  {
    const Status s = cluster_->Restart(1);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  {
    const Status s = cluster_->Restart(2);
    ASSERT_TRUE(s.ok()) << s.ToString();  // cluster.sh says why (the end of the broker log)
  }
  const std::vector<int> statuses = SubmitUntilAccepted(testing::DemoRevision(), "during", "demo-who-token", 60);
  ASSERT_EQ(statuses.back(), 202);
  auto rec = hub_->materialiser()->WaitForSubmission("during", 60s);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  EXPECT_GT(rec->seq(), first->seq());
  // What the refused attempt may have left in the log never applies twice:
  // exactly the demo revision's changes, on top of the initial load.
  EXPECT_EQ(rec->revisions().new_observations() + rec->revisions().changed_observations() +
                rec->revisions().unchanged_observations(),
            rec->marker().observations());
  EXPECT_EQ(hub_->state()->watermark().value, rec->seq());
  ExpectReplayEqualsLive();
}

}  // namespace
}  // namespace hub
