// libFuzzer target: any bytes as a data message (SDMX-ML or SDMX-CSV), read
// and validated against the demo structures. Must never crash or hang.
#include <cstddef>
#include <cstdint>
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
  std::string_view body(reinterpret_cast<const char*>(data), size);
  sdmx::Diagnostics diags(16);
  sdmx::DataReaderOptions options;
  options.max_series = 10'000;
  options.max_observations = 100'000;
  (void)sdmx::CheckMessage(body, "fuzz", Structures(), options, &diags);
  return 0;
}
