// History and provenance over the REST API, each test on its own hub:
// updatedAfter (with deletions), includeHistory, the response cache across a
// commit, and providerRef (with the sort budget of a hub that has two
// providers' data).
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "hub/http/client.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/data_reader.h"
#include "sdmx/data_writer.h"
#include "sdmx/key_pattern.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

constexpr char kKey[] = "A.G.SH_STA_MORT.404._T._T._T";

TEST(DataHistoryTest, UpdatedAfterCarriesDeletionsAndIncludeHistoryEachCommit) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  auto post = [&](const std::string& body, const std::string& id) {
    auto rec = testing::SubmitAndWait(**hub, body, id, "demo-unsd-token");
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? rec->marker().accepted_time_ms() : 0;
  };
  const int64_t t1 = post(testing::DemoInitial(), "initial");
  auto etag_now = [&] {
    auto r = http::Fetch("GET", (*hub)->url() + std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey);
    const std::string* e = r.ok() ? r->FindHeader("ETag") : nullptr;
    return e ? *e : std::string();
  };
  const std::string etag_before = etag_now();
  // The same query twice: the second from the response cache, same bytes.
  const std::string series_csv = std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey + "?format=csv";
  auto body_of = [&](const std::string& path) {
    auto r = http::Fetch("GET", (*hub)->url() + path);
    return r.ok() ? r->body : std::string();
  };
  const std::string before_delete = body_of(series_csv);
  const uint64_t hits = (*hub)->router()->cache()->hits();
  EXPECT_EQ(body_of(series_csv), before_delete);
  EXPECT_EQ((*hub)->router()->cache()->hits(), hits + 1);
  EXPECT_NE(before_delete.find(",2016,"), std::string::npos);
  std::this_thread::sleep_for(5ms);
  // A Delete message for one observation, written by our own writer.
  const sdmx::StructureSet set = testing::DemoStructures();
  const sdmx::Dataflow* flow = set.FindDataflowById("DF_DEMO_SDG");
  sdmx::WriteContext wc;
  wc.dsd = set.FindDataStructure(flow->structure);
  wc.dataflow = flow->ref;
  wc.action = sdmx::Action::kDelete;
  std::string del;
  auto w = sdmx::NewDataWriter(sdmx::DataFormat::kStructureSpecific21, wc, [&](std::string_view c) { del.append(c); });
  sdmx::Series gone;
  gone.key = sdmx::SplitKey(kKey);
  gone.observations.push_back({"2016", "", {}, 0});
  w->WriteSeries(gone);
  w->Finish();
  post(del, "delete-2016");
  EXPECT_NE(etag_now(), etag_before) << "new data, new entity tag";
  EXPECT_EQ(body_of(series_csv).find(",2016,"), std::string::npos) << "a cached answer outlived the commit";

  for (const std::string& path : {std::string("/sdmx/v1/data/DF_DEMO_SDG/all?format=structurespecificdata&updatedAfter="),
                                  std::string("/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/*?updatedAfter=")}) {
    auto r = http::Fetch("GET", (*hub)->url() + path + IsoTimeMs(t1));
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 200) << r->body.substr(0, 300);
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(r->body, "upd", set, {}, &d);
    ASSERT_TRUE(reader.ok()) << d.ToString();
    std::vector<std::string> deleted, changed;
    for (auto& rd = *reader; rd->Valid(); rd->Next()) {
      for (const auto& ob : rd->series().observations) {
        (rd->dataset().action == sdmx::Action::kDelete ? deleted : changed)
            .push_back(rd->series().KeyString() + "|" + ob.period);
      }
    }
    EXPECT_EQ(deleted, (std::vector<std::string>{std::string(kKey) + "|2016"})) << path;
    EXPECT_TRUE(changed.empty()) << path << ": nothing else changed after the first load";
  }
  // includeHistory: the first load (Replace) then the deletion (Delete), in order.
  auto h = http::Fetch("GET", (*hub)->url() + std::string("/sdmx/v1/data/DF_DEMO_SDG/") + kKey +
                                  "?includeHistory=true&format=structurespecificdata");
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->status, 200);
  sdmx::Diagnostics d;
  auto reader = sdmx::DataReader::Open(h->body, "hist", set, {}, &d);
  ASSERT_TRUE(reader.ok());
  std::vector<std::pair<sdmx::Action, size_t>> datasets;
  for (auto& rd = *reader; rd->Valid(); rd->Next()) {
    datasets.emplace_back(rd->dataset().action, rd->series().observations.size());
  }
  ASSERT_EQ(datasets.size(), 2u);
  EXPECT_EQ(datasets[0].first, sdmx::Action::kReplace);
  EXPECT_GT(datasets[0].second, 1u);
  EXPECT_EQ(datasets[1], (std::pair<sdmx::Action, size_t>{sdmx::Action::kDelete, 1u}));
  // SDMX-CSV 1.0 cannot say "deleted".
  auto csv = http::Fetch("GET", (*hub)->url() + "/sdmx/v1/data/DF_DEMO_SDG/all?format=csv&updatedAfter=" + IsoTimeMs(t1));
  ASSERT_TRUE(csv.ok());
  EXPECT_EQ(csv->status, 406);
  (*hub)->Stop();
}

