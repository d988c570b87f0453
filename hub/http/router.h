// Router: the route table. Patterns are '/'-separated segments; "{name}"
// captures one segment into HttpRequest::params. Paths are matched after
// percent-decoding (so "IAEG-SDGs%2CDF_SDG" is one segment "IAEG-SDGs,DF_SDG")
// and without a trailing slash. Unknown path: 404; known path, other
// method: 405. Every response gets X-Hub-Watermark (the current one, unless
// the handler set the watermark it read at). SDMX resources (/sdmx/...) are
// answered conditionally: the same target, Accept and Accept-Encoding at the
// same watermark always get the same bytes, so a 200 carries an ETag over
// them and Last-Modified (the watermark's load time), and If-None-Match /
// If-Modified-Since that still hold get 304 without a body. With a cache
// (EnableCache), those 200s are kept until the next commit and answered from
// memory. OPTIONS on a known path answers what it allows (and grants CORS
// preflights, cors.h); a 405 says what the path takes in Allow; every
// answer to an allowed Origin carries CORS headers. Thread-safe after setup.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/http/cors.h"
#include "hub/http/message.h"
#include "hub/http/response_cache.h"

namespace hub::http {

using Handler = std::function<HttpResponse(HttpRequest&)>;

class Router {
 public:
  explicit Router(std::function<uint64_t()> watermark) : watermark_(std::move(watermark)) {}

  void Add(const std::string& method, const std::string& pattern, Handler handler);
  // When a watermark's data was last modified (ms since the epoch), for
  // Last-Modified: never earlier for a later watermark.
  void SetLoadTime(std::function<std::optional<int64_t>(uint64_t watermark)> load_time) {
    load_time_ = std::move(load_time);
  }
  // Keeps whole /sdmx/ responses until the watermark moves (max_bytes 0: off).
  void EnableCache(const ResponseCacheOptions& options) { cache_ = std::make_unique<ResponseCache>(options); }
  const ResponseCache* cache() const { return cache_.get(); }
  // Cross-origin access (default: reads from any origin, writes from none).
  void SetCors(const CorsOptions& options) { cors_ = Cors(options); }
  // Called after each request with the route pattern that answered it
  // ("unmatched" when none did), the status and the seconds to the response
  // head (metrics). Set before serving.
  using Observer = std::function<void(const std::string& method, const std::string& route, int status, double seconds)>;
  void SetObserver(Observer observer) { observer_ = std::move(observer); }
  // Routes a request whose method, target, headers and body are set.
  HttpResponse Handle(HttpRequest& request) const;

 private:
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  // Handle without the observer; `*pattern` (if given) gets the route's.
  HttpResponse Dispatch(HttpRequest& request, const std::string** pattern) const;
  static std::vector<std::string> Split(const std::string& path);
  // ETag / Last-Modified on a 200, or its 304.
  void Conditional(const HttpRequest& req, HttpResponse* resp) const;

  std::vector<Route> routes_;
  std::function<uint64_t()> watermark_;
  std::function<std::optional<int64_t>(uint64_t)> load_time_;
  std::unique_ptr<ResponseCache> cache_;
  Cors cors_{CorsOptions{}};
  Observer observer_;
};

// RFC 7231 dates: "Sun, 06 Nov 1994 08:49:37 GMT" <-> seconds since the epoch.
std::string HttpDate(int64_t seconds);
std::optional<int64_t> ParseHttpDate(const std::string& s);

}  // namespace hub::http
