#include "sdmx/data_writer.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <map>
#include <set>
#include <sstream>

#include "sdmx/data_reader.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

struct Fixture {
  StructureSet set = hub::testing::DemoStructures();
  const Dataflow* flow = set.FindDataflowById("DF_DEMO_SDG");
  const DataStructure* dsd = set.FindDataStructure(flow->structure);

  Series Sample() const {
    Series s;
    s.key = {"A", "G", "SH_STA_MORT", "404", "_T", "_T", "_T"};
    s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
    s.observations.push_back({"2015", "45", {{"OBS_STATUS", "A"}, {"SOURCE_DETAIL", "Survey, \"DHS\""}}, 0});
    s.observations.push_back({"2016", "45.0", {{"OBS_STATUS", "E"}, {"NATURE", "M"}}, 0});
    s.observations.push_back({"2017", "NaN", {{"OBS_STATUS", "M"}}, 0});
    return s;
  }

  std::string Write(DataFormat f, const std::vector<Series>& series, size_t flush_bytes = 64 * 1024,
                    const OutputDetail& detail = {}) const {
    WriteContext ctx;
    ctx.detail = detail;
    ctx.dsd = dsd;
    ctx.dataflow = flow->ref;
    ctx.action = Action::kReplace;
    ctx.flush_bytes = flush_bytes;
    std::string out;
    size_t chunks = 0;
    auto w = NewDataWriter(f, ctx, [&](std::string_view c) {
      out.append(c);
      ++chunks;
    });
    for (const auto& s : series) w->WriteSeries(s);
    w->Finish();
    return out;
  }
};

// What the reader gets back from an ss21 message written with `detail`.
std::vector<Series> ReadBack(const Fixture& fx, const OutputDetail& detail) {
  std::string body = fx.Write(DataFormat::kStructureSpecific21, {fx.Sample()}, 64 * 1024, detail);
  Diagnostics diags;
  auto r = DataReader::Open(body, "detail.xml", fx.set, {}, &diags);
  EXPECT_TRUE(r.ok()) << diags.ToString();
  std::vector<Series> out;
  if (!r.ok()) return out;
  for (auto& rd = *r; rd->Valid(); rd->Next()) out.push_back(rd->series());
  return out;
}

TEST(OutputDetailTest, V1DetailAndV2AttributesMeasuresShapeEveryWriter) {
  Fixture fx;
  auto v1 = [](const char* d) { return *OutputDetail::FromV1(d); };
  std::vector<Series> full = ReadBack(fx, v1("full"));
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].observations.size(), 3u);
  EXPECT_EQ(full[0].attributes.size(), 1u);

  std::vector<Series> dataonly = ReadBack(fx, v1("dataonly"));
  ASSERT_EQ(dataonly.size(), 1u);
  EXPECT_TRUE(dataonly[0].attributes.empty());
  EXPECT_EQ(dataonly[0].observations[1].value, "45.0");
  EXPECT_TRUE(dataonly[0].observations[1].attributes.empty());

  std::vector<Series> keys = ReadBack(fx, v1("serieskeysonly"));
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].key, fx.Sample().key);
  EXPECT_TRUE(keys[0].observations.empty());
  EXPECT_TRUE(keys[0].attributes.empty());

  std::vector<Series> nodata = ReadBack(fx, v1("nodata"));
  ASSERT_EQ(nodata.size(), 1u);
  EXPECT_TRUE(nodata[0].observations.empty());
  EXPECT_EQ(nodata[0].attributes, fx.Sample().attributes);
  EXPECT_FALSE(OutputDetail::FromV1("everything").has_value());

  // v2: observation-level attributes only; no measure.
  auto obs_only = OutputDetail::FromV2("obs", "none", *fx.dsd);
  ASSERT_TRUE(obs_only.has_value());
  std::vector<Series> v2 = ReadBack(fx, *obs_only);
  ASSERT_EQ(v2.size(), 1u);
  EXPECT_TRUE(v2[0].attributes.empty());
  EXPECT_EQ(v2[0].observations[0].value, "");
  EXPECT_EQ(v2[0].observations[0].attributes, fx.Sample().observations[0].attributes);
  auto listed = OutputDetail::FromV2("OBS_STATUS", "all", *fx.dsd);
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(ReadBack(fx, *listed)[0].observations[1].attributes, (Fields{{"OBS_STATUS", "E"}}));
  EXPECT_FALSE(OutputDetail::FromV2("NOT_AN_ATTRIBUTE", "all", *fx.dsd).has_value());
  // CSV honours it too: no attribute values in any row.
  std::string csv = fx.Write(DataFormat::kCsv20, {fx.Sample()}, 64 * 1024, v1("dataonly"));
  EXPECT_EQ(csv.find("PER_100000_LIVE_BIRTHS"), std::string::npos) << csv;
  EXPECT_NE(csv.find("45.0"), std::string::npos) << csv;
}

