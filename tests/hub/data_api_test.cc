// SDMX REST 1.5 data parameters over loopback HTTP against a running hub
// holding the demo feed: startPeriod/endPeriod, firstN/lastNObservations,
// dimensionAtObservation, detail, and the status codes for bad values and
// for what is not implemented. Expected values come from the submitted file.
// One file for the data resource's parameters (hence its length): its tests
// share one hub, loaded with the demo feed once for the suite.
#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <chrono>
#include <functional>
#include <set>
#include <thread>
#include <tuple>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include "hub/http/client.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/data_reader.h"
#include "sdmx/data_writer.h"
#include "sdmx/demo_feed.h"
#include "sdmx/key_pattern.h"
#include "sdmx/structure_reader.h"
#include "sdmx/structure_reader.h"
#include "hub/hub.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

class DataApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    auto h = testing::StartTestHub(*dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = h->release();
    auto rec = testing::SubmitAndWait(*hub_, testing::DemoInitial(), "data-api", "demo-unsd-token");
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  }
  static void TearDownTestSuite() {
    hub_->Stop();
    delete hub_;
    delete dir_;
  }

  static http::HttpResponse Get(const std::string& path) {
    auto r = http::Fetch("GET", hub_->url() + path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  // "key|period" -> value of a data response (any format).
  static std::map<std::string, std::string> Values(const http::HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
    return testing::ObservationValues(r.body, testing::DemoStructures());
  }

  // The submitted observations of series `key`, by period.
  static std::map<std::string, std::string> Submitted(const std::string& key) {
    std::map<std::string, std::string> out;
    for (const auto& [k, v] : testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures())) {
      if (k.rfind(key + "|", 0) == 0) out[k] = v;
    }
    return out;
  }

  // Each observation of a data response, in message order.
  struct Row {
    std::vector<std::string> key;
    std::string period, value;
    bool operator==(const Row&) const = default;
  };
  static std::vector<Row> InOrder(const http::HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 500);
    std::vector<Row> out;
    static const sdmx::StructureSet structures = testing::DemoStructures();  // the reader keeps a reference
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(r.body, "response", structures, {}, &d);
    EXPECT_TRUE(reader.ok()) << d.ToString();
    if (!reader.ok()) return out;
    for (auto& rd = *reader; rd->Valid(); rd->Next()) {
      for (const auto& o : rd->series().observations) out.push_back({rd->series().key, o.period, o.value});
    }
    return out;
  }

  static testing::TempDir* dir_;
  static Hub* hub_;
};

testing::TempDir* DataApiTest::dir_ = nullptr;
Hub* DataApiTest::hub_ = nullptr;

constexpr char kKey[] = "A.G.SH_STA_MORT.404._T._T._T";

