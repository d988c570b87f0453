// Read + validate throughput (observations/s) on generated messages of 1M
// observations, next to a bare pugixml parse of the same bytes measured in
// the same run: report the ratio, not the absolute figure (noisy machines).
//   build/bin/sdmx_read_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>

#include <chrono>
#include <map>
#include <pugixml.hpp>

#include "sdmx/check.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"

namespace {

constexpr uint64_t kObservations = 1'000'000;

const sdmx::StructureSet& Structures() {
  static const sdmx::StructureSet set = [] {
    sdmx::StructureSet s;
    sdmx::Diagnostics d;
    (void)sdmx::ReadStructureMessage(sdmx::DemoStructureMessage(), "demo", {}, &s, &d);
    return s;
  }();
  return set;
}

const std::string& Message(sdmx::DataFormat f) {
  static std::map<sdmx::DataFormat, std::string> cache;
  auto it = cache.find(f);
  if (it != cache.end()) return it->second;
  sdmx::DemoDataOptions o;
  o.file = sdmx::DemoDataOptions::File::kLarge;
  o.observations = kObservations;
  o.large_format = f;
  std::string out;
  (void)sdmx::WriteDemoData(o, [&](std::string_view c) { out.append(c); });
  return cache[f] = std::move(out);
}

void BareParse(benchmark::State& state, sdmx::DataFormat f) {
  const std::string& msg = Message(f);
  for (auto _ : state) {
    pugi::xml_document doc;
    benchmark::DoNotOptimize(doc.load_buffer(msg.data(), msg.size(), pugi::parse_default));
  }
  state.counters["obs_per_s"] = benchmark::Counter(static_cast<double>(kObservations), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
}

void ReadValidate(benchmark::State& state, sdmx::DataFormat f) {
  const std::string& msg = Message(f);
  size_t obs = 0;
  for (auto _ : state) {
    sdmx::Diagnostics diags;
    sdmx::CheckCounts counts;
    (void)sdmx::CheckMessage(msg, "bench", Structures(), {}, &diags, &counts);
    obs = counts.observations;
    if (!diags.empty()) state.SkipWithError("generated message did not validate");
  }
  state.counters["obs_per_s"] = benchmark::Counter(static_cast<double>(obs), benchmark::Counter::kIsIterationInvariantRate);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * msg.size()));
}

// Both measurements alternated inside one benchmark, so that a noisy
// neighbour slows both alike: `ratio` = bare-parse time / read+validate
// time, i.e. read+validate throughput as a fraction of the bare parse's
// (target >= 0.5).
void Ratio(benchmark::State& state, sdmx::DataFormat f) {
  const std::string& msg = Message(f);
  double bare_s = 0, read_s = 0;
  for (auto _ : state) {
    auto t0 = std::chrono::steady_clock::now();
    {
      pugi::xml_document doc;
      benchmark::DoNotOptimize(doc.load_buffer(msg.data(), msg.size(), pugi::parse_default));
    }
    auto t1 = std::chrono::steady_clock::now();
    sdmx::Diagnostics diags;
    (void)sdmx::CheckMessage(msg, "bench", Structures(), {}, &diags);
    auto t2 = std::chrono::steady_clock::now();
    bare_s += std::chrono::duration<double>(t1 - t0).count();
    read_s += std::chrono::duration<double>(t2 - t1).count();
  }
  state.counters["ratio"] = bare_s / read_s;
  state.counters["obs_per_s"] = static_cast<double>(kObservations) * static_cast<double>(state.iterations()) / read_s;
}

BENCHMARK_CAPTURE(BareParse, generic21, sdmx::DataFormat::kGeneric21)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(ReadValidate, generic21, sdmx::DataFormat::kGeneric21)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(BareParse, ss21, sdmx::DataFormat::kStructureSpecific21)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(ReadValidate, ss21, sdmx::DataFormat::kStructureSpecific21)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK_CAPTURE(Ratio, generic21, sdmx::DataFormat::kGeneric21)->Unit(benchmark::kMillisecond)->MinTime(4);
BENCHMARK_CAPTURE(Ratio, ss21, sdmx::DataFormat::kStructureSpecific21)->Unit(benchmark::kMillisecond)->MinTime(4);

}  // namespace

BENCHMARK_MAIN();
