// Data queries over several dataflows, over loopback HTTP: v2 agency and
// resourceID '*' or lists, a data structure two dataflows use, v1 agency
// "all". The hub holds the demo dataflow (SDMXHUB:DF_DEMO_SDG, UNSD's
// initial load), a second dataflow on the same DSD (WHO:DF_DEMO_SDG) and
// one on another DSD (SDMXHUB:DF_MINI), both defined and loaded here by the
// admin. Each answer holds one dataset per dataflow with data, in every
// format that can say so; the others answer 406 and say why.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "hub/base/iso_time.h"
#include "hub/http/client.h"
#include "sdmx/data_reader.h"
#include "sdmx/data_writer.h"
#include "sdmx/key_pattern.h"
#include "sdmx/structure_reader.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

constexpr char kAdmin[] = "test-admin";
constexpr char kDemo[] = "SDMXHUB:DF_DEMO_SDG(1.0)";
constexpr char kWho[] = "WHO:DF_DEMO_SDG(1.0)";
constexpr char kMini[] = "SDMXHUB:DF_MINI(1.0)";
constexpr char kUnit[] = "PER_100000_LIVE_BIRTHS";

// WHO's copy of the demo dataflow, and a dataflow on a two-dimension DSD.
constexpr char kStructures[] = R"(<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
    xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<mes:Header><mes:ID>MORE</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2026-11-23T00:00:00Z</mes:Prepared>
  <mes:Sender id="SDMXHUB"/></mes:Header>
<mes:Structures>
<str:Dataflows>
<str:Dataflow id="DF_DEMO_SDG" agencyID="WHO" version="1.0"><com:Name xml:lang="en">WHO's SDG indicators</com:Name>
  <str:Structure><Ref agencyID="SDMXHUB" id="DEMO_SDG" version="1.0" class="DataStructure"/></str:Structure></str:Dataflow>
<str:Dataflow id="DF_MINI" agencyID="SDMXHUB" version="1.0"><com:Name xml:lang="en">Mini</com:Name>
  <str:Structure><Ref agencyID="SDMXHUB" id="MINI" version="1.0" class="DataStructure"/></str:Structure></str:Dataflow>
</str:Dataflows>
<str:DataStructures>
<str:DataStructure id="MINI" agencyID="SDMXHUB" version="1.0"><com:Name xml:lang="en">Mini</com:Name>
<str:DataStructureComponents>
<str:DimensionList id="DimensionDescriptor">
<str:Dimension id="FREQ" position="1"><str:ConceptIdentity><Ref agencyID="SDMXHUB" maintainableParentID="DEMO_CONCEPTS"
  maintainableParentVersion="1.0" id="FREQ" class="Concept"/></str:ConceptIdentity><str:LocalRepresentation><str:Enumeration>
  <Ref agencyID="SDMXHUB" id="CL_FREQ" version="1.0" class="Codelist"/></str:Enumeration></str:LocalRepresentation></str:Dimension>
<str:Dimension id="REF_AREA" position="2"><str:ConceptIdentity><Ref agencyID="SDMXHUB" maintainableParentID="DEMO_CONCEPTS"
  maintainableParentVersion="1.0" id="REF_AREA" class="Concept"/></str:ConceptIdentity><str:LocalRepresentation><str:Enumeration>
  <Ref agencyID="SDMXHUB" id="CL_AREA" version="1.0" class="Codelist"/></str:Enumeration></str:LocalRepresentation></str:Dimension>
<str:TimeDimension id="TIME_PERIOD" position="3"><str:ConceptIdentity><Ref agencyID="SDMXHUB" maintainableParentID="DEMO_CONCEPTS"
  maintainableParentVersion="1.0" id="TIME_PERIOD" class="Concept"/></str:ConceptIdentity><str:LocalRepresentation>
  <str:TextFormat textType="ObservationalTimePeriod"/></str:LocalRepresentation></str:TimeDimension>
