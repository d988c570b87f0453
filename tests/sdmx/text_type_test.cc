// Issue 16.2: each component's whiteSpace facet, in every reader. Values of
// numeric, time and coded components are collapsed (OBS_VALUE="    80164 "
// is 80164), strings are kept as given, and OBS_VALUE is checked as a
// number only when the DSD gives the measure a numeric type.
#include "sdmx/text_type.h"

#include <gtest/gtest.h>

#include "sdmx/check.h"
#include "sdmx/data_writer.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"
#include "testing/round_trip.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

using hub::testing::CorpusPath;
using hub::testing::ReadFileOrDie;

std::string Collapsed(std::string v) {
  CollapseWhiteSpace(&v);
  return v;
}

TEST(CollapseWhiteSpaceTest, TrimsAndCollapsesInnerRuns) {
  EXPECT_EQ(Collapsed("    80164 "), "80164");
  EXPECT_EQ(Collapsed("\t2015\r\n"), "2015");
  EXPECT_EQ(Collapsed(" a \t\n b  "), "a b");
  EXPECT_EQ(Collapsed("   "), "");
  EXPECT_EQ(Collapsed(""), "");
  EXPECT_EQ(Collapsed("45.0"), "45.0");
}

TEST(TextKindTest, SdmxTypesByKind) {
  EXPECT_EQ(TextKindOf("Double"), TextKind::kNumber);
  EXPECT_EQ(TextKindOf("Float"), TextKind::kNumber);
  EXPECT_EQ(TextKindOf("Integer"), TextKind::kInteger);
  EXPECT_EQ(TextKindOf("ObservationalTimePeriod"), TextKind::kTime);
  EXPECT_EQ(TextKindOf("Boolean"), TextKind::kBoolean);
  EXPECT_EQ(TextKindOf("String"), TextKind::kString);
  EXPECT_EQ(TextKindOf(""), TextKind::kString);
  EXPECT_TRUE(CollapsesWhiteSpace("String", /*coded=*/true));
  EXPECT_FALSE(CollapsesWhiteSpace("", false));
}

// Inserts `before` and `after` inside every value of XML attribute `name`.
std::string Spaced(std::string body, const std::string& name, const std::string& before, const std::string& after) {
  const std::string open = " " + name + "=\"";
  size_t n = 0;
  for (size_t at = body.find(open); at != std::string::npos; at = body.find(open, at)) {
    at += open.size();
    body.insert(at, before);
    const size_t close = body.find('"', at + before.size());
    body.insert(close, after);
    at = close + after.size();
    ++n;
  }
  EXPECT_GT(n, 0u) << name;
  return body;
}

// The corpus has no file with spaces in OBS_VALUE: they are put into a real
// Rwanda file (valid against its DSD) around the measure, the period, a
// coded dimension, coded series and observation attributes, and a string
// attribute. It must read and validate clean, give exactly the original's
// values where they collapse, and keep the string's spaces.
TEST(WhiteSpaceTest, RwandaFileWithSpacedValuesReadsAsTheOriginal) {
  StructureSet set;
  Diagnostics load;
  ASSERT_TRUE(LoadStructures(CorpusPath("sdg/national/RW/dsd/2024-12-31T0811Z_50768139_RWA_2024_SDG_DSD.xml"), {},
                             &set, &load)
                  .ok())
      << load.ToString();
  const std::string original =
      ReadFileOrDie(CorpusPath("sdg/national/RW/data/2025_RWA-SDG_Data/2025-11-27T1449Z_9fef76a9_2025_RWA-SDG_Data.xml"));
  std::string spaced = Spaced(original, "OBS_VALUE", "    ", " ");
  spaced = Spaced(spaced, "TIME_PERIOD", " ", "\t");  // a literal tab reads as a space (XML attribute normalisation)
  spaced = Spaced(spaced, "REF_AREA", " ", "  ");
  spaced = Spaced(spaced, "UNIT_MEASURE", "  ", "");
  spaced = Spaced(spaced, "OBS_STATUS", "", " ");
  Diagnostics d1, d2;
  const hub::testing::Content want = hub::testing::ReadContent(original, set, &d1, "original.xml");
  ASSERT_TRUE(d1.empty()) << d1.ToString();
  const hub::testing::Content got = hub::testing::ReadContent(spaced, set, &d2, "spaced.xml");
  EXPECT_TRUE(d2.empty()) << d2.ToString();
  EXPECT_EQ(got.series_count, want.series_count);
  EXPECT_EQ(got.obs.size(), 2146u);
  EXPECT_EQ(got.obs, want.obs);

  // COMMENT_OBS is a string: its spaces are data.
  const std::string commented = Spaced(original, "COMMENT_OBS", "  ", " ");
  Diagnostics d3;
  const hub::testing::Content strings = hub::testing::ReadContent(commented, set, &d3, "commented.xml");
  EXPECT_TRUE(d3.empty()) << d3.ToString();
  const std::string& first = strings.obs.begin()->second;
  EXPECT_NE(first.find("|COMMENT_OBS=  "), std::string::npos) << first;
  EXPECT_NE(strings.obs, want.obs);
}

