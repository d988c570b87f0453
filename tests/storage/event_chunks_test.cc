// Events larger than a record of the log: split by AppendEvent, joined by
// the materialiser. On the embedded log with a record limit set, which
// refuses a larger record as Kafka does; the real broker runs the same path
// in tests/hub/kafka_broker_test.cc.
#include "storage/event_chunks.h"

#include <gtest/gtest.h>

#include "sdmx/model.h"
#include "storage/codec.h"
#include "storage/embedded_event_log.h"
#include "storage/materialiser.h"
#include "testing/test_util.h"

namespace hub::storage {
namespace {

using namespace std::chrono_literals;
namespace ev = sdmxhub::events::v1;

const sdmx::ArtefactRef kFlow{"SDMXHUB", "DF_DEMO_SDG", "1.0"};
constexpr size_t kLimit = 16384;

std::vector<std::string> Key(int area) { return {"A", "G", "SH_STA_MORT", std::to_string(area), "_T", "_T", "_T"}; }

std::string RecordKey(int area) { return DataRecordKey(kFlow.ToString(), sdmx::JoinKey(Key(area))); }

// A series of `years` observations, from 1000 on: about 12 bytes each.
std::string SeriesEvent(const std::string& sid, int area, int years, const std::string& value = "1.5") {
  ev::Envelope env;
  ev::DataEvent* d = env.mutable_data();
  d->set_submission_id(sid);
  d->set_attempt_id(sid + "-a");
  *d->mutable_dataflow() = ToProto(kFlow);
  d->set_action(ev::ACTION_MERGE);
  for (const auto& k : Key(area)) d->add_key(k);
  for (int y = 0; y < years; ++y) {
    ev::Observation* o = d->add_observations();
    o->set_period(std::to_string(1000 + y));
    o->set_value(value);
  }
  return Serialize(&env);
}

// The EventChunk records of `event`, cut into `n` pieces by hand (tests
// that put them out of order or leave some out).
std::vector<std::string> Pieces(const std::string& sid, const std::string& event, int n) {
  std::vector<std::string> out;
  const size_t part = (event.size() + n - 1) / n;
  for (int i = 0; i < n; ++i) {
    ev::Envelope env;
    ev::EventChunk* c = env.mutable_chunk();
    c->set_submission_id(sid);
    c->set_attempt_id(sid + "-a");
    c->set_index(i);
    c->set_count(n);
    c->set_part(event.substr(i * part, part));
    out.push_back(Serialize(&env));
  }
  return out;
}

class EventChunksTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open(size_t limit = kLimit) {
    mat_.reset();
    state_.reset();
    log_.reset();
    EmbeddedEventLogOptions lo;
    lo.path = dir_.Sub(sub_ + "log");
    lo.data_partitions = 1;  // every series on one partition: pieces meet other records
    lo.max_record_bytes = limit;
    auto l = EmbeddedEventLog::Open(lo);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    log_ = std::move(*l);
    StateOptions so;
    so.path = dir_.Sub(sub_ + "state");
    auto s = VersionedState::Open(so);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    state_ = std::move(*s);
    mat_ = std::make_unique<Materialiser>(log_.get(), state_.get(), &registry_, mat_options_);
    ASSERT_TRUE(mat_->Start().ok());
  }