// providerRef: the observations whose latest revision a provider sent.
// UNSD loads everything, WHO revises part of the mortality series.
TEST(DataProviderTest, ProviderRefSelectsEachProvidersObservationsAndSortIsBounded) {
  testing::TempDir dir;
  // A small sort budget, for the 413 below.
  auto hub = testing::StartTestHub(
      dir, testing::DemoConfig(dir, {{"max_sorted_observations = 2000000", "max_sorted_observations = 100"}}));
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  auto post = [&](const std::string& body, const std::string& id, const std::string& token) {
    auto rec = testing::SubmitAndWait(**hub, body, id, token);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  };
  post(testing::DemoInitial(), "unsd", "demo-unsd-token");
  post(testing::DemoRevision(), "who", "demo-who-token");
  const sdmx::StructureSet set = testing::DemoStructures();
  auto values = [&](const std::string& path) {
    auto r = http::Fetch("GET", (*hub)->url() + path);
    EXPECT_TRUE(r.ok());
    if (!r.ok() || r->status != 200) return std::map<std::string, std::string>{};
    return testing::ObservationValues(r->body, set);
  };
  const std::string all = "/sdmx/v1/data/DF_DEMO_SDG/A.G.SH_STA_MORT.._T._T._T";
  const auto everything = values(all);
  const auto who = values(all + "/WHO?format=csv");
  const auto unsd = values(all + "/SDMX,UNSD?format=csv");
  // Expected from the files: WHO's are exactly what its revision holds of this key pattern.
  std::map<std::string, std::string> want_who;
  for (const auto& [k, v] : testing::ObservationValues(testing::DemoRevision(), set)) {
    if (k.rfind("A.G.SH_STA_MORT.", 0) == 0 && k.find("._T._T._T|") != std::string::npos) want_who[k] = v;
  }
  ASSERT_FALSE(want_who.empty());
  EXPECT_EQ(who, want_who);
  // The two providers partition the data; together they are everything.
  EXPECT_FALSE(unsd.empty());
  std::map<std::string, std::string> both = unsd;
  for (const auto& kv : who) EXPECT_TRUE(both.insert(kv).second) << kv.first << " from both providers";
  EXPECT_EQ(both, everything);
  EXPECT_EQ(values(all + "/UNSD+WHO?format=csv"), everything);
  EXPECT_EQ(values(all + "/all?format=csv"), everything);
  // One provider's data names its provision agreement in SDMX-ML headers
  // (the namespace stays the dataflow's, which the query named), and reads
  // back through the agreement; several providers' name the dataflow.
  for (const char* accept : {"application/vnd.sdmx.structurespecificdata+xml;version=2.1",
                             "application/vnd.sdmx.genericdata+xml;version=2.1"}) {
    auto ml = http::Fetch("GET", (*hub)->url() + all + "/WHO", "", {{"Accept", accept}});
    ASSERT_TRUE(ml.ok());
    ASSERT_EQ(ml->status, 200) << ml->body;
    EXPECT_NE(ml->body.find("<common:ProvisionAgrement><Ref agencyID=\"SDMXHUB\" id=\"PA_WHO_DF_DEMO_SDG\" "
                            "version=\"1.0\" class=\"ProvisionAgreement\" package=\"registry\"/>"),
              std::string::npos)
        << accept;
    EXPECT_EQ(testing::ObservationValues(ml->body, set), want_who) << accept;
  }
  auto ss = http::Fetch("GET", (*hub)->url() + all + "/WHO", "",
                        {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
  ASSERT_TRUE(ss.ok());
  EXPECT_NE(ss->body.find("namespace=\"urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=SDMXHUB:"
                          "DF_DEMO_SDG(1.0):ObsLevelDim:TIME_PERIOD\""),
            std::string::npos);
  auto several = http::Fetch("GET", (*hub)->url() + all + "/UNSD+WHO", "",
                             {{"Accept", "application/vnd.sdmx.structurespecificdata+xml;version=2.1"}});
  ASSERT_TRUE(several.ok());
  EXPECT_NE(several->body.find("<common:StructureUsage>"), std::string::npos);
  EXPECT_EQ(several->body.find("ProvisionAgrement"), std::string::npos);
  auto none = http::Fetch("GET", (*hub)->url() + all + "/KNBS");
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->status, 404);
  // A sort that needs more than max_sorted_observations in memory: 413, said why.
  const std::string v2 = "/sdmx/v2/data/dataflow/SDMXHUB/DF_DEMO_SDG/1.0/A.G.SH_STA_MORT.*.*.*.*";
  auto big = http::Fetch("GET", (*hub)->url() + v2 + "?sort=REF_AREA:desc");
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(big->body.find("max_sorted_observations"), std::string::npos) << big->body;
  auto streams = http::Fetch("GET", (*hub)->url() + v2 + "?sort=TIME_PERIOD:desc");  // streams: no budget
  ASSERT_TRUE(streams.ok());
  EXPECT_EQ(streams->status, 200);
  (*hub)->Stop();
}

}  // namespace
}  // namespace hub
