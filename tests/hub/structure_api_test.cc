// Structure queries over loopback HTTP against a running hub (embedded log):
// SDMX REST 1.5 /sdmx/v1/{type}/... and 2.2 /sdmx/v2/structure/{type}/...
// What comes back is read with the hub's own structure reader.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/structure_reader.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

class StructureApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }
  void TearDown() override {
    if (hub_) hub_->Stop();
  }

  http::HttpResponse Get(const std::string& path, const std::string& accept = "") {
    std::map<std::string, std::string> headers;
    if (!accept.empty()) headers["Accept"] = accept;
    auto r = http::Fetch("GET", hub_->url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  static std::string ContentType(const http::HttpResponse& r) {
    const std::string* ct = r.FindHeader("Content-Type");
    return ct ? *ct : "";
  }

  static sdmx::StructureSet Parse(const http::HttpResponse& r) {
    sdmx::StructureSet set;
    sdmx::Diagnostics d;
    hub::Status s = sdmx::ReadStructureMessage(r.body, "response", {}, &set, &d);
    EXPECT_TRUE(s.ok()) << s.ToString() << d.ToString() << r.body.substr(0, 500);
    return set;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(StructureApiTest, V1DataflowWithReferencesIsReadableSdmxMl21) {
  http::HttpResponse r = Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(ContentType(r), "application/vnd.sdmx.structure+xml;version=2.1");
  sdmx::StructureSet only = Parse(r);
  EXPECT_EQ(only.dataflows().size(), 1u);
  EXPECT_TRUE(only.data_structures().empty());
  EXPECT_NE(r.FindHeader("X-Hub-Watermark"), nullptr);

  // descendants: the DSD, its codelists and concept scheme; all resolve.
  sdmx::StructureSet full = Parse(Get("/sdmx/v1/dataflow/SDMXHUB/DF_DEMO_SDG/latest/?references=descendants"));
  EXPECT_EQ(full.data_structures().size(), 1u);
  EXPECT_GE(full.codelists().size(), 7u);
  EXPECT_EQ(full.schemes().size(), 1u);
  sdmx::Diagnostics d;
  EXPECT_TRUE(sdmx::CheckReferences(full, &d).ok()) << d.ToString();

  // children of a codelist: none; parents: the DSD using it.
  sdmx::StructureSet parents = Parse(Get("/sdmx/v1/codelist/SDMXHUB/CL_SEX/latest?references=parents"));
  EXPECT_EQ(parents.data_structures().size(), 1u);
  EXPECT_EQ(parents.codelists().size(), 1u);
  // all/all/latest and the whole `structure` resource.
  EXPECT_GE(Parse(Get("/sdmx/v1/codelist/all/all/latest")).codelists().size(), 7u);
  sdmx::StructureSet everything = Parse(Get("/sdmx/v1/structure/all/all/all"));
  EXPECT_EQ(everything.dataflows().size(), 1u);
  EXPECT_EQ(everything.data_structures().size(), 1u);
}

TEST_F(StructureApiTest, V2ServesSdmxMl30AndSdmxJsonByAccept) {
  http::HttpResponse xml = Get("/sdmx/v2/structure/datastructure/SDMXHUB/DEMO_SDG/1.*");
  ASSERT_EQ(xml.status, 200) << xml.body;
  EXPECT_EQ(ContentType(xml), "application/vnd.sdmx.structure+xml;version=3.0.0");
  EXPECT_EQ(Parse(xml).data_structures().size(), 1u);

  http::HttpResponse json = Get("/sdmx/v2/structure/codelist/SDMXHUB/CL_SEX,CL_AGE/~",
                                "application/vnd.sdmx.structure+json;version=2.0.0");
  ASSERT_EQ(json.status, 200) << json.body;
  EXPECT_EQ(ContentType(json), "application/vnd.sdmx.structure+json;version=2.0.0");
  boost::json::value doc = boost::json::parse(json.body);
  EXPECT_EQ(doc.at("data").at("codelists").as_array().size(), 2u);

  // v1 with Accept JSON: SDMX-JSON 1.0.
  http::HttpResponse v1json = Get("/sdmx/v1/dataflow/all/all/latest", "application/json");
  EXPECT_EQ(ContentType(v1json), "application/vnd.sdmx.structure+json;version=1.0.0");
  EXPECT_EQ(boost::json::parse(v1json.body).at("data").at("dataflows").as_array().size(), 1u);
}

TEST_F(StructureApiTest, StatusCodesFollowEachVersion) {
  EXPECT_EQ(Get("/sdmx/v1/codelist/NOPE").status, 404);                          // v1: no results
  EXPECT_EQ(Get("/sdmx/v2/structure/codelist/NOPE").status, 204);                // v2: no results
  EXPECT_EQ(Get("/sdmx/v2/structure/datastructure/SDMXHUB/DEMO_SDG/2.*").status, 204);
  EXPECT_EQ(Get("/sdmx/v1/notatype/all").status, 404);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all", "text/html").status, 406);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?detail=allstubs").status, 501);          // never a silently fuller answer
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?references=cousins").status, 400);
  EXPECT_EQ(Get("/sdmx/v1/codelist/all?unknown=1").status, 501);
}

}  // namespace
}  // namespace hub
