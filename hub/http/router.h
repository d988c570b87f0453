// Router: the route table. Patterns are '/'-separated segments; "{name}"
// captures one segment into HttpRequest::params. Paths are matched after
// percent-decoding (so "IAEG-SDGs%2CDF_SDG" is one segment "IAEG-SDGs,DF_SDG")
// and without a trailing slash. Unknown path: 404; known path, other
// method: 405. Every response gets X-Hub-Watermark (the current one, unless
// the handler set the watermark it read at). Thread-safe after setup.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "hub/http/message.h"

namespace hub::http {

using Handler = std::function<HttpResponse(HttpRequest&)>;

class Router {
 public:
  explicit Router(std::function<uint64_t()> watermark) : watermark_(std::move(watermark)) {}

  void Add(const std::string& method, const std::string& pattern, Handler handler);
  // Routes a request whose method, target, headers and body are set.
  HttpResponse Handle(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  static std::vector<std::string> Split(const std::string& path);

  std::vector<Route> routes_;
  std::function<uint64_t()> watermark_;
};

}  // namespace hub::http
