#include "hub/http/router.h"

#include <algorithm>
#include <chrono>

#include "hub/base/crash_point.h"
#include "hub/base/fnv.h"
#include "hub/http/gzip.h"
#include "hub/http/sdmx_error.h"

#include <cstdio>
#include <ctime>

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
  routes_.push_back({method, pattern, Split(pattern), std::move(handler)});
}

HttpResponse Router::Handle(HttpRequest& req) const {
  if (!observer_) {
    HttpResponse resp = Dispatch(req, nullptr);
    cors_.Annotate(req, &resp);
    return resp;
  }
  const auto start = std::chrono::steady_clock::now();
  const std::string* pattern = nullptr;
  HttpResponse resp = Dispatch(req, &pattern);
  cors_.Annotate(req, &resp);
  static const std::string kUnmatched = "unmatched";
  observer_(req.method, pattern ? *pattern : kUnmatched, resp.status,
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return resp;
}

HttpResponse Router::Dispatch(HttpRequest& req, const std::string** pattern) const {
  HttpResponse resp;
  const bool parsed = ParseTarget(req.target, &req.path, &req.query);
  // SDMX reads are cacheable: the watermark is read before the handler runs,
  // so an answer is never stored under a watermark older than its data.
  const bool cacheable = cache_ && parsed && (req.method == "GET" || req.method == "HEAD") &&
                         req.path.rfind("/sdmx/", 0) == 0;
  std::string cache_key;
  uint64_t cache_watermark = 0;
  if (cacheable) {
    cache_key = ResponseCache::KeyOf(req);
    cache_watermark = watermark_();
    if (std::optional<HttpResponse> hit = cache_->Get(cache_key, cache_watermark)) {
      static const std::string kCacheHit = "/sdmx (response cache)";  // answered before routing
      if (pattern) *pattern = &kCacheHit;
      Conditional(req, &*hit);
      return std::move(*hit);
    }
  }
  if (!parsed) {
    resp = HttpResponse::Error(400, "malformed percent-encoding in the request target");
  } else {
    const std::vector<std::string> segs = Split(req.path);
    std::vector<std::string> methods;  // of the routes that match the path
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
      if (std::find(methods.begin(), methods.end(), r.method) == methods.end()) methods.push_back(r.method);
      if (!match && (r.method == req.method || (r.method == "GET" && req.method == "HEAD"))) {
        match = &r;
        req.params = std::move(params);
      }
    }
    if (match) {
      if (pattern) *pattern = &match->pattern;
      resp = match->handler(req);
      CrashPoint("http.after_handle");  // handled, response not yet sent
    } else if (!methods.empty() && req.method == "OPTIONS") {
      resp = cors_.Preflight(req, methods);
    } else if (!methods.empty()) {
      resp = HttpResponse::Error(405, "method " + req.method + " not allowed on " + req.path);
      std::string allow;
      for (const std::string& m : methods) allow += (allow.empty() ? "" : ", ") + m + (m == "GET" ? ", HEAD" : "");
      resp.SetHeader("Allow", allow + ", OPTIONS");
    } else {
      resp = HttpResponse::Error(404, "no resource at " + req.path);
    }
  }
  if (!resp.FindHeader("X-Hub-Watermark")) resp.SetHeader("X-Hub-Watermark", std::to_string(watermark_()));
  if (resp.status >= 400 && req.path.rfind("/sdmx/", 0) == 0) ToSdmxError(req, &resp);
  if (resp.status == 200 && (req.method == "GET" || req.method == "HEAD") && req.path.rfind("/sdmx/", 0) == 0) {
    Conditional(req, &resp);
  }
  if (resp.status == 200 && AcceptsGzip(req.Header("accept-encoding"))) GzipResponse(&resp);
  if (cacheable && req.method == "GET") cache_->StoreWhenComplete(cache_key, cache_watermark, &resp);
  return resp;
}

void Router::Conditional(const HttpRequest& req, HttpResponse* resp) const {
  const std::string watermark = *resp->FindHeader("X-Hub-Watermark");
  // FNV-1a over what selects the bytes (the cache's key); the watermark fixes the data.
  const std::string etag = "\"" + watermark + "-" + Fnv1a64Hex(ResponseCache::KeyOf(req)) + "\"";
  resp->SetHeader("ETag", etag);
  resp->SetHeader("Vary", "Accept, Accept-Encoding");
  const uint64_t w = std::stoull(watermark);
  std::optional<int64_t> loaded;
  if (load_time_) loaded = load_time_(w);
  if (loaded) resp->SetHeader("Last-Modified", HttpDate(*loaded / 1000));
  bool not_modified = false;
  if (auto inm = req.headers.find("if-none-match"); inm != req.headers.end()) {
    not_modified = inm->second == "*" || inm->second.find(etag) != std::string::npos;
  } else if (auto ims = req.headers.find("if-modified-since"); ims != req.headers.end() && loaded) {
    // Last-Modified has whole seconds: when the watermark before this one
    // was modified within the same second, a copy dated that second may hold
    // either, so only an earlier second proves the copy current.
    auto since = ParseHttpDate(ims->second);
    if (since && *loaded / 1000 < *since) {
      not_modified = true;
    } else if (since && *loaded / 1000 == *since) {
      std::optional<int64_t> before = w > 0 ? load_time_(w - 1) : std::nullopt;
      not_modified = w <= 1 || (before && *before / 1000 < *since);
    }
  }
  if (!not_modified) return;
  HttpResponse nm;
  nm.status = 304;
  for (const auto& [k, v] : resp->headers) {
    if (k == "ETag" || k == "Vary" || k == "Last-Modified" || k == "X-Hub-Watermark") nm.SetHeader(k, v);
  }
  *resp = std::move(nm);
}

std::string HttpDate(int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::optional<int64_t> ParseHttpDate(const std::string& s) {
  std::tm tm{};
  const char* end = strptime(s.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end) return std::nullopt;
  return static_cast<int64_t>(timegm(&tm));
}

}  // namespace hub::http
