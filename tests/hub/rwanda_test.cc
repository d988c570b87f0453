// Rwanda's national SDG platform (NISR) published its full dataset nine
// times between Nov 2025 and May 2026, under four successive versions of its
// DSD (all labelled NISR-SDGs:SDG(1.3)), as a new user would load them: in
// date order, each DSD before the data published with it, through the HTTP
// ingest path, with no hand-written dataflow and no action= parameter.
//  - The DSD files hold no dataflow: each registers its default dataflow
//    NISR-SDGs:SDG(1.3) (connectors/default_dataflow.h).
//  - The data files say action="Information", which SDMX 3.1 applies as
//    Merge (in snapshot mode: Replace, as a complete dataset).
//  - 7 of 9 hold 1-3 series whose SERIES code is missing from the DSD in
//    force: ?invalid=skip leaves exactly those out, and lists them.
//  - The DSD of 2026-03-25 drops SERIES codes that stored data still uses:
//    refused naming exactly those (codes in use), then forced.
// Then: every revision of every observation is in the history, in order;
// asOf each publication gives it; updatedAfter between two publications is
// exactly what changed; the ledger counts new, changed, unchanged and deleted
// observations; `sdmx-hub replay` rebuilds a state with the live digest;
// the vintages API (first releases, triangles, revision statistics) agrees
// with the history, figure by figure.
// One file (hence its length): every test loads the nine publications
// through the same fixture and readers, and the file is built twice, for
// the embedded log and for the real broker.
// On the embedded log (hub_test), and on a real Kafka broker
// (kafka_broker_test) whose topics take records of 150 KB: each DSD (1.5 MB)
// travels in ten or more pieces. Not on the mock cluster: the four DSDs
// (5.8 MB) exceed the 5 MiB per partition it keeps.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <regex>
#include <set>

#include "hub/base/iso_time.h"
#include "hub/http/client.h"
#include "hub/hub.h"
#include "sdmx/check.h"
#include "sdmx/data_reader.h"
#include "sdmx/structure_reader.h"
#include "testing/rwanda_corpus.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
namespace fs = std::filesystem;

constexpr auto& kFlow = testing::kRwandaFlow;
constexpr auto& kV1Flow = testing::kRwandaV1Flow;
constexpr char kAdmin[] = "rw-admin";

using testing::InDateOrder;
using testing::Publication;

