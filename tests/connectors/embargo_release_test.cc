// EmbargoRelease against a real embedded log and state, on a clock of its
// own: nothing is released before its time; at its time one release is
// appended; it is appended again only if the submission is still held
// `retry_after` later; the materialiser applies the held submission once
// however many releases the log holds.
#include "connectors/embargo_release.h"

#include <gtest/gtest.h>

#include <thread>

#include "storage/materialiser_fixture.h"

namespace hub::connectors {
namespace {

using namespace std::chrono_literals;
using storage::testing_fixture::Obs;

class EmbargoReleaseTest : public storage::testing_fixture::MaterialiserTest {};

TEST_F(EmbargoReleaseTest, ReleasesWhatIsDueOnceAndAgainOnlyIfStillHeldLater) {
  SubmitEvent("e1", DataEvent("e1", "e1-a", storage::ev::ACTION_MERGE, {{"2015", "10"}}), true, 1000, 5000);
  auto held = mat_->WaitForSubmission("e1", 10s);
  ASSERT_TRUE(held.ok()) << held.status().ToString();
  ASSERT_TRUE(held->embargoed());
  mat_.reset();  // releases stay in the log, unapplied, until it starts again

  int64_t now = 4000;
  EmbargoReleaseOptions o;
  o.topic = topics_.submissions;
  o.retry_after = 1000ms;
  o.now_ms = [&] { return now; };
  EmbargoRelease release(log_.get(), state_.get(), o);
  std::optional<int64_t> next;
  auto n = release.ReleaseDue(&next);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(next, 5000);  // when to wake
  now = 5000;
  EXPECT_EQ(*release.ReleaseDue(&next), 1);
  EXPECT_FALSE(next.has_value());
  now = 5999;
  EXPECT_EQ(*release.ReleaseDue(), 0);  // on its way through the log
  now = 6000;
  EXPECT_EQ(*release.ReleaseDue(), 1);  // still held: appended again
  auto end = log_->EndOffset({topics_.submissions, 0});
  ASSERT_TRUE(end.ok());
  EXPECT_EQ(*end, 3);  // the marker and two releases

  mat_ = std::make_unique<storage::Materialiser>(log_.get(), state_.get(), registry_.get(), mat_options_);
  ASSERT_TRUE(mat_->Start().ok());
  ASSERT_TRUE(mat_->WaitForPositions({{{topics_.submissions, 0}, 3}}, 10s).ok());
  auto rec = state_->Ledger("e1");
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_EQ((*rec)->seq(), 1u);
  EXPECT_EQ((*rec)->released_time_ms(), 5000);  // the first release applied, the second found nothing held
  EXPECT_EQ(state_->watermark().value, 1u);
  EXPECT_EQ(*release.ReleaseDue(), 0);  // nothing held any more
}

}  // namespace
}  // namespace hub::connectors
