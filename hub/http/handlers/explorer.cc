// GET / and GET /explorer/{file}: the explorer page (hub/explorer/), served
// from the bytes compiled into the executable. The page only calls this
// hub's own API; the Content-Security-Policy says so to the browser too, so
// a page edit that reaches for another origin fails in the browser test.
#include "hub/explorer/assets.h"
#include "hub/http/handlers/handlers.h"

#include <cstdio>

namespace hub::http {
namespace {

std::string MediaTypeOf(std::string_view name) {
  auto ends = [&](std::string_view ext) { return name.size() >= ext.size() && name.substr(name.size() - ext.size()) == ext; };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  return "application/octet-stream";
}

HttpResponse Serve(const HttpRequest& req, std::string_view name) {
  for (const explorer::Asset& a : explorer::Assets()) {
    if (a.name != name) continue;
    // The bytes change only with the executable: an ETag of their hash lets
    // the browser revalidate (no-cache) without downloading them again.
    uint64_t h = 1469598103934665603ull;
    for (unsigned char c : a.bytes) h = (h ^ c) * 1099511628211ull;
    char etag[21];
    std::snprintf(etag, sizeof etag, "\"%016llx\"", static_cast<unsigned long long>(h));
    HttpResponse resp;
    if (req.Header("if-none-match") == etag) {
      resp.status = 304;
    } else {
      resp = HttpResponse::Make(200, MediaTypeOf(name), std::string(a.bytes));
    }
    resp.SetHeader("ETag", etag);
    resp.SetHeader("Cache-Control", "no-cache");
    resp.SetHeader("X-Content-Type-Options", "nosniff");
    resp.SetHeader("Content-Security-Policy",
                   "default-src 'self'; img-src 'self' data:; style-src 'self'; frame-ancestors 'none'");
    return resp;
  }
  return HttpResponse::Error(404, "no explorer file " + std::string(name));
}

}  // namespace

void RegisterExplorerRoutes(Router* router) {
  router->Add("GET", "/", [](HttpRequest& req) { return Serve(req, "index.html"); });
  router->Add("GET", "/explorer/{file}", [](HttpRequest& req) { return Serve(req, req.Param("file")); });
}

}  // namespace hub::http
