// Submission ids over real HTTP: an id belongs to the provider that first
// used it and names one body. Two POSTs racing with one new id: exactly one
// applied, the other 409. A retry with the same body gets the first answer;
// another body or another provider gets 409 saying why. `sdmx-hub submit
// --wait` exits non-zero unless the ledger holds its own submission.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <latch>
#include <thread>

#include "hub/base/sha256.h"
#include "hub/http/client.h"
#include "hub/http/router.h"
#include "hub/http/server.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

class SubmissionIdsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto h = testing::StartTestHub(dir_);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    hub_ = std::move(*h);
  }

  // The value the hub serves for maternal mortality of Kenya in 2020.
  std::string ServedKenya2020() {
    auto r = http::Fetch("GET", hub_->url() + "/sdmx/v1/data/SDMXHUB,DF_DEMO_SDG,1.0/A.G.SH_STA_MORT.404._T._T._T",
                         "", {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->status != 200) return "";
    auto values = testing::ObservationValues(r->body, structures_);
    auto it = values.find("A.G.SH_STA_MORT.404._T._T._T|2020");
    return it == values.end() ? "" : it->second;
  }

  int64_t LedgerTotal() {
    auto r = http::Fetch("GET", hub_->url() + "/api/v1/submissions");
    EXPECT_TRUE(r.ok());
    return r.ok() ? json::parse(r->body).at("total").to_number<int64_t>() : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  const sdmx::StructureSet structures_ = testing::DemoStructures();
};

TEST_F(SubmissionIdsTest, TwoRacingPostsOfOneNewIdApplyExactlyOne) {
  for (int round = 0; round < 16; ++round) {
    const std::string id = "race-" + std::to_string(round);
    const std::string bodies[2] = {testing::OneObservation("404", 1000 + round),
                                   testing::OneObservation("404", 2000 + round)};
    Result<http::HttpResponse> answers[2] = {Status::Internal("not sent"), Status::Internal("not sent")};
    std::latch start(2);
    std::thread posts[2];
    for (int i = 0; i < 2; ++i) {
      posts[i] = std::thread([&, i] {
        start.arrive_and_wait();
        answers[i] = testing::Submit(*hub_, bodies[i], id, "demo-unsd-token");
      });
    }
    for (auto& t : posts) t.join();
    ASSERT_TRUE(answers[0].ok() && answers[1].ok()) << round;
    const int winner = answers[0]->status == 202 ? 0 : 1;
    ASSERT_EQ(answers[winner]->status, 202) << round << ": " << answers[winner]->body;
    const http::HttpResponse& loser = *answers[1 - winner];
    ASSERT_EQ(loser.status, 409) << round << ": " << loser.body;
    EXPECT_NE(loser.body.find("submission id " + id), std::string::npos) << loser.body;
    // The one answered 202 is the one the ledger holds, and what is served.
    auto rec = hub_->materialiser()->WaitForSubmission(id, std::chrono::seconds(30));
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    EXPECT_GT(rec->seq(), 0u);
    EXPECT_EQ(rec->marker().body_sha256(), Sha256Hex(bodies[winner])) << round;
    EXPECT_EQ(ServedKenya2020(), std::to_string((winner == 0 ? 1000 : 2000) + round)) << round;
  }
}

TEST_F(SubmissionIdsTest, ARetryWithTheSameBodyGetsTheFirstAnswer) {
  const std::string body = testing::OneObservation("404", 7);
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, body, "retry-1", "demo-unsd-token").ok());
  const uint64_t watermark = hub_->state()->watermark().value;
  const int64_t total = LedgerTotal();
  auto again = testing::Submit(*hub_, body, "retry-1", "demo-unsd-token");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, 202) << again->body;  // as the first time
  const json::value v = json::parse(again->body);
  EXPECT_EQ(v.at("id").as_string(), "retry-1");
  EXPECT_EQ(v.at("status").as_string(), "committed");
  EXPECT_EQ(v.at("provider").as_string(), "UNSD");
  EXPECT_EQ(v.at("body_sha256").as_string(), Sha256Hex(body));
  EXPECT_TRUE(v.at("duplicate").as_bool());
  EXPECT_EQ(hub_->state()->watermark().value, watermark);
  EXPECT_EQ(LedgerTotal(), total);

  // A rejected body retried: rejected again, with the same diagnostics, nothing recorded twice.
  const std::string bad = body.substr(0, body.size() / 2);
  auto first = testing::Submit(*hub_, bad, "retry-bad", "demo-unsd-token");
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->status, 400) << first->body;
  auto second = testing::Submit(*hub_, bad, "retry-bad", "demo-unsd-token");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 400) << second->body;
  const json::value a = json::parse(first->body), b = json::parse(second->body);
  EXPECT_EQ(b.at("status").as_string(), "rejected");
  ASSERT_FALSE(b.at("diagnostics").as_array().empty()) << second->body;
  EXPECT_EQ(b.at("diagnostics").at(0).at("text"), a.at("diagnostics").at(0).at("text"));
  ASSERT_TRUE(hub_->materialiser()->WaitForSubmission("retry-bad", std::chrono::seconds(30)).ok());
  EXPECT_EQ(LedgerTotal(), total + 1);
}

