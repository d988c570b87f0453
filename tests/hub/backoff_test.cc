// hub/base/backoff.h: delays double up to the cap and start over after a
// success; reports come at most once per interval, counting every failure.
#include "hub/base/backoff.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

using namespace std::chrono_literals;

TEST(BackoffTest, DelaysDoubleUpToTheCapAndStartOverAfterASuccess) {
  Backoff b({10ms, 100ms, 1000ms});
  const auto t = Backoff::Clock::time_point{} + 1h;
  std::vector<int64_t> delays;
  for (int i = 0; i < 6; ++i) delays.push_back(b.Failed(t).delay.count());
  EXPECT_EQ(delays, (std::vector<int64_t>{10, 20, 40, 80, 100, 100}));
  EXPECT_EQ(b.consecutive_failures(), 6u);
  b.Succeeded();
  EXPECT_EQ(b.Failed(t).delay, 10ms);
}

TEST(BackoffTest, ReportsComeOncePerIntervalWithTheirCount) {
  Backoff b({10ms, 100ms, 1000ms});
  const auto t0 = Backoff::Clock::time_point{} + 1h;
  EXPECT_EQ(b.Failed(t0).report, 1u);  // the first at once
  uint64_t reported = 0;
  for (int ms = 1; ms < 1000; ++ms) reported += b.Failed(t0 + std::chrono::milliseconds(ms)).report;
  EXPECT_EQ(reported, 0u);  // a failure every millisecond, no line
  EXPECT_EQ(b.Failed(t0 + 1000ms).report, 1000u);
  // A success in between does not reopen the interval (accepts that
  // alternate between failing and working at the limit).
  b.Succeeded();
  EXPECT_EQ(b.Failed(t0 + 1001ms).report, 0u);
  EXPECT_EQ(b.Failed(t0 + 2000ms).report, 2u);
}

TEST(BackoffTest, OptionsAreCheckedByName) {
  EXPECT_TRUE(BackoffOptions{}.Validate("a", "b", "c").ok());
  EXPECT_EQ(BackoffOptions({0ms, 1ms, 1ms}).Validate("a", "b", "c").message(), "a must be > 0");
  EXPECT_EQ(BackoffOptions({5ms, 1ms, 1ms}).Validate("a", "b", "c").message(), "b must be >= a");
  EXPECT_EQ(BackoffOptions({1ms, 1ms, 0ms}).Validate("a", "b", "c").message(), "c must be > 0");
}

}  // namespace
}  // namespace hub
