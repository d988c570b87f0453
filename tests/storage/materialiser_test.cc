// The materialiser against a real embedded log and real RocksDB state.
#include "storage/materialiser.h"

#include <gtest/gtest.h>
#include <rocksdb/iterator.h>

#include <atomic>
#include <set>
#include <thread>

#include "sdmx/demo_feed.h"
#include "storage/codec.h"
#include "storage/embedded_event_log.h"
#include "storage/keys.h"
#include "testing/test_util.h"
#include "storage/materialiser_fixture.h"

namespace hub::storage {
namespace {

using namespace std::chrono_literals;
namespace ev = sdmxhub::events::v1;

using namespace testing_fixture;


// A log whose readers fail each poll that returns records, after
// returning them: a broker that timed out in the middle of a fetch.
class FailingAfterRecordsLog : public EventLog {
 public:
  explicit FailingAfterRecordsLog(EventLog* log) : log_(log) {}
  Result<int32_t> PartitionCount(const std::string& topic) override { return log_->PartitionCount(topic); }
  Result<std::unique_ptr<LogWriter>> NewWriter() override { return log_->NewWriter(); }
  Result<std::unique_ptr<LogReader>> NewReader(const std::vector<std::pair<TopicPartition, int64_t>>& start) override {
    HUB_ASSIGN_OR_RETURN(std::unique_ptr<LogReader> r, log_->NewReader(start));
    return std::unique_ptr<LogReader>(new Reader(std::move(r), &failed_));
  }
  Result<int64_t> EndOffset(const TopicPartition& tp) override { return log_->EndOffset(tp); }
  Result<size_t> MaxRecordBytes(const std::string& topic) override { return log_->MaxRecordBytes(topic); }
  std::string Describe() const override { return "failing:" + log_->Describe(); }
  int failed() const { return failed_; }

