// The materialiser's test fixture: a real embedded log and real RocksDB
// state in a temporary directory, and helpers that append submissions the
// way ingest does (events, then the marker). Shared by the tests of
// tests/storage/materialiser*_test.cc.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "sdmx/key_pattern.h"
#include "storage/codec.h"
#include "storage/embedded_event_log.h"
#include "storage/materialiser.h"
#include "testing/test_util.h"

namespace hub::storage::testing_fixture {

using namespace std::chrono_literals;
namespace ev = sdmxhub::events::v1;

const sdmx::ArtefactRef kFlow{"SDMXHUB", "DF_DEMO_SDG", "1.0"};
const std::vector<std::string> kKey = {"A", "G", "SH_STA_MORT", "404", "_T", "_T", "_T"};

struct Obs {
  std::string period, value;
};

// One log record, to be appended (MaterialiserTest::Append).
struct Record {
  std::string topic;
  int32_t partition;
  std::string key, value;
};

class MaterialiserTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open() {
    EmbeddedEventLogOptions lo;
    lo.path = dir_.Sub(dir_sub_ + "log");
    lo.data_partitions = 2;
    auto l = EmbeddedEventLog::Open(lo);
    ASSERT_TRUE(l.ok()) << l.status().ToString();
    log_ = std::move(*l);
    StateOptions so;
    so.path = dir_.Sub(dir_sub_ + "state");
    auto s = VersionedState::Open(so);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    state_ = std::move(*s);
    registry_ = std::make_unique<StructureRegistry>();
    mat_ = std::make_unique<Materialiser>(log_.get(), state_.get(), registry_.get(), mat_options_);
    ASSERT_TRUE(mat_->Start().ok());
  }

  void Close() {
    mat_.reset();
    state_.reset();
    log_.reset();
  }

  std::string DataEvent(const std::string& sid, const std::string& attempt, ev::Action action,
                        const std::vector<Obs>& obs, const std::vector<std::string>& key = kKey,
                        const std::string& unit_measure = "PER_100000_LIVE_BIRTHS") {
    ev::Envelope env;
    ev::DataEvent* d = env.mutable_data();
    d->set_submission_id(sid);
    d->set_attempt_id(attempt);
    *d->mutable_dataflow() = ToProto(kFlow);
    d->set_action(action);
    for (const auto& k : key) d->add_key(k);
    ev::Field* unit = d->add_attributes();
    unit->set_id("UNIT_MEASURE");
    unit->set_value(unit_measure);
    for (const Obs& o : obs) {
      ev::Observation* po = d->add_observations();
      po->set_period(o.period);
      po->set_value(o.value);
    }
    return Serialize(&env);
  }

  // Appends one series event (and a marker unless `with_marker` is false).
  void Submit(const std::string& sid, const std::vector<Obs>& obs, bool with_marker = true,
              ev::Action action = ev::ACTION_REPLACE, int64_t time_ms = 1000) {
    SubmitEvent(sid, DataEvent(sid, sid + "-a", action, obs), with_marker, time_ms);
  }

  // Appends `event` (a DataEvent of attempt sid + "-a" on kKey) and its
  // marker, embargoed until `release_ms` if set.
  void SubmitEvent(const std::string& sid, const std::string& event, bool with_marker = true, int64_t time_ms = 1000,
                   int64_t release_ms = 0) {
    const Record data = DataRecord(event, kKey);
    Append({data});
    if (!with_marker) return;
    Append({Marker(sid, sid + "-a", {data}, ev::STATUS_COMMITTED, time_ms, release_ms)});
  }

