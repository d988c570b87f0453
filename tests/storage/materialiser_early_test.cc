// Applying a submission before its marker (MaterialiserOptions.
// apply_early_bytes): what it commits is exactly what applying it after
// its marker commits (same state digest, same counts), nothing of it is
// readable before its marker, and when another submission commits first,
// or the attempt is rejected or abandoned, what it wrote goes and nothing
// else changes.
#include <gtest/gtest.h>

#include <rocksdb/db.h>

#include <thread>

#include "materialiser_fixture.h"
#include "storage/keys.h"

namespace hub::storage {
namespace {

using testing_fixture::kFlow;
using testing_fixture::Obs;
using testing_fixture::Record;
using namespace std::chrono_literals;
namespace ev = sdmxhub::events::v1;

class EarlyApplyTest : public testing_fixture::MaterialiserTest {
 protected:
  void SetUp() override {
    mat_options_.apply_early_bytes = 1;          // from its first event
    mat_options_.apply_chunk_observations = 40;  // many partial batches
    Open();
  }

  static std::vector<std::string> Key(int area) {
    return {"A", "G", "SH_STA_MORT", std::to_string(area), "_T", "_T", "_T"};
  }

  // One event per series (areas `first`..`first`+n-1, `periods` years
  // from 2000 each, value = area * 1000 + year + `shift`), flagged as
  // ingest flags a submission that is neither a snapshot nor embargoed.
  std::vector<Record> Events(const std::string& sid, const std::string& attempt, int first, int n, int periods,
                             int shift, ev::Action action = ev::ACTION_REPLACE, bool early = true) {
    std::vector<Record> out;
    for (int area = first; area < first + n; ++area) {
      std::vector<Obs> obs;
      for (int y = 0; y < periods; ++y) {
        obs.push_back({std::to_string(2000 + y), std::to_string(area * 1000 + y + shift)});
      }
      ev::Envelope env;
      EXPECT_TRUE(env.ParseFromString(DataEvent(sid, attempt, action, obs, Key(area))));
      env.mutable_data()->set_apply_before_marker(early);
      out.push_back(DataRecord(Serialize(&env), Key(area)));
    }
    return out;
  }

  Record Abandoned(const std::string& sid, const std::string& attempt) {
    ev::Envelope env;
    env.mutable_abandoned()->set_submission_id(sid);
    env.mutable_abandoned()->set_attempt_id(attempt);
    env.mutable_abandoned()->set_reason("the upload stopped short");
    return {topics_.submissions, 0, sid, Serialize(&env)};
  }

  // Waits until the materialiser has begun `n` submissions early and read
  // every record appended so far.
  void WaitEarly(uint64_t n) {
    for (int i = 0; i < 500 && (mat_->early_begun() < n || mat_->pending() == 0); ++i) std::this_thread::sleep_for(10ms);
    ASSERT_EQ(mat_->early_begun(), n);
    std::map<TopicPartition, int64_t> end;
    for (const Record& r : all_) end[{r.topic, r.partition}]++;
    ASSERT_TRUE(mat_->WaitForPositions(end, 10s).ok());
  }

  size_t EarlyNotes() {
    std::unique_ptr<rocksdb::Iterator> it(state_->db()->NewIterator(rocksdb::ReadOptions(), state_->cf(Family::kMeta)));
    size_t n = 0;
    for (it->Seek("early/"); it->Valid() && it->key().starts_with("early/"); it->Next()) ++n;
    return n;
  }