  void Append(LogWriter* w, const std::string& topic, const std::string& key, const std::string& value) {
    Status s = w->Append(topic, 0, key, value);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  void Marker(LogWriter* w, const std::string& sid, int64_t records) {
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id(sid);
    m->set_attempt_id(sid + "-a");
    m->set_provider("UNSD");
    m->set_kind("data");
    *m->mutable_dataflow() = ToProto(kFlow);
    m->set_status(ev::STATUS_COMMITTED);
    m->set_accepted_time_ms(1000);
    ev::PartitionCount* c = m->add_counts();
    c->set_topic(topics_.data);
    c->set_partition(0);
    c->set_events(records);
    Append(w, topics_.submissions, sid, Serialize(&env));
    ASSERT_TRUE(w->Flush(5s).ok());
  }

  sdmxhub::state::v1::LedgerRecord Wait(const std::string& sid) {
    auto rec = mat_->WaitForSubmission(sid, 10s);
    EXPECT_TRUE(rec.ok()) << rec.status().ToString();
    return rec.ok() ? *rec : sdmxhub::state::v1::LedgerRecord();
  }

  // period -> value of series `area` at the watermark.
  std::map<std::string, std::string> Series(int area) {
    std::map<std::string, std::string> out;
    sdmx::KeyPattern pattern;
    EXPECT_TRUE(state_->ScanSeries(kFlow.ToString(), pattern, state_->watermark(), [&](const sdmx::Series& s) {
      if (s.key == Key(area)) for (const auto& o : s.observations) out[o.period] = o.value;
      return true;
    }).ok());
    return out;
  }

  // s1: a series of 30,000 observations (~10 x kLimit) in pieces, with a
  // second attempt's one-record event (s2) between two of its pieces on the
  // same partition; s2's marker comes first. Returns s1's record count.
  int64_t SubmitLargeSeriesInterleaved() {
    const std::string big = SeriesEvent("s1", 4, 30000);
    EXPECT_GT(big.size(), 10 * kLimit);
    auto w = log_->NewWriter();
    auto other = log_->NewWriter();
    // The first pieces by hand, so that s2's event can come between them.
    const int count = static_cast<int>((big.size() + kLimit - 2048) / (kLimit - 2048));
    const std::vector<std::string> pieces = Pieces("s1", big, count);
    for (size_t i = 0; i < pieces.size(); ++i) {
      Append(w->get(), topics_.data, RecordKey(4), pieces[i]);
      if (i == 5) {
        EXPECT_TRUE((*w)->Flush(5s).ok());
        Append(other->get(), topics_.data, RecordKey(7), SeriesEvent("s2", 7, 3, "7"));
        EXPECT_TRUE((*other)->Flush(5s).ok());
        Marker(other->get(), "s2", 1);
      }
    }
    EXPECT_TRUE((*w)->Flush(5s).ok());
    // And one more event of s1 through AppendEvent, split as ingest splits.
    auto n = AppendEvent(w->get(), topics_.data, 0, RecordKey(5), SeriesEvent("s1", 5, 30000, "2"), "s1", "s1-a",
                         kLimit);
    EXPECT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_TRUE((*w)->Flush(5s).ok());
    const int64_t records = static_cast<int64_t>(pieces.size()) + (n.ok() ? *n : 0);
    Marker(w->get(), "s1", records);
    return records;
  }

  LogTopics topics_;
  MaterialiserOptions mat_options_;
  std::string sub_;
  testing::TempDir dir_;
  StructureRegistry registry_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<VersionedState> state_;
  std::unique_ptr<Materialiser> mat_;
};

TEST_F(EventChunksTest, AppendEventSplitsOnlyWhatDoesNotFitAndJoinsBackExactly) {
  auto w = log_->NewWriter();
  const std::string small = SeriesEvent("s1", 1, 10), big = SeriesEvent("s1", 2, 20000);
  auto one = AppendEvent(w->get(), topics_.data, 0, RecordKey(1), small, "s1", "s1-a", kLimit);
  ASSERT_TRUE(one.ok()) << one.status().ToString();
  EXPECT_EQ(*one, 1);
  auto many = AppendEvent(w->get(), topics_.data, 0, RecordKey(2), big, "s1", "s1-a", kLimit);
  ASSERT_TRUE(many.ok()) << many.status().ToString();
  const size_t part = kLimit - RecordKey(2).size() - kChunkOverheadBytes;
  EXPECT_EQ(*many, static_cast<int64_t>((big.size() + part - 1) / part));
  ASSERT_TRUE((*w)->Flush(5s).ok());  // the log refuses any record over kLimit: none was

  auto reader = log_->NewReader({{{topics_.data, 0}, 0}});
  ASSERT_TRUE(reader.ok());
  std::vector<LogRecord> records;
  while (records.size() < static_cast<size_t>(1 + *many)) ASSERT_TRUE((*reader)->Poll(100ms, 1000, &records).ok());
  EXPECT_EQ(records[0].value, small);
  ChunkJoiner joiner;
  std::optional<std::string> whole;
  for (size_t i = 1; i < records.size(); ++i) {
    EXPECT_LE(records[i].key.size() + records[i].value.size(), kLimit);
    ev::Envelope env;
    ASSERT_TRUE(env.ParseFromString(records[i].value));
    ASSERT_TRUE(env.has_chunk());
    EXPECT_EQ(env.schema_version(), kSchemaVersion);
    auto r = joiner.Add(records[i].tp, records[i].offset, env.chunk());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->has_value(), i + 1 == records.size());
    if (*r) whole = std::move(*r);
  }
  ASSERT_TRUE(whole);
  EXPECT_EQ(*whole, big);
  EXPECT_EQ(joiner.Unfinished(), "");
}

TEST_F(EventChunksTest, TheLogRefusesARecordOverItsLimitAndAppendEventALimitWithNoRoom) {
  auto w = log_->NewWriter();
  Status s = (*w)->Append(topics_.data, 0, "k", std::string(kLimit, 'x'));
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("over the log's limit of 16384"), std::string::npos) << s.message();
  auto r = AppendEvent(w->get(), topics_.data, 0, "k", std::string(5000, 'x'), "s", "a", 2000);
  EXPECT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("leaves no room"), std::string::npos) << r.status().message();
}

