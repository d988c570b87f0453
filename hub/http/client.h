// A small synchronous HTTP/1.1 client (Beast) for `sdmx-hub submit`, the
// REST pull connector and the tests. http:// and https:// (TLS 1.2+, the
// server's certificate verified against the system's CAs or `ca_file`, and
// its name against the URL's host); one request per connection.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "hub/base/status.h"
#include "hub/http/message.h"

namespace hub::http {

struct FetchOptions {
  // PEM file of the CA certificates to trust for https:// instead of the
  // system's (e.g. a hub's self-signed certificate). Empty = system CAs.
  std::string ca_file;
  // Called as the request body goes out (bytes sent, body size), every
  // `progress_step` bytes and at the end; for progress bars.
  std::function<void(uint64_t sent, uint64_t total)> on_upload;
  uint64_t progress_step = 1 << 20;
  // The whole exchange (connect, TLS handshake, send, answer) within this,
  // else DeadlineExceeded. 0 (the default) = no limit.
  std::chrono::milliseconds timeout{0};
  // A larger answer body fails with ResourceExhausted as soon as its size is
  // known, before it is held. 0 (the default) = no limit.
  uint64_t max_response_bytes = 0;
  // Send the body from this file instead of `body` (which must be empty),
  // read and sent `file_piece_bytes` at a time: a file of any size costs
  // that much memory. Each piece goes to `on_file_piece` as it is sent
  // (e.g. to hash the body). Empty (the default) = `body`.
  std::string body_file;
  size_t file_piece_bytes = size_t{1} << 20;
  std::function<void(std::string_view piece)> on_file_piece;
};

// `url` like "http://127.0.0.1:8080/api/v1/submissions" or "https://...".
Result<HttpResponse> Fetch(const std::string& method, const std::string& url, const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {},
                           const FetchOptions& options = {});

}  // namespace hub::http