// "id=value;..." sorted by id: attributes as a set, whatever their order.
std::string Sorted(sdmx::Fields fields) {
  std::sort(fields.begin(), fields.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::string out;
  for (const auto& f : fields) out += f.id + "=" + f.value + ";";
  return out;
}

// What the state holds of one observation: its value and attributes, and
// its series' attributes (a change there restates the series).
struct ObsState {
  std::string obs;     // value | sorted observation attributes
  std::string series;  // sorted series attributes
  bool operator==(const ObsState&) const = default;
};
using State = std::map<std::string, ObsState>;  // "series key|period" ->

// The first few differences between two states, for a readable failure.
std::string Diff(const State& got, const State& want) {
  std::string out;
  int n = 0;
  for (const auto& [k, v] : want) {
    auto it = got.find(k);
    if (it == got.end()) {
      out += "\n  missing " + k + " = " + v.obs;
    } else if (!(it->second == v)) {
      out += "\n  " + k + ": got " + it->second.obs + " / " + it->second.series + "\n     want " + v.obs + " / " + v.series;
    } else {
      continue;
    }
    if (++n == 5) return out + "\n  ...";
  }
  for (const auto& [k, v] : got) {
    if (!want.count(k)) out += "\n  unexpected " + k + " = " + v.obs;
    if (!want.count(k) && ++n == 5) return out + "\n  ...";
  }
  return out;
}

// One publication as the hub should see it: its valid observations, and
// the series it holds that break the DSD in force (and the codes that do).
struct Reading {
  State valid;
  std::set<std::string> invalid_series;
  std::set<std::string> missing_series_codes;  // SERIES codes absent from that DSD
  size_t valid_observations = 0;
};

Reading Read(const std::string& body, const std::string& path, const sdmx::StructureSet& dsd_in_force) {
  Reading out;
  sdmx::Diagnostics diags(100000);
  size_t seen = 0;
  std::map<std::string, std::string> series_attrs;  // the last element with attributes wins, as in the hub
  EXPECT_TRUE(sdmx::CheckMessage(body, path, dsd_in_force, {}, &diags, nullptr, [&](const sdmx::DataReader& r) {
                const bool valid = diags.count() == seen;
                seen = diags.count();
                const std::string key = r.series().KeyString();
                if (!valid) {
                  out.invalid_series.insert(key);
                  return;
                }
                if (!r.series().attributes.empty()) series_attrs[key] = Sorted(r.series().attributes);
                for (const auto& o : r.series().observations) {
                  out.valid[key + "|" + o.period].obs = o.value + "|" + Sorted(o.attributes);
                  ++out.valid_observations;
                }
              }).ok());
  for (auto& [k, v] : out.valid) v.series = series_attrs[k.substr(0, k.find('|'))];
  const sdmx::DataStructure* dsd = dsd_in_force.FindDataStructure({"NISR-SDGs", "SDG", "1.3"});
  EXPECT_NE(dsd, nullptr);
  const int series_dim = dsd ? dsd->DimensionIndex("SERIES") : -1;
  const sdmx::Codelist* series_codes = dsd ? dsd_in_force.FindCodelist(*dsd->dimensions[series_dim].codelist) : nullptr;
  for (const std::string& key : out.invalid_series) {
    std::vector<std::string> parts;
    for (size_t b = 0, e; b <= key.size(); b = e + 1) {
      e = std::min(key.find('.', b), key.size());
      parts.push_back(key.substr(b, e - b));
    }
    if (series_codes && !series_codes->Find(parts[series_dim])) out.missing_series_codes.insert(parts[series_dim]);
  }
  return out;
}

// The hub's answer to a data query as a State; periods of Delete datasets apart.
void ReadAnswer(const std::string& body, const sdmx::StructureSet& structures, State* live, std::set<std::string>* deleted) {
  sdmx::Diagnostics d;
  auto reader = sdmx::DataReader::Open(body, "answer", structures, {}, &d);
  ASSERT_TRUE(reader.ok()) << d.ToString();
  for (auto& r = *reader; r->Valid(); r->Next()) {
    for (const auto& o : r->series().observations) {
      const std::string k = r->series().KeyString() + "|" + o.period;
      if (r->dataset().action == sdmx::Action::kDelete) {
        deleted->insert(k);
      } else {
        (*live)[k] = {o.value + "|" + Sorted(o.attributes), Sorted(r->series().attributes)};
      }
    }
  }
}

class RwandaTest : public ::testing::Test {
 public:
  struct Loaded {
    std::string path;
    int64_t time_ms = 0;
    uint64_t watermark = 0;
    sdmxhub::state::v1::LedgerRecord ledger;
    boost::json::value receipt;
    Reading reading;
  };

 protected:
  void SetUp() override {
    auto hub = testing::StartTestHub(dir_, "", kAdmin);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    hub_ = std::move(*hub);
  }

  Result<sdmxhub::state::v1::LedgerRecord> Submit(const std::string& body, const std::string& id,
                                                  const std::string& params, std::string* receipt = nullptr) {
    return testing::SubmitAndWait(*hub_, body, id, kAdmin, params, receipt);
  }

  // Every publication in date order, data with `params` only.
  std::vector<Loaded> LoadAll(const std::string& params) {
    std::vector<Loaded> out;
    for (const Publication& p : InDateOrder()) {
      const std::string body = testing::ReadFileOrDie(p.path);
      const std::string id = "rw-" + fs::path(p.path).stem().string().substr(0, 25);
      std::string receipt;
      auto done = Submit(body, id, p.structure ? "" : params, &receipt);
      if (p.structure && !done.ok()) {
        // A DSD that drops codes stored data uses is refused, naming them
        // (codes in use); forced, it goes in and the data stays.
        ExpectRefusedForCodesInUse(body, p.path, receipt);
        done = Submit(body, id + "-forced", "&force=true");
        ++forced_dsds_;
      }
      EXPECT_TRUE(done.ok()) << id << ": " << done.status().ToString();
      if (!done.ok()) return out;
      if (p.structure) {
        dsd_in_force_ = sdmx::StructureSet();
        sdmx::Diagnostics d;
        EXPECT_TRUE(sdmx::ReadStructureMessage(body, p.path, {}, &dsd_in_force_, &d).ok());
        // What the hub made of it: the DSD and its default dataflow.
        const auto registered = hub_->registry()->Snapshot();
        const sdmx::Dataflow* df = registered->FindDataflow({"NISR-SDGs", "SDG", "1.3"});
        EXPECT_NE(df, nullptr) << "the DSD's default dataflow";
        if (df) dsd_in_force_.Add(*df);
        continue;
      }
      out.push_back({p.path, done->marker().accepted_time_ms(), done->seq(), *done, boost::json::parse(receipt),
                     Read(body, p.path, dsd_in_force_)});
    }
    return out;
  }

  http::HttpResponse Get(const std::string& path) { return testing::Get(*hub_, path); }

  // `receipt` refused the DSD `body` for exactly the SERIES codes that the
  // live data uses and its codelist lacks.
  void ExpectRefusedForCodesInUse(const std::string& body, const std::string& path, const std::string& receipt) {
    sdmx::StructureSet next;
    sdmx::Diagnostics d;
    ASSERT_TRUE(sdmx::ReadStructureMessage(body, path, {}, &next, &d).ok());
    const sdmx::Codelist* codes = next.FindCodelist({"NISR-SDGs", "CL_SERIES", "1.3"});
    ASSERT_NE(codes, nullptr);
    std::set<std::string> want;
    ASSERT_TRUE(hub_->state()
                    ->ScanSeries(kFlow, sdmx::KeyPattern(), hub_->state()->watermark(),
                                 [&](sdmx::Series& s) {
                                   if (!codes->Find(s.key[2])) want.insert(s.key[2]);
                                   return true;
                                 })
                    .ok());
    std::set<std::string> named;
    const boost::json::value refused = boost::json::parse(receipt);
    for (const auto& diag : refused.at("diagnostics").as_array()) {
      EXPECT_EQ(diag.at("rule").as_string(), "codes-in-use") << diag;
      const std::string msg(diag.at("message").as_string());
      ASSERT_EQ(msg.rfind("SERIES='", 0), 0u) << msg;
      named.insert(msg.substr(8, msg.find('\'', 8) - 8));
    }
    EXPECT_FALSE(want.empty());
    EXPECT_EQ(named, want) << path;
  }

  testing::TempDir dir_;
  std::unique_ptr<Hub> hub_;
  sdmx::StructureSet dsd_in_force_;
  int forced_dsds_ = 0;  // DSDs refused for codes in use, then forced
};

// Each publication's skipped series are exactly those whose SERIES code the
// DSD in force lacks, named in the receipt with the rule they broke.
void ExpectOnlyMissingCodesSkipped(const std::vector<RwandaTest::Loaded>& loads) {
  int with_skips = 0;
  for (const auto& l : loads) {
    const auto& r = l.receipt.as_object();
    const int64_t skipped = r.contains("skipped_series") ? r.at("skipped_series").as_int64() : 0;
    EXPECT_EQ(skipped, static_cast<int64_t>(l.reading.invalid_series.size())) << l.path;
    if (l.ledger.marker().snapshot()) {  // kept out of the snapshot's deletions
      EXPECT_EQ(l.ledger.marker().skipped_series_keys_size(), skipped) << l.path;
      for (const auto& key : l.ledger.marker().skipped_series_keys()) EXPECT_TRUE(l.reading.invalid_series.count(key)) << key;
    }
    std::set<std::string> codes_named;
    if (skipped) {
      ++with_skips;
      for (const auto& d : r.at("diagnostics").as_array()) {
        EXPECT_EQ(d.at("rule").as_string(), "code-in-codelist") << l.path << ": " << d;
        const std::string msg(d.at("message").as_string());
        ASSERT_EQ(msg.rfind("SERIES='", 0), 0u) << l.path << ": " << msg;
        codes_named.insert(msg.substr(8, msg.find('\'', 8) - 8));
      }
    }
    EXPECT_EQ(codes_named, l.reading.missing_series_codes) << l.path;
  }
  EXPECT_GE(with_skips, 7) << "SOURCES.md: 7 of 9 publications hold codes outside their DSD";
}

TEST_F(RwandaTest, DatedPublicationsLoadAsSnapshotsKeepEveryRevisionAndReplayToTheLiveDigest) {
  const std::vector<Loaded> loads = LoadAll("&invalid=skip&mode=snapshot");
  ASSERT_EQ(loads.size(), 9u);
  // Later DSDs drop series that publications before them still held.
  EXPECT_GE(forced_dsds_, 1);
  ExpectOnlyMissingCodesSkipped(loads);

  // The state after each publication: its valid observations, plus the
  // earlier state of the series it skipped (an invalid series is not a
  // withdrawn one).
  std::vector<State> states;
  for (const Loaded& l : loads) {
    State s = l.reading.valid;
    if (!states.empty()) {
      for (const auto& [k, v] : states.back()) {
        if (l.reading.invalid_series.count(k.substr(0, k.find('|')))) s.emplace(k, v);
      }
    }
    states.push_back(std::move(s));
  }

  // The ledger: what was declared and applied, and per observation what the
  // publication did to it, as the files say.
  for (size_t i = 0; i < loads.size(); ++i) {
    const auto& m = loads[i].ledger.marker();
    ASSERT_EQ(m.declared_actions_size(), 1);
    EXPECT_EQ(m.declared_actions(0), "Information");
    ASSERT_EQ(m.applied_actions_size(), 1);
    EXPECT_EQ(m.applied_actions(0), "Replace") << "a snapshot is a complete dataset";
    const State before = i ? states[i - 1] : State{};
    int64_t added = 0, changed = 0, unchanged = 0, deleted = 0;
    for (const auto& [k, v] : loads[i].reading.valid) {
      auto it = before.find(k);
      if (it == before.end()) {
        ++added;
      } else if (it->second.obs != v.obs) {
        ++changed;
      } else {
        ++unchanged;
      }
    }
    for (const auto& [k, v] : before) deleted += !states[i].count(k);
    const auto& c = loads[i].ledger.revisions();
    EXPECT_EQ(c.new_observations(), added) << loads[i].path;
    EXPECT_EQ(c.changed_observations(), changed) << loads[i].path;
    EXPECT_EQ(c.unchanged_observations(), unchanged) << loads[i].path;
    EXPECT_EQ(c.deleted_observations(), deleted) << loads[i].path;
    EXPECT_EQ(added + changed + unchanged, static_cast<int64_t>(loads[i].reading.valid_observations));
    std::cout << fs::path(loads[i].path).filename().string().substr(0, 16) << ": " << added << " new, " << changed
              << " changed, " << deleted << " deleted, " << unchanged << " unchanged, "
              << loads[i].reading.invalid_series.size() << " series skipped\n";
  }

  sdmx::StructureSet structures = dsd_in_force_;
  // asOf each publication's load time: exactly its state, at its watermark.
  for (size_t i = 0; i < loads.size(); ++i) {
    http::HttpResponse r = Get("/sdmx/v2/data/dataflow/NISR-SDGs/SDG/1.3/*?asOf=" + IsoTimeMs(loads[i].time_ms));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(*r.FindHeader("X-Hub-Watermark"), std::to_string(loads[i].watermark));
    State live;
    std::set<std::string> none;
    ReadAnswer(r.body, structures, &live, &none);
    EXPECT_TRUE(live == states[i]) << "asOf " << IsoTimeMs(loads[i].time_ms) << Diff(live, states[i]);
  }

  // updatedAfter one publication, at the next one's watermark: exactly the
  // observations whose value or attributes changed (all of a series whose
  // attributes changed) and those deleted; a reordering is no change.
  for (size_t i = 1; i < loads.size(); ++i) {
    State want_changed;
    std::set<std::string> want_deleted, restated;
    for (const auto& [k, v] : states[i]) {
      auto it = states[i - 1].find(k);
      if (it == states[i - 1].end() || it->second.obs != v.obs) want_changed[k] = v;
      if (it != states[i - 1].end() && it->second.series != v.series) restated.insert(k.substr(0, k.find('|')));
    }
    for (const auto& [k, v] : states[i]) {
      if (restated.count(k.substr(0, k.find('|')))) want_changed[k] = v;
    }
    for (const auto& [k, v] : states[i - 1]) {
      if (!states[i].count(k)) want_deleted.insert(k);
    }
    http::HttpResponse r = Get(std::string("/sdmx/v1/data/") + kV1Flow + "/all?format=structurespecificdata&at=" +
                               std::to_string(loads[i].watermark) + "&updatedAfter=" + IsoTimeMs(loads[i - 1].time_ms));
    State got_changed;
    std::set<std::string> got_deleted;
    if (r.status == 200) {
      ReadAnswer(r.body, structures, &got_changed, &got_deleted);
    } else {
      EXPECT_EQ(r.status, 404) << r.body.substr(0, 300);
    }
    EXPECT_TRUE(got_changed == want_changed) << "updatedAfter publication " << i << Diff(got_changed, want_changed);
    EXPECT_EQ(got_deleted, want_deleted) << "updatedAfter publication " << i;
    std::cout << "updatedAfter publication " << i << ": " << got_changed.size() << " changed ("
              << restated.size() << " series restated), " << got_deleted.size() << " deleted\n";
  }

  // History: for every observation, the values its revisions carry, with
  // repeats collapsed, are the values the publications gave it.
  std::map<std::string, std::map<std::string, std::vector<std::string>>> expected;  // series -> period -> values
  for (const State& s : states) {
    for (const auto& [k, v] : s) {
      auto& values = expected[k.substr(0, k.find('|'))][k.substr(k.find('|') + 1)];
      const std::string value = v.obs.substr(0, v.obs.find('|'));
      if (values.empty() || values.back() != value) values.push_back(value);
    }
  }
  size_t revised = 0;
  std::string busiest;
  size_t most = 0;
  for (const auto& [key, periods] : expected) {
    auto h = hub_->state()->History(kFlow, key);
    ASSERT_TRUE(h.ok()) << h.status().ToString();
    std::map<std::string, std::vector<std::string>> got;
    for (const auto& e : *h) {
      auto& values = got[e.period];
      if (!e.revision.deleted() && (values.empty() || values.back() != e.revision.value())) {
        values.push_back(e.revision.value());
      }
    }
    size_t n = 0;
    for (const auto& [period, want] : periods) {
      EXPECT_EQ(got[period], want) << key << " @ " << period;
      revised += want.size() > 1;
      n += want.size();
    }
    if (n > most) most = n, busiest = key;
  }
  EXPECT_GT(revised, 100u) << "SOURCES.md counts ~578 revisions across the nine publications";

  // includeHistory on the series with the most revisions: one dataset per
  // publication that changed it, each revision in order.
  http::HttpResponse hist =
      Get(std::string("/sdmx/v1/data/") + kV1Flow + "/" + busiest + "?includeHistory=true&format=structurespecificdata");
  ASSERT_EQ(hist.status, 200) << hist.body.substr(0, 300);
  {
    std::map<std::string, std::vector<std::string>> seen_values;
    sdmx::Diagnostics d;
    auto reader = sdmx::DataReader::Open(hist.body, "history", structures, {}, &d);
    ASSERT_TRUE(reader.ok()) << d.ToString();
    for (auto& r = *reader; r->Valid(); r->Next()) {
      EXPECT_FALSE(r->dataset().valid_from.empty());
      if (r->dataset().action == sdmx::Action::kDelete) continue;
      for (const auto& o : r->series().observations) {
        auto& values = seen_values[o.period];
        if (values.empty() || values.back() != o.value) values.push_back(o.value);
      }
    }
    EXPECT_EQ(seen_values, expected[busiest]) << busiest;
  }

  // Replay: the same state, dataflow included.
  auto live = hub_->state()->Digest();
  ASSERT_TRUE(live.ok());
  const std::string args =
      "replay --data-dir " + dir_.Sub("data") + " --into " + dir_.Sub("replayed") + testing::LogArgs();
  EXPECT_EQ(testing::HubBinaryOutput(args), *live);
  hub_->Stop();
  hub_.reset();
  EXPECT_EQ(testing::HubBinaryOutput("digest --data-dir " + dir_.Sub("replayed")), *live);
}

// Without mode=snapshot, each publication merges into what is there: every
// value it holds is the one served at its watermark; the ledger counts each
// observation once; sending a publication again changes nothing.
TEST_F(RwandaTest, PublicationsMergeWithoutParameters) {
  const std::vector<Loaded> loads = LoadAll("&invalid=skip");
  ASSERT_EQ(loads.size(), 9u);
  EXPECT_GE(forced_dsds_, 1) << "Merge keeps series that later DSDs drop";
  ExpectOnlyMissingCodesSkipped(loads);
  for (const Loaded& l : loads) {
    EXPECT_EQ(l.ledger.marker().applied_actions(0), "Merge");
    EXPECT_EQ(l.ledger.marker().declared_actions(0), "Information");
    const auto& c = l.ledger.revisions();
    EXPECT_EQ(c.new_observations() + c.changed_observations() + c.unchanged_observations(),
              static_cast<int64_t>(l.reading.valid_observations));
    EXPECT_EQ(c.deleted_observations(), 0) << "Merge deletes nothing";
    std::map<std::string, std::string> values;  // at this watermark
    ASSERT_TRUE(hub_->state()
                    ->ScanSeries(kFlow, sdmx::KeyPattern(), Watermark{l.watermark},
                                 [&](sdmx::Series& s) {
                                   for (const auto& o : s.observations) values[s.KeyString() + "|" + o.period] = o.value;
                                   return true;
                                 })
                    .ok());
    for (const auto& [k, v] : l.reading.valid) EXPECT_EQ(values[k], v.obs.substr(0, v.obs.find('|'))) << l.path << " " << k;
  }
  EXPECT_GT(loads[0].ledger.revisions().new_observations(), 2000);
  // The last publication again, under a new id: nothing changes, and the ledger says so.
  auto again = Submit(testing::ReadFileOrDie(loads.back().path), "rw-again", "&invalid=skip");
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  const auto& c = again->revisions();
  EXPECT_EQ(c.new_observations() + c.changed_observations() + c.deleted_observations(), 0);
  EXPECT_EQ(c.series_attributes_changed(), 0);
  EXPECT_EQ(c.unchanged_observations(), static_cast<int64_t>(loads.back().reading.valid_observations));
  auto receipt = http::Fetch("GET", hub_->url() + "/api/v1/submissions/rw-again");
  ASSERT_TRUE(receipt.ok());
  const boost::json::value v = boost::json::parse(receipt->body);
  EXPECT_EQ(v.at("status").as_string(), "committed");
  EXPECT_EQ(v.at("action").as_string(), "Merge");
  EXPECT_EQ(v.at("declared_action").as_string(), "Information");
  EXPECT_EQ(v.at("revisions").at("written").as_int64(), 0) << receipt->body;
  EXPECT_EQ(v.at("revisions").at("unchanged").as_int64(), c.unchanged_observations());
}

// `body` with the attributes of every Series and Obs element in reverse order.
std::string ReverseAttributes(const std::string& body) {
  static const std::regex kElement(R"(<(Series|Obs) ([^>]*?)(/?)>)");
  static const std::regex kAttribute(R"re(([A-Za-z_:][-\w.:]*)="([^"]*)")re");
  std::string out;
  auto last = body.cbegin();
  for (std::sregex_iterator it(body.begin(), body.end(), kElement), end; it != end; ++it) {
    out.append(last, (*it)[0].first);
    std::vector<std::string> attrs;
    const std::string inner = (*it)[2];
    for (std::sregex_iterator a(inner.begin(), inner.end(), kAttribute); a != end; ++a) attrs.push_back(a->str());
    std::reverse(attrs.begin(), attrs.end());
    out += "<" + (*it)[1].str();
    for (const std::string& a : attrs) out += " " + a;
    out += (*it)[3].str() + ">";
    last = (*it)[0].second;
  }
  out.append(last, body.cend());
  return out;
}

// The same data with its attributes in another order is not a revision.
TEST_F(RwandaTest, ReorderedAttributesWriteNoRevision) {
  std::vector<Publication> pubs = InDateOrder();
  const Publication dsd = *std::find_if(pubs.rbegin(), pubs.rend(), [](const auto& p) { return p.structure; });
  const Publication data = pubs.back();
  ASSERT_FALSE(data.structure);
  ASSERT_TRUE(Submit(testing::ReadFileOrDie(dsd.path), "rw-dsd", "").ok());
  const std::string body = testing::ReadFileOrDie(data.path);
  auto first = Submit(body, "rw-data", "&invalid=skip");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string reordered = ReverseAttributes(body);
  ASSERT_NE(reordered, body);
  ASSERT_EQ(reordered.size(), body.size());
  for (const auto& [id, params] : {std::pair{"rw-reordered", "&invalid=skip"},
                                   std::pair{"rw-reordered-snapshot", "&invalid=skip&mode=snapshot"}}) {
    auto again = Submit(reordered, id, params);
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    const auto& c = again->revisions();
    EXPECT_EQ(c.new_observations() + c.changed_observations() + c.deleted_observations(), 0) << params;
    EXPECT_EQ(c.series_attributes_changed(), 0) << params;
    EXPECT_EQ(c.unchanged_observations(), first->revisions().new_observations()) << params;
  }
  http::HttpResponse r =
      Get(std::string("/sdmx/v1/data/") + kV1Flow + "/all?updatedAfter=" + IsoTimeMs(first->marker().accepted_time_ms()));
  EXPECT_EQ(r.status, 404) << "nothing changed since the first load: " << r.body.substr(0, 300);
}

namespace vintages {

// What GET /api/v1/vintages should say of one series, worked out here from
// GET /api/v1/history at the same watermark, independently of
// hub/views/vintages.cc: the vintages, each period's revisions in order,
// and the figures derived from them (definitions in hub/views/vintages.h).
struct Expected {
  std::vector<uint64_t> marks;                      // vintage watermarks, oldest first
  std::map<uint64_t, boost::json::object> commit;   // watermark -> {loaded_at, provider, submission}
  // period -> its revisions: (watermark, value or nullopt for a deletion)
  std::map<std::string, std::vector<std::pair<uint64_t, std::optional<std::string>>>> revisions;

  explicit Expected(const boost::json::array& history) {
    std::set<uint64_t> seen;
    for (const boost::json::value& r : history) {
      const uint64_t w = r.at("watermark").to_number<uint64_t>();
      seen.insert(w);
      commit[w] = {{"loaded_at", r.at("loaded_at")}, {"provider", r.at("provider")}, {"submission", r.at("submission")}};
      std::optional<std::string> v;
      if (!r.as_object().contains("deleted")) v = std::string(r.at("value").as_string());
      revisions[std::string(r.at("period").as_string())].push_back({w, v});
    }
    marks.assign(seen.begin(), seen.end());
  }

  // The period's value as of vintage `j`.
  std::optional<std::string> Cell(const std::string& period, size_t j) const {
    std::optional<std::string> v;
    for (const auto& [w, value] : revisions.at(period)) {
      if (w <= marks[j]) v = value;
    }
    return v;
  }
  // Index of the period's first release, if it has one.
  std::optional<size_t> First(const std::string& period) const {
    for (const auto& [w, value] : revisions.at(period)) {
      if (value) return std::find(marks.begin(), marks.end(), w) - marks.begin();
    }
    return std::nullopt;
  }
};

std::optional<double> Number(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  char* end = nullptr;
  const double v = std::strtod(s->c_str(), &end);
  if (end != s->c_str() + s->size() || s->empty()) return std::nullopt;
  return v;
}

// {periods, mean, mean absolute} of later - first over `pairs`.
void ExpectStats(const boost::json::value& got, const std::vector<double>& diffs, const std::string& what) {
  EXPECT_EQ(got.at("periods").to_number<size_t>(), diffs.size()) << what;
  if (diffs.empty()) {
    EXPECT_TRUE(got.at("meanRevision").is_null()) << what;
    return;
  }
  double sum = 0, abs_sum = 0;
  for (double d : diffs) {
    sum += d;
    abs_sum += std::fabs(d);
  }
  EXPECT_NEAR(got.at("meanRevision").to_number<double>(), sum / diffs.size(), 1e-9) << what;
  EXPECT_NEAR(got.at("meanAbsoluteRevision").to_number<double>(), abs_sum / diffs.size(), 1e-9) << what;
}

// One series of a vintages answer against its history.
void ExpectSeries(const boost::json::object& got, const boost::json::array& history, size_t horizon) {
  const std::string key(got.at("key").as_string());
  const Expected want(history);
  const boost::json::array& vintages = got.at("vintages").as_array();
  ASSERT_EQ(vintages.size(), want.marks.size()) << key;
  for (size_t j = 0; j < vintages.size(); ++j) {
    const uint64_t w = want.marks[j];
    EXPECT_EQ(vintages[j].at("watermark").to_number<uint64_t>(), w) << key;
    for (const char* f : {"loaded_at", "provider", "submission"}) {
      EXPECT_EQ(vintages[j].at(f), want.commit.at(w).at(f)) << key << " " << f;
    }
  }
  // First releases, the triangle and the revision count.
  std::vector<std::string> released;
  size_t revisions = 0;
  std::vector<double> to_latest, to_horizon;
  for (const auto& [period, revs] : want.revisions) {
    const std::optional<size_t> first = want.First(period);
    if (!first) continue;
    released.push_back(period);
    std::optional<std::string> prev;
    bool out = false;
    for (const auto& [w, value] : revs) {
      if (out && value != prev) ++revisions;
      out = out || value.has_value();
      prev = value;
    }
    const auto first_value = want.Cell(period, *first);
    const auto a = Number(first_value), b = Number(want.Cell(period, want.marks.size() - 1));
    if (a && b) to_latest.push_back(*b - *a);
    if (*first + horizon < want.marks.size()) {
      if (auto c = Number(want.Cell(period, *first + horizon)); a && c) to_horizon.push_back(*c - *a);
    }
  }
  const boost::json::array& first = got.at("firstRelease").as_array();
  ASSERT_EQ(first.size(), released.size()) << key;
  const boost::json::object& tri = got.at("triangle").as_object();
  ASSERT_EQ(tri.at("periods").as_array().size(), released.size()) << key;
  for (size_t i = 0; i < released.size(); ++i) {
    const std::string& p = released[i];
    const size_t f = *want.First(p);
    EXPECT_EQ(first[i].at("period").as_string(), p) << key;
    EXPECT_EQ(first[i].at("value").as_string(), *want.Cell(p, f)) << key << " " << p;
    EXPECT_EQ(first[i].at("watermark").to_number<uint64_t>(), want.marks[f]) << key << " " << p;
    EXPECT_EQ(tri.at("periods").at(i).as_string(), p) << key;
    const boost::json::array& row = tri.at("values").at(i).as_array();
    ASSERT_EQ(row.size(), want.marks.size()) << key << " " << p;
    for (size_t j = 0; j < row.size(); ++j) {
      const std::optional<std::string> cell = want.Cell(p, j);
      if (cell) {
        EXPECT_EQ(row[j].as_string(), *cell) << key << " " << p << " vintage " << j;
      } else {
        EXPECT_TRUE(row[j].is_null()) << key << " " << p << " vintage " << j;
      }
    }
  }
  const boost::json::object& stats = got.at("statistics").as_object();
  EXPECT_EQ(stats.at("vintages").to_number<size_t>(), want.marks.size()) << key;
  EXPECT_EQ(stats.at("periods").to_number<size_t>(), released.size()) << key;
  EXPECT_EQ(stats.at("revisions").to_number<size_t>(), revisions) << key;
  ExpectStats(stats.at("latest"), to_latest, key + " latest");
  ExpectStats(stats.at("atHorizon"), to_horizon, key + " at horizon");
  EXPECT_EQ(stats.at("atHorizon").at("horizon").to_number<size_t>(), horizon);
}

}  // namespace vintages

// The nine publications' revision record as auditors and economists read
// it: for every series, the vintages (the submissions that changed it, with
// their load times), the values as first released, the revision triangle and
// the revision statistics, each recomputed here from /api/v1/history at the
// same watermark; at an earlier watermark, as the hub held it then; the same
// figures as CSV.
TEST_F(RwandaTest, VintagesFirstReleasesTrianglesAndStatisticsFollowTheHistory) {
  const std::vector<Loaded> loads = LoadAll("&invalid=skip&mode=snapshot");
  ASSERT_EQ(loads.size(), 9u);
  std::map<uint64_t, int64_t> loaded;  // watermark -> accepted time, of each publication
  for (const Loaded& l : loads) loaded[l.watermark] = l.time_ms;
  constexpr size_t kHorizon = 2;
  for (const uint64_t at : {loads.back().watermark, loads[4].watermark}) {
    const std::string q = "?horizon=" + std::to_string(kHorizon) + "&at=" + std::to_string(at);
    http::HttpResponse r = Get(std::string("/api/v1/vintages/") + kV1Flow + "/all" + q);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
    EXPECT_EQ(*r.FindHeader("X-Hub-Watermark"), std::to_string(at));
    const boost::json::object v = boost::json::parse(r.body).as_object();
    EXPECT_EQ(v.at("dataflow").as_string(), kFlow);
    const boost::json::array& series = v.at("series").as_array();
    ASSERT_GT(series.size(), 100u);
    size_t revised = 0, most_vintages = 0;
    for (const boost::json::value& s : series) {
      const std::string key(s.at("key").as_string());
      http::HttpResponse h = Get(std::string("/api/v1/history/") + kV1Flow + "/" + key + "?at=" + std::to_string(at));
      ASSERT_EQ(h.status, 200) << key;
      vintages::ExpectSeries(s.as_object(), boost::json::parse(h.body).at("revisions").as_array(), kHorizon);
      if (::testing::Test::HasFailure()) return;  // one series' differences are enough to read
      for (const boost::json::value& x : s.at("vintages").as_array()) {
        const uint64_t w = x.at("watermark").to_number<uint64_t>();
        ASSERT_TRUE(loaded.count(w)) << key << ": vintage " << w << " is no publication";
        EXPECT_EQ(x.at("loaded_at").as_string(), IsoTimeMs(loaded.at(w))) << key;
      }
      revised += s.at("statistics").at("revisions").to_number<size_t>() > 0;
      most_vintages = std::max(most_vintages, s.at("vintages").as_array().size());
    }
    EXPECT_GT(revised, 0u) << "at " << at << ": Rwanda revised published values";
    EXPECT_GE(most_vintages, 3u) << "at " << at;
    if (at != loads.back().watermark) continue;
    // The statistics as CSV: one line per series, the same figures.
    http::HttpResponse csv = Get(std::string("/api/v1/vintages/") + kV1Flow + "/all" + q + "&format=csv");
    ASSERT_EQ(csv.status, 200);
    std::vector<std::string> lines;
    for (size_t b = 0, e; (e = csv.body.find('\n', b)) != std::string::npos; b = e + 1) lines.push_back(csv.body.substr(b, e - b));
    ASSERT_EQ(lines.size(), series.size() + 1);
    EXPECT_EQ(lines[0].rfind("SERIES_KEY,VINTAGES,PERIODS,REVISIONS,", 0), 0u) << lines[0];
    for (size_t i = 0; i < series.size(); ++i) {
      const auto& st = series[i].at("statistics");
      const std::string prefix = std::string(series[i].at("key").as_string()) + "," +
                                 std::to_string(st.at("vintages").to_number<size_t>()) + "," +
                                 std::to_string(st.at("periods").to_number<size_t>()) + "," +
                                 std::to_string(st.at("revisions").to_number<size_t>()) + ",";
      EXPECT_EQ(lines[i + 1].rfind(prefix, 0), 0u) << lines[i + 1] << " vs " << prefix;
    }
  }
  // What a client gets wrong is named.
  const std::string base = std::string("/api/v1/vintages/") + kV1Flow;
  EXPECT_EQ(Get(base + "/all?format=csv&output=all").status, 400);
  EXPECT_EQ(Get(base + "/all?output=everything").status, 400);
  EXPECT_EQ(Get(base + "/all?horizon=0").status, 400);
  EXPECT_EQ(Get(base + "/all?realtime_start=2020").status, 501);
  const std::string some_key = std::string(boost::json::parse(Get(base + "/all?output=vintages").body)
                                               .at("series").at(0).at("key").as_string());
  // A key of the right shape that no series has: NOPE for the first dimension.
  const std::string no_such = "NOPE" + std::string(std::count(some_key.begin(), some_key.end(), '.'), '.');
  EXPECT_EQ(Get(base + "/" + no_such).status, 404);
}

}  // namespace
}  // namespace hub
