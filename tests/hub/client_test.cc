// http::Fetch's limits: a server that accepts and never answers costs at
// most FetchOptions.timeout; an answer over max_response_bytes is refused
// with ResourceExhausted; within both, the answer is whole.
#include "hub/http/client.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "testing/test_hub.h"

namespace hub {
namespace {

TEST(FetchTest, ASilentServerCostsAtMostTheTimeout) {
  // Listening, never accepting: the kernel completes the connection, nobody answers.
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string url = "http://127.0.0.1:" + std::to_string(ntohs(addr.sin_port)) + "/healthz";

  http::FetchOptions o;
  o.timeout = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto r = http::Fetch("GET", url, "", {}, o);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kDeadlineExceeded) << r.status().ToString();
  EXPECT_GE(took, std::chrono::milliseconds(300));
  EXPECT_LT(took, std::chrono::seconds(10));
  ::close(fd);
}

TEST(FetchTest, AnAnswerOverTheLimitIsRefused) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string url = (*hub)->url() + "/sdmx/v1/codelist/all";
  auto whole = http::Fetch("GET", url);
  ASSERT_TRUE(whole.ok());
  ASSERT_EQ(whole->status, 200);
  http::FetchOptions o;
  o.max_response_bytes = whole->body.size();
  auto fits = http::Fetch("GET", url, "", {}, o);
  ASSERT_TRUE(fits.ok()) << fits.status().ToString();
  EXPECT_EQ(fits->body, whole->body);
  o.max_response_bytes = whole->body.size() - 1;
  auto over = http::Fetch("GET", url, "", {}, o);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.status().code(), StatusCode::kResourceExhausted) << over.status().ToString();
}

}  // namespace
}  // namespace hub
