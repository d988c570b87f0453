#include "hub/http/router.h"

#include <gtest/gtest.h>

namespace hub::http {
namespace {

Router MakeRouter() {
  Router r([] { return uint64_t{42}; });
  r.Add("GET", "/sdmx/v1/data/{flow}/{key}", [](HttpRequest& req) {
    return HttpResponse::Make(200, "text/plain", req.Param("flow") + "|" + req.Param("key") + "|" + req.Query("at"));
  });
  return r;
}

HttpResponse Call(const Router& r, const std::string& method, const std::string& target) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  return r.Handle(req);
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

}  // namespace
}  // namespace hub::http
