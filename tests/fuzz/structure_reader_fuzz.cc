// libFuzzer target: any bytes as an SDMX-ML structure message.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sdmx/structure_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  sdmx::StructureSet set;
  sdmx::Diagnostics diags(16);
  if (sdmx::ReadStructureMessage(body, "fuzz", {}, &set, &diags).ok()) (void)sdmx::CheckReferences(set, &diags);
  return 0;
}
