// A minimal Server-Sent Events reader for tests: GET over a raw loopback
// socket, then the events as they arrive (GET /api/v1/changes).
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <optional>
#include <string>

namespace hub::testing {

class SseClient {
 public:
  SseClient(uint16_t port, const std::string& target, const std::string& last_event_id = "") {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{30, 0};  // a stuck feed fails the test instead of hanging it
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    std::string req = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
    if (!last_event_id.empty()) req += "Last-Event-ID: " + last_event_id + "\r\n";
    req += "\r\n";
    ok_ = ok_ && ::send(fd_, req.data(), req.size(), 0) == static_cast<ssize_t>(req.size());
  }
  ~SseClient() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool ok() const { return ok_; }
  const std::string& head() const { return head_; }

  struct Event {
    std::string id, type, data;
  };
  // The next event; nullopt when the stream ends or times out.
  std::optional<Event> Next() {
    for (;;) {
      if (head_.empty()) {
        const size_t end = buf_.find("\r\n\r\n");
        if (end != std::string::npos) {
          head_ = buf_.substr(0, end);
          buf_.erase(0, end + 4);
          continue;
        }
      } else if (const size_t end = buf_.find("\n\n"); end != std::string::npos) {
        Event e;
        std::string block = buf_.substr(0, end);
        buf_.erase(0, end + 2);
        size_t start = 0;
        while (start <= block.size()) {
          size_t nl = block.find('\n', start);
          std::string line = block.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
          if (line.rfind("id: ", 0) == 0) e.id = line.substr(4);
          if (line.rfind("event: ", 0) == 0) e.type = line.substr(7);
          if (line.rfind("data: ", 0) == 0) e.data = line.substr(6);
          if (nl == std::string::npos) break;
          start = nl + 1;
        }
        if (e.type.empty() && e.data.empty()) continue;  // retry:, keep-alive comments
        return e;
      }
      char chunk[16384];
      const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
      if (n <= 0) return std::nullopt;
      buf_.append(chunk, static_cast<size_t>(n));
    }
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string head_, buf_;
};

}  // namespace hub::testing