TEST_F(SubmissionIdsTest, TheSameIdWithAnotherBodyIsAConflictNamingBothHashes) {
  const std::string first = testing::OneObservation("404", 11), other = testing::OneObservation("404", 12);
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, first, "body-1", "demo-unsd-token").ok());
  auto r = testing::Submit(*hub_, other, "body-1", "demo-unsd-token");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_NE(r->body.find("different body"), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(Sha256Hex(first)), std::string::npos) << r->body;
  EXPECT_NE(r->body.find(Sha256Hex(other)), std::string::npos) << r->body;
  EXPECT_EQ(ServedKenya2020(), "11");
}

TEST_F(SubmissionIdsTest, AnIdBelongsToTheProviderThatFirstUsedIt) {
  const std::string unsd = testing::OneObservation("404", 21);
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, unsd, "mine-1", "demo-unsd-token").ok());
  for (const std::string& body : {unsd, testing::OneObservation("404", 22)}) {
    auto r = testing::Submit(*hub_, body, "mine-1", "demo-who-token");
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->status, 409) << r->body;
    EXPECT_NE(r->body.find("belongs to another provider"), std::string::npos) << r->body;
    // Nothing of UNSD's submission is told.
    EXPECT_EQ(r->body.find("UNSD"), std::string::npos) << r->body;
    EXPECT_EQ(r->body.find(Sha256Hex(unsd)), std::string::npos) << r->body;
  }
  auto rec = hub_->state()->Ledger("mine-1");
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_EQ((*rec)->marker().provider(), "UNSD");
  EXPECT_EQ(ServedKenya2020(), "21");
  // Ids the hub's own connectors derive from content cannot be taken over HTTP.
  auto reserved = testing::Submit(*hub_, unsd, "drop-UNSD-0123", "demo-who-token");
  ASSERT_TRUE(reserved.ok());
  EXPECT_EQ(reserved->status, 400) << reserved->body;
}

// Bodies of 1 MiB or more are validated while they arrive: their hash is
// known only after the last byte, and the same rules hold.
TEST_F(SubmissionIdsTest, StreamedUploadsFollowTheSameRules) {
  const std::string body = testing::LargeDemoMessage(100'000);
  ASSERT_GT(body.size(), size_t{1} << 20);  // past [http] stream_body_bytes
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, body, "big-1", "demo-unsd-token").ok());
  const uint64_t watermark = hub_->state()->watermark().value;
  auto same = testing::Submit(*hub_, body, "big-1", "demo-unsd-token");
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(same->status, 202) << same->body;
  EXPECT_TRUE(json::parse(same->body).at("duplicate").as_bool()) << same->body;
  std::string other = body;
  other.replace(other.rfind("OBS_VALUE=\"") + 11, 1, "9");
  ASSERT_NE(other, body);
  auto changed = testing::Submit(*hub_, other, "big-1", "demo-unsd-token");
  ASSERT_TRUE(changed.ok());
  EXPECT_EQ(changed->status, 409) << changed->body;
  EXPECT_NE(changed->body.find(Sha256Hex(other)), std::string::npos) << changed->body;
  auto theirs = testing::Submit(*hub_, body, "big-1", "demo-who-token");
  ASSERT_TRUE(theirs.ok());
  EXPECT_EQ(theirs->status, 409) << theirs->body;
  EXPECT_EQ(hub_->state()->watermark().value, watermark);
}

