// The explorer page as the hub serves it (GET / and /explorer/{file}): each
// file byte for byte as in hub/explorer/, every file the page refers to is
// served (a module added to the page but not to EXPLORER_FILES in
// hub/CMakeLists.txt fails here, not in a user's browser), conditional GETs,
// and the Content-Security-Policy that keeps the page on the hub's origin.
// The page's behaviour is tested in Chromium (explorer_test.sh).
#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "hub/explorer/assets.h"
#include "hub/http/client.h"
#include "testing/test_hub.h"
#include "testing/test_util.h"

namespace hub {
namespace {

class ExplorerAssetsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  http::HttpResponse Get(const std::string& path, const std::map<std::string, std::string>& headers = {}) {
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << path;
    return r.ok() ? *r : http::HttpResponse{};
  }
  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(ExplorerAssetsTest, EachFileIsServedAsInTheSourceTree) {
  ASSERT_FALSE(explorer::Assets().empty());
  for (const explorer::Asset& a : explorer::Assets()) {
    const std::string name(a.name);
    http::HttpResponse r = Get("/explorer/" + name);
    ASSERT_EQ(r.status, 200) << name;
    EXPECT_EQ(r.body, testing::ReadFileOrDie(std::string(HUB_SOURCE_DIR) + "/hub/explorer/" + name)) << name;
    const std::string type = *r.FindHeader("Content-Type");
    if (name.ends_with(".js")) {
      EXPECT_EQ(type, "text/javascript; charset=utf-8") << name;  // a module needs a JavaScript type
    } else if (name.ends_with(".css")) {
      EXPECT_EQ(type, "text/css; charset=utf-8") << name;
    }
  }
  http::HttpResponse root = Get("/");
  EXPECT_EQ(root.status, 200);
  EXPECT_EQ(*root.FindHeader("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(root.body, Get("/explorer/index.html").body);
  EXPECT_EQ(Get("/explorer/nothing.js").status, 404);
  EXPECT_EQ(Get("/explorer/..%2Fconfig.cc").status, 404);
}

// What index.html loads and what each module imports is served.
TEST_F(ExplorerAssetsTest, EveryFileThePageRefersToIsServed) {
  std::set<std::string> served;
  for (const explorer::Asset& a : explorer::Assets()) served.insert(std::string(a.name));
  const std::regex html_ref(R"((?:src|href)="/explorer/([^"]+)\")");
  const std::regex js_import(R"(from '\./([^']+)')");
  std::set<std::string> referred;
  for (const std::string& name : served) {
    const std::string text = Get("/explorer/" + name).body;
    const std::regex& re = name.ends_with(".html") ? html_ref : js_import;
    for (std::sregex_iterator it(text.begin(), text.end(), re), end; it != end; ++it) referred.insert((*it)[1]);
  }
  EXPECT_GE(referred.size(), 5u);  // the page, its style, its icon and modules
  for (const std::string& r : referred) EXPECT_TRUE(served.count(r)) << r << " is referred to but not embedded";
}

TEST_F(ExplorerAssetsTest, ConditionalGetAndContentSecurityPolicy) {
  http::HttpResponse first = Get("/explorer/app.js");
  ASSERT_EQ(first.status, 200);
  const std::string etag = *first.FindHeader("ETag");
  EXPECT_EQ(*first.FindHeader("Cache-Control"), "no-cache");  // revalidated: a new build serves new bytes
  EXPECT_NE(first.FindHeader("Content-Security-Policy")->find("default-src 'self'"), std::string::npos);
  http::HttpResponse again = Get("/explorer/app.js", {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_NE(*Get("/explorer/style.css").FindHeader("ETag"), etag);
}

}  // namespace
}  // namespace hub
