#include "sdmx/data_reader.h"

#include <gtest/gtest.h>

#include "sdmx/check.h"
#include "sdmx/structure_reader.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

using hub::testing::CorpusPath;
using hub::testing::ReadFileOrDie;

// Reads and validates a whole message; returns the diagnostics.
Diagnostics ReadAndValidate(const std::string& body, const StructureSet& set, size_t* series, size_t* obs) {
  Diagnostics diags;
  CheckCounts counts;
  (void)CheckMessage(body, "msg.xml", set, {}, &diags, &counts);
  *series = counts.series;
  *obs = counts.observations;
  return diags;
}

TEST(DataReaderTest, DemoFilesAreValidInBothLayouts) {
  StructureSet set = hub::testing::DemoStructures();
  size_t series, obs;
  Diagnostics d1 = ReadAndValidate(hub::testing::DemoInitial(), set, &series, &obs);
  EXPECT_TRUE(d1.empty()) << d1.ToString();
  EXPECT_GT(series, 500u);
  EXPECT_EQ(obs, series * 7);  // 2015..2021
  Diagnostics d2 = ReadAndValidate(hub::testing::DemoRevision(), set, &series, &obs);
  EXPECT_TRUE(d2.empty()) << d2.ToString();
  EXPECT_EQ(obs, series * 4);  // 2019..2022
}

TEST(DataReaderTest, KeepsHeaderDatasetAndKeyOrder) {
  StructureSet set = hub::testing::DemoStructures();
  const std::string body = hub::testing::DemoRevision();  // GenericData
  Diagnostics diags;
  auto reader = DataReader::Open(body, "rev.xml", set, {}, &diags);
  ASSERT_TRUE(reader.ok()) << reader.status().ToString();
  auto& r = *reader;
  EXPECT_EQ(r->header().sender, "WHO");
  EXPECT_EQ(r->header().id, "DEMO_WHO_REVISION");
  ASSERT_TRUE(r->Valid());
  EXPECT_EQ(r->dataset().action, Action::kReplace);
  ASSERT_TRUE(r->dataset().dataflow.has_value());
  EXPECT_EQ(r->dataset().dataflow->id, "DF_DEMO_SDG");
  const Series& s = r->series();
  ASSERT_EQ(s.key.size(), 7u);
  EXPECT_EQ(s.key[0], "A");
  EXPECT_EQ(s.key[1], "G");
  EXPECT_EQ(s.key[2], "SH_STA_MORT");
  ASSERT_NE(FindField(s.attributes, "UNIT_MEASURE"), nullptr);
  EXPECT_EQ(*FindField(s.attributes, "UNIT_MEASURE"), "PER_100000_LIVE_BIRTHS");
  ASSERT_EQ(s.observations.size(), 4u);
  EXPECT_EQ(s.observations[0].period, "2019");
  EXPECT_GT(s.observations[0].line, 1);
}

// The same 188 Tajik observations in three SDMX-ML 2.1 layouts read the same.
TEST(DataReaderTest, CorpusTajikistanLayoutsAgree) {
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(LoadStructures(CorpusPath("sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml"), {}, &set, &diags).ok());
  auto generic = hub::testing::ObservationValues(
      ReadFileOrDie(CorpusPath("sdg/national/TJ/2021-06-24T1017Z_cbee986f_Tajstat21_DATA.xml")), set);
  auto ss = hub::testing::ObservationValues(
      ReadFileOrDie(CorpusPath("sdg/national/TJ/2021-06-27T1810Z_19250a32_Tajstat_ss_21_DATA.xml")), set);
  auto ts = hub::testing::ObservationValues(
      ReadFileOrDie(CorpusPath("sdg/national/TJ/2021-06-27T1810Z_fe58494e_Tajstat_ts_ss_21_DATA.xml")), set);
  EXPECT_EQ(generic.size(), 188u);
  EXPECT_EQ(generic, ss);
  EXPECT_EQ(generic, ts);
  size_t series, obs;
  Diagnostics d = ReadAndValidate(
      ReadFileOrDie(CorpusPath("sdg/national/TJ/2021-06-27T1810Z_19250a32_Tajstat_ss_21_DATA.xml")), set, &series, &obs);
  EXPECT_TRUE(d.empty()) << d.ToString();
  EXPECT_EQ(series, 60u);
}

TEST(DataReaderTest, CorpusKyrgyzFileIsValidAgainstItsNationalDsd) {
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(LoadStructures(CorpusPath("sdg/national/KG/dsd/SDG_DSD.KG_1.8.xml"), {}, &set, &diags).ok());
  size_t series, obs;
  Diagnostics d = ReadAndValidate(ReadFileOrDie(CorpusPath("sdg/national/KG/data/3.1.1.xml")), set, &series, &obs);
  EXPECT_TRUE(d.empty()) << d.ToString();
  EXPECT_EQ(obs, 112u);  // SOURCES.md
}

TEST(DataReaderTest, UnknownStructureIsLocated) {
  StructureSet empty;
  Diagnostics diags;
  const std::string body = hub::testing::DemoInitial();
  auto reader = DataReader::Open(body, "feed.xml", empty, {}, &diags);
  ASSERT_FALSE(reader.ok());
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].rule, "structure-known");
  EXPECT_EQ(diags.items()[0].file, "feed.xml");
  EXPECT_GT(diags.items()[0].line, 1);
}

TEST(DataReaderTest, SeriesLimitIsEnforced) {
  StructureSet set = hub::testing::DemoStructures();
  DataReaderOptions o;
  o.max_series = 3;
  Diagnostics diags;
  const std::string body = hub::testing::DemoInitial();  // the reader reads it lazily
  auto reader = DataReader::Open(body, "feed.xml", set, o, &diags);
  ASSERT_TRUE(reader.ok());
  size_t n = 0;
  for (auto& r = *reader; r->Valid(); r->Next()) ++n;
  EXPECT_EQ(n, 3u);
  EXPECT_FALSE(reader.value()->status().ok());
  EXPECT_EQ(diags.items().back().rule, "max-series");
}

}  // namespace
}  // namespace sdmx
