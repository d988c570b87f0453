// The global and country views: the aggregation rules and region membership
// on their own, then over HTTP against a hub holding the demo feed, where
// every aggregate is recomputed from the rows returned with it and the rows
// from the SDMX data API at the same watermark.
#include "hub/views/views.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <boost/json.hpp>
#include <cmath>
#include <mutex>
#include <thread>
#include <functional>
#include <map>
#include <set>
#include <string>

#include "hub/http/client.h"
#include "hub/views/regions.h"
#include "sdmx/m49.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

TEST(AggregateTest, EachRule) {
  std::vector<views::MemberValue> rows = {
      {"a", "2020", 10, 1.0}, {"b", "2021", 20, 3.0}, {"c", "2019", 60, std::nullopt}};
  auto sum = views::Aggregate(views::Rule::kSum, rows);
  ASSERT_TRUE(sum.value);
  EXPECT_DOUBLE_EQ(*sum.value, 90);
  EXPECT_EQ(sum.counted, 3u);
  EXPECT_EQ(sum.first_period, "2019");
  EXPECT_EQ(sum.last_period, "2021");
  EXPECT_DOUBLE_EQ(*views::Aggregate(views::Rule::kMean, rows).value, 30);
  // Weighted: the row without a weight does not count.
  auto weighted = views::Aggregate(views::Rule::kWeightedMean, rows);
  EXPECT_DOUBLE_EQ(*weighted.value, (10 * 1.0 + 20 * 3.0) / 4.0);
  EXPECT_EQ(weighted.counted, 2u);
  EXPECT_EQ(weighted.first_period, "2020");
  EXPECT_FALSE(views::Aggregate(views::Rule::kReportedOnly, rows).value);
  EXPECT_FALSE(views::Aggregate(views::Rule::kMean, {}).value);
  EXPECT_FALSE(views::Aggregate(views::Rule::kWeightedMean, {{"a", "2020", 5, 0.0}}).value);  // weights sum to 0
}

// Countries under `code` by the M49 table itself (parent links, groupings
// expanded), independently of the HierarchicalCodelist the hub reads.
std::set<std::string> CountriesUnder(const std::string& code) {
  std::map<std::string, std::vector<std::string>> children;
  for (const sdmx::M49Area& a : sdmx::M49Areas()) children[a.parent].push_back(a.code);
  for (const sdmx::M49Grouping& g : sdmx::M49Groupings()) {
    for (const char* m : g.members) children[g.code].push_back(m);
  }
  std::set<std::string> out;
  std::function<void(const std::string&)> walk = [&](const std::string& c) {
    auto it = children.find(c);
    if (it == children.end()) {
      out.insert(c);
      return;
    }
    for (const std::string& k : it->second) walk(k);
  };
  walk(code);
  return out;
}

TEST(RegionsTest, DemoHierarchyExpandsGroupingsToCountries) {
  const sdmx::StructureSet set = testing::DemoStructures();
  const sdmx::HierarchicalCodelist* hcl = set.FindHierarchicalCodelist({"SDMXHUB", "HCL_AREA", "1.0"});
  ASSERT_NE(hcl, nullptr);
  const views::Regions regions(*hcl);
  EXPECT_EQ(regions.codes().front(), "1");  // World first
  EXPECT_EQ(regions.Members("1").size(), 249u);
  for (const char* code : {"1", "2", "202", "14", "SDG_SSA", "SDG_NAWA", "SDG_EUNA", "LDC", "SIDS"}) {
    EXPECT_EQ(regions.Members(code), CountriesUnder(code)) << code;
  }
  EXPECT_EQ(regions.Members("SDG_SSA"), regions.Members("202"));
  EXPECT_EQ(regions.Members("LDC").size(), 44u);
  EXPECT_TRUE(regions.Members("404").empty());
  EXPECT_FALSE(regions.IsRegion("404"));
}

// --- over HTTP ---

struct Fetched {
  int status = 0;
  std::string body;
  uint64_t watermark = 0;
};