</str:DimensionList>
<str:AttributeList id="AttributeDescriptor">
<str:Attribute id="UNIT_MEASURE" assignmentStatus="Conditional"><str:ConceptIdentity><Ref agencyID="SDMXHUB"
  maintainableParentID="DEMO_CONCEPTS" maintainableParentVersion="1.0" id="UNIT_MEASURE" class="Concept"/></str:ConceptIdentity>
  <str:LocalRepresentation><str:Enumeration><Ref agencyID="SDMXHUB" id="CL_UNIT_MEASURE" version="1.0" class="Codelist"/>
  </str:Enumeration></str:LocalRepresentation><str:AttributeRelationship><str:Dimension><Ref id="FREQ"/></str:Dimension>
  <str:Dimension><Ref id="REF_AREA"/></str:Dimension></str:AttributeRelationship></str:Attribute>
</str:AttributeList>
<str:MeasureList id="MeasureDescriptor"><str:PrimaryMeasure id="OBS_VALUE"><str:ConceptIdentity><Ref agencyID="SDMXHUB"
  maintainableParentID="DEMO_CONCEPTS" maintainableParentVersion="1.0" id="OBS_VALUE" class="Concept"/></str:ConceptIdentity>
  </str:PrimaryMeasure></str:MeasureList>
</str:DataStructureComponents></str:DataStructure>
</str:DataStructures>
</mes:Structures>
</mes:Structure>)";

// (dataflow, "key|period", value) of each observation, in message order.
using Obs = std::tuple<std::string, std::string, std::string>;

// A value as a number reads ("426.0" is 426: SDMX-JSON readers see numbers).
std::string Number(const std::string& v) {
  std::ostringstream os;
  os << std::stod(v);
  return os.str();
}

sdmx::Series MakeSeries(const std::string& key, const std::vector<std::pair<std::string, std::string>>& obs,
                        bool obs_status) {
  sdmx::Series s;
  s.key = sdmx::SplitKey(key);
  s.attributes = {{"UNIT_MEASURE", kUnit}};
  for (const auto& [period, value] : obs) {
    s.observations.push_back({period, value, {}, 0});
    if (obs_status) s.observations.back().attributes = {{"OBS_STATUS", "A"}};
  }
  return s;
}

class SeveralDataflowsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto h = testing::StartTestHub(*dir_, "", kAdmin);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = h->release();
    structures_ = new sdmx::StructureSet(testing::DemoStructures());
    sdmx::Diagnostics d;
    ASSERT_TRUE(sdmx::ReadStructureMessage(kStructures, "more", {}, structures_, &d).ok()) << d.ToString();
    auto post = [](const std::string& body, const std::string& id, const std::string& token) {
      auto rec = testing::SubmitAndWait(*hub_, body, id, token);
      EXPECT_TRUE(rec.ok()) << id << ": " << rec.status().ToString();
      return rec.ok() ? rec->marker().accepted_time_ms() : 0;
    };
    loaded_unsd_ = post(testing::DemoInitial(), "initial", "demo-unsd-token");
    post(kStructures, "structures", kAdmin);
    loaded_who_ = post(Message(kWho, {MakeSeries("A.G.SH_STA_MORT.404._T._T._T", {{"2020", "1001"}, {"2021", "1002"}}, true),
                                      MakeSeries("A.G.SH_STA_MORT.646._T._T._T", {{"2020", "2001"}}, true)}),
                       "who", kAdmin);
    post(Message(kMini, {MakeSeries("A.404", {{"2020", "7"}, {"2021", "8"}}, false)}), "mini", kAdmin);
  }
  static void TearDownTestSuite() {
    hub_->Stop();
    delete hub_;
    delete structures_;
    delete dir_;
  }

  // A structure-specific 2.1 message of dataflow `flow` holding `series`.
  static std::string Message(const std::string& flow, const std::vector<sdmx::Series>& series) {
    const sdmx::Dataflow* df = nullptr;
    for (const auto& [k, f] : structures_->dataflows()) {
      if (f.ref.ToString() == flow) df = &f;
    }
    EXPECT_NE(df, nullptr) << flow;
    sdmx::WriteContext wc;
    wc.dsd = structures_->FindDataStructure(df->structure);
    wc.dataflow = df->ref;
    std::string body;
    auto w = sdmx::NewDataWriter(sdmx::DataFormat::kStructureSpecific21, wc, [&](std::string_view c) { body.append(c); });
    for (const sdmx::Series& s : series) w->WriteSeries(s);
    w->Finish();
    return body;
  }

  static http::HttpResponse Get(const std::string& path, const std::string& accept = "") {
    std::map<std::string, std::string> headers;
    if (!accept.empty()) headers["Accept"] = accept;
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  // The observations of a data response (any format but SDMX-CSV), each
  // with the dataflow its dataset names.
  static std::vector<Obs> Read(const http::HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
    std::vector<Obs> out;
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(r.body, "response", *structures_, {}, &d);
    EXPECT_TRUE(reader.ok()) << d.ToString() << r.body.substr(0, 1000);
    if (!reader.ok()) return out;
    for (auto& rd = *reader; rd->Valid(); rd->Next()) {
      const auto& flow = rd->dataset().dataflow;
      for (const auto& o : rd->series().observations) {
        out.emplace_back(flow ? flow->ToString() : "?", rd->series().KeyString() + "|" + o.period, Number(o.value));
      }
    }
    EXPECT_TRUE((*reader)->status().ok()) << (*reader)->status().ToString();
    return out;
  }

  // The same from SDMX-CSV (1.0 or 2.0): the dataflow, the key of the
  // dimensions `dims` and the period, the value.
  static std::vector<Obs> ReadCsv(const http::HttpResponse& r, const std::vector<std::string>& dims) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
    std::vector<std::vector<std::string>> rows;
    for (size_t a = 0; a < r.body.size();) {
      size_t b = r.body.find("\r\n", a);
      if (b == std::string::npos) b = r.body.size();
      std::vector<std::string>& row = rows.emplace_back();
      std::stringstream line(r.body.substr(a, b - a));  // no quoted cells in these answers
      for (std::string cell; std::getline(line, cell, ',');) row.push_back(cell);
      if (!r.body.empty() && r.body[b - 1] == ',') row.emplace_back();
      a = b + 2;
    }
    std::map<std::string, size_t> col;
    for (size_t i = 0; i < rows[0].size(); ++i) col[rows[0][i]] = i;
    const size_t flow = col.count("STRUCTURE_ID") ? col["STRUCTURE_ID"] : col["DATAFLOW"];
    std::vector<Obs> out;
    for (size_t i = 1; i < rows.size(); ++i) {
      std::string key;
      for (const std::string& d : dims) key += (key.empty() ? "" : ".") + rows[i][col[d]];
      out.emplace_back(rows[i][flow], key + "|" + rows[i][col["TIME_PERIOD"]], Number(rows[i][col["OBS_VALUE"]]));
    }
    return out;
  }

  // What the files hold of `flow` under `keep`, in key order.
  static std::vector<Obs> Submitted(const std::string& flow, const std::function<bool(const std::string&)>& keep) {
    std::map<std::string, std::string> values;
    if (flow == kDemo) values = testing::ObservationValues(testing::DemoInitial(), *structures_);
    if (flow == kWho) {
      values = {{"A.G.SH_STA_MORT.404._T._T._T|2020", "1001"}, {"A.G.SH_STA_MORT.404._T._T._T|2021", "1002"},
                {"A.G.SH_STA_MORT.646._T._T._T|2020", "2001"}};
    }
    if (flow == kMini) values = {{"A.404|2020", "7"}, {"A.404|2021", "8"}};
    std::vector<Obs> out;
    for (const auto& [k, v] : values) {
      if (keep(k)) out.emplace_back(flow, k, Number(v));
    }
    return out;
  }

  static testing::TempDir* dir_;
  static Hub* hub_;
  static sdmx::StructureSet* structures_;
  static int64_t loaded_unsd_, loaded_who_;
};

