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
#include <vector>

#include "sdmx/formats.h"
#include "sdmx/model.h"

namespace sdmx {

using Sink = std::function<void(std::string_view)>;

// What of each series a response carries: SDMX REST v1 `detail`, v2
// `attributes` and `measures`. Applied by every writer (NewDataWriter wraps
// them in a filter), so formats cannot disagree on it.
struct OutputDetail {
  bool observations = true;       // false: serieskeysonly, nodata
  bool values = true;             // OBS_VALUE; false: v2 measures=none
  bool series_attributes = true;  // series, group and dataset level
  bool obs_attributes = true;
  // When set, only these attribute ids (v2 attributes=ID1,ID2).
  std::optional<std::vector<std::string>> only_attributes;

  // v1 detail=full|dataonly|serieskeysonly|nodata; nullopt when unknown.
  static std::optional<OutputDetail> FromV1(std::string_view detail);
  // v2 attributes=dsd|msd|dataset|series|obs|all|none|ID,... and measures=all|none;
  // levels resolve against `dsd`. nullopt when a value is unknown.
  static std::optional<OutputDetail> FromV2(std::string_view attributes, std::string_view measures,
                                            const DataStructure& dsd);
  bool full() const {
    return observations && values && series_attributes && obs_attributes && !only_attributes;
  }
};

// One structure the datasets of a message refer to.
struct MessageStructure {
  const DataStructure* dsd = nullptr;   // required
  std::optional<ArtefactRef> dataflow;  // named in the header when the data is a dataflow's
  // The provision agreement, when the data is one provider's under one:
  // SDMX-ML headers name it instead of the dataflow (the namespace of a
  // structure-specific dataset stays the dataflow's).
  std::optional<ArtefactRef> agreement;
};

struct WriteContext {
  const DataStructure* dsd = nullptr;     // required, unless `structures` is given
  std::optional<ArtefactRef> dataflow;    // named in the header when the query was for a dataflow
  // A message over several dataflows: every structure its datasets refer
  // to, in header order; the first dataset is of the first (see
  // CarriesStructures). Empty: the one of `dsd` and `dataflow`.
  std::vector<MessageStructure> structures;
  std::string message_id = "IREF000001";
  std::string prepared;                   // ISO 8601; now when empty
  std::string sender = "SDMX-HUB";
  std::optional<Action> action;           // DataSet action, omitted when unset
  std::string valid_from, valid_to;       // of the first dataset (see DataSetHeader)
  // dimensionAtObservation=AllDimensions: one flat observation per
  // observation carrying its whole key (SDMX-ML Obs, SDMX-JSON dataSet
  // "observations"; CSV is flat anyway).
  bool all_dimensions = false;
  OutputDetail detail;
  size_t flush_bytes = 64 * 1024;         // chunk size handed to the sink
  // Where SDMX-JSON finds the names of components (their concepts) and of
  // coded values (their codelists); clients such as sdmx1 need them. Null,
  // or a name it lacks: the id stands for the name.
  const StructureSet* names = nullptr;
  // SDMX-CSV's labels, timeFormat and keys (formats.h); labels need `names`.
  CsvOptions csv;
};

// What a dataset of the output says about itself (SDMX-ML DataSet
// attributes; SDMX-JSON dataSet fields; the SDMX-CSV 2.0 ACTION column).
struct DataSetHeader {
  std::optional<Action> action;  // omitted when unset
  std::string valid_from;        // validFromDate / validToDate (includeHistory)
  std::string valid_to;
};

class DataWriter {
 public:
  virtual ~DataWriter() = default;
  virtual void WriteSeries(const Series& series) = 0;
  // Closes the current dataset and opens another: updatedAfter answers
  // changes (Replace) and deletions (Delete) as two datasets,
  // includeHistory one dataset per dissemination. SDMX-CSV 1.0 has no
  // datasets: rows simply continue (callers that need the action pick 2.0).
  virtual void NextDataSet(const DataSetHeader& header) = 0;
  // The same, the new dataset being of WriteContext::structures[structure]
  // (one dataset per dataflow of a query over several).
  virtual void NextDataSetOf(size_t structure, const DataSetHeader& header) = 0;
  // Closes the message and flushes the rest to the sink. Call once.
  virtual void Finish() = 0;
};

std::unique_ptr<DataWriter> NewDataWriter(DataFormat format, WriteContext context, Sink sink);

// Whether one message of `format` can hold datasets of all `structures`:
// SDMX-ML and SDMX-JSON 2.0 list several structures and point each dataset
// at one, SDMX-CSV 2.0 names it on each row; SDMX-CSV 1.0 names the
// dataflow on each row but has the columns of one DSD; SDMX-JSON 1.0 has
// one structure. Writers given more than their format carries are wrong.
bool CarriesStructures(DataFormat format, const std::vector<MessageStructure>& structures);

// Current UTC time as 2026-11-23T01:02:03Z.
std::string NowIso8601();

}  // namespace sdmx
