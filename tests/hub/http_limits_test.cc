// Request limits over real HTTP ([http] in configs/hub.toml): a body over
// max_body_bytes gets 413 naming the limit and leaves no trace; a request
// line or header over max_header_bytes gets 431 (RFC 6585: the answer for
// an oversized head; Beast cannot tell the line from the fields).
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "hub/http/client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

class HttpLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(
        dir_, testing::DemoConfig(dir_, {{"max_body_bytes = 268435456", "max_body_bytes = 65536"},
                                         {"max_header_bytes = 16384", "max_header_bytes = 4096"}}));
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
    auto d = hub_->state()->Digest();
    ASSERT_TRUE(d.ok());
    digest_ = *d;
  }
  void ExpectNothingAppended() {
    auto d = hub_->state()->Digest();
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(*d, digest_);
    auto list = http::Fetch("GET", hub_->url() + "/api/v1/submissions?provider=UNSD");
    ASSERT_TRUE(list.ok());
    EXPECT_NE(list->body.find("\"total\":0"), std::string::npos) << list->body;
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  std::string digest_;
};

TEST_F(HttpLimitsTest, ABodyOverTheLimitGets413AndAppendsNothing) {
  const std::string body(65536 + 1, 'x');
  auto r = http::Fetch("POST", hub_->url() + "/api/v1/submissions", body,
                       {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "too-big"}});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_NE(r->body.find("max_body_bytes"), std::string::npos) << r->body;
  // Exactly at the limit is read (and rejected as SDMX, not as too big).
  auto at = http::Fetch("POST", hub_->url() + "/api/v1/submissions", std::string(65536, ' '),
                        {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "at-limit"}});
  ASSERT_TRUE(at.ok());
  EXPECT_EQ(at->status, 400) << at->body.substr(0, 300);
  auto too_big = http::Fetch("GET", hub_->url() + "/api/v1/submissions/too-big");
  ASSERT_TRUE(too_big.ok());
  EXPECT_EQ(too_big->status, 404) << "a 413 leaves no trace";
}

TEST_F(HttpLimitsTest, ARequestLineOrHeaderOverTheLimitGets431) {
  auto long_url = http::Fetch("GET", hub_->url() + "/sdmx/v1/data/DF_DEMO_SDG/" + std::string(5000, 'A'));
  ASSERT_TRUE(long_url.ok()) << long_url.status().ToString();
  EXPECT_EQ(long_url->status, 431);
  auto big_header = http::Fetch("POST", hub_->url() + "/api/v1/submissions", testing::OneObservation("404", 1),
                                {{"Authorization", "Bearer demo-unsd-token"}, {"X-Padding", std::string(5000, 'p')}});
  ASSERT_TRUE(big_header.ok()) << big_header.status().ToString();
  EXPECT_EQ(big_header->status, 431);
  ExpectNothingAppended();
  // Under the limits, the same request is fine.
  auto fine = http::Fetch("GET", hub_->url() + "/healthz", "", {{"X-Padding", std::string(1000, 'p')}});
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(fine->status, 200);
}

// A large body that trickles in (each piece within read_timeout) is cut at
// read_timeout + size / min_body_bytes_per_second: here 2 s + 4 s.
TEST(SlowUploadTest, ATrickleIsCutAtTheBodyDeadline) {
  using namespace std::chrono_literals;
  testing::TempDir dir;
  auto hub = testing::StartTestHub(
      dir, testing::DemoConfig(dir, {{"read_timeout_seconds = 60", "read_timeout_seconds = 2"},
                                     {"min_body_bytes_per_second = 65536", "min_body_bytes_per_second = 1048576"}}));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((*hub)->port());
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const size_t length = 4u << 20;
  const std::string head = "POST /api/v1/submissions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer demo-unsd-token\r\n"
                           "Content-Length: " + std::to_string(length) + "\r\n\r\n";
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(::send(fd, head.data(), head.size(), MSG_NOSIGNAL), static_cast<ssize_t>(head.size()));
  const std::string first(1u << 20, ' ');
  ASSERT_EQ(::send(fd, first.data(), first.size(), MSG_NOSIGNAL), static_cast<ssize_t>(first.size()));
  // Then one byte every 500 ms, until the hub hangs up (or 30 s).
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() - start < 30s) {
    std::this_thread::sleep_for(500ms);
    char c;
    const ssize_t got = ::recv(fd, &c, 1, MSG_DONTWAIT);
    closed = got == 0 || (got < 0 && errno != EAGAIN && errno != EWOULDBLOCK) ||
             ::send(fd, " ", 1, MSG_NOSIGNAL) < 0;
  }
  const auto took = std::chrono::steady_clock::now() - start;
  ::close(fd);
  EXPECT_TRUE(closed) << "the hub kept reading a trickle for 30 s";
  EXPECT_GE(took, 5s);   // not before its deadline (6 s)...
  EXPECT_LT(took, 15s);  // ...and soon after it
}

}  // namespace
}  // namespace hub
