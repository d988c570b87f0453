#include "hub/http/router.h"

#include <gtest/gtest.h>

#include <map>

namespace hub::http {
namespace {

Router MakeRouter() {
  Router r([] { return uint64_t{42}; });
  r.Add("GET", "/sdmx/v1/data/{flow}/{key}", [](HttpRequest& req) {
    return HttpResponse::Make(200, "text/plain", req.Param("flow") + "|" + req.Param("key") + "|" + req.Query("at"));
  });
  return r;
}

HttpResponse Call(const Router& r, const std::string& method, const std::string& target,
                  const std::map<std::string, std::string>& headers = {}) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  req.headers = headers;  // lower-case names, as the server gives them
  return r.Handle(req);
}

std::string HeaderOr(const HttpResponse& r, const char* name) {
  const std::string* v = r.FindHeader(name);
  return v ? *v : "(none)";
}

TEST(RouterTest, DecodesBeforeSplittingAndIgnoresTrailingSlash) {
  Router r = MakeRouter();
  HttpResponse resp = Call(r, "GET", "/sdmx/v1/data/IAEG-SDGs%2CDF_SDG/A..404/?at=3");
  EXPECT_EQ(resp.status, 200);
  EXPECT_EQ(resp.body, "IAEG-SDGs,DF_SDG|A..404|3");
  EXPECT_EQ(*resp.FindHeader("X-Hub-Watermark"), "42");
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/data/F/A+B.C").body, "F|A+B.C|");
}

TEST(RouterTest, UnknownPathIs404AndWrongMethod405) {
  Router r = MakeRouter();
  EXPECT_EQ(Call(r, "GET", "/nope").status, 404);
  EXPECT_EQ(Call(r, "POST", "/sdmx/v1/data/F/K").status, 405);
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/data/F%ZZ/K").status, 400);
  EXPECT_NE(Call(r, "GET", "/nope").FindHeader("X-Hub-Watermark"), nullptr);
}

TEST(RouterTest, A405SaysWhatThePathTakesAndOptionsAnswersIt) {
  Router r = MakeRouter();
  r.Add("POST", "/sdmx/v1/data/{flow}/{key}", [](HttpRequest&) { return HttpResponse::Make(202, "text/plain", ""); });
  HttpResponse put = Call(r, "PUT", "/sdmx/v1/data/F/K");
  EXPECT_EQ(put.status, 405);
  EXPECT_EQ(HeaderOr(put, "Allow"), "GET, HEAD, POST, OPTIONS");
  HttpResponse options = Call(r, "OPTIONS", "/sdmx/v1/data/F/K");
  EXPECT_EQ(options.status, 204);
  EXPECT_EQ(HeaderOr(options, "Allow"), "GET, POST, HEAD, OPTIONS");
  EXPECT_EQ(options.FindHeader("Access-Control-Allow-Origin"), nullptr);  // not a CORS request
  EXPECT_EQ(Call(r, "OPTIONS", "/nope").status, 404);
}

TEST(RouterTest, CrossOriginReadsAreOpenAndWritesOnlyToConfiguredOrigins) {
  Router r = MakeRouter();
  r.Add("POST", "/sdmx/v1/data/{flow}/{key}", [](HttpRequest&) { return HttpResponse::Make(202, "text/plain", ""); });
  CorsOptions cors;
  cors.write_origins = {"https://portal.example.org"};
  r.SetCors(cors);
  // A read from any page: allowed, and the watermark and validators readable.
  HttpResponse get = Call(r, "GET", "/sdmx/v1/data/F/K", {{"origin", "https://elsewhere.example"}});
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(HeaderOr(get, "Access-Control-Allow-Origin"), "*");
  EXPECT_NE(HeaderOr(get, "Access-Control-Expose-Headers").find("X-Hub-Watermark"), std::string::npos);
  EXPECT_NE(HeaderOr(get, "Access-Control-Expose-Headers").find("ETag"), std::string::npos);
  EXPECT_NE(HeaderOr(get, "Access-Control-Expose-Headers").find("Last-Modified"), std::string::npos);
  // Errors too: a script must be able to read why.
  EXPECT_EQ(HeaderOr(Call(r, "GET", "/nope", {{"origin", "https://a.example"}}), "Access-Control-Allow-Origin"), "*");
  // No Origin (not a browser's cross-origin request): no CORS headers.
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/data/F/K").FindHeader("Access-Control-Allow-Origin"), nullptr);

  // Preflight of a read with a header a client sends.
  HttpResponse pre = Call(r, "OPTIONS", "/sdmx/v1/data/F/K",
                          {{"origin", "https://elsewhere.example"},
                           {"access-control-request-method", "GET"},
                           {"access-control-request-headers", "accept, if-none-match"}});
  EXPECT_EQ(pre.status, 204);
  EXPECT_EQ(HeaderOr(pre, "Access-Control-Allow-Origin"), "*");
  EXPECT_EQ(HeaderOr(pre, "Access-Control-Allow-Methods"), "GET, HEAD, OPTIONS");  // not POST: not a write origin
  EXPECT_NE(HeaderOr(pre, "Access-Control-Allow-Headers").find("If-None-Match"), std::string::npos);
  EXPECT_NE(HeaderOr(pre, "Access-Control-Max-Age"), "(none)");

  // A write from an unknown page is refused at the preflight, and its POST
  // (were it sent) carries no grant the browser would accept.
  HttpResponse refused = Call(r, "OPTIONS", "/sdmx/v1/data/F/K",
                              {{"origin", "https://elsewhere.example"}, {"access-control-request-method", "POST"}});
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("cors_write_origins"), std::string::npos) << refused.body;
  EXPECT_EQ(refused.FindHeader("Access-Control-Allow-Origin"), nullptr);
  EXPECT_EQ(Call(r, "POST", "/sdmx/v1/data/F/K", {{"origin", "https://elsewhere.example"}})
                .FindHeader("Access-Control-Allow-Origin"),
            nullptr);
  // The configured portal may write: its origin is named, and caches told.
  HttpResponse granted =
      Call(r, "OPTIONS", "/sdmx/v1/data/F/K",
           {{"origin", "https://portal.example.org"},
            {"access-control-request-method", "POST"},
            {"access-control-request-headers", "authorization, content-type, x-submission-id"}});
  EXPECT_EQ(granted.status, 204);
  EXPECT_EQ(HeaderOr(granted, "Access-Control-Allow-Origin"), "https://portal.example.org");
  EXPECT_EQ(HeaderOr(granted, "Vary"), "Origin");
  EXPECT_EQ(HeaderOr(granted, "Access-Control-Allow-Methods"), "GET, POST, HEAD, OPTIONS");
  HttpResponse post = Call(r, "POST", "/sdmx/v1/data/F/K", {{"origin", "https://portal.example.org"}});
  EXPECT_EQ(post.status, 202);
  EXPECT_EQ(HeaderOr(post, "Access-Control-Allow-Origin"), "https://portal.example.org");
  // A header outside the list, or a method the path lacks: refused.
  EXPECT_EQ(Call(r, "OPTIONS", "/sdmx/v1/data/F/K",
                 {{"origin", "https://portal.example.org"},
                  {"access-control-request-method", "POST"},
                  {"access-control-request-headers", "x-unknown"}})
                .status,
            403);
  EXPECT_EQ(Call(r, "OPTIONS", "/sdmx/v1/data/F/K",
                 {{"origin", "https://portal.example.org"}, {"access-control-request-method", "DELETE"}})
                .status,
            403);
}

