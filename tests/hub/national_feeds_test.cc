// National SDG feeds loaded as a new user would: the structure files as
// published, then every data file with no parameter at all.
//  - Tajstat (TJ): 60 series on the global DSD IAEG-SDGs:SDG(1.4), whose
//    file holds no dataflow, in four message formats and a corrected
//    re-submission. They load into the DSD's default dataflow
//    IAEG-SDGs:SDG(1.4) (connectors/default_dataflow.h), which `/dataflow`
//    lists, a restart keeps and a replay rebuilds; the same data in another
//    format writes no revision.
//  - Kyrgyz Republic (KG): three DSD versions (each with its dataflow
//    KG_NSC:DF_SDG_KG of that version) and 137 data files, each
//    action="Information" (applied as Merge), two of them empty DataSets.
//    With no [views] section its dataflows get the views, and the country
//    view of Kyrgyzstan puts KNSC's national figures (area KG) beside the
//    global ones (area 417) of the demo dataflow; Tajstat's beside those of
//    Tajikistan (762).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace fs = std::filesystem;
constexpr char kAdmin[] = "national-admin";

std::vector<std::string> Files(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(testing::CorpusPath(dir))) out.push_back(e.path().string());
  std::sort(out.begin(), out.end());  // names start with their publication time
  return out;
}

// The demo config without its [views] section (and rules).
std::string ConfigWithoutViews(const testing::TempDir& dir) {
  std::string toml = testing::ReadFileOrDie(testing::DemoConfig(dir));
  const size_t from = toml.find("\n[views]"), to = toml.find("\n[changes]");
  EXPECT_TRUE(from != std::string::npos && to != std::string::npos && from < to);
  toml.erase(from, to - from);
  EXPECT_EQ(toml.find("[views"), std::string::npos) << "a [views] section is left";
  EXPECT_EQ(toml.find("[[views"), std::string::npos) << "a [[views.rules]] entry is left";
  testing::WriteFileOrDie(dir.Sub("no-views.toml"), toml);
  return dir.Sub("no-views.toml");
}

// The country view's series of `indicator` whose breakdown has `codes`.
const boost::json::object* FindSeries(const boost::json::object& view, const std::string& indicator,
                                      const std::map<std::string, std::string>& codes) {
  for (const boost::json::value& s : view.at("series").as_array()) {
    const boost::json::object& o = s.as_object();
    const boost::json::object& b = o.at("breakdown").as_object();
    bool match = o.at("indicator").as_string() == indicator;
    for (const auto& [dim, code] : codes) match = match && b.contains(dim) && b.at(dim).as_string() == code;
    if (match) return &o;
  }
  return nullptr;
}

// `both` has a national side from `nflow`/`narea` and a global one from
// `gflow`/`garea`, and one difference, national - global, per period both have.
void ExpectSides(const boost::json::object& both, const std::string& nflow, const std::string& narea,
                 const std::string& gflow, const std::string& garea) {
  ASSERT_TRUE(both.at("national").is_object() && both.at("global").is_object());
  const boost::json::object& n = both.at("national").as_object();
  const boost::json::object& g = both.at("global").as_object();
  EXPECT_EQ(n.at("dataflow").as_string(), nflow);
  EXPECT_EQ(n.at("area").as_string(), narea);
  EXPECT_EQ(g.at("dataflow").as_string(), gflow);
  EXPECT_EQ(g.at("area").as_string(), garea);
  std::map<std::string, double> nv, gv;
  for (const auto& [side, out] : {std::pair{&n, &nv}, std::pair{&g, &gv}}) {
    for (const boost::json::value& p : side->at("observations").as_array()) {
      (*out)[std::string(p.at("period").as_string())] = p.at("value").to_number<double>();
    }
  }
  size_t common = 0;
  for (const auto& [period, value] : nv) common += gv.count(period);
  const boost::json::array& diffs = both.at("differences").as_array();
  ASSERT_GT(common, 0u);
  ASSERT_EQ(diffs.size(), common);
  for (const boost::json::value& d : diffs) {
    const std::string period(d.at("period").as_string());
    EXPECT_NEAR(d.at("difference").to_number<double>(), nv.at(period) - gv.at(period), 1e-9) << period;
  }
}

class NationalFeedsTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(); }

  void Start(const std::string& config = "") {
    auto hub = testing::StartTestHub(dir_, config, kAdmin);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(*hub);
  }

  // Submits `path` with no parameter; the ledger record once applied.
  sdmxhub::state::v1::LedgerRecord Load(const std::string& path) {
    const std::string id = "n-" + std::to_string(++submissions_);
    auto done = testing::SubmitAndWait(*hub_, testing::ReadFileOrDie(path), id, kAdmin);
    EXPECT_TRUE(done.ok()) << path << ": " << done.status().ToString();
    return done.ok() ? *done : sdmxhub::state::v1::LedgerRecord();
  }

  http::HttpResponse Get(const std::string& path) { return testing::Get(*hub_, path); }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  int submissions_ = 0;
};

