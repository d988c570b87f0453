// Series new to the state written directly (MaterialiserOptions.
// write_new_series_directly): the same log applied with it and without it
// (the general path: collect, look up, classify) commits the same state
// (digest), the same counts and the same change feed (each series once
// per commit, whatever chunks it was met in), whether the series
// comes once, comes again in the same submission (Merge), is deleted later
// in it, or arrives while the submission is applied before its marker; and
// the batches it writes may be cut anywhere (a small max_batch_bytes).
#include <gtest/gtest.h>


#include <set>

#include "materialiser_fixture.h"
#include "storage/keys.h"

namespace hub::storage {
namespace {

using testing_fixture::Obs;
using testing_fixture::Record;
namespace ev = sdmxhub::events::v1;
namespace st = sdmxhub::state::v1;

// What one way of applying the log committed.
struct Outcome {
  std::string digest;
  std::map<std::string, std::string> values;  // ReadAll
  std::map<std::string, std::string> counts;  // submission id -> its ledger's RevisionCounts, as text
  std::map<uint64_t, std::string> changes;  // seq -> ChangesOf(seq), what the change feed says
  uint64_t direct = 0;  // series written directly
};

class NewSeriesTest : public testing_fixture::MaterialiserTest {
 protected:
  void SetUp() override {}  // each Apply opens a state of its own

  static std::vector<std::string> Key(int area) {
    return {"A", "G", "SH_STA_MORT", std::to_string(area), "_T", "_T", "_T"};
  }

  // Series `area`, years 2000 + `from`.. (`n` of them), value area * 1000 + year + shift.
  Record Series(const std::string& sid, int area, int from, int n, int shift, ev::Action action) {
    std::vector<Obs> obs;
    for (int y = from; y < from + n; ++y) obs.push_back({std::to_string(2000 + y), std::to_string(area * 1000 + y + shift)});
    ev::Envelope env;
    EXPECT_TRUE(env.ParseFromString(DataEvent(sid, sid + "-a", action, obs, Key(area))));
    env.mutable_data()->set_apply_before_marker(true);
    return DataRecord(Serialize(&env), Key(area));
  }

  // Three submissions:
  //  "first": areas 1-30 new (Merge, 8 years); area 5 again (Merge: 3 years
  //    sent again with other values, 2 more); area 50 new (Replace) then its year 2001 and all of
  //    area 7 deleted;
  //  "second": areas 25-40 (Merge, years 4-11): 6 areas revised, 10 new;
  //  "third": area 60 new, deleted whole in the same submission.
  std::vector<std::pair<std::string, std::vector<Record>>> Log() {
    std::vector<Record> first;
    for (int area = 1; area <= 30; ++area) first.push_back(Series("first", area, 0, 8, 0, ev::ACTION_MERGE));
    first.push_back(Series("first", 5, 5, 5, 100, ev::ACTION_MERGE));
    first.push_back(Series("first", 50, 0, 4, 0, ev::ACTION_REPLACE));
    first.push_back(Series("first", 50, 1, 1, 0, ev::ACTION_DELETE));
    ev::Envelope whole;  // a series key alone: the series
    EXPECT_TRUE(whole.ParseFromString(DataEvent("first", "first-a", ev::ACTION_DELETE, {}, Key(7))));
    whole.mutable_data()->clear_attributes();
    first.push_back(DataRecord(Serialize(&whole), Key(7)));
    std::vector<Record> second;
    for (int area = 25; area <= 40; ++area) second.push_back(Series("second", area, 4, 8, 1, ev::ACTION_MERGE));
    std::vector<Record> third = {Series("third", 60, 0, 6, 0, ev::ACTION_REPLACE)};
    whole.mutable_data()->set_submission_id("third");
    whole.mutable_data()->set_attempt_id("third-a");
    whole.mutable_data()->clear_key();
    for (const std::string& k : Key(60)) whole.mutable_data()->add_key(k);
    third.push_back(DataRecord(Serialize(&whole), Key(60)));
    return {{"first", first}, {"second", second}, {"third", third}};
  }