  // The digest of the same log applied with nothing early, in a state of its own.
  std::string LateDigest() {
    Close();
    dir_sub_ = "late-";
    mat_options_.apply_early_bytes = 0;
    Open();
    std::vector<Record> records = std::move(all_);
    all_.clear();
    Append(records);
    std::map<TopicPartition, int64_t> end;
    for (const Record& r : records) end[{r.topic, r.partition}]++;
    EXPECT_TRUE(mat_->WaitForPositions(end, 20s).ok());
    EXPECT_EQ(mat_->early_begun(), 0u);
    return *state_->Digest();
  }
};

TEST_F(EarlyApplyTest, WhatItCommitsIsWhatApplyingAfterTheMarkerCommits) {
  // Stored first (the usual way): areas 1-20, which the next one revises.
  const std::vector<Record> base = Events("base", "base-a", 1, 20, 6, 0, ev::ACTION_REPLACE, false);
  Append(base);
  Append({Marker("base", "base-a", base, ev::STATUS_COMMITTED, 1000)});
  WaitCommitted("base");
  const Watermark w = state_->watermark();
  const auto before = ReadAll();

  // Areas 11-40, 8 years each: 10 series revised (6 years changed, 2 new),
  // 20 new; then a Merge of area 15 again and a Delete of area 3, in the
  // same submission.
  std::vector<Record> big = Events("big", "big-a", 11, 30, 8, 7);
  std::vector<Record> more = Events("big", "big-a", 15, 1, 2, 100, ev::ACTION_MERGE);
  std::vector<Record> del = Events("big", "big-a", 3, 1, 1, 0, ev::ACTION_DELETE);
  big.insert(big.end(), more.begin(), more.end());
  big.insert(big.end(), del.begin(), del.end());
  Append(big);
  WaitEarly(1);
  // Written (in partial batches) and unreadable: the watermark has not moved.
  EXPECT_GT(mat_->partial_batches(), 0u);
  EXPECT_GT(EarlyNotes(), 0u);
  EXPECT_EQ(state_->watermark().value, w.value);
  EXPECT_EQ(ReadAll(), before);

  Append({Marker("big", "big-a", big)});
  WaitCommitted("big");
  EXPECT_EQ(state_->watermark().value, w.value + 1);
  EXPECT_EQ(mat_->early_dropped(), 0u);
  EXPECT_EQ(EarlyNotes(), 0u);  // gone with the commit
  auto rec = state_->Ledger("big");
  ASSERT_TRUE(rec.ok() && *rec);
  const auto counts = (*rec)->revisions();
  // 10 revised series: 6 changed + 2 new each; 20 new series of 8; area 15's
  // Merge changes 2; area 3's one period deleted.
  EXPECT_EQ(counts.changed_observations(), 10 * 6);
  EXPECT_EQ(counts.new_observations(), 10 * 2 + 20 * 8);
  EXPECT_EQ(counts.deleted_observations(), 1);
  const auto after = ReadAll();
  EXPECT_EQ(after.at("A.G.SH_STA_MORT.15._T._T._T|2001"), std::to_string(15 * 1000 + 1 + 100));
  EXPECT_EQ(after.count("A.G.SH_STA_MORT.3._T._T._T|2000"), 0u);
  const std::string digest = *state_->Digest();
  EXPECT_EQ(LateDigest(), digest);
}

TEST_F(EarlyApplyTest, AnotherSubmissionCommittingFirstDropsWhatItWrote) {
  const std::vector<Record> big = Events("big", "big-a", 1, 30, 8, 0);
  const std::vector<Record> first(big.begin(), big.begin() + 20), rest(big.begin() + 20, big.end());
  Append(first);
  WaitEarly(1);
  const Watermark w = state_->watermark();
  // A small one touching one of its series comes, whole, before its marker.
  const std::vector<Record> small = Events("small", "small-a", 5, 1, 3, 50, ev::ACTION_REPLACE, false);
  Append(small);
  Append({Marker("small", "small-a", small)});
  WaitCommitted("small");
  EXPECT_EQ(mat_->early_dropped(), 1u);
  EXPECT_EQ(EarlyNotes(), 0u);
  EXPECT_EQ(state_->watermark().value, w.value + 1);
  // Only the small one is there: 3 observations.
  EXPECT_EQ(ReadAll().size(), 3u);
  auto small_rec = state_->Ledger("small");
  ASSERT_TRUE(small_rec.ok() && *small_rec);
  EXPECT_EQ((*small_rec)->revisions().new_observations(), 3);

  // The rest of it comes: not begun again (it waits for its marker now).
  Append(rest);
  std::map<TopicPartition, int64_t> end;
  for (const Record& r : all_) end[{r.topic, r.partition}]++;
  ASSERT_TRUE(mat_->WaitForPositions(end, 10s).ok());
  EXPECT_EQ(mat_->early_begun(), 1u);
  // Its marker: applied from the log, after the small one.
  Append({Marker("big", "big-a", big)});
  WaitCommitted("big");
  EXPECT_EQ(state_->watermark().value, w.value + 2);
  auto rec = state_->Ledger("big");
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_EQ((*rec)->revisions().new_observations(), 30 * 8 - 3);
  EXPECT_EQ((*rec)->revisions().changed_observations(), 3);
  EXPECT_EQ(ReadAll().size(), 30u * 8);
  const std::string digest = *state_->Digest();
  EXPECT_EQ(LateDigest(), digest);
}

TEST_F(EarlyApplyTest, ARejectedOrAbandonedAttemptLeavesNothing) {
  const Watermark w = state_->watermark();
  // Rejected after its events went to the log: the REJECTED marker names
  // the same attempt.
  const std::vector<Record> bad = Events("bad", "bad-a", 1, 30, 8, 0);
  Append(bad);
  WaitEarly(1);
  Append({Marker("bad", "bad-a", {}, ev::STATUS_REJECTED)});
  auto rejected = mat_->WaitForSubmission("bad", 10s);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(rejected->marker().status(), ev::STATUS_REJECTED);
  EXPECT_EQ(mat_->early_dropped(), 1u);
  // Abandoned (its upload stopped short): no ledger record, the id free.
  const std::vector<Record> cut = Events("cut", "cut-a", 1, 30, 8, 0);
  Append(cut);
  WaitEarly(2);
  Append({Abandoned("cut", "cut-a")});
  for (int i = 0; i < 500 && mat_->early_dropped() < 2; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(mat_->early_dropped(), 2u);
  for (int i = 0; i < 500 && mat_->pending() > 0; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(mat_->pending(), 0u);
  EXPECT_EQ(state_->watermark().value, w.value);
  EXPECT_EQ(EarlyNotes(), 0u);
  EXPECT_TRUE(ReadAll().empty());
  auto none = state_->Ledger("cut");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  // The same id, sent again, commits whole.
  const std::vector<Record> again = Events("cut", "cut-b", 1, 30, 8, 0);
  Append(again);
  Append({Marker("cut", "cut-b", again)});
  WaitCommitted("cut");
  EXPECT_EQ(state_->watermark().value, w.value + 1);
  EXPECT_EQ(ReadAll().size(), 30u * 8);
  const std::string digest = *state_->Digest();
  EXPECT_EQ(LateDigest(), digest);
}

}  // namespace
}  // namespace hub::storage
