// libFuzzer target: any bytes as a data message (SDMX-ML or SDMX-CSV), read
// and validated against the demo structures. Must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "sdmx/data_reader.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"
#include "sdmx/validator.h"

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
  auto reader = sdmx::DataReader::Open(body, "fuzz", Structures(), options, &diags);
  if (!reader.ok()) return 0;
  std::unique_ptr<sdmx::Validator> v;
  for (auto& r = *reader; r->Valid(); r->Next()) {
    if (!v) v = std::make_unique<sdmx::Validator>(r->structure(), Structures(), "fuzz");
    v->Validate(r->series(), r->dataset().action, &diags);
  }
  return 0;
}
