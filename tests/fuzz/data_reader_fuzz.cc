// libFuzzer target: any bytes as a data message, read and validated against
// the demo structures. Must never crash or hang, and must read the same
// (diagnostics, counts) when the bytes arrive in small pieces as an upload
// does (DataReader over ArrivingBytes) as when read whole. Built once per reader:
// FUZZ_FORMAT is the first byte that routes the input to it ('<' SDMX-ML,
// '{' SDMX-JSON, anything else SDMX-CSV, e.g. 'S' as in STRUCTURE).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>

#include "sdmx/check.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"

namespace {

const sdmx::StructureSet& Structures() {
  static const sdmx::StructureSet* set = [] {
    auto* s = new sdmx::StructureSet();
    sdmx::Diagnostics diags;
    (void)sdmx::ReadStructureMessage(sdmx::DemoStructureMessage(), "demo", {}, s, &diags);
    return s;
  }();
  return *set;
}

template <typename Input>
std::string Read(Input input) {
  sdmx::Diagnostics diags(16);
  sdmx::DataReaderOptions options;
  options.max_series = 10'000;
  options.max_observations = 100'000;
  sdmx::CheckCounts counts;
  hub::Status s = sdmx::CheckMessage(input, "fuzz", Structures(), options, &diags, &counts);
  return s.ToString() + "\n" + diags.ToString() + std::to_string(counts.series) + "/" +
         std::to_string(counts.observations);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  // Inputs that would go to another reader get this one's first byte.
  const char first = FUZZ_FORMAT;
  const bool xml_or_json = first == '<' || first == '{';
  const bool other = input.empty() || (xml_or_json ? input[0] != first : input[0] == '<' || input[0] == '{');
  std::string owned;
  if (other) owned = std::string(1, first) + std::string(input);
  std::string_view body = other ? std::string_view(owned) : input;
  const std::string whole = Read(body);
  // The same bytes arriving 1 to 8 at a time, from another thread.
  hub::ArrivingBytes arriving(body.size());
  std::thread feeder([&] {
    const size_t piece = 1 + body.size() % 8;
    for (size_t at = 0; at < body.size(); at += piece) {
      const size_t n = std::min(piece, body.size() - at);
      std::memcpy(arriving.tail(), body.data() + at, n);
      arriving.Arrived(n);
    }
  });
  const std::string streamed = Read(&arriving);
  feeder.join();
  if (streamed != whole) __builtin_trap();
  return 0;
}
