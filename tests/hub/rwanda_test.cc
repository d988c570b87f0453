// Rwanda's national SDG platform (NISR) published its full dataset nine
// times between Nov 2025 and May 2026, under four successive versions of its
// DSD (all labelled NISR-SDGs:SDG(1.3)). Applied in date order, each DSD
// before the data published with it, through the HTTP ingest path:
//  - every revision of every observation appears in the history, in order;
//  - `sdmx-hub replay` rebuilds a state with the live digest.
// The files say action="Information" (SDMX: "changes nothing") and 7 of 9
// hold 1-3 series whose SERIES code is missing from the DSD in force. Each is
// the platform's complete dataset, so they go in with
// ?action=Replace&invalid=skip&mode=snapshot: the invalid series are listed
// in the ledger (and keep their earlier values), and what a publication
// drops is deleted, so asOf a publication's load time is exactly it. Embedded log only: the four DSDs (5.8 MB) exceed the 5 MiB per
// partition that the Kafka mock cluster keeps.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <set>

#include "hub/http/client.h"
#include "hub/http/handlers/handlers.h"
#include "hub/hub.h"
#include "sdmx/check.h"
#include "sdmx/data_reader.h"
#include "sdmx/structure_reader.h"
#include "sdmx/structure_writer.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr char kFlow[] = "NISR-SDGs:DF_SDG_RW(1.0)";


struct Publication {
  std::string stamp;  // "2026-01-30T1021Z", from the file name
  bool structure;     // a DSD (applied before data of the same stamp)
  std::string path;
};

std::vector<Publication> InDateOrder() {
  std::vector<Publication> out;
  for (const char* dir : {"sdg/national/RW/dsd", "sdg/national/RW/data/2025_RWA-SDG_Data"}) {
    for (const auto& e : fs::directory_iterator(testing::CorpusPath(dir))) {
      const std::string name = e.path().filename().string();
      out.push_back({name.substr(0, 16), std::string(dir).find("dsd") != std::string::npos, e.path().string()});
    }
  }
  std::sort(out.begin(), out.end(), [](const Publication& a, const Publication& b) {
    return a.stamp != b.stamp ? a.stamp < b.stamp : a.structure > b.structure;
  });
  return out;
}

// A structure message with just the dataflow the Rwanda data is reported
// for (the published DSD files carry none), written by our own writer.
std::string RwandaDataflow() {
  sdmx::StructureSet set;
  sdmx::Dataflow df;
  df.ref = {"NISR-SDGs", "DF_SDG_RW", "1.0"};
  df.name = "Rwanda SDG indicators";
  df.structure = {"NISR-SDGs", "SDG", "1.3"};
  set.Add(df);
  return sdmx::WriteStructureMl(set, {});
}