TEST_F(NationalFeedsTest, TajstatLoadsIntoTheDefaultDataflowOfTheGlobalDsd) {
  EXPECT_EQ(Get("/sdmx/v1/dataflow/IAEG-SDGs/SDG/1.4").status, 404);
  Load(testing::CorpusPath("sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml"));
  // The DSD's default dataflow is there at once, in the structure API.
  http::HttpResponse df = Get("/sdmx/v1/dataflow/IAEG-SDGs/SDG/1.4");
  ASSERT_EQ(df.status, 200) << df.body.substr(0, 300);
  EXPECT_NE(df.body.find("<str:Dataflow"), std::string::npos);
  EXPECT_NE(df.body.find("id=\"SDG\""), std::string::npos);

  const std::vector<std::string> files = Files("sdg/national/TJ");
  ASSERT_EQ(files.size(), 5u);
  std::vector<sdmxhub::state::v1::LedgerRecord> recs;
  for (const std::string& f : files) recs.push_back(Load(f));
  for (size_t i = 0; i < recs.size(); ++i) {
    const auto& m = recs[i].marker();
    EXPECT_EQ(m.dataflow().agency() + ":" + m.dataflow().id() + "(" + m.dataflow().version() + ")",
              "IAEG-SDGs:SDG(1.4)")
        << files[i];
    EXPECT_EQ(m.observations(), 188) << files[i];
    ASSERT_GE(m.applied_actions_size(), 1);
    EXPECT_EQ(m.applied_actions(0), "Merge") << files[i];
  }
  // SDMX-ML 2.0 generic first: all 188 new; the same data as 2.1 generic,
  // structure-specific and time-series: nothing changed.
  EXPECT_EQ(recs[0].revisions().new_observations(), 188);
  for (size_t i = 1; i < 4; ++i) {
    const auto& c = recs[i].revisions();
    EXPECT_EQ(c.unchanged_observations(), 188) << files[i];
    EXPECT_EQ(c.new_observations() + c.changed_observations() + c.deleted_observations(), 0) << files[i];
    EXPECT_EQ(c.series_attributes_changed(), 0) << files[i];
  }
  // The corrected re-submission (SOURCES.md: +1 added, -1 removed, ~1
  // revised): Merge adds and revises, and deletes nothing.
  const auto& fix = recs[4].revisions();
  EXPECT_EQ(fix.new_observations(), 1);
  EXPECT_EQ(fix.changed_observations(), 1);
  EXPECT_EQ(fix.deleted_observations(), 0);
  EXPECT_EQ(fix.unchanged_observations(), 186);
  http::HttpResponse data = Get("/sdmx/v1/data/IAEG-SDGs,SDG,1.4/all?format=csv");
  ASSERT_EQ(data.status, 200);
  EXPECT_EQ(std::count(data.body.begin(), data.body.end(), '\n'), 1 + 189) << "header + 188 + 1 added";

  // A restart keeps the dataflow (it came through the log), and a replay
  // rebuilds the same state.
  auto live = hub_->state()->Digest();
  ASSERT_TRUE(live.ok());
  hub_->Stop();
  hub_.reset();
  Start();
  EXPECT_EQ(Get("/sdmx/v1/dataflow/IAEG-SDGs/SDG/1.4").status, 200);
  EXPECT_EQ(Get("/sdmx/v1/data/IAEG-SDGs,SDG,1.4/all?format=csv").body, data.body);
  const std::string args = "replay --data-dir " + dir_.Sub("data") + " --into " + dir_.Sub("replayed") +
                           " --config " + testing::SourcePath("configs/hub.toml");
  EXPECT_EQ(testing::HubBinaryOutput(args), *live);
}

// Data under the global SDG DSD gets the views too: Tajstat's national
// figures (REPORTING_TYPE=N, area TJ, in IAEG-SDGs:SDG(1.4)) sit beside the
// demo's global ones for Tajikistan (762), with [views] naming the demo.
TEST_F(NationalFeedsTest, TajstatDataOnTheGlobalDsdSitsBesideTheGlobalFigures) {
  Load(testing::CorpusPath("sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml"));
  Load(Files("sdg/national/TJ").back());
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoInitial(), "demo", "demo-unsd-token").ok());
  for (const char* area : {"762", "TJ"}) {
    http::HttpResponse r = Get(std::string("/api/v1/views/country/") + area);
    ASSERT_EQ(r.status, 200) << area << ": " << r.body.substr(0, 300);
    const boost::json::object v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v.at("name").as_string(), "Tajikistan");
    const boost::json::object* both = FindSeries(v, "SI_POV_DAY1", {{"SEX", "_T"}, {"AGE", "_T"}});
    ASSERT_NE(both, nullptr) << area;
    ExpectSides(*both, "IAEG-SDGs:SDG(1.4)", "TJ", "SDMXHUB:DF_DEMO_SDG(1.0)", "762");
  }
  // The global view of that dataflow alone: Tajikistan's row, no hierarchy.
  http::HttpResponse r = Get("/api/v1/views/global/SI_POV_DAY1?reportingType=N&dataflow=IAEG-SDGs:SDG");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const boost::json::object v = boost::json::parse(r.body).as_object();
  ASSERT_EQ(v.at("rows").as_array().size(), 1u);
  EXPECT_EQ(v.at("rows").at(0).at("area"), "TJ");
  EXPECT_TRUE(v.at("aggregates").as_array().empty());
}

