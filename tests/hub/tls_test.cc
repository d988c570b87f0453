// HTTPS: a hub serving TLS with a self-signed certificate takes a
// submission and answers queries (small, streamed in chunks, the change
// feed over wss://) through the same routes; clients that do not trust the
// certificate, or speak plain HTTP, get nothing; and the hub refuses plain
// HTTP off loopback unless told --insecure-http.
#include <gtest/gtest.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/json.hpp>
#include <algorithm>
#include <filesystem>
#include <thread>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/demo_feed.h"
#include "sdmx/model.h"
#include "testing/test_hub.h"
#include "testing/tls_cert.h"

namespace hub {
namespace {

namespace json = boost::json;
namespace net = boost::asio;
namespace beast = boost::beast;

std::string Header(const http::HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
  }
  return "";
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tls_ = testing::WriteSelfSignedCertificate(dir_);
    fetch_.ca_file = tls_.cert;
  }
  Result<std::unique_ptr<Hub>> StartHttpsHub() const {
    HubOptions o = Options("127.0.0.1:0");
    o.tls_cert = tls_.cert;
    o.tls_key = tls_.key;
    return Hub::Start(o);
  }
  HubOptions Options(const std::string& listen) const {
    HubOptions o;
    o.data_dir = dir_.Sub("data");
    o.listen = listen;
    o.config_path = testing::SourcePath("configs/hub.toml");
    return o;
  }
  // POSTs over HTTPS as UNSD and waits for the commit.
  void PostAndWait(Hub& hub, const std::string& body, const std::string& id) {
    auto rec = testing::SubmitAndWait(hub, body, id, "demo-unsd-token", "", nullptr, std::chrono::seconds(60), fetch_);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  }

  testing::TempDir dir_;
  testing::TlsFiles tls_;
  http::FetchOptions fetch_;
};

TEST_F(TlsTest, SubmissionAndQueriesOverHttps) {
  auto hub = StartHttpsHub();
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string url = (*hub)->url();
  ASSERT_EQ(url.rfind("https://127.0.0.1:", 0), 0u) << url;

  // A submission over HTTPS, polled until committed.
  auto posted = http::Fetch("POST", url + "/api/v1/submissions?name=tls", testing::OneObservation("404", 4242),
                            {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "tls-1"}}, fetch_);
  ASSERT_TRUE(posted.ok()) << posted.status().ToString();
  ASSERT_EQ(posted->status, 202) << posted->body;
  std::string status;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       status != "committed" && std::chrono::steady_clock::now() < deadline;) {
    auto got = http::Fetch("GET", url + "/api/v1/submissions/tls-1", "", {}, fetch_);
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    status = std::string(json::parse(got->body).at("status").as_string());
    if (status == "accepted") std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_EQ(status, "committed");

  // A small query: the value just submitted.
  const std::string flow = url + "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/";
  auto small = http::Fetch("GET", flow + "A.G.SH_STA_MORT.404._T._T._T?lastNObservations=1", "",
                           {{"Accept", "application/vnd.sdmx.data+csv;version=2.0.0"}}, fetch_);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  EXPECT_EQ(small->status, 200) << small->body;
  EXPECT_NE(small->body.find("4242"), std::string::npos) << small->body;

  // A large one (the demo feed, posted over HTTPS too): past the hold threshold it is written in chunks from
  // inside the producer, through the TLS engine (PacedStream).
  PostAndWait(**hub, testing::DemoInitial(), "tls-demo");
  auto large = http::Fetch("GET", flow + "*", "", {{"Accept", "application/vnd.sdmx.data+csv;version=2.0.0"}}, fetch_);
  ASSERT_TRUE(large.ok()) << large.status().ToString();
  EXPECT_EQ(large->status, 200);
  EXPECT_EQ(Header(*large, "Transfer-Encoding"), "chunked");
  EXPECT_GT(large->body.size(), 256u * 1024);
  EXPECT_EQ(large->body.back(), '\n');
  EXPECT_NE(large->body.find("4242"), std::string::npos);
  EXPECT_GT(std::count(large->body.begin(), large->body.end(), '\n'), 2000);

  // Keep-alive over TLS: two requests on one connection are the client's
  // business; here, that the server closes a Connection: close cleanly
  // (close_notify), which the client reads as a complete answer.
  auto closing = http::Fetch("GET", url + "/healthz", "", {{"Connection", "close"}}, fetch_);
  ASSERT_TRUE(closing.ok()) << closing.status().ToString();
  EXPECT_EQ(closing->status, 200);
}

TEST_F(TlsTest, ClientsThatDoNotTrustTheCertificateOrSpeakPlainHttpGetNothing) {
  auto hub = StartHttpsHub();
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string port = std::to_string((*hub)->port());
  // The system CAs do not vouch for a self-signed certificate.
  auto untrusted = http::Fetch("GET", "https://127.0.0.1:" + port + "/healthz");
  ASSERT_FALSE(untrusted.ok());
  EXPECT_NE(untrusted.status().message().find("TLS handshake"), std::string::npos) << untrusted.status().ToString();
  // Trusted, but the name asked for is not on the certificate.
  auto wrong_name = http::Fetch("GET", "https://127.0.0.2:" + port + "/healthz", "", {}, fetch_);
  EXPECT_FALSE(wrong_name.ok());
  // Plain HTTP to the TLS port is not an HTTP exchange.
  auto plain = http::Fetch("GET", "http://127.0.0.1:" + port + "/healthz");
  EXPECT_FALSE(plain.ok() && plain->status == 200);
  // The server is still serving.
  auto fine = http::Fetch("GET", "https://127.0.0.1:" + port + "/healthz", "", {}, fetch_);
  ASSERT_TRUE(fine.ok()) << fine.status().ToString();
  EXPECT_EQ(fine->status, 200);
}

