// Embargoes over HTTP on the Rwanda sequence: NISR's first publication is
// public; its next two are sent with a release time each (two embargoes
// pending on one dataflow). Until a release, nothing of that submission
// reaches a public read (data, updatedAfter, history, views, the change
// feed; the watermark does not move) while the admin reads it at
// /api/v1/embargoes; at the release it becomes public at one watermark,
// with no request to trigger it. The second release falls while the hub is
// down: it happens as the hub starts, once. Then the hub holds what a hub
// given the same files without embargoes holds, asOf before a release
// never shows it, the history says when each was loaded and released, and
// `sdmx-hub replay` rebuilds the same state (releases included) from the log.
// Built for the embedded log (hub_test) and the real broker (kafka_broker_test).
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <thread>

#include "hub/base/iso_time.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "testing/rwanda_corpus.h"
#include "testing/sse_client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
namespace json = boost::json;

constexpr auto& kFlow = testing::kRwandaFlow;
constexpr auto& kV1Flow = testing::kRwandaV1Flow;
constexpr char kAdmin[] = "em-admin";
constexpr char kOther[] = "demo-unsd-token";  // a provider, not the embargoed data's

class EmbargoHubTest : public ::testing::Test {
 protected:
  std::unique_ptr<Hub> Start(const testing::TempDir& dir) {
    auto hub = testing::StartTestHub(dir, "", kAdmin);
    EXPECT_TRUE(hub.ok()) << hub.status().ToString();
    return hub.ok() ? std::move(*hub) : nullptr;
  }

  http::HttpResponse Get(Hub& hub, const std::string& path, const std::string& token = "") {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    auto r = http::Fetch("GET", hub.url() + path, "", headers);
    EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  }

  json::object Ledger(Hub& hub, const std::string& id) {
    http::HttpResponse r = Get(hub, "/api/v1/submissions/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? json::parse(r.body).as_object() : json::object();
  }

  // Polls the ledger until `id` is committed (its release applied).
  json::object WaitCommitted(Hub& hub, const std::string& id) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      json::object o = Ledger(hub, id);
      if (Str(o["status"]) == "committed") return o;
      std::this_thread::sleep_for(20ms);
    }
    ADD_FAILURE() << id << " not released within 60 s";
    return {};
  }

  // Loads `p` with no embargo and waits for its commit.
  void Load(Hub& hub, const testing::Publication& p) {
    const std::string id = "em-" + p.stamp.substr(0, 10) + (p.structure ? "-dsd" : "");
    auto done = testing::SubmitAndWait(hub, testing::ReadFileOrDie(p.path), id, kAdmin, p.structure ? "" : "&invalid=skip");
    ASSERT_TRUE(done.ok()) << done.status().ToString();
  }

  static uint64_t Watermark(const http::HttpResponse& r) {
    const std::string* w = r.FindHeader("X-Hub-Watermark");
    return w ? std::stoull(*w) : 0;
  }
  static std::string Str(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : json::serialize(v); }
  static int64_t Ms(const json::value& iso) { return *ParseIsoTimeMs(std::string(iso.as_string())); }
};