TEST(CsvWriterTest, OneRowPerObservationWithQuoting) {
  Fixture fx;
  std::string csv = fx.Write(DataFormat::kCsv10, {fx.Sample()});
  std::istringstream in(csv);
  std::string header, row1, row2, row3, extra;
  std::getline(in, header);
  std::getline(in, row1);
  std::getline(in, row2);
  std::getline(in, row3);
  EXPECT_FALSE(std::getline(in, extra));
  EXPECT_EQ(header,
            "DATAFLOW,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,"
            "OBS_STATUS,NATURE,SOURCE_DETAIL\r");
  EXPECT_EQ(row1,
            "SDMXHUB:DF_DEMO_SDG(1.0),A,G,SH_STA_MORT,404,_T,_T,_T,2015,45,PER_100000_LIVE_BIRTHS,A,,"
            "\"Survey, \"\"DHS\"\"\"\r");
  EXPECT_EQ(row2, "SDMXHUB:DF_DEMO_SDG(1.0),A,G,SH_STA_MORT,404,_T,_T,_T,2016,45.0,PER_100000_LIVE_BIRTHS,E,M,\r");
}

TEST(JsonWriterTest, ValuesAndAttributesResolveThroughStructure) {
  Fixture fx;
  Series second = fx.Sample();
  second.key[3] = "646";
  std::string text = fx.Write(DataFormat::kJson20, {fx.Sample(), second}, /*flush_bytes=*/16);
  boost::json::value v = boost::json::parse(text);
  const auto& data = v.at("data");
  const auto& st = data.at("structures").at(0);
  // The structure names its dataflow and DSD by links (the 2.0 schema's way).
  const auto& links = st.at("links").as_array();
  ASSERT_EQ(links.size(), 2u);
  EXPECT_EQ(links[0].at("rel").as_string(), "dataflow");
  EXPECT_EQ(links[0].at("urn").as_string(), "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=SDMXHUB:DF_DEMO_SDG(1.0)");
  EXPECT_EQ(links[1].at("rel").as_string(), "datastructure");
  const auto& areas = st.at("dimensions").at("series").at(3);
  EXPECT_EQ(areas.at("id").as_string(), "REF_AREA");
  const auto& series = data.at("dataSets").at(0).at("series").as_object();
  ASSERT_EQ(series.size(), 2u);
  // Decode every observation back to (area, period, value, OBS_STATUS).
  std::set<std::string> decoded;
  const auto& times = st.at("dimensions").at("observation").at(0).at("values").as_array();
  const auto& status = st.at("attributes").at("observation").at(0);
  ASSERT_EQ(status.at("id").as_string(), "OBS_STATUS");
  for (const auto& [key, s] : series) {
    std::string k(key);
    std::vector<int> idx;
    std::stringstream ks(k);
    for (std::string part; std::getline(ks, part, ':');) idx.push_back(std::stoi(part));
    std::string area(areas.at("values").at(idx[3]).at("id").as_string());
    for (const auto& [t, arr] : s.at("observations").as_object()) {
      std::string period(times.at(std::stoi(std::string(t))).at("value").as_string());
      const auto& a = arr.as_array();
      // NaN (intentionally missing) is a string, apart from null (absent).
      std::string value = a.at(0).is_null()     ? "null"
                          : a.at(0).is_string() ? std::string(a.at(0).as_string())
                                                : std::to_string(a.at(0).to_number<double>());
      std::string st_code(status.at("values").at(a.at(1).as_int64()).at("id").as_string());
      decoded.insert(area + "|" + period + "|" + value + "|" + st_code);
    }
  }
  EXPECT_EQ(decoded, (std::set<std::string>{"404|2015|45.000000|A", "404|2016|45.000000|E", "404|2017|NaN|M",
                                            "646|2015|45.000000|A", "646|2016|45.000000|E", "646|2017|NaN|M"}));
  // The agency's text is kept: "45.0" is not rewritten as 45.
  EXPECT_NE(text.find("[45.0,"), std::string::npos);
  EXPECT_NE(text.find("[45,"), std::string::npos);
}

