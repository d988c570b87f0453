// libFuzzer target: any bytes as a data message, read and validated against
// the demo structures. Must never crash or hang. Built once per reader:
// FUZZ_FORMAT is the first byte that routes the input to it ('<' SDMX-ML,
// '{' SDMX-JSON, anything else SDMX-CSV, e.g. 'S' as in STRUCTURE).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

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
  sdmx::Diagnostics diags(16);
  sdmx::DataReaderOptions options;
  options.max_series = 10'000;
  options.max_observations = 100'000;
  (void)sdmx::CheckMessage(body, "fuzz", Structures(), options, &diags);
  return 0;
}