// One series with whitespace around every collapsing value, written by
// every writer (SDMX-ML, SDMX-CSV, SDMX-JSON) and read back: each reader
// applies the same facets.
TEST(WhiteSpaceTest, EveryFormatCollapsesTypedAndCodedValuesAndKeepsStrings) {
  const StructureSet set = hub::testing::DemoStructures();
  Series s;
  s.key = {"A", " G", "SH_STA_MORT ", "404", "_T", "_T", "_T"};
  s.attributes = {{"UNIT_MEASURE", "  PER_100000_LIVE_BIRTHS"}};
  s.observations.push_back({" 2015  ", "    80164 ", {{"OBS_STATUS", " A "}, {"SOURCE_DETAIL", "  two  spaces "}}, 0});
  for (DataFormat f : {DataFormat::kGeneric21, DataFormat::kStructureSpecific21, DataFormat::kStructureSpecific30,
                       DataFormat::kCsv10, DataFormat::kCsv20, DataFormat::kJson10, DataFormat::kJson20}) {
    const std::string body = hub::testing::DemoMessage({s}, Action::kReplace, f);
    Diagnostics diags;
    const hub::testing::Content c = hub::testing::ReadContent(body, set, &diags, "spaced");
    EXPECT_TRUE(diags.empty()) << static_cast<int>(f) << ": " << diags.ToString();
    ASSERT_EQ(c.obs.size(), 1u) << static_cast<int>(f) << ": " << body;
    EXPECT_EQ(c.obs.begin()->first, "A.G.SH_STA_MORT.404._T._T._T|2015") << static_cast<int>(f);
    EXPECT_EQ(c.obs.begin()->second,
              "80164|OBS_STATUS=A|SOURCE_DETAIL=  two  spaces |UNIT_MEASURE=PER_100000_LIVE_BIRTHS")
        << static_cast<int>(f);
  }
}

// The demo structures with the measure's TextFormat replaced by `text_format`
// ("" = no representation).
StructureSet DemoWithMeasure(const std::string& text_format) {
  std::string msg = DemoStructureMessage();
  const std::string local =
      "<str:LocalRepresentation><str:TextFormat textType=\"Double\"/></str:LocalRepresentation></str:PrimaryMeasure>";
  const size_t at = msg.find(local);
  EXPECT_NE(at, std::string::npos);
  msg.replace(at, local.size(),
              (text_format.empty() ? "" : "<str:LocalRepresentation><str:TextFormat textType=\"" + text_format +
                                              "\"/></str:LocalRepresentation>") +
                  std::string("</str:PrimaryMeasure>"));
  StructureSet set;
  Diagnostics diags;
  EXPECT_TRUE(ReadStructureMessage(msg, "demo", {}, &set, &diags).ok()) << diags.ToString();
  return set;
}

std::string OneValue(const std::string& value) {
  std::string body = hub::testing::OneObservation("404", 342);
  const size_t at = body.find("OBS_VALUE=\"342\"");
  EXPECT_NE(at, std::string::npos);
  return body.replace(at, 15, "OBS_VALUE=\"" + value + "\"");
}

// A measure the DSD gives no type is a string: any value, kept as sent.
TEST(WhiteSpaceTest, UntypedMeasureIsAStringKeptAsGiven) {
  const StructureSet set = DemoWithMeasure("");
  Diagnostics diags;
  const hub::testing::Content c = hub::testing::ReadContent(OneValue("  not available "), set, &diags, "s.xml");
  EXPECT_TRUE(diags.empty()) << diags.ToString();
  ASSERT_EQ(c.obs.size(), 1u);
  EXPECT_EQ(c.obs.begin()->second.substr(0, 17), "  not available |");
}

TEST(WhiteSpaceTest, NumericCheckFollowsTheDeclaredType) {
  const StructureSet integer = DemoWithMeasure("Integer");
  for (const auto& [value, ok] : std::vector<std::pair<std::string, bool>>{
           {" 15 ", true}, {"-15", true}, {"NaN", true}, {"1.5", false}, {"1e3", false}}) {
    Diagnostics diags;
    (void)CheckMessage(OneValue(value), "i.xml", integer, {}, &diags);
    EXPECT_EQ(diags.empty(), ok) << value << ": " << diags.ToString();
    if (!ok && !diags.empty()) {
      EXPECT_EQ(diags.items()[0].rule, "obs-value");
    }
  }
  const StructureSet decimal = DemoWithMeasure("Decimal");
  Diagnostics diags;
  (void)CheckMessage(OneValue("1,5"), "d.xml", decimal, {}, &diags);
  ASSERT_EQ(diags.count(), 1u) << diags.ToString();
  EXPECT_EQ(diags.items()[0].rule, "obs-value");
  EXPECT_EQ(diags.items()[0].element, "Obs");
  EXPECT_GT(diags.items()[0].line, 1);
}

}  // namespace
}  // namespace sdmx