// SDMX-ML out, SDMX-ML in: same keys, periods, values, attributes.
TEST(MlWriterTest, RoundTripsThroughTheReader) {
  Fixture fx;
  std::vector<Series> in = {fx.Sample()};
  for (DataFormat f : {DataFormat::kGeneric21, DataFormat::kStructureSpecific21}) {
    std::string xml = fx.Write(f, in);
    Diagnostics diags;
    auto reader = DataReader::Open(xml, "rt.xml", fx.set, {}, &diags);
    ASSERT_TRUE(reader.ok()) << FormatName(f) << ": " << reader.status().ToString();
    auto& r = *reader;
    ASSERT_TRUE(r->Valid());
    EXPECT_EQ(r->dataset().action, Action::kReplace);
    const Series& s = r->series();
    EXPECT_EQ(s.key, in[0].key);
    EXPECT_EQ(s.attributes, in[0].attributes);
    ASSERT_EQ(s.observations.size(), in[0].observations.size());
    for (size_t i = 0; i < s.observations.size(); ++i) {
      EXPECT_EQ(s.observations[i].period, in[0].observations[i].period);
      EXPECT_EQ(s.observations[i].value, in[0].observations[i].value);
      EXPECT_EQ(s.observations[i].attributes, in[0].observations[i].attributes) << FormatName(f);
    }
    r->Next();
    EXPECT_FALSE(r->Valid());
  }
}

// Issue 16.6: tab, CR and LF in a value survive every SDMX-ML writer, as
// &#9; &#13; &#10; (raw, a parser would make them spaces in an attribute and
// CR LF one LF in text), in every layout; and what XML cannot hold at all
// (U+0001, invalid UTF-8: data stored before the readers refused it) is
// replaced, so that the answer stays well-formed.
TEST(XmlWriterTest, TabsAndLineEndsSurviveAndForbiddenCharactersNeverReachTheOutput) {
  Fixture fx;
  const std::string kept = "\tline 1\r\nline 2\rend\n";
  Series in = fx.Sample();
  in.observations[0].attributes[1].value = kept;                   // SOURCE_DETAIL: a string, kept as given
  in.observations[1].attributes.push_back({"SOURCE_DETAIL", "a\x01" "b\xFF"});
  for (DataFormat f : {DataFormat::kGeneric21, DataFormat::kStructureSpecific21, DataFormat::kStructureSpecific30}) {
    for (bool flat : {false, true}) {
      WriteContext ctx;
      ctx.dsd = fx.dsd;
      ctx.dataflow = fx.flow->ref;
      ctx.action = Action::kReplace;
      ctx.all_dimensions = flat;
      std::string body;
      auto w = NewDataWriter(f, ctx, [&](std::string_view c) { body.append(c); });
      w->WriteSeries(in);
      w->Finish();
      const std::string label = std::string(FormatName(f)) + (flat ? " flat" : "");
      EXPECT_NE(body.find("&#9;line 1&#13;&#10;line 2&#13;end&#10;"), std::string::npos) << label;
      EXPECT_EQ(body.find('\x01'), std::string::npos) << label;
      Diagnostics diags;
      auto r = DataReader::Open(body, "tabs.xml", fx.set, {}, &diags);
      ASSERT_TRUE(r.ok()) << label << ": " << diags.ToString();
      std::map<std::string, std::string> sources;  // period -> SOURCE_DETAIL
      for (auto& rd = *r; rd->Valid(); rd->Next()) {
        for (const Observation& o : rd->series().observations) {
          if (const std::string* v = FindField(o.attributes, "SOURCE_DETAIL")) sources[o.period] = *v;
        }
      }
      EXPECT_TRUE(r.value()->status().ok()) << label << ": " << diags.ToString();
      EXPECT_EQ(sources["2015"], kept) << label;
      EXPECT_EQ(sources["2016"], "a\xEF\xBF\xBD" "b\xEF\xBF\xBD") << label;
    }
  }
}

TEST(FormatsTest, NegotiatesByAcceptAndQuality) {
  const std::vector<DataFormat> offered = {DataFormat::kGeneric21, DataFormat::kStructureSpecific21,
                                           DataFormat::kCsv10, DataFormat::kJson20};
  EXPECT_EQ(NegotiateDataFormat("", offered), DataFormat::kGeneric21);
  EXPECT_EQ(NegotiateDataFormat("*/*", offered), DataFormat::kGeneric21);
  EXPECT_EQ(NegotiateDataFormat("application/vnd.sdmx.data+csv;version=1.0.0", offered), DataFormat::kCsv10);
  EXPECT_EQ(NegotiateDataFormat("text/csv", offered), DataFormat::kCsv10);
  EXPECT_EQ(NegotiateDataFormat("application/vnd.sdmx.data+json; version=2.0.0", offered), DataFormat::kJson20);
  EXPECT_EQ(NegotiateDataFormat("text/csv;q=0.5, application/json", offered), DataFormat::kJson20);
  EXPECT_EQ(NegotiateDataFormat("image/png", offered), std::nullopt);
}

}  // namespace
}  // namespace sdmx
