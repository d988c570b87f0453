// SDMX 3's intentionally missing values over the whole path: NaN for a
// numeric value and #N/A for a coded attribute are accepted, kept in state
// apart from an absent value (a Merge without a value keeps the old one; one
// with NaN replaces it), and come back as sent in every output format.
#include <gtest/gtest.h>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/data_reader.h"
#include "sdmx/formats.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

constexpr char kKey[] = "A.G.SH_STA_MORT.404._T._T._T";

sdmx::Series Kenya(std::vector<sdmx::Observation> obs) {
  sdmx::Series s;
  s.key = sdmx::SplitKey(kKey);
  s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  s.observations = std::move(obs);
  return s;
}

TEST(MissingValuesTest, NaNAndNotAvailableAreKeptApartFromAbsentAndWrittenInEveryFormat) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string first = testing::DemoMessage({Kenya({{"2018", "NaN", {{"OBS_STATUS", "A"}}, 0},
                                                          {"2019", "7", {{"OBS_STATUS", "#N/A"}}, 0},
                                                          {"2020", "9", {{"OBS_STATUS", "A"}}, 0}})});
  auto one = testing::SubmitAndWait(**hub, first, "missing-1", "demo-unsd-token");
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(one->revisions().new_observations(), 3);
  // Merge: 2019 NaN replaces 7; 2020 given without a value keeps 9.
  const std::string second = testing::DemoMessage(
      {Kenya({{"2019", "NaN", {{"OBS_STATUS", "#N/A"}}, 0}, {"2020", "", {{"OBS_STATUS", "E"}}, 0}})},
      sdmx::Action::kMerge);
  auto two = testing::SubmitAndWait(**hub, second, "missing-2", "demo-unsd-token");
  ASSERT_TRUE(two.ok()) << two.status().ToString();
  EXPECT_EQ(two->revisions().changed_observations(), 2);

  auto latest = (*hub)->state()->LatestObs("SDMXHUB:DF_DEMO_SDG(1.0)", kKey, "2019", (*hub)->state()->watermark());
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->value(), "NaN");

  const sdmx::StructureSet structures = testing::DemoStructures();
  for (sdmx::DataFormat f : {sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kStructureSpecific21,
                             sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv10,
                             sdmx::DataFormat::kCsv20, sdmx::DataFormat::kJson10, sdmx::DataFormat::kJson20}) {
    SCOPED_TRACE(sdmx::FormatName(f));
    auto r = http::Fetch("GET", (*hub)->url() + "/sdmx/v1/data/DF_DEMO_SDG/" + kKey + "?startPeriod=2018&endPeriod=2020",
                         "", {{"Accept", sdmx::MediaType(f)}});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << r->body.substr(0, 300);
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(r->body, "answer", structures, {}, &d);
    ASSERT_TRUE(reader.ok()) << d.ToString() << r->body.substr(0, 500);
    std::map<std::string, std::pair<std::string, std::string>> got;  // period -> value, OBS_STATUS
    for (auto& rd = *reader; rd->Valid(); rd->Next()) {
      for (const auto& o : rd->series().observations) {
        const std::string* status = sdmx::FindField(o.attributes, "OBS_STATUS");
        got[o.period] = {o.value, status ? *status : "(absent)"};
      }
    }
    EXPECT_TRUE(reader.value()->status().ok());
    const std::map<std::string, std::pair<std::string, std::string>> want = {
        {"2018", {"NaN", "A"}}, {"2019", {"NaN", "#N/A"}}, {"2020", {"9", "E"}}};
    EXPECT_EQ(got, want);
  }
}

// #N/A stands for a missing code, never for a missing dimension.
TEST(MissingValuesTest, NotAvailableIsNoDimensionCode) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  sdmx::Series s = Kenya({{"2020", "9", {{"OBS_STATUS", "A"}}, 0}});
  s.key[3] = "#N/A";
  auto r = testing::Submit(**hub, testing::DemoMessage({s}), "missing-dim", "demo-unsd-token");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_NE(r->body.find("REF_AREA='#N/A' is not a code"), std::string::npos) << r->body;
}

}  // namespace
}  // namespace hub