TEST_F(EmbargoHubTest, RwandaPublicationsHeldUntilTheirReleaseThenPublicOnceAcrossARestartAndAReplay) {
  const std::vector<testing::Publication> pubs = testing::InDateOrder();
  ASSERT_TRUE(pubs[0].structure && !pubs[1].structure && !pubs[2].structure && !pubs[3].structure);
  testing::TempDir dir;
  std::unique_ptr<Hub> hub = Start(dir);
  ASSERT_TRUE(hub);
  Load(*hub, pubs[0]);  // the DSD
  Load(*hub, pubs[1]);  // the first publication, public
  const uint64_t w1 = hub->state()->watermark().value;
  const http::HttpResponse public_data = Get(*hub, std::string("/sdmx/v1/data/") + kV1Flow + "/all");
  ASSERT_EQ(public_data.status, 200);
  const int64_t public_loaded = Ms(Ledger(*hub, "em-2025-11-27")["accepted_at"]);
  testing::SseClient feed(hub->port(), "/api/v1/changes?after=" + std::to_string(w1));
  ASSERT_TRUE(feed.ok());

  // Two embargoes on the dataflow: the next two publications.
  const int64_t t0 = NowMs();
  const int64_t release[2] = {t0 + 5'000, t0 + 11'000};
  const std::string ids[2] = {"em-embargo-1", "em-embargo-2"};
  for (int i = 0; i < 2; ++i) {
    auto r = testing::Submit(*hub, testing::ReadFileOrDie(pubs[2 + i].path), ids[i], kAdmin,
                             "&invalid=skip&release=" + IsoTimeMs(release[i]));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 202) << r->body;
    EXPECT_EQ(Ms(json::parse(r->body).at("release_at")), release[i]);
    auto rec = hub->materialiser()->WaitForSubmission(ids[i], 30s);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
    EXPECT_TRUE(rec->embargoed()) << ids[i];
  }
  ASSERT_LT(NowMs(), release[0]) << "too slow to see the embargo before its release";
  // Held: the public reads are those of before.
  EXPECT_EQ(Str(Ledger(*hub, ids[0])["status"]), "embargoed");
  EXPECT_EQ(hub->state()->watermark().value, w1);
  const http::HttpResponse during = Get(*hub, std::string("/sdmx/v1/data/") + kV1Flow + "/all");
  EXPECT_EQ(during.body, public_data.body);
  EXPECT_EQ(Watermark(during), w1);
  EXPECT_EQ(Get(*hub, std::string("/sdmx/v1/data/") + kV1Flow + "/all?updatedAfter=" + IsoTimeMs(public_loaded)).status,
            404);
  EXPECT_EQ(Watermark(Get(*hub, std::string("/api/v1/views/country/RW?dataflow=") + kFlow)), w1);
  // ...but its provider (here the admin) reads it; nobody else does.
  EXPECT_EQ(Get(*hub, "/api/v1/embargoes").status, 401);
  EXPECT_EQ(json::parse(Get(*hub, "/api/v1/embargoes", kOther).body).at("embargoes").as_array().size(), 0u);
  EXPECT_EQ(Get(*hub, "/api/v1/embargoes/" + ids[0], kOther).status, 403);
  const json::array listed = json::parse(Get(*hub, "/api/v1/embargoes", kAdmin).body).at("embargoes").as_array();
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(Str(listed[0].at("id")), ids[0]);  // soonest release first
  EXPECT_EQ(Ms(listed[1].at("release_at")), release[1]);
  const http::HttpResponse preview = Get(*hub, "/api/v1/embargoes/" + ids[0], kAdmin);
  ASSERT_EQ(preview.status, 200) << preview.body;
  ASSERT_NE(preview.FindHeader("Cache-Control"), nullptr);
  EXPECT_EQ(*preview.FindHeader("Cache-Control"), "private, no-store");
  int64_t previewed = 0;
  const json::value preview_json = json::parse(preview.body);
  for (const json::value& s : preview_json.at("data").as_array()) {
    previewed += static_cast<int64_t>(s.at("observations").as_array().size());
  }
  EXPECT_EQ(previewed, Ledger(*hub, ids[0])["observations"].to_number<int64_t>());

  // The first release comes on its own, at its time, at one watermark: the
  // feed's next event is it.
  const auto event = feed.Next();
  ASSERT_TRUE(event.has_value()) << "no change event within 30 s";
  EXPECT_EQ(event->id, std::to_string(w1 + 1));
  const json::object released = json::parse(event->data).as_object();
  EXPECT_EQ(Str(released.at("submission")), ids[0]);
  const int64_t released_at = Ms(released.at("releasedAt"));
  EXPECT_GE(released_at, release[0]);
  EXPECT_LT(released_at, release[0] + 5'000);
  EXPECT_EQ(Ms(released.at("loadedAt")), Ms(Ledger(*hub, ids[0])["accepted_at"]));
  json::object first = Ledger(*hub, ids[0]);
  EXPECT_EQ(Str(first["status"]), "committed");
  EXPECT_EQ(first["watermark"].to_number<uint64_t>(), w1 + 1);
  EXPECT_EQ(Ms(first["released_at"]), released_at);
  EXPECT_EQ(Str(Ledger(*hub, ids[1])["status"]), "embargoed");
  feed.Close();

  // The hub is down at the second release time: it releases as it starts.
  hub->Stop();
  hub.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(std::max<int64_t>(0, release[1] + 200 - NowMs())));
  const int64_t restarted = NowMs();
  hub = Start(dir);
  ASSERT_TRUE(hub);
  const std::string log_args = testing::LogArgs();  // this hub's log, for the replay
  json::object second = WaitCommitted(*hub, ids[1]);
  EXPECT_EQ(second["watermark"].to_number<uint64_t>(), w1 + 2);
  EXPECT_GE(Ms(second["released_at"]), restarted);
  EXPECT_EQ(hub->state()->watermark().value, w1 + 2);  // each released once
  EXPECT_EQ(Ledger(*hub, ids[0])["watermark"].to_number<uint64_t>(), w1 + 1);

  // asOf before a release never shows it; at the release it does.
  const std::string all = std::string("/sdmx/v1/data/") + kV1Flow + "/all?asOf=";
  EXPECT_EQ(Watermark(Get(*hub, all + IsoTimeMs(released_at - 1))), w1);
  EXPECT_EQ(Get(*hub, all + IsoTimeMs(released_at - 1)).body, public_data.body);
  EXPECT_EQ(Watermark(Get(*hub, all + IsoTimeMs(released_at))), w1 + 1);
  EXPECT_EQ(Get(*hub, std::string("/sdmx/v1/data/") + kV1Flow + "/all?updatedAfter=" + IsoTimeMs(public_loaded)).status,
            200);
  // The history says when a revision was loaded and when it was released.
  const auto changes = hub->state()->ChangesOf(w1 + 1);
  ASSERT_TRUE(changes.ok());
  ASSERT_GT(changes->series_size(), 0);
  const http::HttpResponse history =
      Get(*hub, std::string("/api/v1/history/") + kV1Flow + "/" + changes->series(0).series_key());
  ASSERT_EQ(history.status, 200) << history.body;
  bool seen = false;
  const json::value history_json = json::parse(history.body);
  for (const json::value& r : history_json.at("revisions").as_array()) {
    if (r.at("watermark").to_number<uint64_t>() != w1 + 1) continue;
    seen = true;
    EXPECT_EQ(Ms(r.at("released_at")), released_at);
    EXPECT_EQ(Ms(r.at("loaded_at")), Ms(first["accepted_at"]));
    EXPECT_LT(Ms(r.at("loaded_at")), release[0]);
  }
  EXPECT_TRUE(seen) << history.body;

  // The same data as a hub given the same publications with no embargo.
  testing::TempDir plain_dir;
  std::unique_ptr<Hub> plain = Start(plain_dir);
  ASSERT_TRUE(plain);
  for (int i = 0; i < 4; ++i) Load(*plain, pubs[i]);
  EXPECT_EQ(*plain->state()->DataDigest(kFlow), *hub->state()->DataDigest(kFlow));
  plain->Stop();

  // Replay: the log alone gives the same state, each release at its place.
  auto live = hub->state()->Digest();
  ASSERT_TRUE(live.ok());
  const std::string args =
      "replay --data-dir " + dir.Sub("data") + " --into " + dir.Sub("replayed") + log_args;
  hub->Stop();
  hub.reset();
  EXPECT_EQ(testing::HubBinaryOutput(args), *live);
}

}  // namespace
}  // namespace hub
