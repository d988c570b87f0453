// Embargoed submissions in the materialiser: held beside the state until a
// release is read from the log, then applied at one watermark, timed at the
// release; a second release of the same submission does nothing; a replay
// of the same log (marker and release read in one poll) holds and releases
// at the same points.
#include <gtest/gtest.h>

#include "storage/keys.h"
#include "storage/materialiser_fixture.h"

namespace hub::storage {
namespace {

using namespace testing_fixture;

class EmbargoTest : public MaterialiserTest {
 protected:
  // Appends an event of `sid` on kKey and its marker, embargoed until `release_ms`.
  void SubmitEmbargoed(const std::string& sid, const std::vector<Obs>& obs, int64_t accepted_ms, int64_t release_ms) {
    SubmitEvent(sid, DataEvent(sid, sid + "-a", ev::ACTION_MERGE, obs), true, accepted_ms, release_ms);
  }

  void AppendRelease(const std::string& sid, int64_t released_ms) {
    auto w = log_->NewWriter();
    ev::Envelope env;
    env.mutable_release()->set_submission_id(sid);
    env.mutable_release()->set_released_time_ms(released_ms);
    ASSERT_TRUE((*w)->Append(topics_.submissions, 0, sid, Serialize(&env)).ok());
    ASSERT_TRUE((*w)->Flush(5s).ok());
  }

  sdmxhub::state::v1::LedgerRecord Ledger(const std::string& sid) {
    auto rec = mat_->WaitForSubmission(sid, 10s);
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? *rec : sdmxhub::state::v1::LedgerRecord();
  }

