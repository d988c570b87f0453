// The submissions ledger and provider reporting over real HTTP:
// GET /api/v1/submissions (filters, order, counts, body hash),
// GET /api/v1/providers/{id}/reporting (last submission, overdue) and the
// admin-only GET /api/v1/providers.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <algorithm>
#include <map>

#include "hub/base/sha256.h"
#include "hub/http/client.h"
#include "sdmx/key_pattern.h"
#include "testing/test_hub.h"
#include "testing/test_util.h"

namespace hub {
namespace {

namespace json = boost::json;

json::value GetJson(Hub& hub, const std::string& path, int want = 200,
                    const std::map<std::string, std::string>& headers = {}) {
  auto r = http::Fetch("GET", hub.url() + path, "", headers);
  EXPECT_TRUE(r.ok());
  if (!r.ok()) return nullptr;
  EXPECT_EQ(r->status, want) << path << ": " << r->body;
  return json::parse(r->body);
}

class SubmissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_, "", "test-admin");
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
    initial_ = testing::DemoInitial();
    ASSERT_TRUE(testing::SubmitAndWait(*hub_, initial_, "unsd-1", "demo-unsd-token", "", &receipt_).ok());
    ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::DemoRevision(), "who-1", "demo-who-token").ok());
    // A rejected one: half a message.
    auto bad = testing::Submit(*hub_, initial_.substr(0, initial_.size() / 2), "unsd-bad", "demo-unsd-token");
    ASSERT_TRUE(bad.ok());
    ASSERT_EQ(bad->status, 400);
    ASSERT_TRUE(hub_->materialiser()->WaitForSubmission("unsd-bad", std::chrono::seconds(30)).ok());
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  std::string initial_, receipt_;
};

TEST_F(SubmissionsTest, TheLedgerListsEverySubmissionWithFilters) {
  json::value all = GetJson(*hub_, "/api/v1/submissions");
  // The config structures (provider "config") and the three above.
  ASSERT_EQ(all.at("total").to_number<int64_t>(), 4);
  const json::array& items = all.at("submissions").as_array();
  ASSERT_EQ(items.size(), 4u);
  for (size_t i = 1; i < items.size(); ++i) {  // newest received first
    EXPECT_GE(items[i - 1].at("accepted_at").as_string(), items[i].at("accepted_at").as_string());
  }
  json::value unsd = GetJson(*hub_, "/api/v1/submissions?provider=UNSD");
  ASSERT_EQ(unsd.at("total").to_number<int64_t>(), 2);
  json::value rejected = GetJson(*hub_, "/api/v1/submissions?provider=UNSD&status=rejected");
  ASSERT_EQ(rejected.at("total").to_number<int64_t>(), 1);
  const json::value& bad = rejected.at("submissions").at(0);
  EXPECT_EQ(bad.at("id").as_string(), "unsd-bad");
  EXPECT_FALSE(bad.at("diagnostics").as_array().empty());
  json::value committed = GetJson(*hub_, "/api/v1/submissions?provider=UNSD&status=committed&dataflow=SDMXHUB:DF_DEMO_SDG");
  ASSERT_EQ(committed.at("total").to_number<int64_t>(), 1);
  const json::value& ok = committed.at("submissions").at(0);
  EXPECT_EQ(ok.at("id").as_string(), "unsd-1");
  EXPECT_EQ(ok.at("body_sha256").as_string(), Sha256Hex(initial_));
  const json::value receipt = json::parse(receipt_);
  EXPECT_EQ(ok.at("series"), receipt.at("series"));
  EXPECT_EQ(ok.at("observations"), receipt.at("observations"));
  EXPECT_GT(ok.at("observations").to_number<int64_t>(), 100);
  EXPECT_GE(ok.at("committed_at").as_string(), ok.at("accepted_at").as_string());
  EXPECT_TRUE(ok.as_object().contains("watermark"));
  // The two committed and the rejected one (its header named the dataflow).
  EXPECT_EQ(GetJson(*hub_, "/api/v1/submissions?dataflow=DF_DEMO_SDG").at("total").to_number<int64_t>(), 3);
  EXPECT_EQ(GetJson(*hub_, "/api/v1/submissions?dataflow=NOPE").at("total").to_number<int64_t>(), 0);
  // Paging.
  json::value page = GetJson(*hub_, "/api/v1/submissions?offset=1&limit=2");
  ASSERT_EQ(page.at("submissions").as_array().size(), 2u);
  EXPECT_EQ(page.at("submissions").at(0), items[1]);
  GetJson(*hub_, "/api/v1/submissions?status=lost", 400);
  GetJson(*hub_, "/api/v1/submissions?limit=-1", 400);
}

