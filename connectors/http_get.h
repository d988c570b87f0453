// HttpGet: what the REST pull connector needs of an HTTP client. It is
// injected (RestPullOptions::get) rather than called: the client lives in
// hub/http, above this module, and tests wrap the real one to watch or fail
// requests. The Hub passes hub::http::Fetch, URL untouched, so whatever
// schemes it supports (https, once it has TLS) work here too.
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

// GET `url` with `headers`. A non-OK Status for transport failures only (no
// connection, reset); any HTTP answer, 5xx included, is a response.
using HttpGet =
    std::function<Result<HttpGetResponse>(const std::string& url, const std::map<std::string, std::string>& headers)>;

// `get` bounded by `timeout`: DeadlineExceeded (retryable) when no answer
// came in time. The request runs on a thread of its own that holds only
// copies (of `get`, the URL and the headers), so a caller that gives up may
// go away; the abandoned request ends when its connection does. Needed
// because a remote that accepts a connection and never answers would
// otherwise hold the puller, and the hub's shutdown, forever.
HttpGet WithDeadline(HttpGet get, std::chrono::milliseconds timeout);

}  // namespace hub::connectors