TEST_F(DataApiTest, PeriodWindowAndFirstLastN) {
  const auto all = Submitted(kKey);
  ASSERT_GT(all.size(), 5u);
  std::map<std::string, std::string> window;
  for (const auto& [k, v] : all) {
    const std::string year = k.substr(k.size() - 4);
    if (year >= "2015" && year <= "2017") window[k] = v;
  }
  ASSERT_FALSE(window.empty());
  EXPECT_EQ(Values(Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?startPeriod=2015&endPeriod=2017")), window);
  // Periods of other shapes bound the same way: 2015-Q1 starts in 2015, 2017-06 ends in 2017.
  EXPECT_EQ(Values(Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?startPeriod=2015-Q1&endPeriod=2017-06")),
            window);

  auto first2 = Values(Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?firstNObservations=2"));
  EXPECT_EQ(first2, (std::map<std::string, std::string>(all.begin(), std::next(all.begin(), 2))));
  auto last1 = Values(Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?lastNObservations=1"));
  EXPECT_EQ(last1, (std::map<std::string, std::string>(std::prev(all.end()), all.end())));
  // Nothing in the window: v1 says 404.
  EXPECT_EQ(Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?startPeriod=2100").status, 404);
}

TEST_F(DataApiTest, DimensionAtObservationAndDetail) {
  const std::string base = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey;
  http::HttpResponse flat = Get(base + "?dimensionAtObservation=AllDimensions&format=structurespecificdata");
  EXPECT_NE(flat.body.find("dimensionAtObservation=\"AllDimensions\""), std::string::npos);
  EXPECT_EQ(Values(flat), Submitted(kKey));

  http::HttpResponse keys = Get(base + "?detail=serieskeysonly&format=structurespecificdata");
  ASSERT_EQ(keys.status, 200);
  EXPECT_EQ(keys.body.find("<Obs"), std::string::npos);
  EXPECT_NE(keys.body.find("REF_AREA=\"404\""), std::string::npos);
  ASSERT_NE(Get(base + "?format=csv").body.find("UNSD compilation"), std::string::npos);
  http::HttpResponse dataonly = Get(base + "?detail=dataonly&format=csv");
  EXPECT_EQ(dataonly.body.find("UNSD compilation"), std::string::npos) << "SOURCE_DETAIL values must be gone";
  EXPECT_EQ(Values(dataonly), Submitted(kKey));
}

// sort=: orders that stream (leading dimensions, observation-level
// components within series) and orders that need the selection in memory.
TEST_F(DataApiTest, SortOrdersSeriesAndObservations) {
  const std::string flow = "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/A.G.SH_STA_MORT.*.*.*.*";
  const std::vector<Row> plain = InOrder(Get(flow));  // series in key order, periods ascending
  ASSERT_GT(plain.size(), 50u);
  auto sorted = [&](auto less) {
    std::vector<Row> v = plain;
    std::stable_sort(v.begin(), v.end(), less);
    return v;
  };
  auto area = [](const Row& r) { return r.key[3]; };
  // Within each series, latest first.
  EXPECT_EQ(InOrder(Get(flow + "?sort=TIME_PERIOD:desc")), sorted([](const Row& a, const Row& b) {
              return a.key != b.key ? a.key < b.key : a.period > b.period;
            }));
  // Series by area, descending (code ids compare as strings); periods as they were.
  const std::vector<Row> by_area_desc = sorted([&](const Row& a, const Row& b) { return area(a) > area(b); });
  EXPECT_EQ(InOrder(Get(flow + "?sort=REF_AREA:desc")), by_area_desc);
  // Paging applies to the sorted order.
  EXPECT_EQ(InOrder(Get(flow + "?sort=REF_AREA:desc&limit=5&offset=3")),
            std::vector<Row>(by_area_desc.begin() + 3, by_area_desc.begin() + 8));
  // Flat: rows by period, then area.
  EXPECT_EQ(InOrder(Get(flow + "?dimensionAtObservation=AllDimensions&sort=TIME_PERIOD+REF_AREA")),
            sorted([&](const Row& a, const Row& b) {
              return a.period != b.period ? a.period < b.period : area(a) < area(b);
            }));
  // Flat by value, numerically, largest first.
  EXPECT_EQ(InOrder(Get(flow + "?dimensionAtObservation=AllDimensions&sort=OBS_VALUE:desc")),
            sorted([](const Row& a, const Row& b) { return std::stod(a.value) > std::stod(b.value); }));
  // The natural order, spelled out.
  EXPECT_EQ(InOrder(Get(flow + "?sort=series_key+TIME_PERIOD")), plain);
  EXPECT_EQ(InOrder(Get(flow + "?sort=*")), plain);
  EXPECT_EQ(Get(flow + "?sort=NOT_A_COMPONENT").status, 400);
  EXPECT_EQ(Get(flow + "?sort=REF_AREA:up").status, 400);
}

// dimensionAtObservation=REF_AREA: one series per period (and the other
// dimensions), observations keyed by area, series attributes moved down.
TEST_F(DataApiTest, CrossSectionsGroupByTheOtherDimensions) {
  const std::string key = "A.G.SH_STA_MORT.404+646+288._T._T._T";
  std::map<std::string, std::string> want;  // "area|period" -> value
  for (const char* area : {"404", "646", "288"}) {
    for (const auto& [k, v] : Submitted("A.G.SH_STA_MORT." + std::string(area) + "._T._T._T")) {
      want[std::string(area) + "|" + k.substr(k.find('|') + 1)] = v;
    }
  }
  ASSERT_FALSE(want.empty());
  for (const char* format : {"structurespecificdata", "genericdata"}) {
    http::HttpResponse r =
        Get("/sdmx/v1/data/DF_DEMO_SDG/" + key + "?dimensionAtObservation=REF_AREA&format=" + format);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(r.body.data(), r.body.size()));
    const pugi::xml_node msg = doc.first_child();
    EXPECT_STREQ(msg.child("message:Header").child("message:Structure").attribute("dimensionAtObservation").value(),
                 "REF_AREA");
    std::map<std::string, std::string> got;
    std::set<std::string> periods;
    for (pugi::xml_node series : msg.child("message:DataSet").children()) {
      std::string period;
      if (std::string(format) == "genericdata") {
        for (pugi::xml_node v : series.child("generic:SeriesKey").children()) {
          EXPECT_STRNE(v.attribute("id").value(), "REF_AREA");
          if (std::string(v.attribute("id").value()) == "TIME_PERIOD") period = v.attribute("value").value();
        }
        for (pugi::xml_node o : series.children("generic:Obs")) {
          got[std::string(o.child("generic:ObsDimension").attribute("value").value()) + "|" + period] =
              o.child("generic:ObsValue").attribute("value").value();
        }
      } else {
        EXPECT_TRUE(series.attribute("REF_AREA").empty());
        period = series.attribute("TIME_PERIOD").value();
        for (pugi::xml_node o : series.children("Obs")) {
          got[std::string(o.attribute("REF_AREA").value()) + "|" + period] = o.attribute("OBS_VALUE").value();
          EXPECT_STREQ(o.attribute("UNIT_MEASURE").value(), "PER_100000_LIVE_BIRTHS") << "series attribute moved down";
        }
      }
      EXPECT_TRUE(periods.insert(period).second) << "one series per period: " << period;
    }
    EXPECT_EQ(got, want) << format;
  }
  // SDMX-JSON 2.0 names REF_AREA as the observation dimension.
  auto json = http::Fetch("GET", hub_->url() + "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/" +
                                     "A.G.SH_STA_MORT.404,A.G.SH_STA_MORT.646?dimensionAtObservation=REF_AREA",
                          "", {{"Accept", "application/vnd.sdmx.data+json;version=2.0.0"}});
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->status, 200);
  const boost::json::value v = boost::json::parse(json->body);
  const auto& dims = v.at("data").at("structures").at(0).at("dimensions");
  EXPECT_EQ(dims.at("observation").at(0).at("id").as_string(), "REF_AREA");
  bool time_in_series = false;
  for (const auto& d : dims.at("series").as_array()) time_in_series |= d.at("id").as_string() == "TIME_PERIOD";
  EXPECT_TRUE(time_in_series);
  // SDMX-CSV is flat anyway.
  const std::string base = "/sdmx/v1/data/DF_DEMO_SDG/" + key;
  EXPECT_EQ(Values(Get(base + "?dimensionAtObservation=REF_AREA&format=csv")), Values(Get(base + "?format=csv")));
}

// The submitted observations whose key matches `keep`.
std::map<std::string, std::string> SubmittedWhere(const std::function<bool(const std::string&, const std::string&)>& keep) {
  std::map<std::string, std::string> out;
  for (const auto& [k, v] : testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures())) {
    if (keep(k, v)) out[k] = v;
  }
  return out;
}

TEST_F(DataApiTest, V2KeysFiltersAndDefaults) {
  const std::string flow = "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/";
  // A key list: ',' separates whole keys (REST 2.x).
  http::HttpResponse r = Get(flow + "A.G.SH_STA_MORT.404.*.*.*,A.G.SH_STA_MORT.646.*.*.*");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(*r.FindHeader("Content-Type"), "application/vnd.sdmx.data+xml;version=3.0.0");  // v2 default
  auto two_areas = SubmittedWhere([](const std::string& k, const std::string&) {
    return k.rfind("A.G.SH_STA_MORT.404.", 0) == 0 || k.rfind("A.G.SH_STA_MORT.646.", 0) == 0;
  });
  ASSERT_FALSE(two_areas.empty());
  EXPECT_EQ(Values(r), two_areas);
  // Same selection through c[] filters (',' = OR), and a period range ('+' = AND).
  EXPECT_EQ(Values(Get(flow + "*?c[SERIES]=SH_STA_MORT&c[REF_AREA]=404,646&c[REPORTING_TYPE]=G")), two_areas);
  auto window = SubmittedWhere([](const std::string& k, const std::string&) {
    const std::string year = k.substr(k.size() - 4);
    return k.rfind(std::string(kKey) + "|", 0) == 0 && year >= "2015" && year <= "2017";
  });
  EXPECT_EQ(Values(Get(flow + kKey + "?c[TIME_PERIOD]=ge:2015+le:2017")), window);
  // Numeric comparison on the measure.
  auto high = SubmittedWhere([](const std::string& k, const std::string& v) {
    return k.rfind(std::string(kKey) + "|", 0) == 0 && std::stod(v) > 300;
  });
  ASSERT_FALSE(high.empty());
  EXPECT_EQ(Values(Get(flow + kKey + "?c[OBS_VALUE]=gt:300")), high);
  // No results: 204, still at a watermark.
  http::HttpResponse none = Get(flow + kKey + "?c[OBS_VALUE]=gt:1e9");
  EXPECT_EQ(none.status, 204);
  EXPECT_TRUE(none.body.empty());
  EXPECT_NE(none.FindHeader("X-Hub-Watermark"), nullptr);
  EXPECT_EQ(Get(flow + kKey + "?asOf=2000-01-01T00:00:00Z").status, 204);
  // offset/limit page through the selected observations (series, then period,
  // in key order): pages of 7 (not a multiple of a series' length) cut series
  // and reassemble to the whole selection.
  const std::map<std::string, std::string> all = Values(Get(flow + "A.G.SH_STA_MORT.*.*.*.*"));
  ASSERT_GE(all.size(), 20u);
  std::map<std::string, std::string> paged;
  for (size_t offset = 0; offset < all.size(); offset += 7) {
    auto page = Values(Get(flow + "A.G.SH_STA_MORT.*.*.*.*?limit=7&offset=" + std::to_string(offset)));
    EXPECT_EQ(page.size(), std::min<size_t>(7, all.size() - offset)) << "offset " << offset;
    for (const auto& kv : page) EXPECT_TRUE(paged.insert(kv).second) << kv.first << " in two pages";
  }
  EXPECT_EQ(paged, all);
  EXPECT_EQ(Get(flow + "A.G.SH_STA_MORT.*.*.*.*?offset=" + std::to_string(all.size())).status, 204);
  EXPECT_EQ(Get(flow + kKey + "?limit=0").status, 400);
  EXPECT_EQ(Get(flow + kKey + "?updatedAfter=2026-02-01T00:00:00Z&asOf=2026-01-01T00:00:00Z").status, 422);
  EXPECT_EQ(Get(flow + kKey + "?c[NOT_A_COMPONENT]=1").status, 400);
  // The datastructure context: the data of the one dataflow using it.
  http::HttpResponse by_dsd = Get(std::string("/sdmx/v2/data/datastructure/SDMXHUB/DEMO_SDG/1.0/") + kKey);
  ASSERT_EQ(by_dsd.status, 200) << by_dsd.body.substr(0, 300);
  EXPECT_EQ(Values(by_dsd), Values(Get(flow + kKey)));
  EXPECT_EQ(Get(std::string("/sdmx/v2/data/*/SDMXHUB/DEMO_SDG/~/") + kKey).status, 200);
  EXPECT_EQ(Get("/sdmx/v2/data/datastructure/SDMXHUB/NO_SUCH_DSD/1.0/*").status, 404);
  EXPECT_EQ(Get("/sdmx/v2/data/provisionagreement/SDMXHUB/NO_SUCH_PA/1.0/*").status, 404);
  EXPECT_EQ(Get("/sdmx/v2/data/everything/SDMXHUB/DF_DEMO_SDG/1.0/*").status, 400);
  // Keys that differ in two dimensions select those two slices, not their product.
  auto cross = SubmittedWhere([](const std::string& k, const std::string&) {
    return k.rfind("A.G.SH_STA_MORT.404.", 0) == 0 || k.rfind("A.G.SI_POV_DAY1.646.", 0) == 0;
  });
  ASSERT_GT(cross.size(), two_areas.size() / 2);
  EXPECT_EQ(Values(Get(flow + "A.G.SH_STA_MORT.404,A.G.SI_POV_DAY1.646")), cross);
  // A shortened key wildcards the dimensions it leaves out; parts of the path
  // left out take their default (what pysdmx sends).
  const auto mortality = Values(Get(flow + "A.G.SH_STA_MORT.*.*.*.*"));
  EXPECT_EQ(Values(Get(flow + "A.G.SH_STA_MORT")), mortality);
  const auto everything = Values(Get(flow + "*"));
  EXPECT_EQ(Values(Get("/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/")), everything);
  EXPECT_EQ(Values(Get("/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG")), everything);
  EXPECT_EQ(Values(Get("/sdmx/v2/data/")), everything);
  EXPECT_EQ(Values(Get("/sdmx/v2/data/dataflow")), everything);
  EXPECT_EQ(Get(flow + "A.G.SH_STA_MORT.404._T._T._T.EXTRA").status, 400);
  // Every dataflow of SDMXHUB: here only the demo one.
  EXPECT_EQ(Values(Get(std::string("/sdmx/v2/data/dataflow/SDMXHUB/*/1.0/") + kKey)), Values(Get(flow + kKey)));
}

// updatedAfter answers changes and deletions (a Delete dataset), v1 and v2;
// includeHistory one dataset per commit. Its own hub: it deletes data.
// Data responses are written as the scan goes (chunked) past 256 KiB;
// the status comes first, so "no results" is still a 404, not a 200 cut short.
TEST_F(DataApiTest, DataIsStreamedChunked) {
  http::HttpResponse all = Get("/sdmx/v1/data/DF_DEMO_SDG/all?format=csv");
  ASSERT_EQ(all.status, 200);
  const std::string* te = all.FindHeader("Transfer-Encoding");
  ASSERT_NE(te, nullptr);
  EXPECT_EQ(*te, "chunked");
  EXPECT_EQ(all.FindHeader("Content-Length"), nullptr);
  EXPECT_EQ(Values(all), testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures()));
  auto head = http::Fetch("HEAD", hub_->url() + "/sdmx/v1/data/DF_DEMO_SDG/all?format=csv");
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(Get("/sdmx/v1/data/DF_DEMO_SDG/Q......").status, 404);
  // A small answer (under HttpOptions.stream_hold_bytes) goes out whole.
  http::HttpResponse small = Get(std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?format=csv");
  ASSERT_EQ(small.status, 200);
  EXPECT_EQ(small.FindHeader("Transfer-Encoding"), nullptr);
  ASSERT_NE(small.FindHeader("Content-Length"), nullptr);
  EXPECT_EQ(*small.FindHeader("Content-Length"), std::to_string(small.body.size()));
}

// Conditional GET: the same query at the same watermark is the same bytes.
TEST_F(DataApiTest, EtagAndLastModifiedAnswer304) {
  const std::string path = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?format=csv";
  http::HttpResponse first = Get(path);
  ASSERT_EQ(first.status, 200);
  ASSERT_NE(first.FindHeader("ETag"), nullptr);
  ASSERT_NE(first.FindHeader("Last-Modified"), nullptr);
  const std::string etag = *first.FindHeader("ETag"), modified = *first.FindHeader("Last-Modified");
  auto get = [&](const std::map<std::string, std::string>& headers) {
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::HttpResponse{};
  };
  http::HttpResponse same = get({{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  EXPECT_EQ(*same.FindHeader("ETag"), etag);
  EXPECT_EQ(get({{"If-None-Match", "\"0-0000000000000000\""}}).status, 200);
  // Whole seconds: a date after Last-Modified proves the copy current (the
  // same second does only when no other commit shared it: RouterTest).
  EXPECT_EQ(get({{"If-Modified-Since", http::HttpDate(*http::ParseHttpDate(modified) + 1)}}).status, 304);
  EXPECT_EQ(get({{"If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"}}).status, 200);
  // Another representation is another entity.
  auto json = http::Fetch("GET", hub_->url() + std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey, "",
                          {{"Accept", "application/json"}, {"If-None-Match", etag}});
  ASSERT_TRUE(json.ok());
  EXPECT_EQ(json->status, 200);
  // Structures too.
  http::HttpResponse s = Get("/sdmx/v1/codelist/all");
  ASSERT_NE(s.FindHeader("ETag"), nullptr);
  auto s2 = http::Fetch("GET", hub_->url() + "/sdmx/v1/codelist/all", "", {{"If-None-Match", *s.FindHeader("ETag")}});
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->status, 304);
}

std::string Gunzip(const std::string& in) {
  z_stream z{};
  EXPECT_EQ(inflateInit2(&z, 15 + 16), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  std::string out;
  char buf[65536];
  int rc;
  do {
    z.next_out = reinterpret_cast<Bytef*>(buf);
    z.avail_out = sizeof buf;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(buf, sizeof buf - z.avail_out);
  } while (rc == Z_OK);
  EXPECT_EQ(rc, Z_STREAM_END) << "truncated or corrupt gzip";
  inflateEnd(&z);
  return out;
}

// gzip when asked, for whole and streamed bodies alike; the bytes inflate to
// exactly the plain answer.
TEST_F(DataApiTest, GzipWhenAccepted) {
  for (const std::string& path : {std::string("/sdmx/v1/data/DF_DEMO_SDG/all?format=csv"),  // streamed
                                 std::string("/sdmx/v1/codelist/all")}) {                     // whole
    http::HttpResponse plain = Get(path);
    auto gz = http::Fetch("GET", hub_->url() + path, "", {{"Accept-Encoding", "gzip, deflate"}});
    ASSERT_TRUE(gz.ok());
    ASSERT_EQ(gz->status, 200);
    ASSERT_NE(gz->FindHeader("Content-Encoding"), nullptr) << path;
    EXPECT_EQ(*gz->FindHeader("Content-Encoding"), "gzip");
    EXPECT_LT(gz->body.size(), plain.body.size() / 3) << path;
    EXPECT_EQ(Gunzip(gz->body), plain.body) << path;
  }
  auto refused = http::Fetch("GET", hub_->url() + "/sdmx/v1/codelist/all", "", {{"Accept-Encoding", "gzip;q=0"}});
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->FindHeader("Content-Encoding"), nullptr);
}

// Availability's TimeRange: the first and last period with data in the
// selection (the demo file holds 2015-2021), as SDMX-ML and SDMX-JSON.
TEST_F(DataApiTest, AvailabilityGivesTheTimeRangeOfTheSelection) {
  auto range = [&](const std::string& path) {
    http::HttpResponse r = Get(path);
    EXPECT_EQ(r.status, 200) << path << ": " << r.body.substr(0, 300);
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    EXPECT_TRUE(sdmx::ReadStructureMessage(r.body, "availability", {}, &set, &d).ok()) << d.ToString();
    std::vector<std::string> out;
    for (const auto& [k, c] : set.constraints()) {
      for (const auto& region : c.cube_regions) {
        for (const auto& cv : region.components) {
          if (cv.id == "TIME_PERIOD") out = {cv.start_period, cv.end_period};
        }
      }
    }
    return out;
  };
  const std::string v1 = "/sdmx/v1/availableconstraint/DF_DEMO_SDG/" + std::string(kKey);
  EXPECT_EQ(range(v1), (std::vector<std::string>{"2015", "2021"}));
  EXPECT_EQ(range(v1 + "?startPeriod=2018&endPeriod=2019"), (std::vector<std::string>{"2018", "2019"}));
  // mode=available gives it too (from the key as given).
  EXPECT_EQ(range(v1 + "?mode=available&startPeriod=2018&endPeriod=2019"), (std::vector<std::string>{"2018", "2019"}));
  const std::string v2 = "/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/" + std::string(kKey);
  EXPECT_EQ(range(v2 + "/TIME_PERIOD?c[TIME_PERIOD]=ge:2017"), (std::vector<std::string>{"2017", "2021"}));
  // Asked for one dimension, no TimeRange; asked for the time alone, nothing else.
  EXPECT_TRUE(range(v2 + "/REF_AREA").empty());
  auto json = http::Fetch("GET", hub_->url() + v2 + "/TIME_PERIOD", "",
                          {{"Accept", "application/vnd.sdmx.structure+json;version=2.0.0"}});
  ASSERT_TRUE(json.ok());
  ASSERT_EQ(json->status, 200) << json->body.substr(0, 300);
  const boost::json::value v = boost::json::parse(json->body);
  const auto& kv = v.at("data").at("dataConstraints").at(0).at("cubeRegions").at(0).at("keyValues");
  ASSERT_EQ(kv.as_array().size(), 1u) << json->body;
  EXPECT_EQ(kv.at(0).at("id").as_string(), "TIME_PERIOD");
  EXPECT_EQ(kv.at(0).at("timeRange").at("startPeriod").at("period").as_string(), "2015");
  EXPECT_EQ(kv.at(0).at("timeRange").at("endPeriod").at("period").as_string(), "2021");
  EXPECT_TRUE(kv.at(0).at("timeRange").at("endPeriod").at("isInclusive").as_bool());
}

// Availability: an Actual constraint listing the codes that have data.
TEST_F(DataApiTest, AvailabilityListsTheCodesWithData) {
  auto constraint = [&](const std::string& path) {
    http::HttpResponse r = Get(path);
    EXPECT_EQ(r.status, 200) << r.body.substr(0, 300);
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    EXPECT_TRUE(sdmx::ReadStructureMessage(r.body, "availability", {}, &set, &d).ok()) << d.ToString();
    std::map<std::string, std::set<std::string>> out;
    for (const auto& [k, c] : set.constraints()) {
      EXPECT_EQ(c.type, sdmx::ContentConstraint::Type::kActual);
      for (const auto& region : c.cube_regions) {
        for (const auto& cv : region.components) out[cv.id].insert(cv.values.begin(), cv.values.end());
      }
    }
    return out;
  };
  // Expected from the submitted file.
  std::set<std::string> areas_with_mort, series_in_404;
  for (const auto& [k, v] : testing::ObservationValues(testing::DemoInitial(), testing::DemoStructures())) {
    auto key = sdmx::SplitKey(k.substr(0, k.find('|')));
    const bool totals = key[4] == "_T" && key[5] == "_T" && key[6] == "_T" && key[0] == "A" && key[1] == "G";
    if (totals && key[2] == "SH_STA_MORT") areas_with_mort.insert(key[3]);
    if (totals && key[3] == "404") series_in_404.insert(key[2]);
  }
  auto exact = constraint("/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT.404+646+999._T._T._T");
  EXPECT_EQ(exact["SERIES"], (std::set<std::string>{"SH_STA_MORT"}));
  EXPECT_EQ(exact["REF_AREA"], (std::set<std::string>{"404", "646"}));  // 999 has no data
  auto available = constraint("/sdmx/v1/availableconstraint/DF_DEMO_SDG/" + std::string(kKey) + "?mode=available");
  EXPECT_EQ(available["REF_AREA"], areas_with_mort);
  EXPECT_EQ(available["SERIES"], series_in_404);
  auto one = constraint("/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/" + std::string(kKey) +
                        "/REF_AREA?mode=available");
  EXPECT_EQ(one.size(), 1u);
  EXPECT_EQ(one["REF_AREA"], areas_with_mort);
  EXPECT_EQ(Get("/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/Q.*.*.*.*.*.*").status, 204);
  EXPECT_EQ(Get("/sdmx/v1/availableconstraint/DF_DEMO_SDG/Q......").status, 404);
  EXPECT_EQ(Get("/sdmx/v1/availableconstraint/DF_DEMO_SDG/all/all/NOT_A_DIM").status, 400);
  // Only observations in the period window count (the file holds 2015-2021).
  const std::string v1 = "/sdmx/v1/availableconstraint/DF_DEMO_SDG/" + std::string(kKey);
  EXPECT_EQ(constraint(v1 + "?startPeriod=2021")["REF_AREA"], (std::set<std::string>{"404"}));
  EXPECT_EQ(Get(v1 + "?startPeriod=2022").status, 404);
  const std::string v2 = "/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/" + std::string(kKey);
  EXPECT_EQ(Get(v2 + "?c[TIME_PERIOD]=ge:2030").status, 204);
  EXPECT_EQ(Get(v2 + "?c[TIME_PERIOD]=le:2015").status, 200);
  // providerRef: this data came from UNSD alone.
  EXPECT_EQ(Get(v1 + "/UNSD").status, 200);
  EXPECT_EQ(Get(v1 + "/WHO").status, 404);
  // references: the dataflow the constraint is attached to, and what it uses.
  for (const auto& [refs, dataflows, structures_, codelists] :
       std::vector<std::tuple<std::string, size_t, size_t, bool>>{
           {"none", 0, 0, false}, {"children", 1, 0, false}, {"descendants", 1, 1, true}, {"codelist", 0, 0, true}}) {
    http::HttpResponse r = Get(v1 + "?references=" + refs);
    ASSERT_EQ(r.status, 200) << refs << ": " << r.body.substr(0, 300);
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    ASSERT_TRUE(sdmx::ReadStructureMessage(r.body, "availability", {}, &set, &d).ok()) << d.ToString();
    EXPECT_EQ(set.constraints().size(), 1u) << refs;
    EXPECT_EQ(set.dataflows().size(), dataflows) << refs;
    EXPECT_EQ(set.data_structures().size(), structures_) << refs;
    EXPECT_EQ(!set.codelists().empty(), codelists) << refs;
  }
  EXPECT_EQ(Get(v1 + "?references=everything").status, 400);
}

// Clients that stop reading a streamed answer hold an io thread for at most
// read_timeout: with the only thread stalled, the hub still answers after it.
TEST(StalledClientTest, DoesNotPinTheServer) {
  testing::TempDir dir;
  // One io thread and one stalled client (SO_REUSEPORT spreads connections
  // by hash: two clients could share one of two threads).
  auto hub = testing::StartTestHub(dir, testing::DemoConfig(dir, {{"read_timeout_seconds = 60", "read_timeout_seconds = 1"},
                                                                  {"threads = 2 ", "threads = 1 "}}));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  // ~30 MB of SDMX-CSV: more than the socket buffers hold.
  const std::string body = testing::LargeDemoMessage(300'000, sdmx::DataFormat::kCsv10);
  auto r = http::Fetch("POST", (*hub)->url() + "/api/v1/submissions", body,
                       {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "large"}});
  ASSERT_TRUE(r.ok() && r->status == 202) << (r.ok() ? r->body.substr(0, 300) : r.status().ToString());
  ASSERT_TRUE((*hub)->materialiser()->WaitForSubmission("large", 120s).ok());

  std::vector<int> stalled;
  for (int i = 0; i < 1; ++i) {  // one per io thread
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    int small = 4096;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons((*hub)->port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string req = "GET /sdmx/v1/data/DF_DEMO_SDG/all?format=csv HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(::send(fd, req.data(), req.size(), 0), static_cast<ssize_t>(req.size()));
    stalled.push_back(fd);  // and never read
  }
  std::this_thread::sleep_for(500ms);
  const auto start = std::chrono::steady_clock::now();
  auto health = http::Fetch("GET", (*hub)->url() + "/healthz");
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(waited, 20s);
  for (int fd : stalled) ::close(fd);
  (*hub)->Stop();
}

// Availability with references: the codelists keep only the codes with data
// (partial), and the data providers are those of the dataflow's agreements.
TEST_F(DataApiTest, AvailabilityReferencesArePartialToWhatIsAvailable) {
  auto r = http::Fetch("GET", hub_->url() + "/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT.404+646...?references=all");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->status, 200) << r->body.substr(0, 500);
  sdmx::StructureSet set;
  sdmx::Diagnostics d;
  ASSERT_TRUE(sdmx::ReadStructureMessage(r->body, "availability", {}, &set, &d).ok()) << d.ToString();
  const sdmx::Codelist* areas = set.FindCodelist({"SDMXHUB", "CL_AREA", "1.0"});
  ASSERT_NE(areas, nullptr);
  std::set<std::string> ids;
  for (const auto& c : areas->codes) ids.insert(c.id);
  // Kenya and Rwanda, and the regions above them so that parents resolve.
  EXPECT_TRUE(ids.count("404") && ids.count("646") && ids.count("1")) << r->body.substr(0, 2000);
  EXPECT_FALSE(ids.count("4")) << "Afghanistan has no data under this key";
  EXPECT_LT(ids.size(), 12u);
  const sdmx::Codelist* series = set.FindCodelist({"SDMXHUB", "CL_SERIES", "1.0"});
  ASSERT_NE(series, nullptr);
  ASSERT_EQ(series->codes.size(), 1u);
  EXPECT_EQ(series->codes[0].id, "SH_STA_MORT");
  EXPECT_NE(r->body.find("isPartial=\"true\""), std::string::npos);
  // The providers that report the dataflow (its provision agreements).
  auto providers = http::Fetch("GET", hub_->url() + "/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT....?references=dataproviderscheme");
  ASSERT_TRUE(providers.ok());
  sdmx::StructureSet p;
  ASSERT_TRUE(sdmx::ReadStructureMessage(providers->body, "availability", {}, &p, &d).ok()) << d.ToString();
  const sdmx::ItemScheme* scheme = p.FindScheme(sdmx::SchemeKind::kDataProviderScheme, {"SDMXHUB", "DATA_PROVIDERS", "1.0"});
  ASSERT_NE(scheme, nullptr) << providers->body.substr(0, 1500);
  std::set<std::string> who;
  for (const auto& c : scheme->items) who.insert(c.id);
  EXPECT_EQ(who, (std::set<std::string>{"UNSD", "WHO"}));
  // A providerRef keeps its providers only.
  auto unsd = http::Fetch("GET", hub_->url() + "/sdmx/v1/availableconstraint/DF_DEMO_SDG/A.G.SH_STA_MORT..../UNSD?references=dataproviderscheme");
  ASSERT_TRUE(unsd.ok());
  sdmx::StructureSet u;
  ASSERT_TRUE(sdmx::ReadStructureMessage(unsd->body, "availability", {}, &u, &d).ok()) << d.ToString() << unsd->body;
  const sdmx::ItemScheme* only = u.FindScheme(sdmx::SchemeKind::kDataProviderScheme, {"SDMXHUB", "DATA_PROVIDERS", "1.0"});
  ASSERT_NE(only, nullptr);
  ASSERT_EQ(only->items.size(), 1u);
  EXPECT_EQ(only->items[0].id, "UNSD");
}

// mode=available over a REST 2.x key list: what each key offers, together.
TEST_F(DataApiTest, AvailableModeOverAKeyListIsTheUnionOfItsKeys) {
  auto region = [&](const std::string& key) {
    auto r = http::Fetch("GET", hub_->url() + "/sdmx/v2/availability/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/" + key +
                                    "?mode=available",
                         "", {{"Accept", "application/vnd.sdmx.structure+xml;version=3.0.0"}});
    EXPECT_TRUE(r.ok());
    std::set<std::string> out;
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    EXPECT_TRUE(sdmx::ReadStructureMessage(r->body, "availability", {}, &set, &d).ok()) << d.ToString() << r->body;
    for (const auto& [k, c] : set.constraints()) {
      for (const auto& cr : c.cube_regions) {
        for (const auto& cv : cr.components) {
          for (const auto& v : cv.values) out.insert(cv.id + "=" + v);
        }
      }
    }
    return out;
  };
  const auto kenya = region("A.G.SH_STA_MORT.404"), rwanda = region("A.G.SI_POV_DAY1.646");
  ASSERT_FALSE(kenya.empty());
  ASSERT_FALSE(rwanda.empty());
  std::set<std::string> both = kenya;
  both.insert(rwanda.begin(), rwanda.end());
  EXPECT_EQ(region("A.G.SH_STA_MORT.404,A.G.SI_POV_DAY1.646"), both);
  EXPECT_NE(both, region("*")) << "the key list narrows what is offered";
}

// SDMX-ML 2.1 time-series messages: the same data, time at the observation
// level only; and a dataset's namespace is its dataflow's when a dataflow
// was asked for (as agencies' own files have it).
TEST_F(DataApiTest, TimeSeriesFormatsAndDataflowNamespaces) {
  const std::string v1 = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey;
  const auto want = Values(Get(v1));
  for (const char* accept : {"application/vnd.sdmx.generictimeseriesdata+xml;version=2.1",
                             "application/vnd.sdmx.structurespecifictimeseriesdata+xml;version=2.1"}) {
    auto r = http::Fetch("GET", hub_->url() + v1, "", {{"Accept", accept}});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << accept << ": " << r->body.substr(0, 300);
    EXPECT_EQ(*r->FindHeader("Content-Type"), accept);
    EXPECT_NE(r->body.find("TimeSeriesData "), std::string::npos) << r->body.substr(0, 400);
    EXPECT_EQ(Values(*r), want) << accept;
    auto cross = http::Fetch("GET", hub_->url() + v1 + "?dimensionAtObservation=REF_AREA", "", {{"Accept", accept}});
    ASSERT_TRUE(cross.ok());
    EXPECT_EQ(cross->status, 406) << accept;
  }
  EXPECT_EQ(Values(Get(v1 + "?format=structurespecifictimeseriesdata")), want);
  EXPECT_EQ(Get(v1 + "?format=generictimeseriesdata&dimensionAtObservation=AllDimensions").status, 406);
  const std::string ss = Get(v1 + "?format=structurespecificdata").body;
  EXPECT_NE(ss.find("namespace=\"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=SDMXHUB:DF_DEMO_SDG(1.0):ObsLevelDim:TIME_PERIOD\""),
            std::string::npos) << ss.substr(0, 800);
  auto by_dsd = http::Fetch("GET", hub_->url() + "/sdmx/v2/data/datastructure/SDMXHUB/DEMO_SDG/1.0/" + kKey, "",
                            {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
  ASSERT_TRUE(by_dsd.ok());
  EXPECT_NE(by_dsd->body.find("Dataflow=SDMXHUB:DF_DEMO_SDG(1.0):ObsLevelDim"), std::string::npos)
      << "a datastructure query answers with each dataflow's data";
}

// SDMX-CSV media-type parameters: labels (names from the concept scheme and
// codelists), timeFormat=normalized (the start date), keys (key columns).
TEST_F(DataApiTest, CsvLabelsTimeFormatAndKeysAreHonoured) {
  const std::string path = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey;
  auto get = [&](const std::string& accept) {
    auto r = http::Fetch("GET", hub_->url() + path, "", {{"Accept", accept}});
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : http::HttpResponse{};
  };
  auto lines = [](const std::string& body) {
    std::vector<std::string> out;
    for (size_t start = 0; start < body.size();) {
      size_t end = body.find("\r\n", start);
      if (end == std::string::npos) end = body.size();
      out.push_back(body.substr(start, end - start));
      start = end + 2;
    }
    return out;
  };
  const sdmx::StructureSet demo = testing::DemoStructures();
  const sdmx::Codelist* areas = nullptr;
  for (const auto& [k, cl] : demo.codelists()) {
    if (cl.ref.id == "CL_AREA") areas = &cl;
  }
  ASSERT_NE(areas, nullptr);
  const std::string kenya = areas->Find("404")->name;
  ASSERT_FALSE(kenya.empty());

  http::HttpResponse both = get("application/vnd.sdmx.data+csv;version=2.0.0;labels=both;timeFormat=normalized;keys=both");
  ASSERT_EQ(both.status, 200) << both.body;
  EXPECT_EQ(*both.FindHeader("Content-Type"), "application/vnd.sdmx.data+csv;version=2.0.0");
  std::vector<std::string> rows = lines(both.body);
  ASSERT_GT(rows.size(), 2u);
  EXPECT_EQ(rows[0].rfind("STRUCTURE,STRUCTURE_ID,ACTION,SERIES_KEY,OBS_KEY,FREQ: ", 0), 0u) << rows[0];
  EXPECT_NE(rows[0].find(",REF_AREA: "), std::string::npos);
  EXPECT_NE(rows[1].find(std::string(",") + kKey + "," + kKey + ".2015,"), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find(",404: " + kenya + ","), std::string::npos) << rows[1];
  EXPECT_NE(rows[1].find(",2015-01-01,"), std::string::npos) << "normalized: the period's first day";
  // labels=name: names only; the values stay.
  std::vector<std::string> named = lines(get("application/vnd.sdmx.data+csv;version=1.0.0;labels=name").body);
  ASSERT_GT(named.size(), 2u);
  EXPECT_EQ(named[0].find("REF_AREA"), std::string::npos) << named[0];
  EXPECT_NE(named[1].find("," + kenya + ","), std::string::npos) << named[1];
  EXPECT_NE(named[1].find(",2015,"), std::string::npos);
  // Default: ids, as before; the same values whatever the labels.
  EXPECT_EQ(Values(get("application/vnd.sdmx.data+csv;version=2.0.0;labels=id;timeFormat=original;keys=none")),
            Values(get("application/vnd.sdmx.data+csv;version=2.0.0")));
  EXPECT_EQ(get("application/vnd.sdmx.data+csv;version=2.0.0;labels=nope").status, 406);
  EXPECT_EQ(get("application/vnd.sdmx.data+csv;version=2.0.0;keys=all").status, 406);
}

TEST_F(DataApiTest, BadOrUnimplementedParametersAreSaidSo) {
  const std::string base = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey;
  EXPECT_EQ(Get(base + "?startPeriod=soon").status, 400);
  EXPECT_EQ(Get(base + "?firstNObservations=0").status, 400);
  EXPECT_EQ(Get(base + "?detail=everything").status, 400);
  EXPECT_EQ(Get(base + "?dimensionAtObservation=NOT_A_DIMENSION").status, 400);
  EXPECT_EQ(Get(base + "?includeHistory=maybe").status, 400);
  EXPECT_EQ(Get(base + "?format=application/pdf").status, 406);
  // Booleans as clients spell them (sdmx1: "True").
  for (const char* yes : {"true", "True", "1"}) {
    http::HttpResponse h = Get(base + "?includeHistory=" + yes);
    EXPECT_EQ(h.status, 200) << yes << ": " << h.body.substr(0, 300);
    EXPECT_NE(h.body.find("validFromDate"), std::string::npos) << yes;
  }
  EXPECT_EQ(Get(base + "?includeHistory=False").body, Get(base).body);
  // A parameter SDMX does not define (a browser's cache buster) is ignored;
  // one it defines that this resource lacks is a 501 naming it.
  EXPECT_EQ(Get(base + "?_=1733500000000&utm_source=x").body, Get(base).body);
  http::HttpResponse lacking = Get(base + "?reportingYearStartDay=--07-01");
  EXPECT_EQ(lacking.status, 501);
  EXPECT_NE(lacking.body.find("reportingYearStartDay"), std::string::npos);
  EXPECT_EQ(Get(std::string("/sdmx/v1/codelist/all?_=1")).status, 200);
  // updatedAfter or includeHistory in a format that cannot carry deletions: 406.
  http::HttpResponse csv10 = Get(base + "?format=csv&updatedAfter=2020-01-01T00:00:00Z");
  EXPECT_EQ(csv10.status, 406);
  EXPECT_NE(csv10.body.find("SDMX-CSV 2.0"), std::string::npos) << csv10.body;
  EXPECT_EQ(Get(base + "?format=csv&includeHistory=true").status, 406);
  // A malformed c[...] is a 400, never silently ignored.
  const std::string v2 = std::string("/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/") + kKey;
  for (const char* bad : {"c[TIME_PERIOD=ge:2020", "c[TIME_PERIOD]=", "c[TIME_PERIOD]=gte:2020", "c[]=A",
                          "c[TIME_PERIOD]=ge:2015+", "c[REF_AREA]=404,,646", "c=A"}) {
    http::HttpResponse r = Get(v2 + "?" + bad);
    EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
  }
  EXPECT_EQ(Get(v2 + "?c[TIME_PERIOD]=ge:2015").status, 200);
}

}  // namespace
}  // namespace hub