TEST_F(SubmissionsTest, ReportingShowsTheLastSubmissionPerDataflowAndWhoIsOverdue) {
  json::value unsd = GetJson(*hub_, "/api/v1/providers/UNSD/reporting");
  ASSERT_EQ(unsd.at("dataflows").as_array().size(), 1u);
  const json::value& f = unsd.at("dataflows").at(0);
  EXPECT_EQ(f.at("dataflow").as_string(), "SDMXHUB:DF_DEMO_SDG");
  EXPECT_TRUE(f.at("agreement").as_bool());
  EXPECT_EQ(f.at("committed").to_number<int64_t>(), 1);
  EXPECT_EQ(f.at("rejected").to_number<int64_t>(), 1);
  EXPECT_EQ(f.at("last_submission").at("id").as_string(), "unsd-bad");  // the newest, whatever its status
  EXPECT_LT(f.at("days_since_last").to_number<double>(), 1.0);
  EXPECT_FALSE(f.at("overdue").as_bool());  // reported today, expected yearly
  // KNBS agreed to report its national dataflow yearly and never has.
  json::value knbs = GetJson(*hub_, "/api/v1/providers/KNBS/reporting");
  ASSERT_EQ(knbs.at("dataflows").as_array().size(), 1u);
  EXPECT_EQ(knbs.at("dataflows").at(0).at("dataflow").as_string(), "KNBS:DF_SDG_KE");
  EXPECT_TRUE(knbs.at("dataflows").at(0).at("last_committed_at").is_null());
  EXPECT_TRUE(knbs.at("dataflows").at(0).at("overdue").as_bool());
  EXPECT_EQ(knbs.at("overdue").to_number<int64_t>(), 1);
  // WHO has no expectation: never overdue.
  EXPECT_FALSE(GetJson(*hub_, "/api/v1/providers/WHO/reporting").at("dataflows").at(0).at("overdue").as_bool());
  GetJson(*hub_, "/api/v1/providers/NOBODY/reporting", 404);
}

// Every provider's reporting at once (the explorer's overdue list): the same
// as each provider's own, and the admin (a token, not a reporter) left out.
TEST_F(SubmissionsTest, ReportingOfEveryProviderIsEachProvidersOwn) {
  json::value all = GetJson(*hub_, "/api/v1/reporting");
  std::vector<std::string> ids;
  for (const json::value& p : all.at("providers").as_array()) {
    const std::string id(p.at("provider").as_string());
    ids.push_back(id);
    json::value own = GetJson(*hub_, "/api/v1/providers/" + id + "/reporting");
    // days_since_last moves with the clock between the two reads.
    for (json::value* v : {&own, const_cast<json::value*>(&p)}) {
      for (json::value& f : v->at("dataflows").as_array()) f.as_object().erase("days_since_last");
    }
    EXPECT_EQ(p, own) << id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"KNBS", "UNSD", "WHO"}));
  EXPECT_EQ(all.at("overdue").to_number<int64_t>(), 1);  // KNBS
}

TEST_F(SubmissionsTest, TheProviderListNeedsTheAdminToken) {
  GetJson(*hub_, "/api/v1/providers", 401);
  GetJson(*hub_, "/api/v1/providers", 401, {{"Authorization", "Bearer wrong"}});
  GetJson(*hub_, "/api/v1/providers", 403, {{"Authorization", "Bearer demo-unsd-token"}});
  json::value list = GetJson(*hub_, "/api/v1/providers", 200, {{"Authorization", "Bearer test-admin"}});
  std::vector<std::string> ids;
  for (const auto& p : list.at("providers").as_array()) ids.push_back(std::string(p.at("id").as_string()));
  EXPECT_EQ(ids, (std::vector<std::string>{"KNBS", "UNSD", "WHO", "admin"}));
}

// A structure message granting `provider` the dataflow `flow` of SDMXHUB.
std::string Agreement(const std::string& provider, const std::string& flow, const std::string& id = "",
                      const std::string& version = "1.0") {
  return R"(<?xml version="1.0" encoding="UTF-8"?>
<mes:Structure xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
    xmlns:str="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure"
    xmlns:com="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
  <mes:Header><mes:ID>PA</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2026-11-23T00:00:00Z</mes:Prepared>
    <mes:Sender id="SDMXHUB"/></mes:Header>
  <mes:Structures><str:ProvisionAgreements>
    <str:ProvisionAgreement id=")" + (id.empty() ? "PA_" + provider : id) + R"(" agencyID="SDMXHUB" version=")" +
         version + R"(">
      <com:Name xml:lang="en">)" + provider + R"( reports )" + flow + R"(</com:Name>
      <str:StructureUsage><Ref id=")" + flow + R"(" agencyID="SDMXHUB" version="1.0" class="Dataflow"/></str:StructureUsage>
      <str:DataProvider><Ref id=")" + provider + R"(" agencyID="SDMXHUB" maintainableParentID="DATA_PROVIDERS"
        maintainableParentVersion="1.0" class="DataProvider"/></str:DataProvider>
    </str:ProvisionAgreement>
  </str:ProvisionAgreements></mes:Structures>
</mes:Structure>)";
}

