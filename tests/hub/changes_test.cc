// The change feed over real HTTP: an SSE client on a raw loopback socket
// follows /api/v1/changes through 1,000 submissions, disconnecting in the
// middle and resuming with Last-Event-ID; filters; and the lag bound of the
// feed itself on a running hub's state.
#include "hub/feed/change_feed.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>
#include <map>
#include <string>
#include <vector>

#include "hub/feed/change_json.h"
#include "hub/http/client.h"
#include "storage/kafka_event_log.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/sse_client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

using testing::SseClient;

// POSTs without waiting for the commit (the 202 means appended to the log).
void Post(Hub& hub, const std::string& body, const std::string& id) {
  auto r = testing::Submit(hub, body, id, "demo-unsd-token");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->status, 202) << r->body;
}

TEST(ChangeFeedTest, FollowsAThousandSubmissionsAcrossADisconnectOnceEach) {
  constexpr int kSubmissions = 1000;
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const uint64_t start = (*hub)->state()->watermark().value;
  auto client = std::make_unique<SseClient>((*hub)->port(), "/api/v1/changes?after=" + std::to_string(start));
  ASSERT_TRUE(client->ok());
  std::thread producer([&] {
    for (int k = 1; k <= kSubmissions; ++k) Post(**hub, testing::OneObservation(k % 2 ? "404" : "646", 1000 + k), "s" + std::to_string(k));
  });
  std::map<uint64_t, int> seen;  // watermark -> times received
  std::string last_id;
  uint64_t reconnected_at = 0;
  while (seen.size() < kSubmissions) {
    auto e = client->Next();
    ASSERT_TRUE(e.has_value()) << "the stream ended after " << seen.size() << " events";
    ASSERT_EQ(e->type, "commit") << e->data;
    const json::object o = json::parse(e->data).as_object();
    const uint64_t w = o.at("watermark").to_number<uint64_t>();
    EXPECT_EQ(e->id, std::to_string(w));
    EXPECT_EQ(o.at("provider").as_string(), "UNSD");
    EXPECT_EQ(o.at("series").as_array().size(), 1u);
    EXPECT_EQ(o.at("revisions").to_number<int64_t>(), 1);
    ++seen[w];
    last_id = e->id;
    if (seen.size() == kSubmissions / 2 && !reconnected_at) {
      // Drop the connection mid-stream, then resume from the last id.
      client->Close();
      reconnected_at = w;
      client = std::make_unique<SseClient>((*hub)->port(), "/api/v1/changes", last_id);
      ASSERT_TRUE(client->ok());
    }
  }
  producer.join();
  ASSERT_EQ(seen.size(), static_cast<size_t>(kSubmissions));
  EXPECT_EQ(seen.begin()->first, start + 1);
  EXPECT_EQ(seen.rbegin()->first, start + kSubmissions);  // contiguous: no gap
  for (const auto& [w, n] : seen) EXPECT_EQ(n, 1) << "watermark " << w << " received " << n << " times";
  EXPECT_GT(reconnected_at, start);
}

// A WebSocket client (Beast, synchronous) on the same path.
class WsClient {
 public:
  WsClient(uint16_t port, const std::string& target) : ws_(ioc_) {
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port);
    boost::beast::get_lowest_layer(ws_).connect(ep);
    boost::beast::get_lowest_layer(ws_).expires_after(std::chrono::seconds(30));  // a stuck feed fails, not hangs
    ws_.handshake("127.0.0.1", target);
  }
  // The next message as JSON; nullopt when the server closes.
  std::optional<json::object> Next() {
    boost::beast::flat_buffer buf;
    boost::beast::error_code ec;
    ws_.read(buf, ec);
    if (ec) {
      closed_with_ = ec;
      return std::nullopt;
    }
    return json::parse(boost::beast::buffers_to_string(buf.data())).as_object();
  }
  boost::beast::error_code closed_with() const { return closed_with_; }

 private:
  boost::asio::io_context ioc_;
  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
  boost::beast::error_code closed_with_;
};

