// The thin path, for real: SDMX-ML file -> HTTP ingest -> event log ->
// materialiser -> RocksDB -> SDMX REST query, over loopback HTTP against a
// running hub, on the embedded log and on Kafka (librdkafka mock cluster).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <sstream>
#include <thread>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/demo_feed.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/test_util.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
using testing::SourcePath;

enum class Backend { kEmbedded, kKafka };
void PrintTo(Backend b, std::ostream* os) { *os << (b == Backend::kEmbedded ? "embedded" : "kafka"); }

class ThinPathTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kKafka) {
      auto c = storage::KafkaMockCluster::Start({});
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      cluster_ = std::move(*c);
    }
    StartHub();
  }

  void StartHub() {
    HubOptions o;
    o.data_dir = dir_.Sub("data");
    o.listen = "127.0.0.1:0";
    o.config_path = SourcePath("configs/hub.toml");
    o.admin_token = "test-admin";
    if (cluster_) o.kafka_bootstrap = cluster_->bootstrap();
    auto h = Hub::Start(o);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  http::HttpResponse Post(const std::string& body, const std::string& token, const std::string& id = "") {
    std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + token}};
    if (!id.empty()) headers["X-Submission-Id"] = id;
    auto r = http::Fetch("POST", hub_->url() + "/api/v1/submissions?name=feed.xml", body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  http::HttpResponse Get(const std::string& path, const std::string& accept = "") {
    std::map<std::string, std::string> headers;
    if (!accept.empty()) headers["Accept"] = accept;
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  // Polls the submission until it is no longer "accepted".
  boost::json::object WaitFor(const std::string& id) {
    for (int i = 0; i < 200; ++i) {
      http::HttpResponse r = Get("/api/v1/submissions/" + id);
      if (r.status == 200) {
        boost::json::object o = boost::json::parse(r.body).as_object();
        if (o.at("status").as_string() != "accepted") return o;
      }
      std::this_thread::sleep_for(50ms);
    }
    ADD_FAILURE() << "submission " << id << " not applied in time";
    return {};
  }

  std::string Submit(const std::string& body, const std::string& token) {
    http::HttpResponse r = Post(body, token);
    EXPECT_EQ(r.status, 202) << r.body;
    std::string id(boost::json::parse(r.body).at("id").as_string());
    EXPECT_EQ(WaitFor(id).at("status").as_string(), "committed");
    return id;
  }

  // "series_key|period" -> value, from an SDMX-CSV 1.0 response.
  static std::map<std::string, std::string> CsvValues(const std::string& csv) {
    std::map<std::string, std::string> out;
    std::istringstream in(csv);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      std::vector<std::string> cells;
      std::stringstream ls(line);
      for (std::string c; std::getline(ls, c, ',');) cells.push_back(c);
      if (cells.size() < 10) continue;
      std::string key = cells[1];
      for (int i = 2; i <= 7; ++i) key += "." + cells[i];
      out[key + "|" + cells[8]] = cells[9];
    }
    return out;
  }

  // Data topic records currently in the log.
  size_t DataRecords() {
    storage::LogTopics topics;
    std::vector<std::pair<storage::TopicPartition, int64_t>> start;
    for (int p = 0; p < *hub_->log()->PartitionCount(topics.data); ++p) start.push_back({{topics.data, p}, 0});
    auto reader = hub_->log()->NewReader(start);
    std::vector<storage::LogRecord> out;
    for (int empty = 0; empty < 3;) {
      size_t before = out.size();
      EXPECT_TRUE((*reader)->Poll(200ms, 100000, &out).ok());
      empty = out.size() == before ? empty + 1 : 0;
    }
    return out.size();
  }

  testing::TempDir dir_;
  std::unique_ptr<storage::KafkaMockCluster> cluster_;
  std::unique_ptr<Hub> hub_;
};