// `submit --wait` with an id another provider claimed first: the hub's old
// answer (200 "committed", someone else's record) made it exit 0.
TEST_F(SubmissionIdsTest, SubmitWaitFailsWhenTheIdIsAnotherProvidersAndPassesOnARetry) {
  ASSERT_TRUE(testing::SubmitAndWait(*hub_, testing::OneObservation("404", 31), "cli-feed", "demo-who-token").ok());
  const std::string file = dir_.Sub("feed.xml");
  testing::WriteFileOrDie(file, testing::OneObservation("404", 32));
  testing::ProcessRun taken = testing::RunHubBinary("submit --token demo-unsd-token --to " + hub_->url() +
                                                     " --progress never --id-prefix cli- --wait " + file);
  EXPECT_NE(taken.exit_code, 0) << taken.out;
  EXPECT_NE(taken.out.find("409"), std::string::npos) << taken.out;
  EXPECT_EQ(ServedKenya2020(), "31");

  const std::string mine = "submit --token demo-unsd-token --to " + hub_->url() +
                           " --progress never --id-prefix own- --wait " + file;
  testing::ProcessRun first = testing::RunHubBinary(mine);
  EXPECT_EQ(first.exit_code, 0) << first.out;
  EXPECT_NE(first.out.find("committed at watermark"), std::string::npos) << first.out;
  // It says what the data did: one observation changed (31 -> 32), applied as Merge.
  EXPECT_NE(first.out.find("action Merge (declared (none)): 0 new, 1 changed, 0 deleted, 0 unchanged"),
            std::string::npos)
      << first.out;
  testing::ProcessRun retry = testing::RunHubBinary(mine);  // the same file again: its own, applied
  EXPECT_EQ(retry.exit_code, 0) << retry.out;
  EXPECT_EQ(ServedKenya2020(), "32");
}

// A hub that answers 202 and then shows, under that id, a record of another
// body (what a client sees when another hub process appended the id first
// and the ledger kept that): `submit --wait` must not call it applied.
TEST(SubmitWaitTest, ExitsNonZeroUnlessTheLedgerRecordIsItsOwnBody) {
  testing::TempDir dir;
  const std::string file = dir.Sub("feed.xml");
  testing::WriteFileOrDie(file, "<some body/>");
  for (const bool own : {false, true}) {
    http::Router router([] { return uint64_t{0}; });
    router.Add("POST", "/api/v1/submissions", [](http::HttpRequest& req) {
      return http::HttpResponse::Make(
          202, "application/json",
          json::serialize(json::object{{"id", req.Header("x-submission-id")}, {"provider", "UNSD"}, {"status", "accepted"}}));
    });
    const std::string ledger_sha = own ? Sha256Hex("<some body/>") : Sha256Hex("another body");
    router.Add("GET", "/api/v1/submissions/{id}", [&](http::HttpRequest& req) {
      return http::HttpResponse::Make(200, "application/json",
                                      json::serialize(json::object{{"id", req.Param("id")},
                                                                   {"status", "committed"},
                                                                   {"provider", "UNSD"},
                                                                   {"watermark", 5},
                                                                   {"body_sha256", ledger_sha}}));
    });
    http::HttpOptions o;
    o.port = 0;
    auto server = http::HttpServer::Start(o, &router);
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    testing::ProcessRun run = testing::RunHubBinary("submit --to http://127.0.0.1:" + std::to_string((*server)->port()) +
                                                    " --token t --progress never --wait " + file);
    (*server)->Stop();
    if (own) {
      EXPECT_EQ(run.exit_code, 0) << run.out;
    } else {
      EXPECT_EQ(run.exit_code, 1) << run.out;
      EXPECT_NE(run.out.find("not this file"), std::string::npos) << run.out;
    }
  }
}

}  // namespace
}  // namespace hub
