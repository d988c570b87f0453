// Bad input, case by case: each gets a located diagnostic naming its rule.
#include "sdmx/validator.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "sdmx/check.h"
#include "sdmx/time_period.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

// Lines 1-5; the first Series starts on line 6.
constexpr char kHead[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<m:StructureSpecificData xmlns:m=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
    "xmlns:c=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\">\n"
    "<m:Header><m:ID>T1</m:ID><m:Test>false</m:Test><m:Prepared>2026-01-01T00:00:00Z</m:Prepared>"
    "<m:Sender id=\"TEST\"/>\n"
    "<m:Structure structureID=\"S\" dimensionAtObservation=\"TIME_PERIOD\"><c:StructureUsage>"
    "<Ref agencyID=\"SDMXHUB\" id=\"DF_DEMO_SDG\" version=\"1.0\"/></c:StructureUsage></m:Structure></m:Header>\n"
    "<m:DataSet structureRef=\"S\" action=\"Replace\">\n";
constexpr char kTail[] = "</m:DataSet></m:StructureSpecificData>\n";
constexpr char kKey[] =
    "FREQ=\"A\" REPORTING_TYPE=\"G\" SERIES=\"SI_POV_DAY1\" REF_AREA=\"404\" SEX=\"_T\" AGE=\"_T\" URBANISATION=\"_T\"";

std::string Message(const std::string& series) { return kHead + series + kTail; }
std::string Series(const std::string& key, const std::string& obs) {
  return "<Series " + key + " UNIT_MEASURE=\"PT\">\n" + obs + "</Series>\n";
}
std::string Obs(const std::string& period, const std::string& value, const std::string& extra = " OBS_STATUS=\"A\"") {
  return "<Obs TIME_PERIOD=\"" + period + "\" OBS_VALUE=\"" + value + "\"" + extra + "/>\n";
}

Diagnostics Check(const std::string& body) {
  Diagnostics diags;
  (void)CheckMessage(body, "case.xml", hub::testing::DemoStructures(), {}, &diags);
  return diags;
}

struct BadCase {
  const char* name;
  std::string body;
  const char* rule;
  int line;
  const char* message_part;
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class ValidatorCaseTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(ValidatorCaseTest, IsRejectedWithALocatedDiagnostic) {
  const BadCase& c = GetParam();
  Diagnostics diags = Check(c.body);
  ASSERT_FALSE(diags.empty()) << c.name << " was accepted";
  const Diagnostic& d = diags.items().front();
  EXPECT_EQ(d.rule, c.rule) << diags.ToString();
  EXPECT_EQ(d.line, c.line) << diags.ToString();
  EXPECT_EQ(d.file, "case.xml");
  EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.ToString();
  EXPECT_EQ(d.ToString().rfind("case.xml:" + std::to_string(c.line) + ": ", 0), 0u) << d.ToString();
}

std::string Deep(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += "<x>";
    close += "</x>";
  }
  return std::string(kHead) + open + close + kTail;
}

// `depth` nested <y> elements on one line.
std::string Deep2(int depth) {
  std::string open, close;
  for (int i = 0; i < depth; ++i) {
    open += "<y>";
    close += "</y>";
  }
  return open + close;
}

// A message cut inside its first observation: the error is on the last line.
std::string Truncated() {
  std::string m = Message(Series(kKey, Obs("2015", "1.5")));
  return m.substr(0, m.find("OBS_VALUE"));
}
int TruncatedLine() {
  std::string t = Truncated();
  return 1 + static_cast<int>(std::count(t.begin(), t.end(), '\n'));
}

INSTANTIATE_TEST_SUITE_P(
    BadInput, ValidatorCaseTest,
    ::testing::Values(
        BadCase{"WrongKeyLength",
                Message(Series("FREQ=\"A\" REPORTING_TYPE=\"G\" SERIES=\"SI_POV_DAY1\" REF_AREA=\"404\" SEX=\"_T\" "
                               "URBANISATION=\"_T\"",
                               Obs("2015", "1.5"))),
                "key-length", 6, "AGE"},
        BadCase{"UnknownCode",
                Message(Series("FREQ=\"A\" REPORTING_TYPE=\"G\" SERIES=\"SI_POV_DAY1\" REF_AREA=\"tj\" SEX=\"_T\" "
                               "AGE=\"_T\" URBANISATION=\"_T\"",
                               Obs("2015", "1.5"))),
                "code-in-codelist", 6, "REF_AREA='tj'"},
        BadCase{"PeriodNotAnnual", Message(Series(kKey, Obs("2015-Q1", "1.5"))), "time-period", 7, "FREQ=A"},
        BadCase{"PeriodGarbage", Message(Series(kKey, Obs("20155", "1.5"))), "time-period", 7, "20155"},
        BadCase{"ValueNotNumeric", Message(Series(kKey, Obs("2015", "1,5"))), "obs-value", 7, "'1,5'"},
        BadCase{"MandatoryAttributeMissing", Message(Series(kKey, Obs("2015", "1.5", ""))), "mandatory-attribute", 7,
                "OBS_STATUS"},
        BadCase{"UnknownAttribute", Message(Series(kKey, Obs("2015", "1.5", " OBS_STATUS=\"A\" FOO=\"1\""))),
                "known-component", 7, "FOO"},
        BadCase{"CodedAttributeOutsideCodelist", Message(Series(kKey, Obs("2015", "1.5", " OBS_STATUS=\"Z\""))),
                "code-in-codelist", 7, "OBS_STATUS='Z'"},
        BadCase{"DuplicateObservation", Message(Series(kKey, Obs("2015", "1.5") + Obs("2015", "1.6"))),
                "duplicate-observation", 8, "2015"},
        BadCase{"TruncatedXml", Truncated(), "well-formed-xml", TruncatedLine(), ""},
        BadCase{"DtdEntityTrick",
                "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]>\n" +
                    Message("").substr(std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n").size()),
                "no-dtd", 2, "DTD"},
        BadCase{"DeepNesting", Deep(10'000), "max-depth", 6, "64"},
        // Inside a Series the scanner jumps to the end tag (XmlScanner::FastSkip): depth and
        // DTDs in there are still caught, on the right line.
        BadCase{"DeepInsideSeries", Message(Series(kKey, Obs("2015", "1.5") + Deep2(100) + "\n")), "max-depth", 8, "64"},
        BadCase{"DtdInsideSeries", Message(Series(kKey, Obs("2015", "1.5") + "<!DOCTYPE x>\n")), "no-dtd", 8, "DTD"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

TEST(ValidatorTest, ValidSeriesPasses) {
  Diagnostics diags = Check(Message(Series(kKey, Obs("2015", "1.5") + Obs("2016", "NaN") + Obs("2017", "-2e3"))));
  EXPECT_TRUE(diags.empty()) << diags.ToString();
}

TEST(ValidatorTest, MarkupThatHidesAnEndTagIsReadThrough) {
  // A comment or CDATA holding "</Series>" must not end the series early.
  for (const std::string inside : {"<!-- </Series> -->\n", "<?pi </Series> ?>\n"}) {
    CheckCounts counts;
    Diagnostics diags;
    hub::Status s = CheckMessage(Message(Series(kKey, Obs("2015", "1.5") + inside + Obs("2016", "2"))), "case.xml",
                            hub::testing::DemoStructures(), {}, &diags, &counts);
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(diags.empty()) << diags.ToString();
    EXPECT_EQ(counts.series, 1u);
    EXPECT_EQ(counts.observations, 2u) << inside;
  }
}

TEST(ValidatorTest, ReportsEveryProblemNotJustTheFirst) {
  std::string bad = Series(kKey, Obs("2015", "x") + Obs("2016", "y"));
  Diagnostics diags = Check(Message(bad + bad));
  // Two bad values per series plus two duplicates in the second series.
  EXPECT_EQ(diags.count(), 6u) << diags.ToString();
}

// The lines of the duplicate-observation diagnostics of `body` when the
// Validator keeps `memory_bytes` of hashes.
std::vector<int> DuplicateLines(const std::string& body, size_t memory_bytes) {
  const StructureSet& structures = hub::testing::DemoStructures();
  Diagnostics diags;
  auto reader = DataReader::Open(std::string_view(body), "case.xml", structures, {}, &diags);
  EXPECT_TRUE(reader.ok());
  ValidatorOptions vo;
  vo.duplicate_memory_bytes = memory_bytes;
  std::unique_ptr<Validator> v;
  for (auto& rd = *reader; rd->Valid(); rd->Next()) {
    if (!v) v = std::make_unique<Validator>(rd->structure(), structures, "case.xml", vo);
    v->Validate(rd->series(), rd->dataset().action, &diags);
  }
  EXPECT_TRUE(v->Finish(&diags).ok());
  std::vector<int> lines;
  for (const Diagnostic& d : diags.items()) {
    EXPECT_EQ(d.rule, "duplicate-observation") << diags.ToString();
    lines.push_back(d.line);
  }
  std::sort(lines.begin(), lines.end());
  return lines;
}

TEST(ValidatorTest, DuplicatesPastTheMemoryBoundAreFoundAllTheSame) {
  auto key = [](const std::string& area) {
    return "FREQ=\"A\" REPORTING_TYPE=\"G\" SERIES=\"SI_POV_DAY1\" REF_AREA=\"" + area +
           "\" SEX=\"_T\" AGE=\"_T\" URBANISATION=\"_T\"";
  };
  const std::vector<std::string> areas = {"404", "4", "8", "12", "24", "32", "36", "40", "50", "56"};
  std::string series;
  for (const std::string& a : areas) {
    std::string obs;
    for (int y = 2000; y < 2005; ++y) obs += Obs(std::to_string(y), "1");
    series += Series(key(a), obs);
  }
  series += Series(key("404"), Obs("2003", "2"));  // repeats the first series (kept in memory)
  series += Series(key("24"), Obs("2001", "2"));   // repeats a series met past the bound
  series += Series(key("50"), Obs("2010", "2") + Obs("2010", "3"));  // repeats itself past the bound
  const std::string body = Message(series);
  const std::vector<int> in_memory = DuplicateLines(body, size_t{32} << 20);
  ASSERT_EQ(in_memory.size(), 3u);
  // A bound of one byte: only the first series' hashes stay in memory.
  EXPECT_EQ(DuplicateLines(body, 1), in_memory);
}

TEST(ValidatorTest, DiagnosticsAreCappedButCounted) {
  Diagnostics diags(2);
  for (int i = 0; i < 5; ++i) diags.Add({"f", i, "Obs", "r", "m"});
  EXPECT_EQ(diags.count(), 5u);
  EXPECT_EQ(diags.items().size(), 2u);
  EXPECT_TRUE(diags.truncated());
  EXPECT_NE(diags.ToString().find("3 more"), std::string::npos);
}

TEST(TimePeriodTest, FrequenciesAcceptTheirFormats) {
  struct P {
    const char* period;
    const char* freq;
    bool ok;
  };
  for (const P& p : {P{"2015", "A", true}, P{"2015-A1", "A", true}, P{"2015-Q4", "Q", true}, P{"2015-Q5", "Q", false},
                     P{"2015-03", "M", true}, P{"2015-M03", "M", true}, P{"2015-13", "M", false},
                     P{"2015-W53", "W", true}, P{"2015-02-30", "D", true}, P{"2015-S2", "S", true},
                     P{"2015", "M", false}, P{"2015-01-01T00:00:00", "N", true}}) {
    EXPECT_EQ(PeriodFitsFrequency(p.period, p.freq, nullptr), p.ok) << p.period << " " << p.freq;
  }
}

TEST(TimePeriodTest, BoundsOfEveryPeriodShape) {
  auto bounds = [](const char* p) {
    std::string a, b;
    EXPECT_TRUE(PeriodBounds(p, &a, &b)) << p;
    return a + ".." + b;
  };
  EXPECT_EQ(bounds("2015"), "2015-01-01..2015-12-31");
  EXPECT_EQ(bounds("2015-A1"), "2015-01-01..2015-12-31");
  EXPECT_EQ(bounds("2015-S2"), "2015-07-01..2015-12-31");
  EXPECT_EQ(bounds("2016-Q1"), "2016-01-01..2016-03-31");
  EXPECT_EQ(bounds("2015-T3"), "2015-09-01..2015-12-31");
  EXPECT_EQ(bounds("2020-02"), "2020-02-01..2020-02-29");
  EXPECT_EQ(bounds("2019-M02"), "2019-02-01..2019-02-28");
  EXPECT_EQ(bounds("2015-W01"), "2014-12-29..2015-01-04");  // ISO week 1 holds January 4th
  EXPECT_EQ(bounds("2020-W53"), "2020-12-28..2021-01-03");
  EXPECT_EQ(bounds("2015-D032"), "2015-02-01..2015-02-01");
  EXPECT_EQ(bounds("2015-03-15"), "2015-03-15..2015-03-15");
  std::string a, b;
  EXPECT_FALSE(PeriodBounds("soon", &a, &b));
}

}  // namespace
}  // namespace sdmx