TEST(ChangeFeedTest, TheSameEventsOverWebSocketResumableWithAfter) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const uint64_t start = (*hub)->state()->watermark().value;
  const std::string after = "/api/v1/changes?after=" + std::to_string(start);
  auto ws = std::make_unique<WsClient>((*hub)->port(), after + "&key=A.G.SH_STA_MORT....");
  for (int k = 1; k <= 4; ++k) Post(**hub, testing::OneObservation(k % 2 ? "404" : "646", 10 + k), "w" + std::to_string(k));
  SseClient sse((*hub)->port(), after);
  for (uint64_t w = start + 1; w <= start + 2; ++w) {
    auto m = ws->Next();
    ASSERT_TRUE(m.has_value()) << ws->closed_with().message();
    EXPECT_EQ(m->at("event").as_string(), "commit");
    EXPECT_EQ(m->at("id").to_number<uint64_t>(), w);
    // The data is the SSE event's, byte for byte once serialised.
    auto e = sse.Next();
    ASSERT_TRUE(e.has_value());
    EXPECT_EQ(e->id, std::to_string(w));
    EXPECT_EQ(json::serialize(m->at("data")), json::serialize(json::parse(e->data)));
    EXPECT_EQ(m->at("data").at("submission").as_string(), "w" + std::to_string(w - start));
  }
  // Reconnect from the last id received: the rest, once each.
  ws = std::make_unique<WsClient>((*hub)->port(), "/api/v1/changes?after=" + std::to_string(start + 2));
  for (uint64_t w = start + 3; w <= start + 4; ++w) {
    auto m = ws->Next();
    ASSERT_TRUE(m.has_value()) << ws->closed_with().message();
    EXPECT_EQ(m->at("id").to_number<uint64_t>(), w);
    EXPECT_EQ(m->at("data").at("series").at(0).at("key").as_string(),
              std::string("A.G.SH_STA_MORT.") + (w % 2 == (start + 1) % 2 ? "404" : "646") + "._T._T._T");
  }
}

// On Kafka the same events go to sdmx.changes: every watermark once, in
// order, across a restart of the hub (which resumes after the topic's last
// record). Real librdkafka producer and consumer against the mock cluster.
TEST(ChangeFeedTest, OnKafkaEveryEventIsPublishedToTheTopicOnceAcrossARestart) {
  using namespace std::chrono_literals;
  auto cluster = storage::KafkaMockCluster::Start({});
  ASSERT_TRUE(cluster.ok()) << cluster.status().ToString();
  testing::TempDir dir;
  HubOptions o;
  o.data_dir = dir.Sub("data");
  o.listen = "127.0.0.1:0";
  o.config_path = testing::SourcePath("configs/hub.toml");
  o.kafka_bootstrap = (*cluster)->bootstrap();
  std::map<uint64_t, std::string> submitted;  // watermark -> submission id
  auto run = [&](int first, int last) {
    auto hub = Hub::Start(o);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    ASSERT_NE((*hub)->change_publisher(), nullptr);
    for (int k = first; k <= last; ++k) {
      const std::string id = "k" + std::to_string(k);
      ASSERT_TRUE(testing::SubmitAndWait(**hub, testing::OneObservation("404", k), id, "demo-unsd-token").ok());
      submitted[(*hub)->state()->watermark().value] = id;
    }
    const uint64_t w = (*hub)->state()->watermark().value;
    for (int i = 0; i < 300 && (*hub)->change_publisher()->published() < w; ++i) std::this_thread::sleep_for(100ms);
    ASSERT_EQ((*hub)->change_publisher()->published(), w);
  };
  run(1, 3);
  run(4, 5);  // a second hub process on the same state and topic

  storage::KafkaEventLogOptions ko;
  ko.bootstrap = (*cluster)->bootstrap();
  auto log = storage::KafkaEventLog::Open(ko);
  ASSERT_TRUE(log.ok()) << log.status().ToString();
  const storage::TopicPartition tp{"sdmx.changes", 0};
  auto end = (*log)->EndOffset(tp);
  ASSERT_TRUE(end.ok());
  auto reader = (*log)->NewReader({{tp, 0}});
  ASSERT_TRUE(reader.ok());
  std::vector<storage::LogRecord> records;
  for (int i = 0; i < 100 && static_cast<int64_t>(records.size()) < *end; ++i) {
    ASSERT_TRUE((*reader)->Poll(100ms, 1000, &records).ok());
  }
  ASSERT_EQ(static_cast<int64_t>(records.size()), *end);
  // Watermarks 1 (the config structures) .. the last, each once, in order.
  ASSERT_EQ(records.size(), submitted.rbegin()->first);
  for (size_t i = 0; i < records.size(); ++i) {
    const uint64_t w = i + 1;
    EXPECT_EQ(records[i].key, std::to_string(w));
    const json::value v = json::parse(records[i].value);
    EXPECT_EQ(v.at("watermark").to_number<uint64_t>(), w);
    if (submitted.count(w)) {
      EXPECT_EQ(v.at("submission").as_string(), submitted[w]);
      EXPECT_EQ(v.at("series").at(0).at("key").as_string(), "A.G.SH_STA_MORT.404._T._T._T");
    }
  }
}

