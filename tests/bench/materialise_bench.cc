// Materialise throughput (observations/s) from the embedded log into a fresh
// state, next to a raw RocksDB WriteBatch of the same keys and values in the
// same run (the baseline; the target is >= 50% of it).
//   build/bin/materialise_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <spdlog/spdlog.h>

#include <filesystem>

#include "storage/codec.h"
#include "storage/embedded_event_log.h"
#include "storage/keys.h"
#include "storage/materialiser.h"

namespace {

namespace ev = sdmxhub::events::v1;
using namespace hub::storage;
using namespace std::chrono_literals;

constexpr int kSeries = 20'000;
constexpr int kPeriods = 10;
const sdmx::ArtefactRef kFlow{"SDMXHUB", "DF_DEMO_SDG", "1.0"};

std::string Dir(const std::string& name) {
  std::string d = std::filesystem::temp_directory_path().string() + "/sdmx-hub-bench-" + name + "-" +
                  std::to_string(::getpid());
  std::filesystem::remove_all(d);
  return d;
}

std::vector<std::string> Key(int i) {
  return {"A", "G", "SI_POV_DAY1", std::to_string(i), "_T", "_T", "_T"};
}

// A log holding one committed submission of kSeries x kPeriods observations.
const std::string& LogDir() {
  static const std::string dir = [] {
    std::string d = Dir("log");
    EmbeddedEventLogOptions o;
    o.path = d;
    auto log = EmbeddedEventLog::Open(o);
    auto w = (*log)->NewWriter();
    LogTopics topics;
    std::map<int32_t, int64_t> counts;
    for (int i = 0; i < kSeries; ++i) {
      ev::Envelope env;
      ev::DataEvent* e = env.mutable_data();
      e->set_submission_id("bench");
      e->set_attempt_id("a");
      *e->mutable_dataflow() = ToProto(kFlow);
      e->set_action(ev::ACTION_REPLACE);
      for (const auto& k : Key(i)) e->add_key(k);
      for (int p = 0; p < kPeriods; ++p) {
        ev::Observation* ob = e->add_observations();
        ob->set_period(std::to_string(2010 + p));
        ob->set_value(std::to_string(i * 0.5 + p));
        ev::Field* f = ob->add_attributes();
        f->set_id("OBS_STATUS");
        f->set_value("A");
      }
      std::string key = DataRecordKey(kFlow.ToString(), sdmx::JoinKey(Key(i)));
      int32_t part = PartitionForKey(key, 4);
      (void)(*w)->Append(topics.data, part, key, Serialize(&env));
      ++counts[part];
    }
    (void)(*w)->Flush(60s);
    ev::Envelope env;
    ev::SubmissionMarker* m = env.mutable_marker();
    m->set_submission_id("bench");
    m->set_attempt_id("a");
    m->set_status(ev::STATUS_COMMITTED);
    for (auto [p, n] : counts) {
      auto* c = m->add_counts();
      c->set_topic(topics.data);
      c->set_partition(p);
      c->set_events(n);
    }
    (void)(*w)->Append(topics.submissions, 0, "bench", Serialize(&env));
    (void)(*w)->Flush(60s);
    return d;
  }();
  return dir;
}

void Materialise(benchmark::State& state) {
  EmbeddedEventLogOptions lo;
  lo.path = LogDir();
  lo.read_only = true;
  auto log = EmbeddedEventLog::Open(lo);
  for (auto _ : state) {
    state.PauseTiming();
    StateOptions so;
    so.path = Dir("state");
    auto st = VersionedState::Open(so);
    StructureRegistry registry;
    state.ResumeTiming();
    Materialiser m(log->get(), st->get(), &registry, MaterialiserOptions{});
    (void)m.Start();
    if (!m.WaitForSubmission("bench", 600s).ok()) state.SkipWithError("not applied");
    state.PauseTiming();
    m.Stop();  // shutdown (joining a poll of up to poll_timeout) is not materialising
    st->reset();
    std::filesystem::remove_all(so.path);
    state.ResumeTiming();
  }
  state.counters["obs_per_s"] = benchmark::Counter(kSeries * kPeriods, benchmark::Counter::kIsIterationInvariantRate);
}

// The same revision keys and values, written as one WriteBatch to a fresh DB.
void RawWriteBatch(benchmark::State& state) {
  for (auto _ : state) {
    state.PauseTiming();
    std::string path = Dir("raw");
    rocksdb::Options o;
    o.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    (void)rocksdb::DB::Open(o, path, &db);
    state.ResumeTiming();
    rocksdb::WriteBatch batch;
    for (int i = 0; i < kSeries; ++i) {
      const std::string sk = sdmx::JoinKey(Key(i));
      for (int p = 0; p < kPeriods; ++p) {
        sdmxhub::state::v1::ObsRevision rev;
        rev.set_value(std::to_string(i * 0.5 + p));
        ev::Field* f = rev.add_attributes();
        f->set_id("OBS_STATUS");
        f->set_value("A");
        rev.set_action(ev::ACTION_REPLACE);
        batch.Put(ObsKey(kFlow.ToString(), sk, std::to_string(2010 + p), 1), rev.SerializeAsString());
      }
    }
    (void)db->Write(rocksdb::WriteOptions(), &batch);
    state.PauseTiming();
    delete db;
    std::filesystem::remove_all(path);
    state.ResumeTiming();
  }
  state.counters["obs_per_s"] = benchmark::Counter(kSeries * kPeriods, benchmark::Counter::kIsIterationInvariantRate);
}

// Wall time: the materialiser works on its own thread.
BENCHMARK(RawWriteBatch)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();
BENCHMARK(Materialise)->Unit(benchmark::kMillisecond)->MinTime(3)->UseRealTime();

}  // namespace

int main(int argc, char** argv) {
  spdlog::set_level(spdlog::level::warn);
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  return 0;
}