  // Waits until the ledger says `sid` was released (the materialiser
  // applies the release on its own thread).
  sdmxhub::state::v1::LedgerRecord WaitReleased(const std::string& sid) {
    for (int i = 0; i < 1000; ++i) {
      auto rec = state_->Ledger(sid);
      EXPECT_TRUE(rec.ok());
      if (rec.ok() && *rec && (*rec)->seq() > 0) return **rec;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << sid << " was not released in 10 s";
    return {};
  }

  size_t HeldEvents(const std::string& sid) {
    size_t n = 0;
    EXPECT_TRUE(state_->ScanHeldEvents(sid, [&](std::string_view) { return ++n; }).ok());
    return n;
  }
};

TEST_F(EmbargoTest, HeldUntilItsReleaseThenAppliedAtOneWatermarkTimedAtTheRelease) {
  Submit("public", {{"2015", "10"}, {"2016", "11"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("public");
  SubmitEmbargoed("embargoed", {{"2016", "12"}, {"2017", "13"}}, 2000, 5000);
  const auto held = Ledger("embargoed");
  EXPECT_TRUE(held.embargoed());
  EXPECT_EQ(held.seq(), 0u);
  EXPECT_EQ(held.marker().release_time_ms(), 5000);
  // Nothing of it is readable; it waits beside the state.
  EXPECT_EQ(state_->watermark().value, 1u);
  EXPECT_EQ(ReadAll().size(), 2u);
  EXPECT_EQ(ReadAll().at(sdmx::JoinKey(kKey) + "|2016"), "11");
  auto pending = state_->HeldEmbargoes();
  ASSERT_TRUE(pending.ok());
  ASSERT_EQ(pending->size(), 1u);
  EXPECT_EQ((*pending)[0].submission_id(), "embargoed");
  EXPECT_EQ(HeldEvents("embargoed"), 1u);

  // A submission after it applies at once: an embargo holds back nobody else.
  Submit("later", {{"2018", "14"}}, true, ev::ACTION_MERGE, 3000);
  WaitCommitted("later");
  EXPECT_EQ(state_->watermark().value, 2u);

  AppendRelease("embargoed", 5004);
  const auto released = WaitReleased("embargoed");
  EXPECT_EQ(released.seq(), 3u);
  EXPECT_FALSE(released.embargoed());
  EXPECT_EQ(released.released_time_ms(), 5004);
  EXPECT_EQ(released.revisions().new_observations(), 1);      // 2017
  EXPECT_EQ(released.revisions().changed_observations(), 1);  // 2016: 11 -> 12
  EXPECT_EQ(Read(Watermark{2}), (std::map<std::string, std::string>{{"2015", "10"}, {"2016", "11"}, {"2018", "14"}}));
  EXPECT_EQ(Read(Watermark{3}),
            (std::map<std::string, std::string>{{"2015", "10"}, {"2016", "12"}, {"2017", "13"}, {"2018", "14"}}));
  auto commit = state_->Commit(3);
  ASSERT_TRUE(commit.ok() && *commit);
  EXPECT_EQ((*commit)->accepted_time_ms(), 5004);  // public from then: asOf and updatedAfter go by it
  EXPECT_EQ((*commit)->loaded_time_ms(), 2000);
  EXPECT_EQ((*commit)->release_time_ms(), 5000);
  EXPECT_EQ(LoadedTimeMs(**commit), 2000);
  EXPECT_EQ(ReleasedTimeMs(**commit), 5004);
  auto before = state_->WatermarkAt(5003, state_->watermark());
  auto after = state_->WatermarkAt(5004, state_->watermark());
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(before->value, 2u);
  EXPECT_EQ(after->value, 3u);
  EXPECT_EQ(HeldEvents("embargoed"), 0u);
  pending = state_->HeldEmbargoes();
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());

  // Released twice (a second releaser, a retried append): once applied.
  AppendRelease("embargoed", 6000);
  Submit("after", {{"2019", "15"}}, true, ev::ACTION_MERGE, 7000);
  WaitCommitted("after");
  EXPECT_EQ(state_->watermark().value, 4u);
  auto again = state_->Ledger("embargoed");
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ((*again)->seq(), 3u);
  EXPECT_EQ((*again)->released_time_ms(), 5004);
}

TEST_F(EmbargoTest, SeveralOnOneDataflowReleaseInReleaseOrderAcrossARestartAndAReplay) {
  SubmitEmbargoed("late", {{"2016", "20"}}, 1000, 9000);
  SubmitEmbargoed("soon", {{"2016", "30"}, {"2017", "31"}}, 1100, 4000);
  EXPECT_TRUE(Ledger("late").embargoed());
  EXPECT_TRUE(Ledger("soon").embargoed());
  // A restart with both held: they stay held, nothing applied.
  Close();
  Open();
  auto pending = state_->HeldEmbargoes();
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(pending->size(), 2u);
  EXPECT_EQ(state_->watermark().value, 0u);
  AppendRelease("soon", 4001);
  EXPECT_EQ(WaitReleased("soon").seq(), 1u);
  AppendRelease("late", 9001);
  EXPECT_EQ(WaitReleased("late").seq(), 2u);
  EXPECT_EQ(Read(Watermark{1}), (std::map<std::string, std::string>{{"2016", "30"}, {"2017", "31"}}));
  EXPECT_EQ(Read(Watermark{2}), (std::map<std::string, std::string>{{"2016", "20"}, {"2017", "31"}}));
  auto live = state_->Digest();
  ASSERT_TRUE(live.ok());

  // A replay: a new state over the same log, every record (markers and
  // releases) read in one go.
  mat_.reset();
  state_.reset();
  StateOptions so;
  so.path = dir_.Sub("replayed");
  auto replayed = VersionedState::Open(so);
  ASSERT_TRUE(replayed.ok());
  state_ = std::move(*replayed);
  mat_ = std::make_unique<Materialiser>(log_.get(), state_.get(), registry_.get(), mat_options_);
  ASSERT_TRUE(mat_->Start().ok());
  EXPECT_EQ(WaitReleased("late").seq(), 2u);
  EXPECT_EQ(WaitReleased("soon").released_time_ms(), 4001);
  auto digest = state_->Digest();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(*digest, *live);
  pending = state_->HeldEmbargoes();
  ASSERT_TRUE(pending.ok());
  EXPECT_TRUE(pending->empty());
}

TEST_F(EmbargoTest, AReleaseTimeNotAfterTheLoadTimeIsNoEmbargo) {
  SubmitEmbargoed("past", {{"2016", "40"}}, 5000, 5000);
  const auto rec = Ledger("past");
  EXPECT_FALSE(rec.embargoed());
  EXPECT_EQ(rec.seq(), 1u);
  EXPECT_EQ(ReadAll().at(sdmx::JoinKey(kKey) + "|2016"), "40");
}

}  // namespace
}  // namespace hub::storage
