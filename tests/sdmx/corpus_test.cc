// Data-driven: real agency files from ../shared/corpus, each with the
// structures it needs. Valid files must check clean and survive a round trip
// through every writer; malformed ones must be rejected by the named rule.
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sdmx/check.h"
#include "sdmx/data_reader.h"
#include "sdmx/data_writer.h"
#include "sdmx/structure_reader.h"
#include "testing/test_util.h"
#include "testing/round_trip.h"

namespace sdmx {
namespace {

using hub::testing::CorpusPath;
using hub::testing::ReadFileOrDie;

struct CorpusCase {
  const char* name;
  std::vector<const char*> structures;  // corpus paths (files or directories)
  const char* data;
  const char* rule;  // nullptr = valid
  size_t series;
  size_t observations;
};

void PrintTo(const CorpusCase& c, std::ostream* os) { *os << c.name; }

constexpr char kSdg14[] = "sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml";
constexpr char kSdg114[] = "sdg/global/IAEG-SDGs_SDG_1.14/dsd.xml";
constexpr char kKg[] = "sdg/national/KG/dsd";
constexpr char kRw2024[] = "sdg/national/RW/dsd/2024-12-31T0811Z_50768139_RWA_2024_SDG_DSD.xml";
constexpr char kRw2503[] = "sdg/national/RW/dsd/2026-03-25T1244Z_e245d5c6_RWA_2025_SDG_DSD.xml";
constexpr char kRwData[] = "sdg/national/RW/data/2025_RWA-SDG_Data/";
constexpr char kEcbNg[] = "mixed/khaeru-sdmx-test-data/ECB_EXR/ng-structure-full.xml";
constexpr char kEcbSg[] = "mixed/khaeru-sdmx-test-data/ECB_EXR/sg-structure-full.xml";

const std::vector<CorpusCase>& Cases() {
  static const std::vector<CorpusCase> k = {
      {"TjGeneric21", {kSdg14}, "sdg/national/TJ/2021-06-24T1017Z_cbee986f_Tajstat21_DATA.xml", nullptr, 60, 188},
      {"TjStructureSpecific21", {kSdg14}, "sdg/national/TJ/2021-06-27T1810Z_19250a32_Tajstat_ss_21_DATA.xml", nullptr, 60, 188},
      {"TjTimeSeries21", {kSdg14}, "sdg/national/TJ/2021-06-27T1810Z_fe58494e_Tajstat_ts_ss_21_DATA.xml", nullptr, 60, 188},
      {"TjGeneric20", {kSdg14}, "sdg/national/TJ/2021-06-24T1017Z_2ea290be_Tajstat_DATA.xml", nullptr, 60, 188},
      {"TjCorrected", {kSdg14}, "sdg/national/TJ/2021-06-28T1829Z_cac09a2a_Tajstat_ss_21_DATA.xml", nullptr, 60, 188},
      {"Kg311", {kKg}, "sdg/national/KG/data/3.1.1.xml", nullptr, 12, 112},
      {"Kg8511SplitSeries", {kKg}, "sdg/national/KG/data/8.5.1.1.xml", nullptr, 560, 560},
      {"KgEmptyDataSet", {kKg}, "sdg/national/KG/revisions/1.a.2/2020-09-10T0523Z_94aff83f_1.a.2.xml", nullptr, 0, 0},
      {"Rw2025First", {kRw2024}, "sdg/national/RW/data/2025_RWA-SDG_Data/2025-11-27T1449Z_9fef76a9_2025_RWA-SDG_Data.xml", nullptr, 500, 2146},
      {"EcbNgTimeSeries", {kEcbNg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/ng-ts.xml", nullptr, 4, 12},
      {"EcbNgCrossSectionSs", {kEcbNg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/ng-xs-ss.xml", nullptr, 12, 12},
      {"EcbNgFlat", {kEcbNg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/ng-flat.xml", nullptr, 12, 12},
      {"EcbSgGroups", {kEcbSg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/sg-ts-gf.xml", nullptr, 4, 12},
      {"EcbSgGroupsSs", {kEcbSg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/sg-ts-gf-ss.xml", nullptr, 4, 12},
      {"EcbSgFlatGroups", {kEcbSg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/sg-ts-gf-flat-ss.xml", nullptr, 12, 12},
      {"EcbMonthly", {"mixed/khaeru-sdmx-test-data/ECB_EXR/1/structure-full.xml"}, "mixed/khaeru-sdmx-test-data/ECB_EXR/1/M.USD.EUR.SP00.A.xml", nullptr, 1, 252},
      {"EstatGroups", {"mixed/epam-sdmxsource/structure/ESTAT+NA_MAIN+1.0.xml"}, "mixed/epam-sdmxsource/data/ESTAT_NA_MAIN_1_0.xml", nullptr, 17, 59},
      {"UnicefSeriesKeys", {"sdg/custodian/UNICEF/dataflow_CME_dsd.xml", "sdg/custodian/UNICEF/codelists"}, "sdg/custodian/UNICEF/serieskeys/CME.xml", nullptr, 20435, 0},
      // Rejected, each for its documented defect (SOURCES.md, "Edge cases").
      // SDMX-ML 2.0: REF_AREA="tj" (lower case), UNIT_MEASURE="PERCENT" (SOURCES.md).
      {"EstatZippedFooter", {kSdg114}, "malformed/ESTAT/footer2.zip", "not-compressed", 0, 0},
      {"TjFirstSubmissionCodes", {kSdg14}, "malformed/TJ/2021-05-17T1102Z_765bfef4_TAJSTAT_Data.xml", "code-in-codelist", 0, 0},
      {"RwSeriesNotInDsdInForce", {kRw2024}, "sdg/national/RW/data/2025_RWA-SDG_Data/2026-01-29T0920Z_2b37445a_2025_RWA-SDG_Data.xml", "code-in-codelist", 0, 0},
      {"RwHandwashingSeriesNotInDsd", {kRw2503}, "sdg/national/RW/data/2025_RWA-SDG_Data/2026-03-25T1244Z_0afe7cc2_2025_RWA-SDG_Data.xml", "code-in-codelist", 0, 0},
      {"EcbCrossSectionRepeatsASeries", {kEcbSg}, "mixed/khaeru-sdmx-test-data/ECB_EXR/sg-xs.xml", "duplicate-observation", 0, 0},
      {"GbRefersToUnknownDsdVersion", {kSdg114}, "sdg/national/GB/sdmx-global/1.xml", "structure-known", 0, 0},
      {"KeDsdNotAvailable", {kSdg114}, "sdg/national/KE/KE1.xml", "structure-known", 0, 0},
      {"EurostatFooterOnly", {kSdg114}, "malformed/ESTAT/footer.xml", "footer-only", 0, 0},
      {"UnicefCsvIsNotSdmxCsv", {kSdg114}, "sdg/custodian/UNICEF/csv/CME_MRY0T4_BRA_sex_2020.csv", "csv-header", 0, 0},
  };
  (void)kRwData;
  return k;
}

StructureSet Load(const CorpusCase& c) {
  StructureSet set;
  Diagnostics diags;
  for (const char* s : c.structures) {
    hub::Status st = LoadStructures(CorpusPath(s), {}, &set, &diags);
    EXPECT_TRUE(st.ok()) << st.ToString() << diags.ToString();
  }
  return set;
}

class CorpusTest : public ::testing::TestWithParam<CorpusCase> {};
class CorpusRoundTripTest : public ::testing::TestWithParam<CorpusCase> {};

std::vector<CorpusCase> ValidCases() {
  std::vector<CorpusCase> out;
  for (const CorpusCase& c : Cases()) {
    if (!c.rule && c.series > 0) out.push_back(c);
  }
  return out;
}

TEST_P(CorpusTest, ChecksAsDocumented) {
  const CorpusCase& c = GetParam();
  StructureSet set = Load(c);
  Diagnostics diags;
  hub::testing::Content content = hub::testing::ReadContent(ReadFileOrDie(CorpusPath(c.data)), set, &diags, c.data);
  if (c.rule) {
    ASSERT_FALSE(diags.empty()) << c.name << " was accepted";
    EXPECT_EQ(diags.items().front().rule, c.rule) << diags.ToString();
    EXPECT_GT(diags.items().front().line, 0) << diags.ToString();
    return;
  }
  EXPECT_TRUE(diags.empty()) << diags.ToString();
  EXPECT_EQ(content.series_count, c.series);
  EXPECT_EQ(content.obs.size(), c.observations);
}

// read -> write -> read gives the same keys, periods, values and attributes.
TEST_P(CorpusRoundTripTest, ThroughEveryWriter) {
  const CorpusCase& c = GetParam();
  hub::testing::ExpectRoundTrips(ReadFileOrDie(CorpusPath(c.data)), c.data, Load(c), {});
}

INSTANTIATE_TEST_SUITE_P(Corpus, CorpusTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<CorpusCase>& info) { return std::string(info.param.name); });
INSTANTIATE_TEST_SUITE_P(Corpus, CorpusRoundTripTest, ::testing::ValuesIn(ValidCases()),
                         [](const ::testing::TestParamInfo<CorpusCase>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sdmx