TEST_F(EventChunksTest, JoinerNamesAPieceOutOfPlace) {
  const std::vector<std::string> p = Pieces("s", std::string(3000, 'e'), 3);
  auto chunk = [&](int i) {
    ev::Envelope env;
    EXPECT_TRUE(env.ParseFromString(p[i]));
    return env.chunk();
  };
  const TopicPartition tp{"sdmx.data", 0};
  ChunkJoiner joiner;
  auto first = joiner.Add(tp, 10, chunk(0));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(joiner.Unfinished(), "the event in pieces begun at sdmx.data/0 offset 10 has 1 of 3 pieces");
  Status between = joiner.Whole(tp, 11);
  EXPECT_EQ(between.code(), StatusCode::kCorruption);
  EXPECT_NE(between.message().find("comes between the pieces of the event begun at offset 10"), std::string::npos);
  EXPECT_TRUE(joiner.Whole({"sdmx.data", 1}, 11).ok()) << "another partition has nothing open";
  auto skipped = joiner.Add(tp, 12, chunk(2));
  ASSERT_FALSE(skipped.ok());
  EXPECT_EQ(skipped.status().message(),
            "event piece at sdmx.data/0 offset 12 is piece 3 of 3 where piece 2 of 3 of the event begun at offset 10 "
            "was due");
  ChunkJoiner fresh;
  auto late = fresh.Add(tp, 5, chunk(1));
  ASSERT_FALSE(late.ok());
  EXPECT_NE(late.status().message().find("where the first piece of an event was due"), std::string::npos);
}

