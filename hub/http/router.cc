#include "hub/http/router.h"

#include "hub/base/crash_point.h"

namespace hub::http {

std::vector<std::string> Router::Split(const std::string& path) {
  std::vector<std::string> out;
  size_t start = 1;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string::npos ? std::string::npos : slash - start));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return out;
}

void Router::Add(const std::string& method, const std::string& pattern, Handler handler) {
  routes_.push_back({method, Split(pattern), std::move(handler)});
}

HttpResponse Router::Handle(HttpRequest& req) const {
  HttpResponse resp;
  if (!ParseTarget(req.target, &req.path, &req.query)) {
    resp = HttpResponse::Error(400, "malformed percent-encoding in the request target");
  } else {
    const std::vector<std::string> segs = Split(req.path);
    bool path_known = false;
    const Route* match = nullptr;
    for (const Route& r : routes_) {
      if (r.segments.size() != segs.size()) continue;
      std::map<std::string, std::string> params;
      bool ok = true;
      for (size_t i = 0; ok && i < segs.size(); ++i) {
        const std::string& p = r.segments[i];
        if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
          ok = !segs[i].empty();
          params[p.substr(1, p.size() - 2)] = segs[i];
        } else {
          ok = p == segs[i];
        }
      }
      if (!ok) continue;
      path_known = true;
      if (r.method == req.method || (r.method == "GET" && req.method == "HEAD")) {
        match = &r;
        req.params = std::move(params);
        break;
      }
    }
    if (match) {
      resp = match->handler(req);
      CrashPoint("http.after_handle");  // handled, response not yet sent
    } else if (path_known) {
      resp = HttpResponse::Error(405, "method " + req.method + " not allowed on " + req.path);
    } else {
      resp = HttpResponse::Error(404, "no resource at " + req.path);
    }
  }
  if (!resp.FindHeader("X-Hub-Watermark")) resp.SetHeader("X-Hub-Watermark", std::to_string(watermark_()));
  return resp;
}

}  // namespace hub::http
