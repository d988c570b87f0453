// Uploads driven byte by byte, for tests of how the hub receives a body:
// a raw HTTP/1.1 connection to send a request in parts (and to go away
// mid-body), the head of a POST /api/v1/submissions, and polling of
// GET /api/v1/submissions/{id}. For tests linked with hub/.
#pragma once

#include <boost/json.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "hub/hub.h"

namespace hub::testing {

class RawConnection {
 public:
  explicit RawConnection(uint16_t port);  // to 127.0.0.1; gtest failure if it cannot connect
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;
  void Send(std::string_view bytes);
  // Everything until the server closes, or the head and its Content-Length
  // of body are in, or `timeout` passes (what came so far).
  std::string ReadResponse(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  void Close();

 private:
  int fd_ = -1;
};

// The head of POST /api/v1/submissions?name=large.xml with X-Submission-Id
// `id`, a bearer `token` and a Content-Length of `length`.
std::string PostHead(const std::string& id, size_t length, const std::string& token = "demo-unsd-token");

// GET /api/v1/submissions/{id} every 10 ms until `done` holds for what it
// answers (its JSON, or its status code as a number when not 200) or 30 s
// pass; the last answer.
boost::json::value PollSubmission(Hub& hub, const std::string& id,
                                  const std::function<bool(const boost::json::value&)>& done);

}  // namespace hub::testing
