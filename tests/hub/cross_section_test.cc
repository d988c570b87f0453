// Cross-sections (dimensionAtObservation = a dimension other than time)
// over loopback HTTP, against a hub holding the demo feed after three
// commits: UNSD's initial load, WHO's revision, and UNSD deleting one
// observation. sort= orders their sections and observations; updatedAfter
// and includeHistory pivot each dataset. Expected values come from the
// submitted files.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "hub/base/iso_time.h"
#include "hub/http/client.h"
#include "sdmx/data_reader.h"
#include "sdmx/key_pattern.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

constexpr char kFlow[] = "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/";
// Three areas of one indicator (WHO revises 124's): their sections are periods.
// A REST 2.x key list: three whole keys.
constexpr char kThreeAreas[] = "A.G.SH_STA_MORT.124._T._T._T,A.G.SH_STA_MORT.404._T._T._T,A.G.SH_STA_MORT.646._T._T._T";
constexpr char kDeletedKey[] = "A.G.SH_STA_MORT.404._T._T._T";
constexpr char kDeletedPeriod[] = "2016";
constexpr char kSs30[] = "application/vnd.sdmx.data+xml;version=3.0.0";
constexpr char kGeneric21[] = "application/vnd.sdmx.genericdata+xml;version=2.1";

// One observation of a cross-section on REF_AREA: the section's period,
// the observation's area and value.
struct Row {
  std::string period, area, value;
  bool operator==(const Row&) const = default;
};
struct DataSet {
  std::string action, valid_from, valid_to;
  std::vector<std::vector<Row>> sections;  // in message order
  bool operator==(const DataSet&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Row& r) { return os << r.period << "/" << r.area << "=" << r.value; }
std::ostream& operator<<(std::ostream& os, const DataSet& d) {
  os << "{" << d.action << " " << d.valid_from << ".." << d.valid_to << ":";
  for (const auto& s : d.sections) {
    os << " [";
    for (const Row& r : s) os << r << " ";
    os << "]";
  }
  return os << "}";
}

std::string Attr(const pugi::xml_node& n, const std::string& name) {
  if (auto a = n.attribute(name.c_str())) return a.value();
  return n.attribute(("ss:" + name).c_str()).value();
}

// The datasets of a REF_AREA cross-section in SDMX-ML (generic or
// structure-specific), each section's observations in message order.
std::vector<DataSet> ReadCrossSection(const std::string& body) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_buffer(body.data(), body.size())) << body.substr(0, 300);
  const pugi::xml_node msg = doc.first_child();
  EXPECT_EQ(Attr(msg.child("message:Header").child("message:Structure"), "dimensionAtObservation"), "REF_AREA");
  std::vector<DataSet> out;
  for (pugi::xml_node ds : msg.children("message:DataSet")) {
    DataSet d{Attr(ds, "action"), Attr(ds, "validFromDate"), Attr(ds, "validToDate"), {}};
    for (pugi::xml_node series : ds.children()) {
      std::vector<Row>& section = d.sections.emplace_back();
      if (std::string(series.name()) == "generic:Series") {
        std::string period;
        for (pugi::xml_node v : series.child("generic:SeriesKey").children()) {
          if (std::string(v.attribute("id").value()) == "TIME_PERIOD") period = v.attribute("value").value();
        }
        for (pugi::xml_node o : series.children("generic:Obs")) {
          section.push_back({period, o.child("generic:ObsDimension").attribute("value").value(),
                             o.child("generic:ObsValue").attribute("value").value()});
        }
      } else {
        for (pugi::xml_node o : series.children("Obs")) {
          section.push_back({series.attribute("TIME_PERIOD").value(), o.attribute("REF_AREA").value(),
                             o.attribute("OBS_VALUE").value()});
        }
      }
    }
    out.push_back(std::move(d));
  }
  return out;
}

// "key|period" -> value, as the messages of a data response.
using Observations = std::map<std::string, std::string>;

// The observations of `obs` under kThreeAreas, as rows.
std::vector<Row> RowsOf(const Observations& obs) {
  std::vector<Row> rows;
  for (const auto& [k, v] : obs) {
    const std::vector<std::string> key = sdmx::SplitKey(k.substr(0, k.find('|')));
    const std::string& area = key[3];
    if (key[2] != "SH_STA_MORT" || key[4] != "_T" || (area != "124" && area != "404" && area != "646")) continue;
    rows.push_back({k.substr(k.find('|') + 1), area, v});
  }
  return rows;
}