TEST_P(ThinPathTest, DemoFeedTravelsEndToEnd) {
  const sdmx::StructureSet structures = testing::DemoStructures();
  const std::string initial = testing::DemoInitial(), revision = testing::DemoRevision();
  const auto first = testing::ObservationValues(initial, structures);
  const auto second = testing::ObservationValues(revision, structures);

  const std::string first_id = Submit(initial, "demo-unsd-token");
  const uint64_t w1 = hub_->state()->watermark().value;
  std::this_thread::sleep_for(5ms);  // distinct load times, ms resolution
  Submit(revision, "demo-who-token");
  const uint64_t w2 = hub_->state()->watermark().value;
  EXPECT_EQ(w2, w1 + 1);

  // Expected now: the first file overlaid by the second.
  std::map<std::string, std::string> expected = first;
  for (const auto& [k, v] : second) expected[k] = v;

  http::HttpResponse csv = Get("/sdmx/v1/data/SDMXHUB,DF_DEMO_SDG,1.0/all", "application/vnd.sdmx.data+csv;version=1.0.0");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_EQ(*csv.FindHeader("Content-Type"), "application/vnd.sdmx.data+csv;version=1.0.0");
  EXPECT_EQ(*csv.FindHeader("X-Hub-Watermark"), std::to_string(w2));
  EXPECT_EQ(CsvValues(csv.body), expected);

  // The first file's values are still there, as of its watermark.
  http::HttpResponse old = Get("/sdmx/v1/data/DF_DEMO_SDG/all?at=" + std::to_string(w1), "text/csv");
  ASSERT_EQ(old.status, 200) << old.body;
  EXPECT_EQ(CsvValues(old.body), first);
  EXPECT_EQ(*old.FindHeader("X-Hub-Watermark"), std::to_string(w1));

  // asOf: the data as loaded at the first file's load time; before it, nothing.
  const std::string id1(WaitFor(first_id).at("accepted_at").as_string());
  http::HttpResponse as_of = Get("/sdmx/v1/data/DF_DEMO_SDG/all?asOf=" + id1, "text/csv");
  ASSERT_EQ(as_of.status, 200) << as_of.body;
  EXPECT_EQ(CsvValues(as_of.body), first);
  EXPECT_EQ(*as_of.FindHeader("X-Hub-Watermark"), std::to_string(w1));
  EXPECT_EQ(Get("/sdmx/v1/data/DF_DEMO_SDG/all?asOf=2000-01-01T00:00:00Z").status, 404);
  EXPECT_EQ(Get("/sdmx/v1/data/DF_DEMO_SDG/all?asOf=yesterday").status, 400);

  // One revised observation: JSON now, and both revisions in its history.
  std::string revised_key;
  for (const auto& [k, v] : second) {
    auto it = first.find(k);
    if (it != first.end() && it->second != v) {
      revised_key = k;
      break;
    }
  }
  ASSERT_FALSE(revised_key.empty()) << "the revision file must revise values of the first";
  const std::string series_key = revised_key.substr(0, revised_key.find('|'));
  const std::string period = revised_key.substr(revised_key.find('|') + 1);
  http::HttpResponse js = Get("/sdmx/v1/data/DF_DEMO_SDG/" + series_key + "/", "application/vnd.sdmx.data+json;version=2.0.0");
  ASSERT_EQ(js.status, 200) << js.body;
  EXPECT_EQ(*js.FindHeader("Content-Type"), "application/vnd.sdmx.data+json;version=2.0.0");
  boost::json::value v = boost::json::parse(js.body);
  const auto& st = v.at("data").at("structures").at(0);
  const auto& times = st.at("dimensions").at("observation").at(0).at("values").as_array();
  const auto& obs = v.at("data").at("dataSets").at(0).at("series").as_object().begin()->value().at("observations").as_object();
  bool found = false;
  for (const auto& [idx, arr] : obs) {
    if (times.at(std::stoi(std::string(idx))).at("value").as_string() == period) {
      // The writer emits the agency's text verbatim; the JSON parser gives a number.
      EXPECT_DOUBLE_EQ(arr.as_array().at(0).to_number<double>(), std::stod(second.at(revised_key)));
      found = true;
    }
  }
  EXPECT_TRUE(found) << period << " missing from " << js.body.substr(0, 400);

  http::HttpResponse hist = Get("/api/v1/history/SDMXHUB,DF_DEMO_SDG,1.0/" + series_key);
  ASSERT_EQ(hist.status, 200) << hist.body;
  std::vector<std::pair<std::string, std::string>> revs;  // value, provider
  const boost::json::value history = boost::json::parse(hist.body);
  for (const auto& r : history.at("revisions").as_array()) {
    if (r.at("period").as_string() == period) {
      revs.emplace_back(std::string(r.at("value").as_string()), std::string(r.at("provider").as_string()));
    }
  }
  ASSERT_EQ(revs.size(), 2u) << hist.body.substr(0, 600);
  EXPECT_EQ(revs[0], std::make_pair(first.at(revised_key), std::string("UNSD")));
  EXPECT_EQ(revs[1], std::make_pair(second.at(revised_key), std::string("WHO")));
}

