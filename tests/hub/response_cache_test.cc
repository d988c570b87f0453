#include "hub/http/response_cache.h"

#include <gtest/gtest.h>

#include <atomic>

#include "hub/http/router.h"

namespace hub::http {
namespace {

// A router whose /sdmx/ handler counts its calls, answering "call N" (plain)
// or, under /sdmx/stream/{n}, n pieces of 100 bytes streamed.
struct Fixture {
  std::atomic<uint64_t> watermark{7};
  std::atomic<int> calls{0};
  Router router{[this] { return watermark.load(); }};

  explicit Fixture(ResponseCacheOptions o = {}) {
    router.EnableCache(o);
    router.Add("GET", "/sdmx/v1/{thing}", [this](HttpRequest&) {
      return HttpResponse::Make(200, "text/plain", "call " + std::to_string(++calls));
    });
    router.Add("GET", "/api/v1/{thing}", [this](HttpRequest&) {
      return HttpResponse::Make(200, "text/plain", "call " + std::to_string(++calls));
    });
    router.Add("GET", "/sdmx/stream/{n}", [this](HttpRequest& req) {
      ++calls;
      HttpResponse r = HttpResponse::Make(200, "text/csv", "");
      const int n = std::stoi(req.Param("n"));
      r.stream = [n](const HttpResponse::Write& write) -> Status {
        for (int i = 0; i < n; ++i) {
          if (!write(std::string(100, static_cast<char>('a' + i % 26)))) break;
        }
        return Status::Ok();
      };
      return r;
    });
  }

  HttpResponse Call(const std::string& target, const std::string& accept = "", const std::string& method = "GET") {
    HttpRequest req;
    req.method = method;
    req.target = target;
    if (!accept.empty()) req.headers["accept"] = accept;
    return router.Handle(req);
  }
  // Runs a streamed body to the end (or until `stop_after` pieces).
  static std::string Drain(HttpResponse& r, int stop_after = -1) {
    if (!r.stream) return r.body;
    std::string out;
    int pieces = 0;
    EXPECT_TRUE(r.stream([&](std::string_view p) {
      out.append(p);
      return ++pieces != stop_after;
    }).ok());
    return out;
  }
};

TEST(ResponseCacheTest, SameRequestAtSameWatermarkIsAnsweredFromMemory) {
  Fixture f;
  EXPECT_EQ(f.Call("/sdmx/v1/a").body, "call 1");
  HttpResponse again = f.Call("/sdmx/v1/a");
  EXPECT_EQ(again.body, "call 1");
  EXPECT_EQ(*again.FindHeader("X-Hub-Watermark"), "7");
  EXPECT_NE(again.FindHeader("ETag"), nullptr);
  EXPECT_EQ(f.calls, 1);
  EXPECT_EQ(f.router.cache()->hits(), 1u);
  // A HEAD is answered from the entry too; a 304 still works from it.
  EXPECT_EQ(f.Call("/sdmx/v1/a", "", "HEAD").body, "call 1");
  HttpRequest cond;
  cond.method = "GET";
  cond.target = "/sdmx/v1/a";
  cond.headers["if-none-match"] = *again.FindHeader("ETag");
  EXPECT_EQ(f.router.Handle(cond).status, 304);
  EXPECT_EQ(f.calls, 1);
  // Another Accept is another representation; another target another answer.
  EXPECT_EQ(f.Call("/sdmx/v1/a", "text/csv").body, "call 2");
  EXPECT_EQ(f.Call("/sdmx/v1/b").body, "call 3");
  // Outside /sdmx/ nothing is kept.
  EXPECT_EQ(f.Call("/api/v1/a").body, "call 4");
  EXPECT_EQ(f.Call("/api/v1/a").body, "call 5");
}

TEST(ResponseCacheTest, ACommitMakesEveryEntryStale) {
  Fixture f;
  EXPECT_EQ(f.Call("/sdmx/v1/a").body, "call 1");
  f.watermark = 8;
  HttpResponse fresh = f.Call("/sdmx/v1/a");
  EXPECT_EQ(fresh.body, "call 2");
  EXPECT_EQ(*fresh.FindHeader("X-Hub-Watermark"), "8");
  EXPECT_EQ(f.Call("/sdmx/v1/a").body, "call 2");
  // An answer computed before a commit is not stored after it.
  ResponseCache cache({});
  HttpResponse old = HttpResponse::Make(200, "text/plain", "old");
  ASSERT_FALSE(cache.Get("k", 9).has_value());
  cache.Put("k", 8, old);
  EXPECT_FALSE(cache.Get("k", 9).has_value());
}

TEST(ResponseCacheTest, StreamedBodiesAreKeptOnlyWhenWholeAndSmall) {
  Fixture f(ResponseCacheOptions{1 << 20, 1000});
  HttpResponse first = f.Call("/sdmx/stream/5");
  const std::string body = Fixture::Drain(first);
  EXPECT_EQ(body.size(), 500u);
  HttpResponse hit = f.Call("/sdmx/stream/5");
  EXPECT_FALSE(hit.stream);
  EXPECT_EQ(hit.body, body);
  EXPECT_EQ(f.calls, 1);
  // Larger than max_entry_bytes: streamed each time.
  HttpResponse big = f.Call("/sdmx/stream/20");
  EXPECT_EQ(Fixture::Drain(big).size(), 2000u);
  HttpResponse big2 = f.Call("/sdmx/stream/20");
  EXPECT_TRUE(big2.stream);
  EXPECT_EQ(f.calls, 3);
  // A client that went away mid-body leaves nothing behind.
  HttpResponse cut = f.Call("/sdmx/stream/3");
  EXPECT_EQ(Fixture::Drain(cut, 2).size(), 200u);
  HttpResponse whole = f.Call("/sdmx/stream/3");
  EXPECT_TRUE(whole.stream);
  EXPECT_EQ(Fixture::Drain(whole).size(), 300u);
}

TEST(ResponseCacheTest, LeastRecentlyUsedGoesFirstWhenFull) {
  ResponseCache cache(ResponseCacheOptions{1000, 1000});
  HttpResponse r = HttpResponse::Make(200, "text/plain", std::string(300, 'x'));
  cache.Put("a", 1, r);
  cache.Put("b", 1, r);
  ASSERT_TRUE(cache.Get("a", 1).has_value());  // a is now the most recent
  cache.Put("c", 1, r);                        // evicts b
  EXPECT_TRUE(cache.Get("a", 1).has_value());
  EXPECT_FALSE(cache.Get("b", 1).has_value());
  EXPECT_TRUE(cache.Get("c", 1).has_value());
  EXPECT_LE(cache.bytes(), 1000u);
  // Disabled: nothing kept.
  ResponseCache off(ResponseCacheOptions{0, 1000});
  off.Put("a", 1, r);
  EXPECT_FALSE(off.Get("a", 1).has_value());
}

}  // namespace
}  // namespace hub::http
