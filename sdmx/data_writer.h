// DataWriter: writes series as one SDMX data message, streaming: output goes
// to the sink in chunks as series arrive, never the whole message at once.
//
//   auto w = NewDataWriter(DataFormat::kCsv10, context, sink);
//   for (...) w->WriteSeries(series);
//   w->Finish();
//
// Series must carry keys in DSD order (as DataReader and the state produce).
// Not thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "sdmx/formats.h"
#include "sdmx/model.h"

namespace sdmx {

using Sink = std::function<void(std::string_view)>;

struct WriteContext {
  const DataStructure* dsd = nullptr;     // required
  std::optional<ArtefactRef> dataflow;    // named in the header when the query was for a dataflow
  std::string message_id = "IREF000001";
  std::string prepared;                   // ISO 8601; now when empty
  std::string sender = "SDMX-HUB";
  std::optional<Action> action;           // DataSet action, omitted when unset
  size_t flush_bytes = 64 * 1024;         // chunk size handed to the sink
};

class DataWriter {
 public:
  virtual ~DataWriter() = default;
  virtual void WriteSeries(const Series& series) = 0;
  // Closes the message and flushes the rest to the sink. Call once.
  virtual void Finish() = 0;
};

std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, WriteContext context, Sink sink);

// Current UTC time as 2026-11-23T01:02:03Z.
std::string NowIso8601();

}  // namespace sdmx
