#include "testing/raw_http.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "hub/http/client.h"

namespace hub::testing {

RawConnection::RawConnection(uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
}

void RawConnection::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    ASSERT_GT(n, 0);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

std::string RawConnection::ReadResponse(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string in;
  char buf[8192];
  for (;;) {
    const size_t head_end = in.find("\r\n\r\n");
    if (head_end != std::string::npos) {
      const size_t cl = in.find("Content-Length: ");
      if (cl != std::string::npos && cl < head_end && in.size() >= head_end + 4 + std::stoul(in.substr(cl + 16))) {
        return in;
      }
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p{fd_, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) return in;
    const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) return in;
    in.append(buf, static_cast<size_t>(n));
  }
}

void RawConnection::Close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

std::string PostHead(const std::string& id, size_t length, const std::string& token) {
  return "POST /api/v1/submissions?name=large.xml HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         "Authorization: Bearer " + token + "\r\nX-Submission-Id: " + id +
         "\r\nContent-Length: " + std::to_string(length) + "\r\n\r\n";
}

boost::json::value PollSubmission(Hub& hub, const std::string& id,
                                  const std::function<bool(const boost::json::value&)>& done) {
  boost::json::value last;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
       std::chrono::steady_clock::now() < deadline; std::this_thread::sleep_for(std::chrono::milliseconds(10))) {
    auto r = http::Fetch("GET", hub.url() + "/api/v1/submissions/" + id);
    if (!r.ok()) continue;
    last = r->status == 200 ? boost::json::parse(r->body) : boost::json::value(r->status);
    if (done(last)) break;
  }
  return last;
}

}  // namespace hub::testing