// `rows` as sections (one per period), sections ordered by `section_less`
// on their periods and rows within each by `row_less`.
using Less = std::function<bool(const Row&, const Row&)>;
std::vector<std::vector<Row>> Sections(std::vector<Row> rows, const Less& section_less, const Less& row_less) {
  std::map<std::string, std::vector<Row>> by_period;
  for (Row& r : rows) by_period[r.period].push_back(std::move(r));
  std::vector<std::vector<Row>> out;
  for (auto& [period, section] : by_period) {
    std::stable_sort(section.begin(), section.end(), row_less);
    out.push_back(std::move(section));
  }
  std::stable_sort(out.begin(), out.end(), [&](const auto& a, const auto& b) { return section_less(a[0], b[0]); });
  return out;
}

bool ByArea(const Row& a, const Row& b) { return a.area < b.area; }
bool ByPeriod(const Row& a, const Row& b) { return a.period < b.period; }

class CrossSectionTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto h = testing::StartTestHub(*dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = h->release();
    auto post = [](const std::string& body, const std::string& id, const std::string& token) {
      auto rec = testing::SubmitAndWait(*hub_, body, id, token);
      EXPECT_TRUE(rec.ok()) << rec.status().ToString();
      return rec.ok() ? rec->marker().accepted_time_ms() : 0;
    };
    loaded_[0] = post(testing::DemoInitial(), "initial", "demo-unsd-token");
    loaded_[1] = post(testing::DemoRevision(), "revision", "demo-who-token");
    sdmx::Series gone;
    gone.key = sdmx::SplitKey(kDeletedKey);
    gone.observations.push_back({kDeletedPeriod, "", {}, 0});
    loaded_[2] = post(testing::DemoMessage({gone}, sdmx::Action::kDelete), "delete", "demo-unsd-token");
  }
  static void TearDownTestSuite() {
    hub_->Stop();
    delete hub_;
    delete dir_;
  }

  // The cross-section `query` answers in `accept`.
  static std::vector<DataSet> Get(const std::string& query, const std::string& accept = kSs30) {
    auto r = http::Fetch("GET", hub_->url() + kFlow + kThreeAreas + "?dimensionAtObservation=REF_AREA&" + query, "",
                         {{"Accept", accept}});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (!r.ok()) return {};
    EXPECT_EQ(r->status, 200) << query << ": " << r->body.substr(0, 300);
    return ReadCrossSection(r->body);
  }

  // The time-series answer to `query`, pivoted here: what its
  // cross-section must hold, dataset by dataset.
  static std::vector<DataSet> PivotedHere(const std::string& query) {
    auto r = http::Fetch("GET", hub_->url() + kFlow + kThreeAreas + "?" + query, "", {{"Accept", kSs30}});
    EXPECT_TRUE(r.ok() && r->status == 200) << query;
    if (!r.ok()) return {};
    static const sdmx::StructureSet structures = testing::DemoStructures();  // the reader keeps a reference
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(r->body, "time series", structures, {}, &d);
    EXPECT_TRUE(reader.ok()) << d.ToString();
    if (!reader.ok()) return {};
    std::vector<DataSet> out;
    std::vector<std::vector<Row>> rows;  // of each dataset
    for (auto& rd = *reader; rd->Valid(); rd->Next()) {
      const sdmx::DataSetInfo& i = rd->dataset();
      DataSet header{i.action_given ? sdmx::ActionName(i.action) : "", i.valid_from, i.valid_to, {}};
      if (out.empty() || out.back() != header) {
        out.push_back(header);
        rows.emplace_back();
      }
      for (const auto& o : rd->series().observations) rows.back().push_back({o.period, rd->series().key[3], o.value});
    }
    for (size_t i = 0; i < out.size(); ++i) out[i].sections = Sections(rows[i], ByPeriod, ByArea);
    return out;
  }

  static Observations Initial() { return testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures()); }
  static Observations Revision() {
    return testing::ObservationValues(testing::DemoRevision(), testing::DemoStructures());
  }
  // What the hub holds now.
  static Observations Latest() {
    Observations all = Initial();
    for (const auto& [k, v] : Revision()) all[k] = v;
    all.erase(std::string(kDeletedKey) + "|" + kDeletedPeriod);
    return all;
  }

  static testing::TempDir* dir_;
  static Hub* hub_;
  static int64_t loaded_[3];  // accepted time of each commit, ms
};

testing::TempDir* CrossSectionTest::dir_ = nullptr;
Hub* CrossSectionTest::hub_ = nullptr;
int64_t CrossSectionTest::loaded_[3] = {};