Fetched Get(Hub& hub, const std::string& path) {
  auto r = http::Fetch("GET", hub.url() + path);
  Fetched f;
  if (!r.ok()) {
    ADD_FAILURE() << path << ": " << r.status().ToString();
    return f;
  }
  f.status = r->status;
  f.body = r->body;
  if (const std::string* w = r->FindHeader("X-Hub-Watermark")) f.watermark = std::stoull(*w);
  return f;
}

double Num(const json::value& v) { return v.is_double() ? v.as_double() : static_cast<double>(v.to_number<int64_t>()); }

// "series_key|period" -> value of a data query at watermark `at`.
std::map<std::string, std::string> DataAt(Hub& hub, const std::string& key, uint64_t at) {
  Fetched f = Get(hub, "/sdmx/v1/data/DF_DEMO_SDG/" + key + "?at=" + std::to_string(at));
  EXPECT_EQ(f.status, 200) << key;
  return testing::ObservationValues(f.body, testing::DemoStructures());
}

// The key with REF_AREA (4th dimension) replaced.
std::string WithArea(const std::string& series_key, const std::string& area) {
  std::vector<std::string> parts = sdmx::SplitKey(series_key);
  parts[3] = area;
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i ? "." : "") + parts[i];
  return out;
}

class ViewsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto hub = testing::StartTestHub(dir_);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(*hub);
    for (auto [body, id] : {std::pair{testing::DemoInitial(), "initial"}, std::pair{testing::DemoRevision(), "revision"},
                            std::pair{testing::DemoNational(), "national"}}) {
      const char* token = std::string(id) == "revision" ? "demo-who-token" : "demo-unsd-token";
      auto rec = testing::SubmitAndWait(*hub_, body, id, token);
      ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    }
  }

  // Checks every row against the data API and every aggregate against a
  // recomputation from the rows, at the view's watermark. Returns the view.
  json::object CheckGlobalView(const std::string& indicator, const std::string& rule) {
    Fetched f = Get(*hub_, "/api/v1/views/global/" + indicator);
    EXPECT_EQ(f.status, 200) << f.body;
    json::object v = json::parse(f.body).as_object();
    const uint64_t w = f.watermark;
    EXPECT_EQ(v.at("watermark").to_number<uint64_t>(), w);
    EXPECT_EQ(v.at("method").at("rule").as_string(), rule);
    // Rows: the latest observation of each country's series, as the data API has it at w.
    const auto data = DataAt(*hub_, "A.G." + indicator + "....", w);
    std::map<std::string, std::pair<std::string, std::string>> latest;  // series key -> (period, value)
    for (const auto& [k, value] : data) {
      const size_t bar = k.find('|');
      latest[k.substr(0, bar)] = {k.substr(bar + 1), value};  // keys sort by period within a series
    }
    std::map<std::string, json::object> rows;  // series key -> row
    for (const json::value& r : v.at("rows").as_array()) {
      const json::object& row = r.as_object();
      const std::string key(row.at("series").as_string());
      const json::object& p = row.at("latest").as_object();
      EXPECT_EQ(latest[key].first, p.at("period").as_string()) << key;
      EXPECT_EQ(std::stod(latest[key].second), Num(p.at("value"))) << key;
      rows[key] = row;
    }
    EXPECT_EQ(rows.size(), latest.size());  // no region codes reported in the demo: every series is a row
    // Weights, when the rule has them, straight from the data API.
    std::map<std::string, std::map<std::string, double>> weights;  // area -> period -> population
    if (rule == "weighted_mean") {
      for (const auto& [k, value] : DataAt(*hub_, "A.G.SP_POP_TOTL.._T._T._T", w)) {
        weights[sdmx::SplitKey(k.substr(0, k.find('|')))[3]][k.substr(k.find('|') + 1)] = std::stod(value);
      }
    }
    auto weight_at = [&](const std::string& area, const std::string& period) -> std::optional<double> {
      auto a = weights.find(area);
      if (a == weights.end()) return std::nullopt;
      auto it = a->second.upper_bound(period);
      if (it == a->second.begin()) return std::nullopt;
      return std::prev(it)->second;
    };
    size_t checked = 0;
    for (const json::value& a : v.at("aggregates").as_array()) {
      const json::object& agg = a.as_object();
      const std::string region(agg.at("region").as_string());
      const std::set<std::string> members = CountriesUnder(region);
      EXPECT_EQ(agg.at("coverage").at("areasTotal").to_number<size_t>(), members.size()) << region;
      // The breakdown selects the member rows: the World row's key with each member's area.
      const json::object& b = agg.at("breakdown").as_object();
      const std::string pattern_key = "A.G." + indicator + ".X." + std::string(b.at("SEX").as_string()) + "." +
                                      std::string(b.at("AGE").as_string()) + "." +
                                      std::string(b.at("URBANISATION").as_string());
      double sum = 0, weight_sum = 0;
      size_t counted = 0;
      std::string last;
      std::vector<std::string> counted_areas;
      for (const std::string& m : members) {
        auto it = rows.find(WithArea(pattern_key, m));
        if (it == rows.end()) continue;
        const double value = Num(it->second.at("latest").at("value"));
        const std::string period(it->second.at("latest").at("period").as_string());
        if (rule == "weighted_mean") {
          auto wt = weight_at(m, period);
          if (!wt) continue;
          EXPECT_DOUBLE_EQ(Num(it->second.at("weight")), *wt) << m;
          sum += value * *wt;
          weight_sum += *wt;
        } else {
          sum += value;
        }
        ++counted;
        counted_areas.push_back(m);
        last = std::max(last, period);
      }
      EXPECT_EQ(agg.at("coverage").at("areasCounted").to_number<size_t>(), counted) << region;
      if (counted == 0) continue;
      const double expected = rule == "sum" ? sum : rule == "mean" ? sum / counted : sum / weight_sum;
      EXPECT_NEAR(Num(agg.at("value")), expected, 1e-9 * std::abs(expected)) << region << " " << pattern_key;
      EXPECT_EQ(agg.at("periods").at("last").as_string(), last);
      if (rule == "weighted_mean") {
        double covered = 0, total = 0;
        for (const std::string& m : members) {
          auto wt = weight_at(m, last);
          if (!wt) continue;
          total += *wt;
          if (std::find(counted_areas.begin(), counted_areas.end(), m) != counted_areas.end()) covered += *wt;
        }
        EXPECT_NEAR(Num(agg.at("coverage").at("weightShare")), covered / total, 1e-12) << region;
      }
      ++checked;
    }
    EXPECT_GT(checked, 30u) << indicator;
    return v;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ViewsTest, GlobalAggregatesRecomputeFromTheRowsForEachRule) {
  CheckGlobalView("SH_STA_MORT", "weighted_mean");  // WHO revised some areas: mixed latest periods
  CheckGlobalView("SI_POV_NAHC", "mean");
  CheckGlobalView("SP_POP_TOTL", "sum");
  // Disaggregated: an aggregate per SEX code, not only _T.
  json::object v = CheckGlobalView("SI_POV_DAY1", "weighted_mean");
  std::set<std::string> world_sexes;
  for (const json::value& a : v.at("aggregates").as_array()) {
    if (a.at("region").as_string() == "1") world_sexes.insert(std::string(a.at("breakdown").at("SEX").as_string()));
  }
  EXPECT_EQ(world_sexes, (std::set<std::string>{"F", "M", "_T"}));
  // reported_only: nothing is computed, and the demo reports no region codes.
  Fetched f = Get(*hub_, "/api/v1/views/global/SG_GEN_PARL");
  ASSERT_EQ(f.status, 200);
  EXPECT_TRUE(json::parse(f.body).at("aggregates").as_array().empty());
}