TEST_F(TlsTest, ChangeFeedOverSecureWebSocket) {
  auto hub = StartHttpsHub();
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const uint64_t start = (*hub)->state()->watermark().value;

  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.load_verify_file(tls_.cert);
  ctx.set_verify_mode(net::ssl::verify_peer);
  beast::websocket::stream<net::ssl::stream<beast::tcp_stream>> ws(ioc, ctx);
  beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), (*hub)->port()));
  beast::get_lowest_layer(ws).expires_after(std::chrono::seconds(30));  // a stuck feed fails, not hangs
  ws.next_layer().handshake(net::ssl::stream_base::client);
  ws.handshake("127.0.0.1", "/api/v1/changes?after=" + std::to_string(start));

  PostAndWait(**hub, testing::OneObservation("646", 77), "wss-1");
  beast::flat_buffer buf;
  ws.read(buf);
  json::value m = json::parse(beast::buffers_to_string(buf.data()));
  EXPECT_EQ(m.at("event").as_string(), "commit");
  EXPECT_EQ(m.at("id").to_number<uint64_t>(), start + 1);
  EXPECT_EQ(m.at("data").at("submission").as_string(), "wss-1");
  ws.close(beast::websocket::close_code::normal);
}

// A TLS client that stops reading a streamed answer holds an io thread for
// at most read_timeout (PacedStream under the TLS engine): with the only
// thread stalled, the hub still answers. (With read_timeout 30 s this test fails:
// the health check waits for a thread.)
TEST_F(TlsTest, StalledClientsDoNotPinTheServer) {
  using namespace std::chrono_literals;
  HubOptions o = Options("127.0.0.1:0");
  // One io thread and one stalled client: with SO_REUSEPORT spreading
  // connections by hash, two clients could land on one of two threads.
  o.config_path = testing::DemoConfig(
      dir_, {{"read_timeout_seconds = 60", "read_timeout_seconds = 1"}, {"threads = 2 ", "threads = 1 "}});
  o.tls_cert = tls_.cert;
  o.tls_key = tls_.key;
  auto hub = Hub::Start(o);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  // ~30 MB of SDMX-CSV: more than the socket buffers hold.
  const std::string body = testing::LargeDemoMessage(300'000, sdmx::DataFormat::kCsv10);
  PostAndWait(**hub, body, "large");

  net::io_context ioc;
  net::ssl::context ctx(net::ssl::context::tls_client);
  ctx.load_verify_file(tls_.cert);
  ctx.set_verify_mode(net::ssl::verify_peer);
  std::vector<std::unique_ptr<net::ssl::stream<net::ip::tcp::socket>>> stalled;
  for (int i = 0; i < 1; ++i) {  // one per io thread
    auto s = std::make_unique<net::ssl::stream<net::ip::tcp::socket>>(ioc, ctx);
    s->next_layer().open(net::ip::tcp::v4());
    s->next_layer().set_option(net::socket_base::receive_buffer_size(4096));
    s->next_layer().connect(net::ip::tcp::endpoint(net::ip::make_address("127.0.0.1"), (*hub)->port()));
    s->handshake(net::ssl::stream_base::client);
    const std::string req = "GET /sdmx/v1/data/DF_DEMO_SDG/all?format=csv HTTP/1.1\r\nHost: x\r\n\r\n";
    net::write(*s, net::buffer(req));
    stalled.push_back(std::move(s));  // and never read
  }
  std::this_thread::sleep_for(500ms);
  const auto start = std::chrono::steady_clock::now();
  auto health = http::Fetch("GET", (*hub)->url() + "/healthz", "", {}, fetch_);
  const auto waited = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  EXPECT_LT(waited, 20s);
}

TEST_F(TlsTest, PlainHttpOffLoopbackIsRefusedUnlessInsecureHttp) {
  HubOptions o = Options("0.0.0.0:0");
  auto refused = Hub::Start(o);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("--insecure-http"), std::string::npos) << refused.status().ToString();
  EXPECT_FALSE(std::filesystem::exists(o.data_dir)) << "refused before anything was opened";

  // Told so, it serves plain HTTP on every address (loopback included).
  o.insecure_http = true;
  auto insecure = Hub::Start(o);
  ASSERT_TRUE(insecure.ok()) << insecure.status().ToString();
  auto r = http::Fetch("GET", "http://127.0.0.1:" + std::to_string((*insecure)->port()) + "/healthz");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 200);
  (*insecure)->Stop();
  insecure->reset();

  // With a certificate, any address is fine; a key without a certificate is not.
  o.insecure_http = false;
  o.tls_cert = tls_.cert;
  o.tls_key = tls_.key;
  auto secure = Hub::Start(o);
  ASSERT_TRUE(secure.ok()) << secure.status().ToString();
  (*secure)->Stop();
  secure->reset();
  o.tls_cert.clear();
  auto half = Hub::Start(o);
  ASSERT_FALSE(half.ok());
  EXPECT_NE(half.status().message().find("--tls-cert"), std::string::npos) << half.status().ToString();
}

TEST_F(TlsTest, AKeyThatDoesNotMatchTheCertificateIsNamed) {
  testing::TlsFiles other = testing::WriteSelfSignedCertificate(dir_, "other");
  HubOptions o = Options("127.0.0.1:0");
  o.tls_cert = tls_.cert;
  o.tls_key = other.key;
  auto hub = Hub::Start(o);
  ASSERT_FALSE(hub.ok());
  EXPECT_NE(hub.status().message().find(other.key), std::string::npos) << hub.status().ToString();
  EXPECT_NE(hub.status().message().find("not the key of the certificate"), std::string::npos) << hub.status().ToString();
}

}  // namespace
}  // namespace hub