TEST(ChangeFeedTest, FiltersByDataflowAndKey) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  SseClient kenya((*hub)->port(), "/api/v1/changes?after=0&dataflow=SDMXHUB:DF_DEMO_SDG&key=A.G.SH_STA_MORT.404...");
  SseClient structures((*hub)->port(), "/api/v1/changes?after=0&dataflow=NO_SUCH_FLOW");
  for (int k = 1; k <= 4; ++k) {
    ASSERT_TRUE(testing::SubmitAndWait(**hub, testing::OneObservation(k % 2 ? "404" : "646", k), "f" + std::to_string(k),
                                       "demo-unsd-token").ok());
  }
  // Kenya's submissions only (1 and 3); the config structures (watermark 1) are not data of the flow.
  std::vector<std::string> ids;
  for (int i = 0; i < 2; ++i) {
    auto e = kenya.Next();
    ASSERT_TRUE(e.has_value());
    ids.push_back(e->id);
    const json::value o = json::parse(e->data);
    EXPECT_EQ(o.at("series").at(0).at("key").as_string(), "A.G.SH_STA_MORT.404._T._T._T");
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"2", "4"}));
  EXPECT_EQ(kenya.head().rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_NE(kenya.head().find("text/event-stream"), std::string::npos);
  auto bad = http::Fetch("GET", (*hub)->url() + "/api/v1/changes?after=x");
  ASSERT_TRUE(bad.ok());
  EXPECT_EQ(bad->status, 400);
}

TEST(ChangeFeedTest, ALiveSubscriberThatFallsBehindIsToldToResume) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  feed::ChangeFeedOptions o;
  o.max_lag = 3;
  o.max_events_per_poll = 2;
  o.max_subscribers = 1;
  feed::ChangeFeed changes((*hub)->state(), o);
  auto sub = changes.Subscribe(0, {});
  ASSERT_TRUE(sub.ok());
  EXPECT_FALSE(changes.Subscribe(0, {}).ok()) << "max_subscribers";
  auto first = (*sub)->Next();  // catching up: the config structures
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->events.size(), 1u);
  EXPECT_TRUE((*sub)->Next()->events.empty());  // caught up
  for (int k = 1; k <= 4; ++k) {
    ASSERT_TRUE(testing::SubmitAndWait(**hub, testing::OneObservation("404", k), "l" + std::to_string(k), "demo-unsd-token").ok());
  }
  auto behind = (*sub)->Next();
  ASSERT_TRUE(behind.ok());
  EXPECT_TRUE(behind->resume);
  EXPECT_EQ((*sub)->cursor(), 1u);  // where to resume from
  // A new subscription from there catches up, max_events_per_poll at a time.
  sub->reset();
  auto again = changes.Subscribe(1, {});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)->Next()->events.size(), 2u);
  EXPECT_EQ((*again)->Next()->events.size(), 2u);
  EXPECT_EQ((*again)->cursor(), 5u);
}

}  // namespace
}  // namespace hub

namespace hub {
namespace {

// A commit of many series goes to the Kafka topic in parts that each fit
// its record limit, each a whole JSON object, together every series once.
TEST(ChangeEventRecordsTest, ALargeCommitGoesInPartsThatFitAndJoinBack) {
  feed::ChangeEvent e;
  e.commit.set_seq(42);
  e.commit.set_submission_id("big");
  e.commit.set_provider("WHO");
  e.commit.set_kind("data");
  for (int i = 0; i < 5000; ++i) {
    auto& c = e.series.emplace_back();
    c.set_series_key("A.G.SH_STA_MORT." + std::to_string(i) + "._T._T._T");
    c.set_revised(i % 7);
  }
  const std::vector<std::string> whole = feed::ChangeEventRecords(e, 1'000'000);
  ASSERT_EQ(whole.size(), 1u);
  EXPECT_EQ(whole[0], feed::ChangeEventJson(e));

  const std::vector<std::string> parts = feed::ChangeEventRecords(e, 20'000);
  ASSERT_GT(parts.size(), 10u);
  std::vector<std::string> keys;
  for (size_t i = 0; i < parts.size(); ++i) {
    EXPECT_LE(parts[i].size(), 20'000u);
    const json::object o = json::parse(parts[i]).as_object();
    EXPECT_EQ(o.at("watermark").as_int64(), 42);
    EXPECT_EQ(o.at("part").as_int64(), static_cast<int64_t>(i));
    EXPECT_EQ(o.at("parts").as_int64(), static_cast<int64_t>(parts.size()));
    EXPECT_EQ(o.at("seriesChanged").as_int64(), 5000) << "the whole event's count";
    for (const auto& s : o.at("series").as_array()) keys.push_back(std::string(s.at("key").as_string()));
  }
  ASSERT_EQ(keys.size(), 5000u);
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(keys[i], e.series[i].series_key());
}

}  // namespace
}  // namespace hub
