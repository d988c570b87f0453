// A small synchronous HTTP/1.1 client (Beast) for `sdmx-hub submit` and the
// tests. http:// only; one request per connection.
#pragma once

#include <map>
#include <string>

#include "hub/base/status.h"
#include "hub/http/message.h"

namespace hub::http {

// `url` like "http://127.0.0.1:8080/api/v1/submissions".
Result<HttpResponse> Fetch(const std::string& method, const std::string& url, const std::string& body = "",
                           const std::map<std::string, std::string>& headers = {});

}  // namespace hub::http