TEST(RwandaTest, DatedPublicationsKeepEveryRevisionAndReplayToTheLiveDigest) {
  testing::TempDir dir;
  HubOptions o;
  o.data_dir = dir.Sub("live");
  o.listen = "127.0.0.1:0";
  o.config_path = testing::SourcePath("configs/hub.toml");
  o.admin_token = "rw-admin";
  auto hub = Hub::Start(o);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  std::pair<int64_t, uint64_t> last_load;  // load time and watermark of the last submission
  auto submit = [&](const std::string& body, const std::string& id, const std::string& params) {
    std::string receipt;
    auto done = testing::SubmitAndWait(**hub, body, id, "rw-admin", params, &receipt);
    EXPECT_TRUE(done.ok()) << id << ": " << done.status().ToString();
    if (!done.ok()) return boost::json::value();
    last_load = {done->marker().accepted_time_ms(), done->seq()};
    return boost::json::parse(receipt);
  };

  // Expected history: per "series key|period", the values each publication
  // gave it, for the series valid against the DSD then in force.
  std::map<std::string, std::vector<std::string>> expected;
  // Per publication: its load time, its watermark, and the state it leaves:
  // its valid observations plus the earlier values of its skipped series.
  struct Loaded {
    int64_t time_ms;
    uint64_t watermark;
    std::map<std::string, std::string> values;
  };
  std::vector<Loaded> loads;
  sdmx::StructureSet dsd_in_force;
  bool flow_sent = false;
  int data_files = 0, files_with_skips = 0;
  for (const Publication& p : InDateOrder()) {
    const std::string body = testing::ReadFileOrDie(p.path);
    const std::string id = "rw-" + fs::path(p.path).stem().string().substr(0, 25);
    if (p.structure) {
      submit(body, id, "");
      dsd_in_force = sdmx::StructureSet();
      sdmx::Diagnostics d;
      ASSERT_TRUE(sdmx::ReadStructureMessage(body, p.path, {}, &dsd_in_force, &d).ok());
      if (!flow_sent) {
        submit(RwandaDataflow(), "rw-dataflow", "");
        flow_sent = true;
      }
      sdmx::Dataflow df;
      df.ref = {"NISR-SDGs", "DF_SDG_RW", "1.0"};
      df.structure = {"NISR-SDGs", "SDG", "1.3"};
      dsd_in_force.Add(df);
      continue;
    }
    ++data_files;
    boost::json::value receipt = submit(body, id, "&action=Replace&invalid=skip&mode=snapshot");
    if (receipt.is_object() && receipt.as_object().contains("skipped_series")) {
      ++files_with_skips;
      // The skipped series are named, with the rule they broke.
      ASSERT_TRUE(receipt.as_object().contains("diagnostics"));
      EXPECT_NE(boost::json::serialize(receipt.at("diagnostics")).find("code-in-codelist"), std::string::npos);
    }
    const std::map<std::string, std::string> before = loads.empty() ? std::map<std::string, std::string>{}
                                                                    : loads.back().values;
    loads.push_back({last_load.first, last_load.second, {}});
    sdmx::Diagnostics diags(100000);
    size_t seen = 0;
    std::set<std::string> skipped;
    ASSERT_TRUE(sdmx::CheckMessage(body, p.path, dsd_in_force, {}, &diags, nullptr,
                                   [&](const sdmx::DataReader& r) {
                                     const bool valid = diags.count() == seen;
                                     seen = diags.count();
                                     if (!valid) {
                                       skipped.insert(r.series().KeyString());
                                       return;
                                     }
                                     for (const auto& obs : r.series().observations) {
                                       expected[r.series().KeyString() + "|" + obs.period].push_back(obs.value);
                                       loads.back().values[r.series().KeyString() + "|" + obs.period] = obs.value;
                                     }
                                   })
                    .ok());
    for (const auto& [k, v] : before) {
      if (skipped.count(k.substr(0, k.find('|')))) loads.back().values.emplace(k, v);
    }
  }
  EXPECT_EQ(data_files, 9);
  EXPECT_GE(files_with_skips, 7) << "SOURCES.md: 7 of 9 publications hold codes outside their DSD";

  // History: for every observation, the values its revisions carry, with
  // repeats collapsed, are the values the publications gave it.
  auto collapse = [](std::vector<std::string> v) {
    v.erase(std::unique(v.begin(), v.end()), v.end());
    return v;
  };
  std::map<std::string, std::vector<std::string>> by_series;  // key -> periods
  for (const auto& [kp, values] : expected) {
    by_series[kp.substr(0, kp.find('|'))].push_back(kp.substr(kp.find('|') + 1));
  }
  size_t revised = 0;
  for (const auto& [key, periods] : by_series) {
    auto h = (*hub)->state()->History(kFlow, key);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    std::map<std::string, std::vector<std::string>> got;
    for (const auto& e : *h) {
      if (!e.revision.deleted()) got[e.period].push_back(e.revision.value());
    }
    for (const std::string& period : periods) {
      const auto want = collapse(expected[key + "|" + period]);
      EXPECT_EQ(collapse(got[period]), want) << key << " @ " << period;
      revised += want.size() > 1;
    }
  }
  EXPECT_GT(revised, 100u) << "SOURCES.md counts ~578 revisions across the nine publications";
  std::cout << expected.size() << " observations, " << revised << " with revisions, " << files_with_skips
            << " publications with skipped series\n";

  // Over the REST API. asOf each publication's load time: that publication's values, at its watermark.
  sdmx::StructureSet structures = dsd_in_force;
  auto get = [&](const std::string& path) {
    auto r = http::Fetch("GET", (*hub)->url() + path);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : http::HttpResponse{};
  };
  for (const Loaded& l : loads) {
    http::HttpResponse r = get("/sdmx/v2/data/dataflow/NISR-SDGs/DF_SDG_RW/1.0/*?asOf=" + IsoTimeMs(l.time_ms));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(*r.FindHeader("X-Hub-Watermark"), std::to_string(l.watermark));
    EXPECT_EQ(testing::ObservationValues(r.body, structures), l.values) << "asOf " << IsoTimeMs(l.time_ms);
  }

  // includeHistory on the series with the most revisions: one dataset per
  // publication that changed it, each revision in order.
  std::string busiest;
  size_t most = 0;
  for (const auto& [key, periods] : by_series) {
    size_t n = 0;
    for (const std::string& period : periods) n += collapse(expected[key + "|" + period]).size();
    if (n > most) most = n, busiest = key;
  }
  http::HttpResponse hist = get("/sdmx/v1/data/DF_SDG_RW/" + busiest + "?includeHistory=true&format=structurespecificdata");
  ASSERT_EQ(hist.status, 200) << hist.body.substr(0, 300);
  std::map<std::string, std::vector<std::string>> seen_values;  // period -> values, dataset by dataset
  size_t datasets = 0;
  {
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(hist.body, "history", structures, {}, &d);
    ASSERT_TRUE(reader.ok()) << d.ToString();
    std::string last_from;
    for (auto& r = *reader; r->Valid(); r->Next()) {
      EXPECT_FALSE(r->dataset().valid_from.empty());
      if (r->dataset().valid_from != last_from) ++datasets, last_from = r->dataset().valid_from;
      for (const auto& o : r->series().observations) seen_values[o.period].push_back(o.value);
    }
  }
  for (const std::string& period : by_series[busiest]) {
    EXPECT_EQ(seen_values[period], collapse(expected[busiest + "|" + period])) << busiest << " @ " << period;
  }
  EXPECT_GT(datasets, 1u);

  // updatedAfter the third publication: exactly what later ones changed
  // (an observation touched since, present at the end) and deleted (touched
  // since, absent at the end), each publication's state taken from the files.
  ASSERT_GE(loads.size(), 4u);
  std::map<std::string, std::string> changed;
  std::set<std::string> deleted;
  std::set<std::string> keys;
  for (size_t i = 2; i < loads.size(); ++i) {
    for (const auto& kv : loads[i].values) keys.insert(kv.first);
  }
  for (const std::string& k : keys) {
    auto at = [&](size_t i) { return loads[i].values.count(k) ? loads[i].values.at(k) : std::string("(absent)"); };
    bool touched = false;
    for (size_t i = 3; i < loads.size(); ++i) touched |= at(i) != at(i - 1);
    if (!touched) continue;
    if (loads.back().values.count(k)) {
      changed[k] = loads.back().values.at(k);
    } else {
      deleted.insert(k);
    }
  }
  ASSERT_FALSE(changed.empty());
  http::HttpResponse upd = get("/sdmx/v1/data/DF_SDG_RW/all?format=structurespecificdata&updatedAfter=" +
                               IsoTimeMs(loads[2].time_ms));
  ASSERT_EQ(upd.status, 200);
  std::map<std::string, std::string> got_changed;
  std::set<std::string> got_deleted;
  {
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(upd.body, "updatedAfter", structures, {}, &d);
    ASSERT_TRUE(reader.ok()) << d.ToString();
    for (auto& r = *reader; r->Valid(); r->Next()) {
      for (const auto& o : r->series().observations) {
        const std::string k = r->series().KeyString() + "|" + o.period;
        if (r->dataset().action == sdmx::Action::kDelete) {
          got_deleted.insert(k);
        } else {
          got_changed[k] = o.value;
        }
      }
    }
  }
  EXPECT_EQ(got_changed, changed);
  EXPECT_EQ(got_deleted, deleted);
  EXPECT_FALSE(deleted.empty()) << "later publications drop observations; snapshot mode deletes them";
  std::cout << "updatedAfter the third publication: " << changed.size() << " changed and " << deleted.size()
            << " deleted observations; includeHistory of " << busiest << ": " << datasets << " datasets\n";

  // includeHistory with updatedAfter: the same disseminations as the full
  // history, from the fourth publication on.
  auto rows = [&](const std::string& body) {
    std::vector<std::string> out;  // validFrom validTo action key|period=value
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(body, "history", structures, {}, &d);
    EXPECT_TRUE(reader.ok()) << d.ToString();
    if (!reader.ok()) return out;
    for (auto& r = *reader; r->Valid(); r->Next()) {
      for (const auto& o : r->series().observations) {
        out.push_back(r->dataset().valid_from + " " + r->dataset().valid_to + " " +
                      sdmx::ActionName(r->dataset().action) + " " + r->series().KeyString() + "|" + o.period + "=" +
                      o.value);
      }
    }
    return out;
  };
  const std::string since = IsoTimeMs(loads[2].time_ms);
  std::vector<std::string> tail;
  for (const std::string& row : rows(hist.body)) {
    if (row.substr(0, row.find(' ')) > since) tail.push_back(row);
  }
  ASSERT_FALSE(tail.empty());
  http::HttpResponse hist_since = get("/sdmx/v1/data/DF_SDG_RW/" + busiest +
                                      "?includeHistory=true&format=structurespecificdata&updatedAfter=" + since);
  ASSERT_EQ(hist_since.status, 200) << hist_since.body.substr(0, 300);
  EXPECT_EQ(rows(hist_since.body), tail);

  auto live = (*hub)->state()->Digest();
  ASSERT_TRUE(live.ok());
  const std::string args = "replay --data-dir " + o.data_dir + " --into " + dir.Sub("replayed") + " --config " +
                           o.config_path;
  EXPECT_EQ(testing::HubBinaryOutput(args), *live);
  (*hub)->Stop();
  hub->reset();
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + dir.Sub("replayed")), *live);
}

}  // namespace
}  // namespace hub