TEST_F(EventChunksTest, ALargeEventInPiecesAppliesWholeBesideOthers) {
  const int64_t records = SubmitLargeSeriesInterleaved();
  EXPECT_GT(records, 30);
  const auto s1 = Wait("s1");
  EXPECT_EQ(s1.marker().status(), ev::STATUS_COMMITTED);
  EXPECT_EQ(Wait("s2").marker().status(), ev::STATUS_COMMITTED);
  const auto four = Series(4), five = Series(5);
  ASSERT_EQ(four.size(), 30000u);
  ASSERT_EQ(five.size(), 30000u);
  EXPECT_EQ(four.at("1000"), "1.5");
  EXPECT_EQ(five.at("30999"), "2");
  EXPECT_EQ(Series(7).size(), 3u);
  EXPECT_EQ(s1.revisions().new_observations(), 60000);
  EXPECT_EQ(mat_->spilled(), 0u);
  const auto held = state_->Digest();
  ASSERT_TRUE(held.ok());

  // Read back from the log instead of held: the same state.
  mat_options_.max_held_event_bytes = 1;
  sub_ = "spilled-";
  Open();
  SubmitLargeSeriesInterleaved();
  Wait("s1");
  EXPECT_GE(mat_->spilled(), 1u);
  EXPECT_EQ(Series(4), four);
  EXPECT_EQ(*state_->Digest(), *held);
}

TEST_F(EventChunksTest, AMissingPieceFailsItsSubmissionAndNothingElse) {
  const std::vector<std::string> pieces = Pieces("s1", SeriesEvent("s1", 4, 5000), 4);
  auto w = log_->NewWriter();
  for (int i : {0, 1, 3}) Append(w->get(), topics_.data, RecordKey(4), pieces[i]);
  ASSERT_TRUE((*w)->Flush(5s).ok());
  Marker(w->get(), "s1", 3);
  // Cut short: the marker counts the two pieces there are of four.
  const std::vector<std::string> cut = Pieces("s2", SeriesEvent("s2", 5, 5000), 4);
  for (int i : {0, 1}) Append(w->get(), topics_.data, RecordKey(5), cut[i]);
  ASSERT_TRUE((*w)->Flush(5s).ok());
  Marker(w->get(), "s2", 2);
  Append(w->get(), topics_.data, RecordKey(6), SeriesEvent("s3", 6, 2));
  ASSERT_TRUE((*w)->Flush(5s).ok());
  Marker(w->get(), "s3", 1);

  const auto s1 = Wait("s1"), s2 = Wait("s2"), s3 = Wait("s3");
  EXPECT_EQ(s1.marker().status(), ev::STATUS_FAILED);
  EXPECT_NE(s1.failure().find("is piece 4 of 4 where piece 3 of 4"), std::string::npos) << s1.failure();
  EXPECT_EQ(s2.marker().status(), ev::STATUS_FAILED);
  EXPECT_NE(s2.failure().find("has 2 of 4 pieces"), std::string::npos) << s2.failure();
  EXPECT_EQ(s3.marker().status(), ev::STATUS_COMMITTED);
  EXPECT_TRUE(Series(4).empty());
  EXPECT_TRUE(Series(5).empty());
  EXPECT_EQ(Series(6).size(), 2u);
}

TEST_F(EventChunksTest, ARestartBetweenPiecesLosesNone) {
  const std::vector<std::string> pieces = Pieces("s1", SeriesEvent("s1", 4, 5000), 5);
  auto w = log_->NewWriter();
  for (int i = 0; i < 3; ++i) Append(w->get(), topics_.data, RecordKey(4), pieces[i]);
  ASSERT_TRUE((*w)->Flush(5s).ok());
  // Another submission commits after them: positions are stored, and must
  // not pass s1's first piece.
  Append(w->get(), topics_.data, RecordKey(6), SeriesEvent("s2", 6, 2));
  ASSERT_TRUE((*w)->Flush(5s).ok());
  Marker(w->get(), "s2", 1);
  Wait("s2");
  w->reset();
  Open();  // the same directories: a restart
  w = log_->NewWriter();
  for (int i = 3; i < 5; ++i) Append(w->get(), topics_.data, RecordKey(4), pieces[i]);
  ASSERT_TRUE((*w)->Flush(5s).ok());
  Marker(w->get(), "s1", 5);
  EXPECT_EQ(Wait("s1").marker().status(), ev::STATUS_COMMITTED);
  EXPECT_EQ(Series(4).size(), 5000u);
  EXPECT_EQ(Series(6).size(), 2u);
}

}  // namespace
}  // namespace hub::storage
