// GET / and GET /explorer/{file}: the explorer page (hub/explorer/), served
// from the bytes compiled into the executable. The page only calls this
// hub's own API; the Content-Security-Policy says so to the browser too, so
// a page edit that reaches for another origin fails in the browser test.
#include "hub/base/fnv.h"
#include "hub/explorer/assets.h"
#include "hub/http/handlers/handlers.h"

#include <vector>

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

// Each file with its ETag: the bytes change only with the executable, so
// the hash is taken once, and the browser revalidates (no-cache) without
// downloading them again.
struct Served {
  std::string_view name, bytes;
  std::string etag;
};

const std::vector<Served>& ServedFiles() {
  static const std::vector<Served> files = [] {
    std::vector<Served> out;
    for (const explorer::Asset& a : explorer::Assets()) out.push_back({a.name, a.bytes, "\"" + Fnv1a64Hex(a.bytes) + "\""});
    return out;
  }();
  return files;
}

HttpResponse Serve(const HttpRequest& req, std::string_view name) {
  for (const Served& f : ServedFiles()) {
    if (f.name != name) continue;
    HttpResponse resp;
    if (req.Header("if-none-match") == f.etag) {
      resp.status = 304;
    } else {
      resp = HttpResponse::Make(200, MediaTypeOf(name), std::string(f.bytes));
    }
    resp.SetHeader("ETag", f.etag);
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
