// Cross-origin reads and writes (CORS, the Fetch standard): a portal served
// from another origin may read the API from a browser. Reads (GET, HEAD) are
// open to `read_origins` (default any: the data is public), writes (POST and
// every other method; they carry a provider's token) only to
// `write_origins` (default none). A preflight OPTIONS is answered from the
// route table: the methods the path has, those the origin may use.
#pragma once

#include <string>
#include <vector>

#include "hub/http/message.h"

namespace hub::http {

struct CorsOptions {
  // Origins as the browser sends them ("https://portal.example.org"), or
  // "*" for any. [http] cors_read_origins / cors_write_origins.
  std::vector<std::string> read_origins = {"*"};
  std::vector<std::string> write_origins;
  // How long a browser may keep a preflight's answer. [http] cors_max_age_seconds.
  int max_age_seconds = 600;
};

class Cors {
 public:
  explicit Cors(CorsOptions options) : options_(std::move(options)) {}

  // Adds Access-Control-Allow-Origin (and what a script may read) to the
  // answer to a request that carries an allowed Origin; nothing otherwise.
  void Annotate(const HttpRequest& req, HttpResponse* resp) const;
  // The answer to OPTIONS on a known path whose routes take `methods`:
  // 204 with Allow; with an Origin and Access-Control-Request-Method, the
  // preflight grant, or 403 naming what is not allowed.
  HttpResponse Preflight(const HttpRequest& req, const std::vector<std::string>& methods) const;

  static bool IsRead(const std::string& method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

 private:
  bool Allowed(const std::string& origin, const std::string& method) const;

  CorsOptions options_;
};

}  // namespace hub::http
