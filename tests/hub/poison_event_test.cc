// No single record in the log stops the hub for everyone, on both log
// backends. Written straight into the log (what ingest would refuse):
//  - a committed submission whose data event holds invalid UTF-8 (proto3
//    refuses to decode it),
//  - a committed structure submission whose message does not read,
//  - a record of bytes that belong to no submission.
// The first two are recorded FAILED with the reason, nothing of them
// applied; the third is skipped and noted; submissions before and after
// commit, /healthz stays 200, a restart goes on, and a replay reaches the
// same verdicts (equal digests).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "storage/codec.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
namespace ev = sdmxhub::events::v1;

class PoisonEventTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      auto c = storage::KafkaMockCluster::Start({});
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      cluster_ = std::move(*c);
      options_.kafka_bootstrap = cluster_->bootstrap();
    }
    options_.data_dir = dir_.Sub("live");
    options_.listen = "127.0.0.1:0";
    options_.config_path = testing::SourcePath("configs/hub.toml");
    options_.admin_token = "poison-admin";
    Start();
  }

  void Start() {
    auto hub = Hub::Start(options_);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(*hub);
  }

  // `event` and a committed marker counting it, appended as ingest would.
  void AppendSubmission(const std::string& sid, const std::string& topic, const std::string& key,
                        const std::string& event, const std::string& kind) {
    auto w = hub_->log()->NewWriter();
    ASSERT_TRUE(w.ok());
    auto n = hub_->log()->PartitionCount(topic);
    ASSERT_TRUE(n.ok());
    const int32_t p = storage::PartitionForKey(key, *n);
    ASSERT_TRUE((*w)->Append(topic, p, key, event).ok());
    ASSERT_TRUE((*w)->Flush(10s).ok());
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id(sid);
    m->set_attempt_id(sid + "-attempt");
    m->set_provider("admin");
    m->set_kind(kind);
    m->set_status(ev::STATUS_COMMITTED);
    m->set_accepted_time_ms(1'700'000'000'000);
    ev::PartitionCount* c = m->add_counts();
    c->set_topic(topic);
    c->set_partition(p);
    c->set_events(1);
    ASSERT_TRUE((*w)->Append(topics_.submissions, 0, sid, storage::Serialize(&env)).ok());
    ASSERT_TRUE((*w)->Flush(10s).ok());
  }

  boost::json::value LedgerJson(const std::string& id) {
    auto r = http::Fetch("GET", hub_->url() + "/api/v1/submissions/" + id);
    EXPECT_TRUE(r.ok());
    return r.ok() ? boost::json::parse(r->body) : boost::json::value();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::KafkaMockCluster> cluster_;
  HubOptions options_;
  std::unique_ptr<Hub> hub_;
  storage::LogTopics topics_;
};

TEST_P(PoisonEventTest, AnEventThatCannotBeAppliedFailsItsSubmissionOnly) {
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::OneObservation("404", 1), "before", "demo-unsd-token").ok());

  // A data event whose attribute value is not UTF-8 (protobuf writes it,
  // with a complaint, and will not read it back).
  ev::Envelope data;
  ev::DataEvent* d = data.mutable_data();
  d->set_submission_id("bad-utf8");
  d->set_attempt_id("bad-utf8-attempt");
  *d->mutable_dataflow() = storage::ToProto(sdmx::ArtefactRef{"SDMXHUB", "DF_DEMO_SDG", "1.0"});
  d->set_action(ev::ACTION_MERGE);
  for (const char* k : {"A", "G", "SH_STA_MORT", "646", "_T", "_T", "_T"}) d->add_key(k);
  ev::Observation* o = d->add_observations();
  o->set_period("2020");
  o->set_value("5");
  ev::Field* f = o->add_attributes();
  f->set_id("SOURCE_DETAIL");
  f->set_value("caf\xe9");  // ISO-8859-1 bytes
  const std::string key = storage::DataRecordKey("SDMXHUB:DF_DEMO_SDG(1.0)", "A.G.SH_STA_MORT.646._T._T._T");
  AppendSubmission("bad-utf8", topics_.data, key, storage::Serialize(&data), "data");

  // A structure event whose message is not SDMX-ML.
  ev::Envelope structure;
  structure.mutable_structure()->set_submission_id("bad-structure");
  structure.mutable_structure()->set_attempt_id("bad-structure-attempt");
  structure.mutable_structure()->set_message("<Structure><Not/>");
  AppendSubmission("bad-structure", topics_.structures, "bad-structure", storage::Serialize(&structure), "structure");

  // Bytes that are nobody's.
  {
    auto w = hub_->log()->NewWriter();
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->Append(topics_.data, 0, "junk", "\xff\xff\xff\xff not an event").ok());
    ASSERT_TRUE((*w)->Flush(10s).ok());
  }

  // Later submissions still commit.
  auto after = testing::SubmitAndWait(*hub_, testing::OneObservation("404", 2), "after", "demo-unsd-token");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  for (const char* id : {"bad-utf8", "bad-structure"}) {
    auto rec = hub_->materialiser()->WaitForSubmission(id, 30s);
    ASSERT_TRUE(rec.ok()) << id << ": " << rec.status().ToString();
    EXPECT_EQ(rec->marker().status(), ev::STATUS_FAILED) << id;
    EXPECT_EQ(rec->seq(), 0u) << id;
    const boost::json::value v = LedgerJson(id);
    EXPECT_EQ(v.at("status").as_string(), "failed") << v;
    EXPECT_FALSE(v.at("failure").as_string().empty()) << v;
  }
  EXPECT_NE(LedgerJson("bad-utf8").at("failure").as_string().find("UTF-8"), std::string::npos);
  EXPECT_NE(LedgerJson("bad-structure").at("failure").as_string().find("does not read"), std::string::npos);
  EXPECT_EQ(LedgerJson("after").at("status").as_string(), "committed");
  EXPECT_TRUE(hub_->materialiser()->health().ok()) << hub_->materialiser()->health().ToString();
  EXPECT_EQ(hub_->materialiser()->failed(), 2u);
  auto health = http::Fetch("GET", hub_->url() + "/healthz");
  ASSERT_TRUE(health.ok());
  EXPECT_EQ(health->status, 200) << health->body;
  // Nothing of the failed ones is there: Rwanda (646) has no data.
  auto r = http::Fetch("GET", hub_->url() + "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.646._T._T._T");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 404);

  // A restart reads past them; the same verdicts come back on replay.
  hub_->Stop();
  hub_.reset();
  Start();
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::OneObservation("404", 3), "restarted", "demo-unsd-token").ok());
  auto now = hub_->state()->Digest();
  ASSERT_TRUE(now.ok());
  hub_->Stop();
  hub_.reset();
  const std::string args = "replay --data-dir " + options_.data_dir + " --into " + dir_.Sub("replayed") +
                           " --config " + options_.config_path +
                           (GetParam() ? " --kafka " + options_.kafka_bootstrap : "");
  EXPECT_EQ(testing::HubBinaryOutput(args), *now);
}

INSTANTIATE_TEST_SUITE_P(Logs, PoisonEventTest, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "Kafka" : "Embedded"; });

}  // namespace
}  // namespace hub
