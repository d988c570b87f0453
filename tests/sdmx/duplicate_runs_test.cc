// Duplicate observations past the Validator's memory bound: sorted runs on
// disk find the same repeats as the in-memory check.
#include "sdmx/duplicate_runs.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "testing/test_util.h"

namespace sdmx {
namespace {

TEST(DuplicateRunsTest, RepeatsAcrossRunsAndTheBufferAreEachReportedOnce) {
  hub::testing::TempDir dir;
  // 1,024 entries per run (the least): 5,000 entries make four runs on disk
  // and a buffer; the last 1,000 repeat hashes of the first 1,000, and
  // entry 4,500 is there three times.
  DuplicateRuns runs(dir.path(), 1);
  for (uint32_t i = 0; i < 5000; ++i) ASSERT_TRUE(runs.Add({i % 4000, i, i + 1}).ok());
  ASSERT_TRUE(runs.Add({500, 6000, 6001}).ok());
  std::vector<DuplicateRuns::Entry> repeated;
  ASSERT_TRUE(runs.Finish([&](const DuplicateRuns::Entry& e) { repeated.push_back(e); }).ok());
  ASSERT_EQ(repeated.size(), 1001u);
  for (const DuplicateRuns::Entry& e : repeated) {
    EXPECT_GE(e.series, 4000u) << "the first of each hash is not a repeat";
    EXPECT_EQ(e.line, e.series + 1);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "an unnamed file";
}

TEST(DuplicateRunsTest, AMessageThatFitsTheBufferWritesNothing) {
  hub::testing::TempDir dir;
  DuplicateRuns runs(dir.path() + "/absent", 1 << 20);  // a file there would fail
  ASSERT_TRUE(runs.Add({7, 0, 1}).ok());
  ASSERT_TRUE(runs.Add({7, 1, 2}).ok());
  int n = 0;
  ASSERT_TRUE(runs.Finish([&](const DuplicateRuns::Entry& e) { n += e.line == 2; }).ok());
  EXPECT_EQ(n, 1);
}

}  // namespace
}  // namespace sdmx
