// CheckMessage: read every series of a data message and validate each
// against its own DSD (one Validator per DSD, as a message may hold several
// datasets). What `sdmx-hub check`, the fuzz target, the benchmark and the
// tests share.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sdmx/data_reader.h"

namespace sdmx {

struct CheckCounts {
  size_t series = 0;
  size_t observations = 0;
};

// Problems go to `diags`; the Status is the reader's (not OK when reading
// stopped early). `on_series`, if set, sees each series after validation.
hub::Status CheckMessage(std::string_view buffer, const std::string& file, const StructureSet& structures,
                         const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts = nullptr,
                         const std::function<void(const DataReader&)>& on_series = {});
// The same over a message still arriving (DataReader::Open).
hub::Status CheckMessage(const hub::ArrivingBytes* source, const std::string& file, const StructureSet& structures,
                         const DataReaderOptions& options, Diagnostics* diags, CheckCounts* counts = nullptr,
                         const std::function<void(const DataReader&)>& on_series = {});

}  // namespace sdmx