 private:
  struct Reader : LogReader {
    Reader(std::unique_ptr<LogReader> r, std::atomic<int>* failed) : r(std::move(r)), failed(failed) {}
    Status Poll(std::chrono::milliseconds timeout, size_t max, std::vector<LogRecord>* out) override {
      const size_t before = out->size();
      HUB_RETURN_IF_ERROR(r->Poll(timeout, max, out));
      if (out->size() == before) return Status::Ok();
      ++*failed;
      return Status::Unavailable("broker timed out after " + std::to_string(out->size() - before) + " records");
    }
    std::unique_ptr<LogReader> r;
    std::atomic<int>* failed;
  };
  EventLog* log_;
  std::atomic<int> failed_{0};
};

TEST_F(MaterialiserTest, RecordsAPollReturnedBeforeItsErrorAreApplied) {
  mat_.reset();
  FailingAfterRecordsLog failing(log_.get());
  mat_options_.poll_timeout = 10ms;  // the retry waits one poll timeout
  mat_ = std::make_unique<Materialiser>(&failing, state_.get(), registry_.get(), mat_options_);
  ASSERT_TRUE(mat_->Start().ok());
  Submit("s1", {{"2015", "10"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("s1");
  Submit("s2", {{"2015", "11"}, {"2016", "12"}}, true, ev::ACTION_MERGE, 2000);
  WaitCommitted("s2");
  EXPECT_GE(failing.failed(), 2);  // every poll with records failed
  EXPECT_EQ(Read(state_->watermark()), (std::map<std::string, std::string>{{"2015", "11"}, {"2016", "12"}}));
  EXPECT_TRUE(mat_->health().ok());
  mat_.reset();  // before `failing`
}

TEST_F(MaterialiserTest, RevisionsKeepEarlierValuesAsHistory) {
  Submit("s1", {{"2015", "10"}, {"2016", "11"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("s1");
  Submit("s2", {{"2016", "12"}, {"2017", "13"}}, true, ev::ACTION_REPLACE, 2000);
  WaitCommitted("s2");
  EXPECT_EQ(state_->watermark().value, 2u);
  EXPECT_EQ(Read(Watermark{1}), (std::map<std::string, std::string>{{"2015", "10"}, {"2016", "11"}}));
  EXPECT_EQ(Read(Watermark{2}), (std::map<std::string, std::string>{{"2015", "10"}, {"2016", "12"}, {"2017", "13"}}));
  auto h = state_->History(kFlow.ToString(), sdmx::JoinKey(kKey));
  ASSERT_TRUE(h.ok());
  std::vector<std::string> revs;
  for (const auto& e : *h) revs.push_back(e.period + "=" + e.revision.value() + "@" + e.commit.submission_id());
  EXPECT_EQ(revs, (std::vector<std::string>{"2015=10@s1", "2016=11@s1", "2016=12@s2", "2017=13@s2"}));
  EXPECT_EQ((*h)[2].commit.accepted_time_ms(), 2000);  // load time comes from the log
}

TEST_F(MaterialiserTest, AsOfTimeMapsToTheWatermarkLoadedByThen) {
  Submit("s1", {{"2015", "10"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("s1");
  Submit("s2", {{"2015", "11"}}, true, ev::ACTION_REPLACE, 2000);
  WaitCommitted("s2");
  Submit("s3", {{"2015", "12"}}, true, ev::ACTION_REPLACE, 3000);
  WaitCommitted("s3");
  const Watermark now = state_->watermark();
  auto at = [&](int64_t t) { return state_->WatermarkAt(t, now)->value; };
  EXPECT_EQ(at(999), 0u);
  EXPECT_EQ(at(1000), 1u);
  EXPECT_EQ(at(2500), 2u);
  EXPECT_EQ(at(1'000'000), 3u);
  EXPECT_EQ(state_->WatermarkAt(1'000'000, Watermark{2})->value, 2u);  // never past the given limit
  EXPECT_EQ(Read(Watermark{at(2500)})["2015"], "11");
}

// Submissions commit in log order, which need not be the order they were
// accepted in: the modified time (Last-Modified) never goes back.
TEST_F(MaterialiserTest, ModifiedTimeNeverGoesBackForALaterWatermark) {
  Submit("s1", {{"2015", "10"}}, true, ev::ACTION_REPLACE, 5000);
  WaitCommitted("s1");
  Submit("s2", {{"2015", "11"}}, true, ev::ACTION_REPLACE, 3000);  // accepted earlier, committed later
  WaitCommitted("s2");
  Submit("s3", {{"2015", "12"}}, true, ev::ACTION_REPLACE, 7000);
  WaitCommitted("s3");
  auto modified = [&](uint64_t w) {
    auto c = state_->Commit(w);
    EXPECT_TRUE(c.ok() && *c);
    return c.ok() && *c ? std::make_pair((*c)->accepted_time_ms(), (*c)->modified_time_ms()) : std::make_pair(-1L, -1L);
  };
  EXPECT_EQ(modified(1), std::make_pair(5000L, 5000L));
  EXPECT_EQ(modified(2), std::make_pair(3000L, 5000L));
  EXPECT_EQ(modified(3), std::make_pair(7000L, 7000L));
}

TEST_F(MaterialiserTest, SubmissionWithoutMarkerIsNeverApplied) {
  Submit("orphan", {{"2015", "99"}}, /*with_marker=*/false);
  Submit("s1", {{"2016", "1"}});
  WaitCommitted("s1");
  EXPECT_EQ(state_->watermark().value, 1u);
  EXPECT_EQ(Read(state_->watermark()), (std::map<std::string, std::string>{{"2016", "1"}}));
  auto rec = state_->Ledger("orphan");
  ASSERT_TRUE(rec.ok());
  EXPECT_FALSE(rec->has_value());
  EXPECT_EQ(mat_->pending(), 1u);
}

TEST_F(MaterialiserTest, SameSubmissionIdTwiceIsANoOp) {
  Submit("s1", {{"2015", "1"}});
  WaitCommitted("s1");
  Submit("s1", {{"2015", "2"}});  // a retry with the same id (another attempt)
  Submit("s2", {{"2016", "3"}});
  WaitCommitted("s2");
  EXPECT_EQ(state_->watermark().value, 2u);
  EXPECT_EQ(Read(state_->watermark())["2015"], "1");
}

TEST_F(MaterialiserTest, DeleteWritesTombstonesAndKeepsHistory) {
  Submit("s1", {{"2015", "1"}, {"2016", "2"}});
  WaitCommitted("s1");
  Submit("del", {{"2015", ""}}, true, ev::ACTION_DELETE);
  WaitCommitted("del");
  EXPECT_EQ(Read(Watermark{2}), (std::map<std::string, std::string>{{"2016", "2"}}));
  EXPECT_EQ(Read(Watermark{1}), (std::map<std::string, std::string>{{"2015", "1"}, {"2016", "2"}}));
  auto h = state_->History(kFlow.ToString(), sdmx::JoinKey(kKey));
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 3u);
  EXPECT_TRUE((*h)[1].revision.deleted());
  EXPECT_EQ((*h)[1].period, "2015");
}

// SDMX Delete with attribute values deletes those values, not the series or
// observation they are attached to.
TEST_F(MaterialiserTest, SnapshotDeletesWhatTheProviderLeftOutAndNothingElse) {
  auto key = [](const char* area) { return std::vector<std::string>{"A", "G", "SH_STA_MORT", area, "_T", "_T", "_T"}; };
  const std::string kenya = sdmx::JoinKey(key("404")), rwanda = sdmx::JoinKey(key("646")),
                    ghana = sdmx::JoinKey(key("288")), other = sdmx::JoinKey(key("800")),
                    afghanistan = sdmx::JoinKey(key("004"));
  SubmitSeries("p1", "NSO", {{key("404"), {{"2015", "1"}, {"2016", "2"}}},
                             {key("646"), {{"2015", "3"}}},
                             {key("288"), {{"2015", "4"}}},
                             {key("004"), {{"2015", "5"}, {"2016", "6"}}}});
  SubmitSeries("o1", "WHO", {{key("800"), {{"2015", "9"}}}});  // another provider's series
  // The next full dataset: Kenya 2016 dropped, Rwanda dropped, Ghana skipped
  // as invalid, Afghanistan sent again unchanged (no revision: kept all the same).
  SubmitSeries("p2", "NSO", {{key("404"), {{"2015", "1.5"}}}, {key("004"), {{"2015", "5"}, {"2016", "6"}}}},
               /*snapshot=*/true, {ghana});
  const std::map<std::string, std::string> want = {{kenya + "|2015", "1.5"},   {ghana + "|2015", "4"},
                                                   {other + "|2015", "9"},     {afghanistan + "|2015", "5"},
                                                   {afghanistan + "|2016", "6"}};
  EXPECT_EQ(ReadAll(), want);
  // The drops are tombstone revisions: history keeps the values.
  auto h = state_->History(kFlow.ToString(), rwanda);
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].revision.value(), "3");
  EXPECT_TRUE((*h)[1].revision.deleted());
  // The series attributes of the dropped series go too; the sent one keeps its own.
  auto series_rev = state_->LatestSeries(kFlow.ToString(), rwanda, state_->watermark());
  ASSERT_TRUE(series_rev.ok() && series_rev->has_value());
  EXPECT_TRUE((*series_rev)->deleted());
  series_rev = state_->LatestSeries(kFlow.ToString(), kenya, state_->watermark());
  ASSERT_TRUE(series_rev.ok() && series_rev->has_value());
  EXPECT_FALSE((*series_rev)->deleted());
  // Without snapshot the same message deletes nothing.
  SubmitSeries("p3", "NSO", {{key("646"), {{"2015", "3"}}}});
  SubmitSeries("p4", "NSO", {{key("404"), {{"2015", "1.5"}}}});
  EXPECT_EQ(ReadAll().count(rwanda + "|2015"), 1u);
}

TEST_F(MaterialiserTest, DeleteOfAttributeValuesKeepsTheRest) {
  auto event = [&](const std::string& sid, ev::Action action, bool series_attr, const std::string& value,
                   bool obs_attrs) {
    ev::Envelope env;
    ev::DataEvent* d = env.mutable_data();
    d->set_submission_id(sid);
    d->set_attempt_id(sid + "-a");
    *d->mutable_dataflow() = ToProto(kFlow);
    d->set_action(action);
    for (const auto& k : kKey) d->add_key(k);
    if (series_attr) {
      ev::Field* f = d->add_attributes();
      f->set_id("UNIT_MEASURE");
      f->set_value("PER_100000_LIVE_BIRTHS");
    }
    ev::Observation* o = d->add_observations();
    o->set_period("2015");
    o->set_value(value);
    if (obs_attrs) {
      for (const char* id : {"OBS_STATUS", "NATURE"}) {
        ev::Field* f = o->add_attributes();
        f->set_id(id);
        f->set_value(id[0] == 'O' ? "A" : "C");
      }
    }
    if (action == ev::ACTION_DELETE && !obs_attrs) d->clear_observations();
    return Serialize(&env);
  };
  SubmitEvent("s1", event("s1", ev::ACTION_REPLACE, true, "7.5", true));
  WaitCommitted("s1");
  // Series attribute UNIT_MEASURE only.
  SubmitEvent("d1", event("d1", ev::ACTION_DELETE, true, "", false));
  WaitCommitted("d1");
  // Observation attributes of 2015, no value: the value stays.
  SubmitEvent("d2", event("d2", ev::ACTION_DELETE, false, "", true));
  WaitCommitted("d2");
  std::vector<sdmx::Series> got;
  ASSERT_TRUE(state_->ScanSeries(kFlow.ToString(), sdmx::KeyPattern(), state_->watermark(), [&](const sdmx::Series& s) {
    got.push_back(s);
    return true;
  }).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_TRUE(got[0].attributes.empty());
  ASSERT_EQ(got[0].observations.size(), 1u);
  EXPECT_EQ(got[0].observations[0].value, "7.5");
  EXPECT_TRUE(got[0].observations[0].attributes.empty());
  // Both deletions are revisions with the Delete action; the first state is history.
  auto h = state_->History(kFlow.ToString(), sdmx::JoinKey(kKey));
  ASSERT_TRUE(h.ok());
  ASSERT_EQ(h->size(), 2u);
  EXPECT_EQ((*h)[0].revision.attributes_size(), 2);
  EXPECT_EQ((*h)[1].revision.action(), ev::ACTION_DELETE);
  EXPECT_FALSE((*h)[1].revision.deleted());
}

TEST_F(MaterialiserTest, RestartContinuesWhereItStopped) {
  Submit("s1", {{"2015", "1"}});
  WaitCommitted("s1");
  Submit("pending", {{"2016", "2"}}, /*with_marker=*/false);
  std::this_thread::sleep_for(300ms);  // let the materialiser read the orphan event
  auto before = state_->Digest();
  ASSERT_TRUE(before.ok());
  Close();
  Open();
  EXPECT_EQ(state_->watermark().value, 1u);
  EXPECT_EQ(*state_->Digest(), *before);
  Submit("s2", {{"2017", "3"}});
  WaitCommitted("s2");
  EXPECT_EQ(Read(state_->watermark()), (std::map<std::string, std::string>{{"2015", "1"}, {"2017", "3"}}));
}

// A reader polling the published watermark while a 100k-series submission
// is applied sees all of it or none of it, never a part.
// The submission is written in many small batches (max_batch_bytes), as a
// huge one would be: visibility still moves at once, with the watermark.
TEST_F(MaterialiserTest, ReadersNeverSeePartOfASubmission) {
  Close();
  mat_options_.max_batch_bytes = 256 << 10;
  Open();
  constexpr int kSeries = 100'000;
  auto w = log_->NewWriter();
  std::map<int32_t, int64_t> counts;
  for (int i = 0; i < kSeries; ++i) {
    std::vector<std::string> key = kKey;
    key[3] = std::to_string(i);
    const std::string rk = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(key));
    const int32_t p = PartitionForKey(rk, 2);
    ASSERT_TRUE((*w)->Append(topics_.data, p, rk, DataEvent("big", "big-a", ev::ACTION_REPLACE, {{"2020", "1"}}, key)).ok());
    ++counts[p];
  }
  ASSERT_TRUE((*w)->Flush(60s).ok());
  std::atomic<bool> done{false};
  std::set<size_t> seen;
  std::thread reader([&] {
    while (!done) {
      size_t n = 0;
      const Watermark at = state_->watermark();
      ASSERT_TRUE(state_->ScanSeries(kFlow.ToString(), sdmx::KeyPattern(), at, [&](const sdmx::Series&) {
        ++n;
        return true;
      }).ok());
      seen.insert(n);
    }
  });
  ev::Envelope env;
  ev::SubmissionMarker* m = env.mutable_marker();
  m->set_submission_id("big");
  m->set_attempt_id("big-a");
  m->set_status(ev::STATUS_COMMITTED);
  for (auto [p, n] : counts) {
    ev::PartitionCount* c = m->add_counts();
    c->set_topic(topics_.data);
    c->set_partition(p);
    c->set_events(n);
  }
  ASSERT_TRUE((*w)->Append(topics_.submissions, 0, "big", Serialize(&env)).ok());
  ASSERT_TRUE((*w)->Flush(60s).ok());
  auto rec = mat_->WaitForSubmission("big", 120s);
  ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  std::this_thread::sleep_for(200ms);  // at least one read after the commit
  done = true;
  reader.join();
  EXPECT_TRUE(seen.count(kSeries));
  for (size_t n : seen) EXPECT_TRUE(n == 0 || n == static_cast<size_t>(kSeries)) << "a read saw " << n << " series";
  EXPECT_GT(mat_->partial_batches(), 10u);
}

// Held in memory or read back from the log, applied in one batch or in
// chunks of three observations: the same state, history and ledger.
TEST_F(MaterialiserTest, SpilledAndChunkedSubmissionsGiveTheSameState) {
  auto key = [](int area) {
    return std::vector<std::string>{"A", "G", "SH_STA_MORT", std::to_string(area), "_T", "_T", "_T"};
  };
  auto run = [&](const MaterialiserOptions& options) {
    Close();
    mat_options_ = options;
    dir_sub_ = "run" + std::to_string(++runs_);
    Open();
    std::map<std::vector<std::string>, std::vector<Obs>> first, second;
    for (int i = 0; i < 40; ++i) first[key(i)] = {{"2015", "1"}, {"2016", std::to_string(i)}};
    for (int i = 20; i < 60; ++i) second[key(i)] = {{"2016", std::to_string(i + 1)}, {"2017", "7"}};
    SubmitSeries("s1", "NSO", first);
    SubmitSeries("s2", "NSO", second, /*snapshot=*/true, {sdmx::JoinKey(key(5))});
    // Merge a series spread over many events (one observation each), and a
    // deletion, in one submission.
    auto w = log_->NewWriter();
    std::map<int32_t, int64_t> counts;
    for (int y = 2000; y < 2012; ++y) {
      const std::string rk = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(key(30)));
      const int32_t p = PartitionForKey(rk, 2);
      EXPECT_TRUE((*w)->Append(topics_.data, p, rk,
                               DataEvent("s3", "s3-a", ev::ACTION_MERGE, {{std::to_string(y), "3"}}, key(30),
                                         y % 2 ? "PT" : "NUMBER")).ok());
      ++counts[p];
    }
    const std::string rk = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(key(31)));
    const int32_t p = PartitionForKey(rk, 2);
    EXPECT_TRUE((*w)->Append(topics_.data, p, rk, DataEvent("s3", "s3-a", ev::ACTION_DELETE, {{"2017", ""}}, key(31)))
                    .ok());
    ++counts[p];
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id("s3");
    m->set_attempt_id("s3-a");
    m->set_provider("NSO");
    m->set_kind("data");
    m->set_status(ev::STATUS_COMMITTED);
    for (auto [part, n] : counts) {
      ev::PartitionCount* c = m->add_counts();
      c->set_topic(topics_.data);
      c->set_partition(part);
      c->set_events(n);
    }
    EXPECT_TRUE((*w)->Append(topics_.submissions, 0, "s3", Serialize(&env)).ok());
    EXPECT_TRUE((*w)->Flush(5s).ok());
    WaitCommitted("s3");
    auto digest = state_->Digest();
    EXPECT_TRUE(digest.ok());
    return std::pair{*digest, ReadAll()};
  };
  const auto whole = run(MaterialiserOptions{});
  EXPECT_EQ(mat_->spilled(), 0u);
  MaterialiserOptions small;
  small.max_held_event_bytes = 1;  // every submission read back from the log
  small.apply_chunk_observations = 3;
  small.max_batch_bytes = 512;
  const auto chunked = run(small);
  EXPECT_EQ(mat_->spilled(), 3u);
  EXPECT_GT(mat_->partial_batches(), 10u);
  EXPECT_EQ(chunked.second, whole.second);
  EXPECT_EQ(chunked.first, whole.first);
  EXPECT_EQ(whole.second.count(sdmx::JoinKey(key(31)) + "|2017"), 0u);
  EXPECT_EQ(whole.second.count(sdmx::JoinKey(key(1)) + "|2015"), 0u) << "left out of the snapshot";
  EXPECT_EQ(whole.second.at(sdmx::JoinKey(key(5)) + "|2015"), "1") << "skipped in the snapshot";
}

TEST_F(MaterialiserTest, StructureSubmissionsRebuildTheRegistryAfterRestart) {
  ev::Envelope env;
  env.mutable_structure()->set_submission_id("st");
  env.mutable_structure()->set_attempt_id("st-a");
  env.mutable_structure()->set_message(sdmx::DemoStructureMessage());
  auto w = log_->NewWriter();
  ASSERT_TRUE((*w)->Append(topics_.structures, 0, "st", Serialize(&env)).ok());
  ev::Envelope menv;
  ev::SubmissionMarker* m = menv.mutable_marker();
  m->set_submission_id("st");
  m->set_attempt_id("st-a");
  m->set_kind("structure");
  m->set_status(ev::STATUS_COMMITTED);
  ev::PartitionCount* c = m->add_counts();
  c->set_topic(topics_.structures);
  c->set_events(1);
  ASSERT_TRUE((*w)->Flush(5s).ok());
  ASSERT_TRUE((*w)->Append(topics_.submissions, 0, "st", Serialize(&menv)).ok());
  ASSERT_TRUE((*w)->Flush(5s).ok());
  WaitCommitted("st");
  EXPECT_NE(registry_->Snapshot()->FindDataflowById("DF_DEMO_SDG"), nullptr);
  Close();
  Open();
  EXPECT_NE(registry_->Snapshot()->FindDataflowById("DF_DEMO_SDG"), nullptr);
}

TEST_F(MaterialiserTest, ChangesRestateASeriesWhoseAttributesChanged) {
  Submit("s1", {{"2015", "10"}, {"2016", "11"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("s1");
  // The same values under another unit: a series revision, no observation revision.
  SubmitEvent("s2", DataEvent("s2", "s2-a", ev::ACTION_REPLACE, {{"2015", "10"}, {"2016", "11"}}, kKey, "NUMBER"));
  WaitCommitted("s2");
  std::vector<std::string> seen;
  ASSERT_TRUE(state_->ScanChanges(kFlow.ToString(), sdmx::KeyPattern(), Watermark{1}, state_->watermark(),
                                  [&](sdmx::Series& changed, sdmx::Series& deleted) {
                                    for (const auto& o : changed.observations) seen.push_back(o.period + "=" + o.value);
                                    EXPECT_TRUE(deleted.observations.empty());
                                    const std::string* unit = sdmx::FindField(changed.attributes, "UNIT_MEASURE");
                                    EXPECT_TRUE(unit && *unit == "NUMBER");
                                    return true;
                                  }).ok());
  EXPECT_EQ(seen, (std::vector<std::string>{"2015=10", "2016=11"}));
  // Nothing changed after s2.
  seen.clear();
  ASSERT_TRUE(state_->ScanChanges(kFlow.ToString(), sdmx::KeyPattern(), Watermark{2}, state_->watermark(),
                                  [&](sdmx::Series& changed, sdmx::Series&) {
                                    for (const auto& o : changed.observations) seen.push_back(o.period);
                                    return true;
                                  }).ok());
  EXPECT_TRUE(seen.empty());
}

TEST_F(MaterialiserTest, DataDigestFollowsTheDataNotItsHistory) {
  auto data_digest = [&] {
    auto d = state_->DataDigest(kFlow.ToString());
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    return d.ok() ? *d : "";
  };
  const std::string empty = data_digest();
  Submit("s1", {{"2015", "10"}, {"2016", "11"}}, true, ev::ACTION_REPLACE, 1000);
  WaitCommitted("s1");
  const std::string d1 = data_digest(), full1 = *state_->Digest();
  EXPECT_NE(d1, empty);
  Submit("s2", {{"2016", "12"}}, true, ev::ACTION_REPLACE, 2000);
  WaitCommitted("s2");
  EXPECT_NE(data_digest(), d1);
  // Back to the same values by another route: same data digest, another history.
  Submit("s3", {{"2016", "11"}}, true, ev::ACTION_REPLACE, 3000);
  WaitCommitted("s3");
  EXPECT_EQ(data_digest(), d1);
  EXPECT_NE(*state_->Digest(), full1);
  // A deleted observation is not data; one put back is.
  Submit("s4", {{"2016", ""}}, true, ev::ACTION_DELETE, 4000);
  WaitCommitted("s4");
  EXPECT_NE(data_digest(), d1);
  Submit("s5", {{"2016", "11"}}, true, ev::ACTION_REPLACE, 5000);
  WaitCommitted("s5");
  EXPECT_EQ(data_digest(), d1);

  // LatestObs names the commit that wrote the revision it returns.
  uint64_t seq = 0;
  auto it = state_->NewObsCursor();
  auto rev = state_->LatestObs(it.get(), ObsKeyPrefix(kFlow.ToString(), sdmx::JoinKey(kKey), "2016"),
                               state_->watermark(), &seq);
  ASSERT_TRUE(rev.ok() && *rev);
  EXPECT_EQ((*rev)->value(), "11");
  EXPECT_EQ(seq, state_->watermark().value);
}

}  // namespace
}  // namespace hub::storage