TEST_F(SubmissionsTest, AnAdminGrantsAProvisionAgreementByStructureSubmission) {
  const std::string kenya = testing::OneObservation("404", 321);
  // KNBS reports only its national dataflow (configs/hub.toml).
  auto refused = testing::Submit(*hub_, kenya, "knbs-1", "demo-knbs-token");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 403) << refused->body;
  // It cannot grant itself one.
  auto self = testing::Submit(*hub_, Agreement("KNBS", "DF_DEMO_SDG"), "pa-self", "demo-knbs-token");
  ASSERT_TRUE(self.ok());
  EXPECT_EQ(self->status, 403) << self->body;
  // An agreement for a dataflow the hub does not know is rejected, named.
  auto unknown = testing::Submit(*hub_, Agreement("KNBS", "DF_NOPE"), "pa-bad", "test-admin");
  ASSERT_TRUE(unknown.ok());
  EXPECT_EQ(unknown->status, 400) << unknown->body;
  EXPECT_NE(unknown->body.find("refers to missing dataflow SDMXHUB:DF_NOPE(1.0)"), std::string::npos) << unknown->body;

  // The admin grants it, as a structure: it goes through the log.
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, Agreement("KNBS", "DF_DEMO_SDG"), "pa-1", "test-admin").ok());
  auto granted = testing::SubmitAndWait(*hub_, kenya, "knbs-2", "demo-knbs-token");
  ASSERT_TRUE(granted.ok()) << granted.status().ToString();
  json::value knbs = GetJson(*hub_, "/api/v1/providers/KNBS/reporting");
  std::map<std::string, bool> agreed;
  for (const auto& f : knbs.at("dataflows").as_array()) agreed[std::string(f.at("dataflow").as_string())] = f.at("agreement").as_bool();
  EXPECT_EQ(agreed, (std::map<std::string, bool>{{"KNBS:DF_SDG_KE", true}, {"SDMXHUB:DF_DEMO_SDG", true}}));
  // SDMX REST 2.x provisionagreement context: the dataflow as KNBS reported it.
  auto pa = http::Fetch("GET", hub_->url() + "/sdmx/v2/data/provisionagreement/SDMXHUB/PA_KNBS/1.0/*", "",
                        {{"Accept", "application/vnd.sdmx.data+csv;version=2.0.0"}});
  ASSERT_TRUE(pa.ok());
  ASSERT_EQ(pa->status, 200) << pa->body.substr(0, 300);
  EXPECT_EQ(std::count(pa->body.begin(), pa->body.end(), '\n'), 2) << pa->body;  // header + KNBS's one observation
  EXPECT_NE(pa->body.find("321"), std::string::npos) << pa->body;
  auto pa_avail = http::Fetch("GET", hub_->url() + "/sdmx/v2/availability/provisionagreement/SDMXHUB/PA_KNBS/1.0/*");
  ASSERT_TRUE(pa_avail.ok());
  EXPECT_EQ(pa_avail->status, 200);
  EXPECT_NE(pa_avail->body.find(">404<"), std::string::npos) << pa_avail->body.substr(0, 2000);
  EXPECT_EQ(pa_avail->body.find(">646<"), std::string::npos) << "UNSD's areas are not KNBS's";

  // It holds across a restart (the registry is rebuilt from state).
  hub_->Stop();
  hub_.reset();
  auto h = testing::StartTestHub(dir_, "", "test-admin");
  ASSERT_TRUE(h.ok()) << h.status().ToString();
  hub_ = std::move(*h);
  EXPECT_TRUE(testing::SubmitAndWait(*hub_, testing::OneObservation("404", 322), "knbs-3", "demo-knbs-token").ok());
  // A later version of the agreement naming another provider withdraws it.
  ASSERT_TRUE(
      testing::SubmitAndWait(*hub_, Agreement("WHO", "DF_DEMO_SDG", "PA_KNBS", "1.1"), "pa-2", "test-admin").ok());
  auto withdrawn = testing::Submit(*hub_, testing::OneObservation("404", 324), "knbs-5", "demo-knbs-token");
  ASSERT_TRUE(withdrawn.ok());
  EXPECT_EQ(withdrawn->status, 403) << withdrawn->body;
}

// An Allowed constraint attached to a provision agreement binds what its
// provider submits: WHO's (demo) allows the health series it is custodian
// of. A poverty series from WHO is refused, naming the constraint; the same
// message from UNSD, whose agreement has none, is taken.
TEST_F(SubmissionsTest, AConstraintOnAnAgreementBindsItsProvider) {
  sdmx::Series s;
  s.key = sdmx::SplitKey("A.G.SI_POV_DAY1.404._T._T._T");
  s.attributes = {{"UNIT_MEASURE", "PT"}};
  s.observations.push_back({"2020", "12.5", {{"OBS_STATUS", "A"}}, 0});
  const std::string poverty = testing::DemoMessage({s});
  auto refused = testing::Submit(*hub_, poverty, "who-poverty", "demo-who-token");
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(refused->status, 400) << refused->body;
  EXPECT_NE(refused->body.find("outside the keys allowed by SDMXHUB:CC_PA_WHO_DF_DEMO_SDG(1.0)"), std::string::npos)
      << refused->body;
  EXPECT_TRUE(testing::SubmitAndWait(*hub_, testing::OneObservation("404", 1), "who-health", "demo-who-token").ok());
  EXPECT_TRUE(testing::SubmitAndWait(*hub_, poverty, "unsd-poverty", "demo-unsd-token").ok());
}

}  // namespace
}  // namespace hub