// sort= on a cross-section: sections (periods, with the other dimensions)
// by the series-level keys, observations within each by the cross-section's
// dimension, the measure and attributes.
TEST_F(CrossSectionTest, SortOrdersSectionsAndTheirObservations) {
  const std::vector<Row> rows = RowsOf(Latest());
  ASSERT_GT(rows.size(), 12u);
  auto one = [](std::vector<std::vector<Row>> sections) { return std::vector<DataSet>{{"", "", "", std::move(sections)}}; };
  const auto later = [](const Row& a, const Row& b) { return a.period > b.period; };
  const auto larger = [](const Row& a, const Row& b) { return std::stod(a.value) > std::stod(b.value); };
  for (const char* accept : {kSs30, kGeneric21}) {
    SCOPED_TRACE(accept);
    // Unsorted: sections by period, areas ascending within.
    EXPECT_EQ(Get("", accept), one(Sections(rows, ByPeriod, ByArea)));
    EXPECT_EQ(Get("sort=TIME_PERIOD:desc+OBS_VALUE:desc", accept), one(Sections(rows, later, larger)));
    EXPECT_EQ(Get("sort=REF_AREA:desc", accept),
              one(Sections(rows, ByPeriod, [](const Row& a, const Row& b) { return a.area > b.area; })));
    // series_key: the dimensions other than REF_AREA, then the period.
    EXPECT_EQ(Get("sort=series_key:desc", accept), one(Sections(rows, later, ByArea)));
  }
  // Pages cut the sorted order.
  std::vector<Row> flat;
  for (const auto& s : Sections(rows, later, larger)) flat.insert(flat.end(), s.begin(), s.end());
  std::vector<Row> paged;
  for (const DataSet& d : Get("sort=TIME_PERIOD:desc+OBS_VALUE:desc&offset=2&limit=5")) {
    for (const auto& s : d.sections) paged.insert(paged.end(), s.begin(), s.end());
  }
  EXPECT_EQ(paged, std::vector<Row>(flat.begin() + 2, flat.begin() + 7));
  auto bad = http::Fetch("GET", hub_->url() + kFlow + kThreeAreas + "?dimensionAtObservation=REF_AREA&sort=NOPE");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
}

// updatedAfter and includeHistory: each dataset (Replace, Delete, one per
// dissemination) pivoted like the time series it would otherwise be.
TEST_F(CrossSectionTest, HistoryDatasetsArePivotedEachAlone) {
  const std::vector<Row> revised = RowsOf(Revision());
  ASSERT_FALSE(revised.empty()) << "WHO revises none of the three areas: pick others";
  const std::vector<std::vector<Row>> deleted = {{{kDeletedPeriod, "404", ""}}};
  const std::string after_initial = "updatedAfter=" + IsoTimeMs(loaded_[0]);
  for (const char* accept : {kSs30, kGeneric21}) {
    SCOPED_TRACE(accept);
    // What changed since the first load: WHO's values, then the deletion.
    const std::vector<DataSet> changes = Get(after_initial, accept);
    EXPECT_EQ(changes, PivotedHere(after_initial));
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].action, "Replace");
    EXPECT_EQ(changes[0].sections, Sections(revised, ByPeriod, ByArea));
    EXPECT_EQ(changes[1], (DataSet{"Delete", "", "", deleted}));
    // Every dissemination, each valid until the next.
    const std::vector<DataSet> history = Get("includeHistory=true", accept);
    EXPECT_EQ(history, PivotedHere("includeHistory=true"));
    const std::vector<DataSet> want = {
        {"Replace", IsoTimeMs(loaded_[0]), IsoTimeMs(loaded_[1]), Sections(RowsOf(Initial()), ByPeriod, ByArea)},
        {"Replace", IsoTimeMs(loaded_[1]), IsoTimeMs(loaded_[2]), Sections(revised, ByPeriod, ByArea)},
        {"Delete", IsoTimeMs(loaded_[2]), "", deleted}};
    EXPECT_EQ(history, want);
    // Both: the disseminations after the first load.
    EXPECT_EQ(Get("includeHistory=true&" + after_initial, accept), std::vector<DataSet>(want.begin() + 1, want.end()));
  }
  // sort= orders each dataset's sections and observations.
  std::vector<DataSet> by_area_desc = Get("includeHistory=true");
  for (DataSet& d : by_area_desc) {
    for (auto& s : d.sections) std::sort(s.begin(), s.end(), [](const Row& a, const Row& b) { return a.area > b.area; });
  }
  EXPECT_EQ(Get("includeHistory=true&sort=REF_AREA:desc"), by_area_desc);
}

}  // namespace
}  // namespace hub