  // Appends one event per series of `series` (key -> observations) from
  // `provider`, and the marker; `snapshot` and `skipped` as in SubmissionMarker.
  void SubmitSeries(const std::string& sid, const std::string& provider,
                    const std::map<std::vector<std::string>, std::vector<Obs>>& series, bool snapshot = false,
                    const std::vector<std::string>& skipped = {}) {
    auto w = log_->NewWriter();
    std::map<int32_t, int64_t> per_partition;
    for (const auto& [key, obs] : series) {
      const std::string rk = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(key));
      const int32_t p = PartitionForKey(rk, 2);
      ASSERT_TRUE((*w)->Append(topics_.data, p, rk, DataEvent(sid, sid + "-a", ev::ACTION_REPLACE, obs, key)).ok());
      ++per_partition[p];
    }
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id(sid);
    m->set_attempt_id(sid + "-a");
    m->set_provider(provider);
    m->set_kind("data");
    *m->mutable_dataflow() = ToProto(kFlow);
    m->set_status(ev::STATUS_COMMITTED);
    m->set_accepted_time_ms(1000);
    m->set_snapshot(snapshot);
    for (const std::string& k : skipped) m->add_skipped_series_keys(k);
    for (const auto& [p, n] : per_partition) {
      ev::PartitionCount* c = m->add_counts();
      c->set_topic(topics_.data);
      c->set_partition(p);
      c->set_events(n);
    }
    ASSERT_TRUE((*w)->Append(topics_.submissions, 0, sid, Serialize(&env)).ok());
    ASSERT_TRUE((*w)->Flush(5s).ok());
    WaitCommitted(sid);
  }

  // The data record of `event` (DataEvent) for series `key`, on its partition.
  Record DataRecord(const std::string& event, const std::vector<std::string>& key) {
    const std::string rk = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(key));
    return {topics_.data, PartitionForKey(rk, 2), rk, event};
  }

  // The marker of `attempt` from UNSD, counting `events` per partition
  // when it commits; embargoed until `release_ms` if set.
  Record Marker(const std::string& sid, const std::string& attempt, const std::vector<Record>& events,
                ev::SubmissionStatus status = ev::STATUS_COMMITTED, int64_t time_ms = 2000, int64_t release_ms = 0) {
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id(sid);
    m->set_attempt_id(attempt);
    m->set_provider("UNSD");
    m->set_kind("data");
    *m->mutable_dataflow() = ToProto(kFlow);
    m->set_status(status);
    m->set_accepted_time_ms(time_ms);
    m->set_release_time_ms(release_ms);
    if (status == ev::STATUS_COMMITTED) {
      std::map<int32_t, int64_t> per_partition;
      for (const Record& r : events) ++per_partition[r.partition];
      for (const auto& [p, n] : per_partition) {
        ev::PartitionCount* c = m->add_counts();
        c->set_topic(topics_.data);
        c->set_partition(p);
        c->set_events(n);
      }
    }
    return {topics_.submissions, 0, sid, Serialize(&env)};
  }

  // Appends `records` in order (kept in all_).
  void Append(const std::vector<Record>& records) {
    auto w = log_->NewWriter();
    ASSERT_TRUE(w.ok());
    for (const Record& r : records) ASSERT_TRUE((*w)->Append(r.topic, r.partition, r.key, r.value).ok());
    ASSERT_TRUE((*w)->Flush(5s).ok());
    all_.insert(all_.end(), records.begin(), records.end());
  }

  // "series key|period" -> value of every observation at the watermark.
  std::map<std::string, std::string> ReadAll() {
    std::map<std::string, std::string> out;
    EXPECT_TRUE(state_->ScanSeries(kFlow.ToString(), sdmx::KeyPattern(), state_->watermark(), [&](const sdmx::Series& s) {
      for (const auto& o : s.observations) out[s.KeyString() + "|" + o.period] = o.value;
      return true;
    }).ok());
    return out;
  }

  std::map<std::string, std::string> Read(Watermark at) {
    std::map<std::string, std::string> out;
    Status s = state_->ScanSeries(kFlow.ToString(), sdmx::KeyPattern(), at, [&](const sdmx::Series& series) {
      for (const auto& o : series.observations) out[o.period] = o.value;
      return true;
    });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return out;
  }

  void WaitCommitted(const std::string& sid) {
    auto rec = mat_->WaitForSubmission(sid, 10s);
    ASSERT_TRUE(rec.ok()) << rec.status().ToString();
  }

  LogTopics topics_;
  MaterialiserOptions mat_options_;
  std::string dir_sub_;  // prefix of the log and state directories
  std::vector<Record> all_;  // every record Append appended, in order
  int runs_ = 0;
  testing::TempDir dir_;
  std::unique_ptr<EventLog> log_;
  std::unique_ptr<VersionedState> state_;
  std::unique_ptr<StructureRegistry> registry_;
  std::unique_ptr<Materialiser> mat_;
};

}  // namespace hub::storage::testing_fixture