TEST_P(ThinPathTest, BadInputIsRejectedWithLocationAndAppendsNoData) {
  const std::string initial = testing::DemoInitial();
  const size_t records_before = DataRecords();
  const uint64_t w = hub_->state()->watermark().value;

  http::HttpResponse bad_xml = Post(initial.substr(0, initial.size() / 2), "demo-unsd-token");
  EXPECT_EQ(bad_xml.status, 400);
  EXPECT_NE(bad_xml.body.find("well-formed-xml"), std::string::npos) << bad_xml.body;
  EXPECT_NE(bad_xml.body.find("feed.xml:"), std::string::npos) << bad_xml.body;

  // Drop AGE from the 3rd series: wrong key length, located at its line.
  std::string short_key = initial;
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) pos = short_key.find("<Series ", pos + 1);
  size_t age = short_key.find(" AGE=\"", pos);
  short_key.erase(age, short_key.find('"', age + 6) + 1 - age);
  const int line = 1 + static_cast<int>(std::count(short_key.begin(), short_key.begin() + pos, '\n'));
  http::HttpResponse bad_key = Post(short_key, "demo-unsd-token", "bad-key-1");
  ASSERT_EQ(bad_key.status, 400) << bad_key.body;
  boost::json::value d = boost::json::parse(bad_key.body).at("diagnostics").at(0);
  EXPECT_EQ(d.at("rule").as_string(), "key-length");
  EXPECT_EQ(d.at("line").as_int64(), line);
  EXPECT_EQ(d.at("file").as_string(), "feed.xml");

  // Recorded as rejected in the ledger; no data event, no state change.
  EXPECT_EQ(WaitFor("bad-key-1").at("status").as_string(), "rejected");
  EXPECT_EQ(hub_->state()->watermark().value, w);
  EXPECT_EQ(DataRecords(), records_before);
}

TEST_P(ThinPathTest, TokensAndProvisionAgreementsAreEnforced) {
  const std::string initial = testing::DemoInitial();
  auto digest = hub_->state()->Digest();
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(http::Fetch("POST", hub_->url() + "/api/v1/submissions", initial)->status, 401);
  EXPECT_EQ(Post(initial, "not-a-token").status, 401);
  // KNBS has no provision agreement for the demo dataflow.
  http::HttpResponse r = Post(initial, "demo-knbs-token");
  EXPECT_EQ(r.status, 403) << r.body;
  // Structures need the admin token.
  EXPECT_EQ(Post(sdmx::DemoStructureMessage(), "demo-unsd-token").status, 403);
  EXPECT_EQ(DataRecords(), 0u);
  // Nothing reached the state either (403s and 401s append nothing, not
  // even a rejected marker: the sender is not allowed to write here).
  EXPECT_EQ(*hub_->state()->Digest(), *digest);
}

TEST_P(ThinPathTest, RestartContinuesOnTheSameDataDir) {
  Submit(testing::DemoInitial(), "demo-unsd-token");
  const uint64_t w = hub_->state()->watermark().value;
  auto digest = hub_->state()->Digest();
  ASSERT_TRUE(digest.ok());
  hub_.reset();
  StartHub();
  EXPECT_EQ(hub_->state()->watermark().value, w);  // config structures were not re-applied
  EXPECT_EQ(*hub_->state()->Digest(), *digest);
  http::HttpResponse r = Get("/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.404._T._T._T", "text/csv");
  EXPECT_EQ(r.status, 200) << r.body;
}

INSTANTIATE_TEST_SUITE_P(Logs, ThinPathTest, ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const auto& info) { return info.param == Backend::kEmbedded ? "Embedded" : "Kafka"; });

}  // namespace
}  // namespace hub
