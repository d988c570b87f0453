// views::AnalyseVintages on histories made by hand, for the cases the
// Rwanda test (tests/hub/rwanda_test.cc, every figure against the history
// API) may not hold: a deletion and a re-release, an attribute-only
// revision, a value that is not a number, a value with an exponent, a
// horizon past the last vintage, and a watermark that cuts the history.
#include <gtest/gtest.h>

#include "hub/views/vintages.h"

namespace hub::views {
namespace {

// One revision of `period` at commit `seq` by `provider`: a value, or a
// deletion (nullopt); `status` an attribute.
storage::ObsHistoryEntry Rev(const std::string& period, uint64_t seq, std::optional<std::string> value,
                             const std::string& status = "A") {
  storage::ObsHistoryEntry e;
  e.period = period;
  e.seq = seq;
  if (value) {
    e.revision.set_value(*value);
    auto* f = e.revision.add_attributes();
    f->set_id("OBS_STATUS");
    f->set_value(status);
  } else {
    e.revision.set_deleted(true);
  }
  e.commit.set_seq(seq);
  e.commit.set_provider(seq == 2 ? "UNSD" : "WHO");
  e.commit.set_submission_id("s" + std::to_string(seq));
  e.commit.set_accepted_time_ms(1000 * static_cast<int64_t>(seq));
  return e;
}

// As VersionedState::History returns it: by period, oldest first.
const std::vector<storage::ObsHistoryEntry> kHistory = {
    Rev("2019", 2, "10.5"), Rev("2019", 3, "11.0"), Rev("2019", 5, "11.0", "E"),  // revised, then attributes only
    Rev("2020", 2, "20"), Rev("2020", 4, std::nullopt), Rev("2020", 5, "21.25"),  // deleted, then released again
    Rev("2021", 4, "n/a"),                                                         // not a number
    Rev("2022", 3, "1e2"), Rev("2022", 5, "1.5e2"),                                // exponents
};

TEST(VintagesTest, VintagesFirstReleasesAndTriangle) {
  const SeriesVintages v = AnalyseVintages(kHistory, 5, 0);
  ASSERT_EQ(v.vintages.size(), 4u);  // commits 2, 3, 4, 5
  EXPECT_EQ(v.vintages[0].watermark, 2u);
  EXPECT_EQ(v.vintages[0].provider, "UNSD");
  EXPECT_EQ(v.vintages[3].loaded_ms, 5000);
  ASSERT_EQ(v.first.size(), 4u);
  EXPECT_EQ(v.first[1].period, "2020");
  EXPECT_EQ(v.first[1].value, "20");  // its first release, not the re-release
  EXPECT_EQ(v.first[2].vintage, 2u);  // 2021 came at commit 4
  ASSERT_EQ(v.periods, (std::vector<std::string>{"2019", "2020", "2021", "2022"}));
  using Row = std::vector<std::optional<std::string>>;
  EXPECT_EQ(v.triangle[0], (Row{"10.5", "11.0", "11.0", "11.0"}));
  EXPECT_EQ(v.triangle[1], (Row{"20", "20", std::nullopt, "21.25"}));  // gone while deleted
  EXPECT_EQ(v.triangle[2], (Row{std::nullopt, std::nullopt, "n/a", "n/a"}));
  EXPECT_EQ(v.triangle[3], (Row{std::nullopt, "1e2", "1e2", "1.5e2"}));
  // 2019 once (the attribute-only change is no revision), 2020 twice
  // (deleted, released again), 2022 once.
  EXPECT_EQ(v.revisions, 4u);
  EXPECT_FALSE(v.at_horizon.has_value());
}

TEST(VintagesTest, StatisticsSkipWhatIsNotANumberAndRoundToTheDecimalsSent) {
  const SeriesVintages v = AnalyseVintages(kHistory, 5, 1);
  // First release -> latest: 2019 +0.5, 2020 +1.25, 2022 +50 (exponents:
  // not rounded); 2021 is not a number.
  EXPECT_EQ(v.latest.periods, 3u);
  EXPECT_DOUBLE_EQ(v.latest.mean, (0.5 + 1.25 + 50) / 3);
  EXPECT_DOUBLE_EQ(v.latest.mean_absolute, (0.5 + 1.25 + 50) / 3);
  // One vintage after first release: 2019 (2->3) +0.5; 2020 (2->3) 0;
  // 2022 (3->4) 0; 2021 (4->5) not a number.
  ASSERT_TRUE(v.at_horizon.has_value());
  EXPECT_EQ(v.at_horizon->periods, 3u);
  EXPECT_DOUBLE_EQ(v.at_horizon->mean, 0.5 / 3);
  // Three vintages after: 2019 and 2020 (first released at commit 2, the
  // first vintage) have one, commit 5: +0.5 and +1.25.
  const SeriesVintages far = AnalyseVintages(kHistory, 5, 3);
  EXPECT_EQ(far.at_horizon->periods, 2u);
  EXPECT_DOUBLE_EQ(far.at_horizon->mean, 0.875);
  // Past the last vintage: nothing to compare.
  EXPECT_EQ(AnalyseVintages(kHistory, 5, 4).at_horizon->periods, 0u);
}

TEST(VintagesTest, AWatermarkCutsTheHistory) {
  const SeriesVintages v = AnalyseVintages(kHistory, 3, 0);
  ASSERT_EQ(v.vintages.size(), 2u);
  EXPECT_EQ(v.periods, (std::vector<std::string>{"2019", "2020", "2022"}));  // 2021 came at 4
  EXPECT_EQ(v.revisions, 1u);
  EXPECT_EQ(v.latest.periods, 3u);
  EXPECT_DOUBLE_EQ(v.latest.mean, 0.5 / 3);
  // Sums rounded to the decimals sent: 0.1 + 0.2 is 0.3, not 0.30000000000000004.
  const SeriesVintages sums = AnalyseVintages({Rev("2019", 2, "1.0"), Rev("2019", 3, "1.1"), Rev("2020", 2, "1.0"),
                                               Rev("2020", 3, "1.2")},
                                              3, 0);
  EXPECT_EQ(sums.latest.mean * 2, 0.3);
}

}  // namespace
}  // namespace hub::views