testing::TempDir* SeveralDataflowsTest::dir_ = nullptr;
Hub* SeveralDataflowsTest::hub_ = nullptr;
sdmx::StructureSet* SeveralDataflowsTest::structures_ = nullptr;
int64_t SeveralDataflowsTest::loaded_unsd_ = 0;
int64_t SeveralDataflowsTest::loaded_who_ = 0;

constexpr char kSs30[] = "application/vnd.sdmx.data+xml;version=3.0.0";
constexpr char kSs21[] = "application/vnd.sdmx.structurespecificdata+xml;version=2.1";
constexpr char kGeneric21[] = "application/vnd.sdmx.genericdata+xml;version=2.1";
constexpr char kJson20[] = "application/vnd.sdmx.data+json;version=2.0.0";
constexpr char kJson10[] = "application/vnd.sdmx.data+json;version=1.0.0";
constexpr char kCsv20[] = "application/vnd.sdmx.data+csv;version=2.0.0";
constexpr char kCsv10[] = "application/vnd.sdmx.data+csv;version=1.0.0";

const std::vector<std::string> kDemoDims = {"FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION"};

bool Mortality404And646(const std::string& k) {
  return k.rfind("A.G.SH_STA_MORT.404._T._T._T|", 0) == 0 || k.rfind("A.G.SH_STA_MORT.646._T._T._T|", 0) == 0;
}

