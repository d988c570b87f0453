// SDMX registry subscriptions end to end over loopback HTTP: a portal POSTs
// SubmitSubscriptionsRequests (SDMX-ML 2.1 and 3.0) to /api/v1/registry,
// and a small receiver (an HTTP server on port 0) takes the
// NotifyRegistryEvent messages the hub POSTs as NISR's publications and the
// demo feed commit: one per selected commit, in order, naming the
// submission, with the action its revisions call for; a receiver that
// fails is tried again after a growing back-off and misses nothing; a
// deleted subscription gets nothing more, the others outlive a restart;
// selectors the hub does not serve are refused by name.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <mutex>
#include <thread>

#include "hub/http/client.h"
#include "hub/http/router.h"
#include "hub/http/server.h"
#include "hub/hub.h"
#include "sdmx/xml.h"
#include "testing/rwanda_corpus.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr char kAdmin[] = "rs-admin";
constexpr char kPortal[] = "demo-unsd-token";  // the portal's token: a provider's
constexpr char kNs21[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/";
constexpr char kNs30[] = "http://www.sdmx.org/resources/sdmxml/schemas/v3_0/";

// Takes notifications at /notify/{name}; the first `fail[name]` get 503.
class Receiver {
 public:
  struct Got {
    std::chrono::steady_clock::time_point at;
    int status;
    std::string body;
  };
  Receiver() : router_([] { return uint64_t{0}; }) {
    router_.Add("POST", "/notify/{name}", [this](http::HttpRequest& req) {
      std::lock_guard lock(mu_);
      int& failing = fail_[req.Param("name")];
      const int status = failing > 0 ? 503 : 200;
      if (failing > 0) --failing;
      got_[req.Param("name")].push_back({std::chrono::steady_clock::now(), status, req.body});
      return http::HttpResponse::Make(status, "text/plain", "");
    });
    http::HttpOptions o;
    o.port = 0;
    auto s = http::HttpServer::Start(o, &router_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    if (s.ok()) server_ = std::move(*s);
  }
  ~Receiver() {
    if (server_) server_->Stop();
  }
  std::string Url(const std::string& name) const {
    return "http://127.0.0.1:" + std::to_string(server_->port()) + "/notify/" + name;
  }
  void FailFirst(const std::string& name, int n) {
    std::lock_guard lock(mu_);
    fail_[name] = n;
  }
  std::vector<Got> Of(const std::string& name) {
    std::lock_guard lock(mu_);
    return got_[name];
  }
  // The notifications `name` accepted, once there are `n` of them (30 s at most).
  std::vector<std::string> WaitAccepted(const std::string& name, size_t n) {
    std::vector<std::string> out;
    for (auto deadline = std::chrono::steady_clock::now() + 30s; std::chrono::steady_clock::now() < deadline;) {
      out.clear();
      for (const Got& g : Of(name)) {
        if (g.status == 200) out.push_back(g.body);
      }
      if (out.size() >= n) return out;
      std::this_thread::sleep_for(10ms);
    }
    ADD_FAILURE() << name << ": " << out.size() << " notifications, not " << n;
    return out;
  }

 private:
  http::Router router_;
  std::unique_ptr<http::HttpServer> server_;
  std::mutex mu_;
  std::map<std::string, int> fail_;
  std::map<std::string, std::vector<Got>> got_;
};

constexpr char kPortalUrn[] = "urn:sdmx:org.sdmx.infomodel.base.DataConsumer=SDMX:DATA_CONSUMERS(1.0).PORTAL";

// One SubscriptionRequest: `selector` inside EventSelector. The
// Organisation is a reference in SDMX-ML 2.1 and a URN's text in 3.0.
std::string Request(const std::string& action, const std::string& http, const std::string& selector,
                    const std::string& subscriber_id, const std::string& urn = "", bool v30 = false) {
  return "<reg:SubscriptionRequest action=\"" + action + "\"><reg:Subscription><reg:Organisation>" +
         (v30 ? std::string(kPortalUrn) : "<URN>" + std::string(kPortalUrn) + "</URN>") + "</reg:Organisation>" +
         (urn.empty() ? "" : "<reg:RegistryURN>" + urn + "</reg:RegistryURN>") +
         (http.empty() ? "" : "<reg:NotificationHTTP>" + http + "</reg:NotificationHTTP>") +
         "<reg:SubscriberAssignedID>" + subscriber_id + "</reg:SubscriberAssignedID>"
         "<reg:ValidityPeriod><reg:StartDate>2020-01-01</reg:StartDate><reg:EndDate>2099-12-31</reg:EndDate></reg:ValidityPeriod>"
         "<reg:EventSelector>" + selector + "</reg:EventSelector></reg:Subscription></reg:SubscriptionRequest>";
}

// A QuerySubscriptionRequest (SDMX-ML `ns`) for the portal's organisation:
// the URNs of the subscriptions in the answer.
std::vector<std::string> QueriedUrns(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  const pugi::xml_node resp = sdmx::ChildByLocalName(doc.document_element(), "QuerySubscriptionResponse");
  EXPECT_TRUE(resp) << xml;
  EXPECT_EQ(sdmx::AttrByLocalName(sdmx::ChildByLocalName(resp, "StatusMessage"), "status"), "Success") << xml;
  std::vector<std::string> out;
  for (const pugi::xml_node& s : resp.children()) {
    if (sdmx::LocalName(s) == "Subscription") out.push_back(sdmx::ChildText(s, "RegistryURN"));
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Message(const std::string& ns, const std::string& requests) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><mes:RegistryInterface xmlns:mes=\"" + ns + "message\" xmlns:reg=\"" +
         ns + "registry\" xmlns:com=\"" + ns + "common\"><mes:Header><mes:ID>SUB1</mes:ID><mes:Test>false</mes:Test>"
         "<mes:Prepared>2026-12-07T10:00:00Z</mes:Prepared><mes:Sender id=\"PORTAL\"/><mes:Receiver id=\"SDMXHUB\"/>"
         "</mes:Header><mes:SubmitSubscriptionsRequest>" + requests + "</mes:SubmitSubscriptionsRequest></mes:RegistryInterface>";
}

struct Status {
  std::string urn, subscriber_id, status, text;
};

std::vector<Status> Statuses(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  std::vector<Status> out;
  const pugi::xml_node resp = sdmx::ChildByLocalName(doc.document_element(), "SubmitSubscriptionsResponse");
  EXPECT_TRUE(resp) << xml;
  for (const pugi::xml_node& s : resp.children()) {
    const pugi::xml_node msg = sdmx::ChildByLocalName(s, "StatusMessage");
    out.push_back({sdmx::ChildText(s, "SubscriptionURN"), sdmx::ChildText(s, "SubscriberAssignedID"),
                   std::string(sdmx::AttrByLocalName(msg, "status")),
                   sdmx::ChildText(sdmx::ChildByLocalName(msg, "MessageText"), "Text")});
  }
  return out;
}

struct Event {
  std::string ns, time, registration, subscription, action;
};

Event Parse(const std::string& xml) {
  pugi::xml_document doc;
  EXPECT_TRUE(doc.load_string(xml.c_str())) << xml;
  const pugi::xml_node root = doc.document_element();
  EXPECT_EQ(sdmx::LocalName(root), "RegistryInterface");
  const pugi::xml_node e = sdmx::ChildByLocalName(root, "NotifyRegistryEvent");
  EXPECT_TRUE(e) << xml;
  return {sdmx::NamespaceOf(root), sdmx::ChildText(e, "EventTime"), sdmx::ChildText(e, "RegistrationID"),
          sdmx::ChildText(e, "SubscriptionURN"), sdmx::ChildText(e, "EventAction")};
}

class RegistrySubscriptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_ = testing::DemoConfig(
        dir_, {{"retry_initial_ms = 1000", "retry_initial_ms = 100"}, {"retry_max_ms = 300000", "retry_max_ms = 800"}});
    auto hub = testing::StartTestHub(dir_, config_, kAdmin);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(*hub);
  }

  http::HttpResponse Post(const std::string& body, const std::string& token) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/xml"}};
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    auto r = http::Fetch("POST", hub_->url() + "/api/v1/registry", body, headers);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  json::object Ledger(const std::string& id) {
    auto r = http::Fetch("GET", hub_->url() + "/api/v1/submissions/" + id, "", {});
    EXPECT_TRUE(r.ok());
    return r.ok() ? json::parse(r->body).as_object() : json::object();
  }

  std::string Load(const testing::Publication& p) {
    const std::string id = "rs-" + p.stamp.substr(0, 16) + (p.structure ? "-dsd" : "");
    auto done = testing::SubmitAndWait(*hub_, testing::ReadFileOrDie(p.path), id, kAdmin, p.structure ? "" : "&invalid=skip");
    EXPECT_TRUE(done.ok()) << done.status().ToString();
    return id;
  }

  testing::TempDir dir_;
  std::string config_;
  std::unique_ptr<Hub> hub_;
};

TEST_F(RegistrySubscriptionTest, NotificationsFollowTheCommitsInOrderWithRetriesAndStopWhenDeleted) {
  Receiver rx;
  const std::string rwanda = "<reg:DataRegistrationEvents TYPE=\"DATA\"><reg:DataflowReference>"
                             "<reg:Ref agencyID=\"NISR-SDGs\" id=\"SDG\" version=\"%\"/></reg:DataflowReference>"
                             "</reg:DataRegistrationEvents>";
  const std::string demo = "<reg:DataRegistrationEvents TYPE=\"DATA\"><reg:DataflowReference><reg:URN>"
                           "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=SDMXHUB:DF_DEMO_SDG(1.0)"
                           "</reg:URN></reg:DataflowReference></reg:DataRegistrationEvents>";
  const std::string structural = "<reg:StructuralRepositoryEvents TYPE=\"STRUCTURE\"><reg:AgencyID>%</reg:AgencyID>"
                                 "<reg:AllEvents/></reg:StructuralRepositoryEvents>";
  const std::string request21 =
      Message(kNs21, Request("Append", rx.Url("rw"), rwanda, "rw-portal") + Request("Append", rx.Url("demo"), demo, "demo-portal") +
                         Request("Append", rx.Url("structures"), structural, "structures-portal"));
  EXPECT_EQ(Post(request21, "").status, 401);  // the hub POSTs where it is told: not for anyone
  const http::HttpResponse answered = Post(request21, kPortal);
  ASSERT_EQ(answered.status, 200) << answered.body;
  const std::vector<Status> statuses = Statuses(answered.body);
  ASSERT_EQ(statuses.size(), 3u) << answered.body;
  EXPECT_EQ(statuses[0].status, "Success");
  EXPECT_EQ(statuses[0].subscriber_id, "rw-portal");
  EXPECT_FALSE(statuses[0].urn.empty());
  EXPECT_EQ(statuses[1].status, "Success");
  EXPECT_EQ(statuses[2].status, "Failure");
  EXPECT_NE(statuses[2].text.find("StructuralRepositoryEvents"), std::string::npos) << statuses[2].text;
  EXPECT_NE(Statuses(answered.body)[0].urn, statuses[1].urn);
  // The same subscription in SDMX-ML 3.0, to every data event: notified in 3.0.
  const http::HttpResponse answered30 = Post(
      Message(kNs30, Request("Append", rx.Url("all30"), "<reg:DataRegistrationEvents TYPE=\"DATA\"><reg:AllEvents/>"
                                                       "</reg:DataRegistrationEvents>", "all-portal", "", true)), kPortal);
  ASSERT_EQ(answered30.status, 200) << answered30.body;
  ASSERT_EQ(Statuses(answered30.body).size(), 1u);
  EXPECT_EQ(Statuses(answered30.body)[0].status, "Success");
  // The portal asks what it holds (SDMX-ML 2.1 and 3.0): the three it made,
  // and nothing of them for another provider.
  std::vector<std::string> made = {statuses[0].urn, statuses[1].urn, Statuses(answered30.body)[0].urn};
  std::sort(made.begin(), made.end());
  const std::string query21 = std::string("<mes:QuerySubscriptionRequest><reg:Organisation><URN>") + kPortalUrn +
                              "</URN></reg:Organisation></mes:QuerySubscriptionRequest>";
  const std::string query30 = std::string("<mes:QuerySubscriptionRequest><reg:Organisation>") + kPortalUrn +
                              "</reg:Organisation></mes:QuerySubscriptionRequest>";
  const std::string wrap21 = Message(kNs21, "");
  auto as_query = [](std::string m, const std::string& q) {
    const std::string submit = "<mes:SubmitSubscriptionsRequest></mes:SubmitSubscriptionsRequest>";
    return m.replace(m.find(submit), submit.size(), q);
  };
  const http::HttpResponse queried = Post(as_query(wrap21, query21), kPortal);
  ASSERT_EQ(queried.status, 200) << queried.body;
  EXPECT_EQ(QueriedUrns(queried.body), made);
  const http::HttpResponse queried30 = Post(as_query(Message(kNs30, ""), query30), kPortal);
  ASSERT_EQ(queried30.status, 200) << queried30.body;
  EXPECT_EQ(QueriedUrns(queried30.body), made);
  EXPECT_TRUE(QueriedUrns(Post(as_query(wrap21, query21), "demo-who-token").body).empty());

  // A malformed request is refused naming the element and the rule.
  const http::HttpResponse bad = Post(Message(kNs21, Request("Append", "ftp://x/", rwanda, "x")), kPortal);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("subscription-http-url"), std::string::npos) << bad.body;

  // NISR's DSD (no data event), then two publications.
  const std::vector<testing::Publication> pubs = testing::InDateOrder();
  Load(pubs[0]);
  const std::string first = Load(pubs[1]), second = Load(pubs[2]);
  const std::vector<std::string> rw = rx.WaitAccepted("rw", 2);
  ASSERT_EQ(rw.size(), 2u);
  const Event e1 = Parse(rw[0]), e2 = Parse(rw[1]);
  EXPECT_EQ(e1.ns, std::string(kNs21) + "message");
  EXPECT_EQ(e1.registration, first);
  EXPECT_EQ(e2.registration, second);
  EXPECT_EQ(e1.subscription, statuses[0].urn);
  EXPECT_EQ(e1.action, "Append");  // all new
  const json::object revisions = Ledger(second)["revisions"].as_object();
  EXPECT_EQ(e2.action, revisions.at("changed").to_number<int64_t>() + revisions.at("deleted").to_number<int64_t>() > 0
                           ? "Replace" : "Append");
  EXPECT_EQ(e1.time, std::string(Ledger(first)["accepted_at"].as_string()));
  const std::vector<std::string> all30 = rx.WaitAccepted("all30", 2);
  ASSERT_EQ(all30.size(), 2u);
  EXPECT_EQ(Parse(all30[0]).ns, std::string(kNs30) + "message");
  EXPECT_EQ(Parse(all30[1]).registration, second);
  EXPECT_TRUE(rx.Of("demo").empty());  // NISR's dataflow is not the demo's

  // The demo receiver fails twice: tried again, later each time, then delivered once.
  rx.FailFirst("demo", 2);
  auto demo_done = testing::SubmitAndWait(*hub_, testing::DemoInitial(), "rs-demo-1", kPortal);
  ASSERT_TRUE(demo_done.ok()) << demo_done.status().ToString();
  ASSERT_EQ(rx.WaitAccepted("demo", 1).size(), 1u);
  const std::vector<Receiver::Got> attempts = rx.Of("demo");
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].status, 503);
  EXPECT_EQ(attempts[1].status, 503);
  const auto gap1 = attempts[1].at - attempts[0].at, gap2 = attempts[2].at - attempts[1].at;
  EXPECT_GE(gap1, 90ms);   // retry_initial_ms = 100
  EXPECT_GE(gap2, 180ms);  // doubled
  EXPECT_EQ(Parse(attempts[2].body).registration, "rs-demo-1");

  // Deleting: not by another provider; by its owner, then nothing more.
  const std::string del = Message(kNs21, Request("Delete", "", rwanda, "rw-portal", statuses[0].urn));
  EXPECT_EQ(Statuses(Post(del, "demo-who-token").body)[0].status, "Failure");
  EXPECT_EQ(Statuses(Post(del, kPortal).body)[0].status, "Success");
  const std::string third = Load(pubs[3]);
  ASSERT_EQ(rx.WaitAccepted("all30", 4).size(), 4u);  // the demo commit, then the third publication
  EXPECT_EQ(Parse(rx.WaitAccepted("all30", 4)[3]).registration, third);
  // Subscriptions outlive a restart, and go on where they were.
  hub_->Stop();
  hub_.reset();
  auto restarted = testing::StartTestHub(dir_, config_, kAdmin);
  ASSERT_TRUE(restarted.ok()) << restarted.status().ToString();
  hub_ = std::move(*restarted);
  auto demo_again = testing::SubmitAndWait(*hub_, testing::DemoRevision(), "rs-demo-2", "demo-who-token");
  ASSERT_TRUE(demo_again.ok()) << demo_again.status().ToString();
  const std::vector<std::string> demo_got = rx.WaitAccepted("demo", 2);
  ASSERT_EQ(demo_got.size(), 2u);
  EXPECT_EQ(Parse(demo_got[1]).registration, "rs-demo-2");
  EXPECT_EQ(rx.Of("rw").size(), 2u) << "a deleted subscription was notified";
  // What the portal holds, as the hub lists it.
  auto listed = http::Fetch("GET", hub_->url() + "/api/v1/registry/subscriptions", "", {{"Authorization", std::string("Bearer ") + kPortal}});
  ASSERT_TRUE(listed.ok());
  EXPECT_EQ(json::parse(listed->body).at("subscriptions").as_array().size(), 2u) << listed->body;
}

}  // namespace
}  // namespace hub
