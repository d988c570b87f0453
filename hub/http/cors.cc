#include "hub/http/cors.h"

#include <algorithm>

namespace hub::http {
namespace {

// Response headers a cross-origin script may read besides the CORS-safelisted
// ones: the watermark a read saw, the validators, where a submission went.
constexpr const char* kExposed = "X-Hub-Watermark, ETag, Last-Modified, Location, Retry-After, X-Submission-Id";
// Request headers a script may send (besides the safelisted ones).
constexpr const char* kAllowedHeaders =
    "Accept, Accept-Language, Authorization, Content-Type, If-Modified-Since, If-None-Match, Last-Event-ID, "
    "X-Submission-Id";

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

bool Contains(const std::vector<std::string>& list, const std::string& s) {
  return std::find(list.begin(), list.end(), s) != list.end();
}

// The lower-case names in a comma-separated header list.
std::vector<std::string> Names(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = std::min(list.find(',', start), list.size());
    std::string name = list.substr(start, comma - start);
    name.erase(0, name.find_first_not_of(" \t"));
    name.erase(name.find_last_not_of(" \t") + 1);
    std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
    if (!name.empty()) out.push_back(name);
    start = comma + 1;
  }
  return out;
}

}  // namespace

bool Cors::Allowed(const std::string& origin, const std::string& method) const {
  const std::vector<std::string>& list = IsRead(method) ? options_.read_origins : options_.write_origins;
  return Contains(list, "*") || Contains(list, origin);
}

void Cors::Annotate(const HttpRequest& req, HttpResponse* resp) const {
  const std::string origin = req.Header("origin");
  if (origin.empty() || !Allowed(origin, req.method)) return;
  if (req.method == "OPTIONS" && !req.Header("access-control-request-method").empty()) return;  // Preflight's own
  const auto& list = IsRead(req.method) ? options_.read_origins : options_.write_origins;
  if (Contains(list, "*")) {
    resp->SetHeader("Access-Control-Allow-Origin", "*");
  } else {
    // The answer names one origin: caches must keep one copy per origin.
    resp->SetHeader("Access-Control-Allow-Origin", origin);
    const std::string* vary = resp->FindHeader("Vary");
    resp->SetHeader("Vary", vary ? *vary + ", Origin" : "Origin");
  }
  resp->SetHeader("Access-Control-Expose-Headers", kExposed);
}

HttpResponse Cors::Preflight(const HttpRequest& req, const std::vector<std::string>& methods) const {
  std::vector<std::string> allow = methods;
  if (Contains(allow, "GET") && !Contains(allow, "HEAD")) allow.push_back("HEAD");
  allow.push_back("OPTIONS");
  const std::string origin = req.Header("origin");
  const std::string method = req.Header("access-control-request-method");
  HttpResponse resp;
  resp.status = 204;
  resp.SetHeader("Allow", Join(allow));
  if (origin.empty() || method.empty()) return resp;  // a plain OPTIONS: what the path takes
  if (!Contains(allow, method)) {
    HttpResponse e = HttpResponse::Error(403, "CORS: method " + method + " is not allowed on " + req.path);
    e.SetHeader("Allow", Join(allow));
    return e;
  }
  if (!Allowed(origin, method)) {
    return HttpResponse::Error(403, "CORS: origin " + origin + " may not " + method + " " + req.path +
                                        (IsRead(method) ? " (http.cors_read_origins)" : " (http.cors_write_origins)"));
  }
  const std::vector<std::string> known = Names(kAllowedHeaders);
  for (const std::string& h : Names(req.Header("access-control-request-headers"))) {
    if (!Contains(known, h)) return HttpResponse::Error(403, "CORS: request header " + h + " is not allowed");
  }
  std::vector<std::string> granted;
  for (const std::string& m : allow) {
    if (Allowed(origin, m)) granted.push_back(m);
  }
  const bool any = Contains(IsRead(method) ? options_.read_origins : options_.write_origins, "*");
  resp.SetHeader("Access-Control-Allow-Origin", any ? "*" : origin);
  if (!any) resp.SetHeader("Vary", "Origin");
  resp.SetHeader("Access-Control-Allow-Methods", Join(granted));
  resp.SetHeader("Access-Control-Allow-Headers", kAllowedHeaders);
  resp.SetHeader("Access-Control-Max-Age", std::to_string(options_.max_age_seconds));
  return resp;
}

}  // namespace hub::http