std::vector<Obs> Concat(std::vector<Obs> a, const std::vector<Obs>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// The datastructure context: the data of each dataflow using the DSD, one
// dataset each, in SDMX-ML 2.1 and 3.0, SDMX-JSON 2.0 and both SDMX-CSVs
// (one DSD: SDMX-CSV 1.0 names each row's dataflow).
TEST_F(SeveralDataflowsTest, ADataStructureAnswersEachDataflowUsingIt) {
  const std::string path = "/sdmx/v2/data/datastructure/SDMXHUB/DEMO_SDG/1.0/A.G.SH_STA_MORT.404._T._T._T,A.G.SH_STA_MORT.646._T._T._T";
  const std::vector<Obs> want = Concat(Submitted(kDemo, Mortality404And646), Submitted(kWho, Mortality404And646));
  ASSERT_GT(want.size(), 10u);
  for (const char* accept : {kSs30, kSs21, kGeneric21, kJson20}) {
    EXPECT_EQ(Read(Get(path, accept)), want) << accept;
  }
  EXPECT_EQ(ReadCsv(Get(path, kCsv20), kDemoDims), want);
  EXPECT_EQ(ReadCsv(Get(path, kCsv10), kDemoDims), want);
  // SDMX-ML headers list both dataflows, each dataset pointing at its own.
  const std::string ml = Get(path, kSs21).body;
  EXPECT_NE(ml.find("<message:Structure structureID=\"SDMXHUB_DF_DEMO_SDG_1_0\""), std::string::npos) << ml.substr(0, 2000);
  EXPECT_NE(ml.find("<message:Structure structureID=\"WHO_DF_DEMO_SDG_1_0\""), std::string::npos);
  EXPECT_NE(ml.find("xsi:type=\"ns2:DataSetType\" ss:structureRef=\"WHO_DF_DEMO_SDG_1_0\""), std::string::npos);
  // SDMX-JSON 1.0 has one structure.
  http::HttpResponse json10 = Get(path, kJson10);
  EXPECT_EQ(json10.status, 406);
  EXPECT_NE(json10.body.find("holds the data of one dataflow"), std::string::npos) << json10.body;
  // v1: a flowRef without agency is every agency's.
  for (const std::string flow_ref : {"DF_DEMO_SDG", "all,DF_DEMO_SDG,latest"}) {
    EXPECT_EQ(Read(Get("/sdmx/v1/data/" + flow_ref + "/A.G.SH_STA_MORT.404+646._T._T._T")), want) << flow_ref;
  }
  EXPECT_EQ(Read(Get("/sdmx/v1/data/WHO,DF_DEMO_SDG/A.G.SH_STA_MORT.404+646._T._T._T")),
            Submitted(kWho, Mortality404And646));
  EXPECT_EQ(Get("/sdmx/v1/data/all").status, 404) << "flowRef names a dataflow: 'all' is not a keyword there";
}

// '*' and lists over dataflows of different DSDs: SDMX-CSV 2.0 has the
// union of their columns, SDMX-CSV 1.0 cannot (406 unless Accept allows
// another); a c[] on a component a DSD lacks leaves its dataflow out.
TEST_F(SeveralDataflowsTest, WildcardsSpanDataStructures) {
  const std::string query = "?c[REF_AREA]=404&c[TIME_PERIOD]=ge:2020";
  // REF_AREA is the 4th dimension of DEMO_SDG, the 2nd of MINI.
  auto mortality_2020 = [](const std::string& k) {
    return (k.find(".404.") != std::string::npos || k.rfind("A.404|", 0) == 0) && k.substr(k.size() - 4) >= "2020";
  };
  const std::vector<Obs> want = Concat(Concat(Submitted(kDemo, mortality_2020), Submitted(kMini, mortality_2020)),
                                       Submitted(kWho, mortality_2020));
  for (const std::string path : {"/sdmx/v2/data/dataflow/*/*/*/*", "/sdmx/v2/data/dataflow/SDMXHUB,WHO/DF_MINI,DF_DEMO_SDG/1.0/*",
                                  "/sdmx/v2/data/*/*/*/~/*"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(Read(Get(path + query, kSs30)), want);
    EXPECT_EQ(Read(Get(path + query, kJson20)), want);
  }
  http::HttpResponse csv = Get("/sdmx/v2/data/dataflow/*/*/*/*" + query, kCsv20);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.substr(0, csv.body.find("\r\n")),
            "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REPORTING_TYPE,SERIES,REF_AREA,SEX,AGE,URBANISATION,TIME_PERIOD,"
            "OBS_VALUE,UNIT_MEASURE,OBS_STATUS,NATURE,SOURCE_DETAIL");
  EXPECT_NE(csv.body.find("\r\ndataflow,SDMXHUB:DF_MINI(1.0),R,A,,,404,,,,2021,8," + std::string(kUnit) + ",,,\r\n"),
            std::string::npos)
      << csv.body.substr(0, 3000);
  // SDMX-CSV 1.0 has the columns of one DSD.
  http::HttpResponse csv10 = Get("/sdmx/v2/data/dataflow/*/*/*/*" + query, kCsv10);
  EXPECT_EQ(csv10.status, 406);
  EXPECT_NE(csv10.body.find("holds the data of one data structure"), std::string::npos) << csv10.body;
  EXPECT_NE(csv10.body.find(kMini), std::string::npos) << csv10.body;
  EXPECT_EQ(Get("/sdmx/v2/data/dataflow/*/*/*/*" + query, std::string(kCsv10) + ", " + kJson20 + ";q=0.5").status, 200);
  // SERIES is not a component of MINI: its dataflow holds nothing selected.
  EXPECT_EQ(Read(Get("/sdmx/v2/data/dataflow/*/*/*/*" + query + "&c[SERIES]=SH_STA_MORT")),
            Concat(Submitted(kDemo, [&](const std::string& k) { return mortality_2020(k) && k.find(".SH_STA_MORT.") != std::string::npos; }),
                   Submitted(kWho, mortality_2020)));
  EXPECT_EQ(Get("/sdmx/v2/data/dataflow/*/*/*/*?c[NOT_A_COMPONENT]=1").status, 400);
  // A key must fit every DSD it is matched against.
  EXPECT_EQ(Get("/sdmx/v2/data/dataflow/*/*/*/A.G.SH_STA_MORT.404.*.*.*").status, 400);
  EXPECT_EQ(Get("/sdmx/v2/data/dataflow/NOBODY/*/*/*").status, 404);
  // Availability stays one dataflow's.
  EXPECT_EQ(Get("/sdmx/v2/availability/dataflow/*/*/*/*").status, 501);
}

// offset/limit page through the whole answer: a page across two datasets
// holds both; a page within one names only its dataflow.
TEST_F(SeveralDataflowsTest, PagesRunAcrossDataflows) {
  const std::string path = "/sdmx/v2/data/datastructure/SDMXHUB/DEMO_SDG/1.0/A.G.SH_STA_MORT.404._T._T._T,A.G.SH_STA_MORT.646._T._T._T";
  const std::vector<Obs> all = Read(Get(path));
  const size_t demo = Submitted(kDemo, Mortality404And646).size();
  ASSERT_EQ(all.size(), demo + 3);
  auto page = [&](size_t offset, size_t limit) {
    return Read(Get(path + "?offset=" + std::to_string(offset) + "&limit=" + std::to_string(limit)));
  };
  EXPECT_EQ(page(demo - 1, 2), std::vector<Obs>(all.begin() + demo - 1, all.begin() + demo + 1));
  EXPECT_EQ(page(demo, 2), std::vector<Obs>(all.begin() + demo, all.begin() + demo + 2));
  const std::string only_who = Get(path + "?offset=" + std::to_string(demo), kSs21).body;
  EXPECT_EQ(only_who.find("SDMXHUB_DF_DEMO_SDG_1_0"), std::string::npos) << "a dataflow with nothing on the page";
  EXPECT_EQ(Get(path + "?offset=" + std::to_string(all.size())).status, 204);
}

// updatedAfter and includeHistory per dataflow, in one message.
TEST_F(SeveralDataflowsTest, HistoryPerDataflow) {
  const std::string path = "/sdmx/v2/data/datastructure/SDMXHUB/DEMO_SDG/1.0/A.G.SH_STA_MORT.404._T._T._T,A.G.SH_STA_MORT.646._T._T._T";
  // Since UNSD's load, only WHO's dataflow changed.
  EXPECT_EQ(Read(Get(path + "?updatedAfter=" + IsoTimeMs(loaded_unsd_))), Submitted(kWho, Mortality404And646));
  http::HttpResponse h = Get(path + "?includeHistory=true");
  ASSERT_EQ(h.status, 200);
  sdmx::Diagnostics d;
  auto reader = sdmx::DataReader::Open(h.body, "history", *structures_, {}, &d);
  ASSERT_TRUE(reader.ok()) << d.ToString();
  std::vector<std::pair<std::string, std::string>> datasets;  // dataflow, validFromDate
  for (auto& rd = *reader; rd->Valid(); rd->Next()) {
    std::pair<std::string, std::string> ds{rd->dataset().dataflow->ToString(), rd->dataset().valid_from};
    if (datasets.empty() || datasets.back() != ds) datasets.push_back(ds);
  }
  EXPECT_EQ(datasets, (std::vector<std::pair<std::string, std::string>>{{kDemo, IsoTimeMs(loaded_unsd_)},
                                                                        {kWho, IsoTimeMs(loaded_who_)}}));
  EXPECT_EQ(Get(path + "?includeHistory=true", kJson10).status, 406);
  // offset/limit page through the disseminations as through live data.
  const std::vector<Obs> demo = Submitted(kDemo, Mortality404And646), who = Submitted(kWho, Mortality404And646);
  EXPECT_EQ(Read(Get(path + "?includeHistory=true&limit=2&offset=" + std::to_string(demo.size() - 1))),
            (std::vector<Obs>{demo.back(), who.front()}));
}

}  // namespace
}  // namespace hub