TEST_F(ViewsTest, GlobalViewCsvHoldsTheSameAggregates) {
  Fetched js = Get(*hub_, "/api/v1/views/global/SH_DYN_MORT");
  Fetched csv = Get(*hub_, "/api/v1/views/global/SH_DYN_MORT?format=csv&at=" + std::to_string(js.watermark));
  ASSERT_EQ(csv.status, 200);
  std::map<std::string, double> from_csv;  // region|SEX -> value
  size_t line_start = csv.body.find("\r\n") + 2, area_rows = 0;
  while (line_start < csv.body.size()) {
    const size_t end = csv.body.find("\r\n", line_start);
    std::vector<std::string> cells;
    std::string line = csv.body.substr(line_start, end - line_start), cell;
    bool quoted = false;
    for (char c : line) {
      if (c == '"') quoted = !quoted;
      else if (c == ',' && !quoted) cells.push_back(std::exchange(cell, ""));
      else cell += c;
    }
    cells.push_back(cell);
    // ROW,AREA,AREA_NAME,FREQ,SEX,AGE,URBANISATION,TIME_PERIOD_FIRST,TIME_PERIOD,OBS_VALUE,...
    EXPECT_EQ(cells.size(), 20u) << line;
    if (cells[0] == "aggregate") from_csv[cells[1] + "|" + cells[4]] = std::stod(cells[9]);
    area_rows += cells[0] == "area";
    line_start = end + 2;
  }
  json::object v = json::parse(js.body).as_object();
  EXPECT_EQ(area_rows, v.at("rows").as_array().size());
  ASSERT_EQ(from_csv.size(), v.at("aggregates").as_array().size());
  for (const json::value& a : v.at("aggregates").as_array()) {
    const std::string k = std::string(a.at("region").as_string()) + "|" + std::string(a.at("breakdown").at("SEX").as_string());
    EXPECT_DOUBLE_EQ(from_csv[k], Num(a.at("value"))) << k;
  }
}