TEST_F(NationalFeedsTest, KyrgyzFilesLoadWithNoParameter) {
  for (const std::string& f : Files("sdg/national/KG/dsd")) Load(f);
  // Each DSD version came with its own dataflow: no default one is made.
  EXPECT_EQ(Get("/sdmx/v1/dataflow/KG_NSC/SDG").status, 404);
  EXPECT_EQ(Get("/sdmx/v1/dataflow/KG_NSC/DF_SDG_KG/1.8").status, 200);
  std::vector<std::string> files;
  for (const char* indicator : {"1.a.2", "3.1.1"}) {
    for (const std::string& f : Files(std::string("sdg/national/KG/revisions/") + indicator)) files.push_back(f);
  }
  for (const std::string& f : Files("sdg/national/KG/data")) files.push_back(f);
  ASSERT_EQ(files.size(), 137u);
  int empty = 0;
  int64_t observations = 0;
  for (const std::string& f : files) {
    const auto rec = Load(f);
    ASSERT_GT(rec.seq(), 0u) << f << " was not committed";
    const auto& m = rec.marker();
    EXPECT_EQ(m.declared_actions(0), "Information") << f;
    EXPECT_EQ(m.applied_actions(0), "Merge") << f;
    if (m.series() == 0) {
      ++empty;
      EXPECT_EQ(rec.revisions().new_observations() + rec.revisions().changed_observations(), 0);
    }
    const auto& c = rec.revisions();
    EXPECT_EQ(c.new_observations() + c.changed_observations() + c.unchanged_observations(), m.observations()) << f;
    observations += c.new_observations();
  }
  EXPECT_EQ(empty, 2) << "SOURCES.md: two 1.a.2 publications hold an empty DataSet";
  EXPECT_GT(observations, 20000);
}

TEST_F(NationalFeedsTest, KyrgyzDataGetsCountryAndGlobalViewsWithNoViewsSection) {
  hub_->Stop();
  hub_.reset();
  Start(ConfigWithoutViews(dir_));
  for (const std::string& f : Files("sdg/national/KG/dsd")) Load(f);
  Load(testing::CorpusPath("sdg/national/KG/data/3.2.1.xml"));  // under-five mortality, national
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoInitial(), "demo", "demo-unsd-token").ok());

  // Kyrgyzstan's under-five mortality: KG's national series (area KG, in
  // KG_NSC:DF_SDG_KG) beside the demo's global one (area 417), for both
  // 417 and KG, each difference national - global.
  for (const char* area : {"417", "KG"}) {
    http::HttpResponse r = Get(std::string("/api/v1/views/country/") + area);
    ASSERT_EQ(r.status, 200) << area << ": " << r.body.substr(0, 300);
    const boost::json::object v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v.at("name").as_string(), "Kyrgyzstan");
    const boost::json::object* both = FindSeries(v, "SH_DYN_MORT", {{"SEX", "_T"}, {"AGE", "Y0T4"}});
    ASSERT_NE(both, nullptr) << area;
    ExpectSides(*both, "KG_NSC:DF_SDG_KG(1.8)", "KG", "SDMXHUB:DF_DEMO_SDG(1.0)", "417");
  }

  // The global view of KG's dataflow, national figures: the country and its
  // oblasts, each row the latest observation the data API holds; no
  // hierarchy is configured, so no aggregates.
  http::HttpResponse r = Get("/api/v1/views/global/SH_DYN_MORT?reportingType=N&dataflow=KG_NSC:DF_SDG_KG");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  const boost::json::object v = boost::json::parse(r.body).as_object();
  EXPECT_EQ(v.at("dataflow"), "KG_NSC:DF_SDG_KG(1.8)");
  EXPECT_TRUE(v.at("aggregates").as_array().empty());
  std::set<std::string> areas;
  for (const boost::json::value& row : v.at("rows").as_array()) {
    const std::string key(row.at("series").as_string());
    areas.insert(std::string(row.at("area").as_string()));
    http::HttpResponse data = Get("/sdmx/v1/data/KG_NSC,DF_SDG_KG,1.8/" + key + "?format=csv&lastNObservations=1");
    ASSERT_EQ(data.status, 200) << key;
    const std::string& latest = std::string(row.at("latest").at("period").as_string());
    EXPECT_NE(data.body.find("," + latest + ","), std::string::npos) << key << " latest " << latest << "\n" << data.body;
  }
  EXPECT_TRUE(areas.count("KG")) << "the country itself";
  EXPECT_TRUE(areas.count("KG02")) << "Issyk-Kul oblast";
}

}  // namespace
}  // namespace hub