// Last-Modified has whole seconds. Two commits within one second: a copy
// dated that second may be of the first, so it is not proven current.
TEST(RouterTest, IfModifiedSinceIsNot304WhenTheSecondHeldAnEarlierCommit) {
  int64_t previous_ms = 0;
  Router r([] { return uint64_t{42}; });
  r.Add("GET", "/sdmx/v1/x", [](HttpRequest&) { return HttpResponse::Make(200, "text/plain", "x"); });
  r.SetLoadTime([&](uint64_t w) -> std::optional<int64_t> {
    if (w == 42) return 1'700'000'010'700;
    if (w == 41) return previous_ms;
    return std::nullopt;
  });
  const std::string second = HttpDate(1'700'000'010);
  previous_ms = 1'700'000'010'200;  // same second as watermark 42
  HttpResponse same_second = Call(r, "GET", "/sdmx/v1/x", {{"if-modified-since", second}});
  EXPECT_EQ(same_second.status, 200);
  EXPECT_EQ(HeaderOr(same_second, "Last-Modified"), second);
  previous_ms = 1'700'000'009'900;  // the second before: a copy dated 10 s is of 42
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/x", {{"if-modified-since", second}}).status, 304);
  previous_ms = 1'700'000'010'200;
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/x", {{"if-modified-since", HttpDate(1'700'000'011)}}).status, 304);
  EXPECT_EQ(Call(r, "GET", "/sdmx/v1/x", {{"if-modified-since", HttpDate(1'700'000'009)}}).status, 200);
}

}  // namespace
}  // namespace hub::http
