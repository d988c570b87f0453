// A submission larger than [ingest] spool_memory_bytes: its events go to
// the log as they are validated, and the materialiser applies them as they
// come (apply_early_bytes), before the verdict. A rejection found at the
// end, or an upload cut short, still leaves nothing: no data, no watermark
// move, nothing pending, the id free for a retry; and a good one commits
// the same as it would all at once.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <thread>

#include "testing/raw_http.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;
using testing::PollSubmission;
using testing::PostHead;
using testing::RawConnection;

class EarlyAppendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string config = testing::DemoConfig(dir_, {{"spool_memory_bytes = 8388608", "spool_memory_bytes = 65536"},
                                                          {"apply_early_bytes = 8388608", "apply_early_bytes = 65536"}});
    auto h = testing::StartTestHub(dir_, config);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
    body_ = testing::LargeDemoMessage(100'000);
  }

  // Waits until nothing read from the log is left waiting for a marker.
  void WaitNothingPending() {
    for (int i = 0; i < 1000 && hub_->materialiser()->pending() > 0; ++i) std::this_thread::sleep_for(10ms);
    EXPECT_EQ(hub_->materialiser()->pending(), 0u);
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  std::string body_;
};

TEST_F(EarlyAppendTest, ARejectionFoundAtTheEndLeavesNothing) {
  // The last series names an area the codelist lacks: found after every
  // other series went to the log and was applied above the watermark.
  std::string bad = body_;
  const size_t at = bad.rfind("REF_AREA=\"");
  ASSERT_NE(at, std::string::npos);
  bad.insert(at + 10, "XYZ");
  const uint64_t w = hub_->state()->watermark().value;
  const std::string flow = "SDMXHUB:DF_DEMO_SDG(1.0)";
  const auto data = hub_->state()->DataDigest(flow);
  ASSERT_TRUE(data.ok());
  auto r = testing::Submit(*hub_, bad, "late-bad-1", "demo-unsd-token");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400) << r->body.substr(0, 500);
  EXPECT_NE(r->body.find("XYZ"), std::string::npos) << r->body.substr(0, 500);
  EXPECT_GE(hub_->materialiser()->early_begun(), 1u);  // it had begun
  WaitNothingPending();
  EXPECT_EQ(hub_->materialiser()->early_dropped(), hub_->materialiser()->early_begun());
  EXPECT_EQ(hub_->state()->watermark().value, w);
  EXPECT_EQ(*hub_->state()->DataDigest(flow), *data);  // the data as it was (the ledger says rejected)

  // The good one, in full, applied as it came.
  auto ok = testing::SubmitAndWait(*hub_, body_, "late-good-1", "demo-unsd-token");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->revisions().new_observations(), 100'000);
  EXPECT_EQ(hub_->state()->watermark().value, w + 1);
  EXPECT_EQ(hub_->materialiser()->early_begun(), hub_->materialiser()->early_dropped() + 1);
}

TEST_F(EarlyAppendTest, AnUploadCutShortLeavesNothingAndTheIdFree) {
  const uint64_t w = hub_->state()->watermark().value;
  {
    RawConnection c(hub_->port());
    c.Send(PostHead("cut-early-1", body_.size()));
    c.Send(std::string_view(body_).substr(0, body_.size() * 8 / 10));
    // Read, validated, in the log and being applied.
    for (int i = 0; i < 1000 && hub_->materialiser()->early_begun() == 0; ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(hub_->materialiser()->early_begun(), 1u);
  }  // the client goes away mid-body
  json::value gone = PollSubmission(*hub_, "cut-early-1", [](const json::value& v) { return v == json::value(404); });
  EXPECT_EQ(gone, json::value(404)) << json::serialize(gone);
  WaitNothingPending();  // its AbandonedAttempt was read
  EXPECT_EQ(hub_->materialiser()->early_dropped(), 1u);
  EXPECT_EQ(hub_->state()->watermark().value, w);
  auto ok = testing::SubmitAndWait(*hub_, body_, "cut-early-1", "demo-unsd-token");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->revisions().new_observations(), 100'000);
  EXPECT_EQ(hub_->state()->watermark().value, w + 1);
}

}  // namespace
}  // namespace hub