TEST_F(ViewsTest, CountryViewPutsNationalAndGlobalSideBySide) {
  Fetched f = Get(*hub_, "/api/v1/views/country/404");
  ASSERT_EQ(f.status, 200) << f.body;
  json::object v = json::parse(f.body).as_object();
  EXPECT_EQ(v.at("name").as_string(), "Kenya");
  const auto data = DataAt(*hub_, "...404...", f.watermark);
  std::map<std::string, std::map<std::string, double>> series;  // key -> period -> value, Kenya only
  for (const auto& [k, value] : data) {
    const std::string key = k.substr(0, k.find('|'));
    if (sdmx::SplitKey(key)[3] == "404") series[key][k.substr(k.find('|') + 1)] = std::stod(value);
  }
  size_t sides = 0, with_both = 0;
  for (const json::value& s : v.at("series").as_array()) {
    std::map<std::string, double> national, global;
    for (const char* side : {"national", "global"}) {
      if (s.at(side).is_null()) continue;
      ++sides;
      const json::object& o = s.at(side).as_object();
      const std::string key(o.at("series").as_string());
      const auto& expected = series[key];
      const json::array& obs = o.at("observations").as_array();
      ASSERT_EQ(obs.size(), expected.size()) << key;
      for (const json::value& p : obs) {
        const std::string period(p.at("period").as_string());
        EXPECT_DOUBLE_EQ(Num(p.at("value")), expected.at(period)) << key << " " << period;
        (std::string(side) == "national" ? national : global)[period] = Num(p.at("value"));
      }
      // Trend: first and latest, and the change per year between them.
      const auto& first = *expected.begin();
      const auto& latest = *expected.rbegin();
      const json::object& t = o.at("trend").as_object();
      EXPECT_EQ(t.at("first").at("period").as_string(), first.first);
      EXPECT_EQ(t.at("latest").at("period").as_string(), latest.first);
      const double years = std::stoi(latest.first) - std::stoi(first.first);  // annual periods
      EXPECT_NEAR(Num(t.at("changePerYear")), (latest.second - first.second) / years,
                  1e-9 + 0.002 * std::abs(latest.second - first.second))  // leap days
          << key;
    }
    // N - G for each period both have, rounded to the values' decimals.
    const json::array& diffs = s.at("differences").as_array();
    size_t common = 0;
    for (const auto& [period, n] : national) common += global.count(period);
    ASSERT_EQ(diffs.size(), common);
    for (const json::value& d : diffs) {
      const std::string period(d.at("period").as_string());
      EXPECT_NEAR(Num(d.at("difference")), national[period] - global[period], 1e-9);
      EXPECT_EQ(std::round(Num(d.at("difference")) * 10), Num(d.at("difference")) * 10);  // one decimal, exactly
    }
    with_both += common > 0;
  }
  EXPECT_EQ(sides, series.size());  // every Kenya series appears once
  EXPECT_GE(with_both, 10u);        // the national file covers the non-health indicators
  Fetched csv = Get(*hub_, "/api/v1/views/country/404?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.body.rfind("INDICATOR,INDICATOR_NAME,FREQ,SEX,AGE,URBANISATION,TIME_PERIOD,NATIONAL_VALUE", 0), 0u);
}

TEST_F(ViewsTest, ReadsAtAPastWatermarkAndAnswersErrors) {
  // Before WHO's revision (watermark of the initial file) the view differs, and is stable.
  Fetched now = Get(*hub_, "/api/v1/views/global/SH_STA_MORT");
  Fetched past = Get(*hub_, "/api/v1/views/global/SH_STA_MORT?at=2");
  ASSERT_EQ(past.status, 200);
  EXPECT_EQ(past.watermark, 2u);
  EXPECT_NE(past.body, now.body);
  EXPECT_EQ(Get(*hub_, "/api/v1/views/global/SH_STA_MORT?at=2").body, past.body);
  EXPECT_EQ(json::parse(past.body).at("watermark").to_number<uint64_t>(), 2u);
  // At 2 no row comes from WHO's 2022.
  const json::value parsed = json::parse(past.body);
  for (const json::value& r : parsed.at("rows").as_array()) {
    EXPECT_NE(r.at("latest").at("period").as_string(), "2022");
  }
  EXPECT_EQ(Get(*hub_, "/api/v1/views/global/NO_SUCH").status, 404);
  EXPECT_EQ(Get(*hub_, "/api/v1/views/country/99999").status, 404);
  EXPECT_EQ(Get(*hub_, "/api/v1/views/country/404?format=xml").status, 400);
  EXPECT_EQ(Get(*hub_, "/api/v1/views/country/404?at=999").status, 400);
}

// One revision of SH_STA_MORT 2022 for every country, all to `value`.
std::string RevisionOfEveryCountry(const std::string& value) {
  std::vector<sdmx::Series> all;
  for (const std::string& area : CountriesUnder("1")) {
    sdmx::Series s;
    s.key = sdmx::SplitKey(WithArea("A.G.SH_STA_MORT.X._T._T._T", area));
    s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
    s.observations.push_back({"2022", value, {{"OBS_STATUS", "A"}, {"NATURE", "E"}}, 0});
    all.push_back(std::move(s));
  }
  return testing::DemoMessage(all);
}

// Readers fetch the global view and, at its watermark, a country view while
// revisions commit: every read holds one whole submission (all rows carry
// the same revision), its aggregates equal the recomputation from its rows,
// and the country view at the same watermark agrees with the global row.
TEST_F(ViewsTest, EveryReadIsOneConsistentSnapshotWhileRevisionsCommit) {
  constexpr int kRevisions = 12;
  std::atomic<bool> done{false};
  std::atomic<int> reads{0};
  std::mutex seen_mu;
  std::set<std::string> seen;  // revision values the readers saw
  auto read_once = [&] {
      Fetched f = Get(*hub_, "/api/v1/views/global/SH_STA_MORT");
      ASSERT_EQ(f.status, 200);
      json::object v = json::parse(f.body).as_object();
      std::map<std::string, std::pair<double, double>> rows;  // area -> (value, weight), _T rows
      std::set<std::string> values;
      for (const json::value& r : v.at("rows").as_array()) {
        if (r.at("latest").at("period").as_string() != "2022") continue;
        values.insert(std::to_string(Num(r.at("latest").at("value"))));
        rows[std::string(r.at("area").as_string())] = {Num(r.at("latest").at("value")), Num(r.at("weight"))};
      }
      ASSERT_EQ(rows.size(), 249u);
      ASSERT_EQ(values.size(), 1u) << "a read holds part of a submission, at watermark " << f.watermark;
      for (const json::value& a : v.at("aggregates").as_array()) {
        double sum = 0, weights = 0;
        for (const std::string& m : CountriesUnder(std::string(a.at("region").as_string()))) {
          sum += rows[m].first * rows[m].second;
          weights += rows[m].second;
        }
        ASSERT_NEAR(Num(a.at("value")), sum / weights, 1e-9 * sum / weights) << a.at("region").as_string();
      }
      Fetched c = Get(*hub_, "/api/v1/views/country/404?at=" + std::to_string(f.watermark));
      ASSERT_EQ(c.watermark, f.watermark);
      bool found = false;
      const json::value country = json::parse(c.body);
      for (const json::value& s : country.at("series").as_array()) {
        if (s.at("indicator").as_string() != "SH_STA_MORT") continue;
        found = true;
        ASSERT_EQ(Num(s.at("global").at("latest").at("value")), rows["404"].first);
      }
      ASSERT_TRUE(found);
      std::lock_guard<std::mutex> l(seen_mu);
      seen.insert(*values.begin());
      ++reads;
  };
  auto reader = [&] {
    while (!done.load() && !::testing::Test::HasFailure()) {
      try {
        read_once();
      } catch (const std::exception& e) {  // a missing member: the view's shape broke
        ADD_FAILURE() << "reader: " << e.what();
      }
    }
  };
  auto wait_for_reads = [&](int n) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (reads.load() < n && !::testing::Test::HasFailure() && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  };
  std::vector<std::thread> readers;
  for (int k = 1; k <= kRevisions; ++k) {
    auto rec = testing::SubmitAndWait(*hub_, RevisionOfEveryCountry(std::to_string(100 + k) + ".5"),
                                      "rev-" + std::to_string(k), "demo-who-token");
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    if (k == 1) readers.emplace_back(reader), readers.emplace_back(reader);  // from the first full revision on
    // Pace the writer so that reads fall between every pair of revisions
    // even on a loaded machine (the readers keep reading while it commits).
    wait_for_reads(k);
  }
  wait_for_reads(kRevisions + 1);
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_GT(reads.load(), kRevisions);
  EXPECT_GE(seen.size(), 3u) << "the readers should have seen several revisions";
}

// With no views dataflow nor hierarchy configured, a dataflow whose DSD has
// the view dimensions (the demo's) gets both views: rows, and no aggregates
// without a hierarchy. Dimension names no DSD has: no views, and the answer
// says where to look.
TEST(ViewsConfigTest, WithoutAViewsDataflowEverySdgShapedDataflowHasViews) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir, testing::DemoConfig(dir, {{"dataflow = \"SDMXHUB:DF_DEMO_SDG\"", "dataflow = \"\""},
                                                                  {"hierarchy = \"SDMXHUB:HCL_AREA\"", "hierarchy = \"\""}}));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  ASSERT_TRUE(testing::SubmitAndWait(**hub, testing::DemoInitial(), "initial", "demo-unsd-token").ok());
  Fetched f = Get(**hub, "/api/v1/views/global/SH_STA_MORT");
  ASSERT_EQ(f.status, 200) << f.body;
  json::object v = json::parse(f.body).as_object();
  EXPECT_EQ(v.at("dataflows"), json::parse(R"j(["SDMXHUB:DF_DEMO_SDG(1.0)"])j"));
  EXPECT_TRUE(v.at("hierarchy").is_null());
  EXPECT_TRUE(v.at("aggregates").as_array().empty());
  EXPECT_GT(v.at("rows").as_array().size(), 100u);
  EXPECT_EQ(Get(**hub, "/api/v1/views/country/404").status, 200);
  (*hub)->Stop();

  testing::TempDir other;
  hub = testing::StartTestHub(other, testing::DemoConfig(other, {{"dataflow = \"SDMXHUB:DF_DEMO_SDG\"", "dataflow = \"\""},
                                                                  {"area_dimension = \"REF_AREA\"", "area_dimension = \"NO_SUCH\""}}));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  f = Get(**hub, "/api/v1/views/country/404");
  EXPECT_EQ(f.status, 404);
  EXPECT_NE(f.body.find("[views]"), std::string::npos) << f.body;
}

}  // namespace
}  // namespace hub