  Outcome Apply(const std::string& name, bool direct, size_t early_bytes) {
    Close();
    dir_sub_ = name + "-";
    all_.clear();
    mat_options_.write_new_series_directly = direct;
    mat_options_.apply_early_bytes = early_bytes;
    mat_options_.apply_chunk_observations = 40;  // many chunks
    mat_options_.max_batch_bytes = 2048;         // batches cut inside series too
    Open();
    Outcome out;
    for (const auto& [sid, events] : Log()) {
      Append(events);
      Append({Marker(sid, sid + "-a", events)});
      WaitCommitted(sid);
      auto rec = state_->Ledger(sid);
      EXPECT_TRUE(rec.ok() && *rec);
      if (rec.ok() && *rec) out.counts[sid] = (*rec)->revisions().ShortDebugString();
    }
    out.digest = *state_->Digest();
    out.values = ReadAll();
    for (uint64_t seq = 1; seq <= state_->watermark().value; ++seq) {
      auto changes = state_->ChangesOf(seq);
      EXPECT_TRUE(changes.ok());
      if (!changes.ok()) continue;
      out.changes[seq] = changes->ShortDebugString();
      // Each series once (area 5 was met in two chunks of "first").
      std::set<std::string> keys;
      for (const auto& c : changes->series()) EXPECT_TRUE(keys.insert(c.series_key()).second) << c.series_key();
    }
    out.direct = mat_->new_series_written();
    return out;
  }
};

TEST_F(NewSeriesTest, WritesWhatTheGeneralPathWrites) {
  const Outcome general = Apply("general", false, 0);
  const Outcome direct = Apply("direct", true, 0);
  EXPECT_EQ(general.direct, 0u);
  // Areas 1-30 (but 5's second event), 50, 31-40 and 60 are new when met.
  EXPECT_EQ(direct.direct, 30u + 1 + 10 + 1);
  EXPECT_EQ(direct.digest, general.digest);
  EXPECT_EQ(direct.values, general.values);
  EXPECT_EQ(direct.counts, general.counts);
  EXPECT_EQ(direct.changes, general.changes);

  // And what that is: area 5 merged, area 50 without 2001, areas 7 and 60 gone.
  const std::string five = "A.G.SH_STA_MORT.5._T._T._T|";
  EXPECT_EQ(direct.values.at(five + "2004"), "5004");
  EXPECT_EQ(direct.values.at(five + "2006"), "5106");
  EXPECT_EQ(direct.values.at(five + "2009"), "5109");
  EXPECT_EQ(direct.values.count("A.G.SH_STA_MORT.50._T._T._T|2001"), 0u);
  EXPECT_EQ(direct.values.count("A.G.SH_STA_MORT.50._T._T._T|2002"), 1u);
  EXPECT_EQ(direct.values.count("A.G.SH_STA_MORT.7._T._T._T|2000"), 0u);
  EXPECT_EQ(direct.values.count("A.G.SH_STA_MORT.60._T._T._T|2000"), 0u);
  // first, against the state before it: 29 * 8 + 5 (area 5) + 3 (area 50)
  // new; what it sent and then deleted (area 7, area 50's 2001) unchanged,
  // no revision; 30 series with attributes (UNIT_MEASURE) left.
  EXPECT_EQ(direct.counts.at("first"), "new_observations: 237 unchanged_observations: 9 series_attributes_changed: 30");
}

TEST_F(NewSeriesTest, AppliedBeforeItsMarkerToo) {
  const Outcome general = Apply("general", false, 0);
  const Outcome early = Apply("early", true, 1);
  EXPECT_GT(mat_->early_begun(), 0u);
  EXPECT_GT(early.direct, 0u);
  EXPECT_EQ(early.digest, general.digest);
  EXPECT_EQ(early.counts, general.counts);
  EXPECT_EQ(early.changes, general.changes);
}

}  // namespace
}  // namespace hub::storage
