// HttpGet: what the REST pull connector needs of an HTTP client. It is
// injected (RestPullOptions::get) rather than called: the client lives in
// hub/http, above this module, and tests wrap the real one to watch or fail
// requests. The Hub passes hub::http::Fetch (http and https; it enforces
// the limits itself, so no request outlives its deadline).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "hub/base/status.h"

namespace hub::connectors {

struct HttpGetResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // The first header named `name` (case-insensitive), or null.
  const std::string* Header(std::string_view name) const;
};

// What one GET may cost: the whole exchange within `timeout`
// (DeadlineExceeded, retryable), an answer body of at most `max_bytes`
// (ResourceExhausted, refused before it is held).
struct HttpGetLimits {
  std::chrono::milliseconds timeout{300'000};
  uint64_t max_bytes = uint64_t{256} << 20;
};

// GET `url` with `headers` within `limits`. A non-OK Status for transport
// failures and exceeded limits only; any HTTP answer, 5xx included, is a
// response.
using HttpGet = std::function<Result<HttpGetResponse>(
    const std::string& url, const std::map<std::string, std::string>& headers, const HttpGetLimits& limits)>;

}  // namespace hub::connectors
