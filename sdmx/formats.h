// The SDMX data formats the hub reads and writes, their exact media types,
// and how an HTTP Accept header or a `format=` name selects one.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"

namespace sdmx {

enum class DataFormat {
  kGeneric21,            // SDMX-ML 2.1 GenericData
  kStructureSpecific21,  // SDMX-ML 2.1 StructureSpecificData
  kStructureSpecific30,  // SDMX-ML 3.0 StructureSpecificData
  kCsv10,                // SDMX-CSV 1.0
  kCsv20,                // SDMX-CSV 2.0
  kJson10,               // SDMX-JSON 1.0
  kJson20,               // SDMX-JSON 2.0
  // SDMX-ML 2.1 GenericTimeSeriesData and StructureSpecificTimeSeriesData:
  // the same content, time at the observation level only.
  kGenericTimeSeries21,
  kStructureSpecificTimeSeries21,
};
// Whether `f` can only put time at the observation level (no cross-section,
// no AllDimensions).
bool TimeSeriesOnly(DataFormat f);

// e.g. "application/vnd.sdmx.structurespecificdata+xml;version=2.1".
const char* MediaType(DataFormat f);
// The `convert --to` / `format=` names: generic21, ss21, ss30, csv10, csv20, json10, json20.
const char* FormatName(DataFormat f);
std::optional<DataFormat> ParseFormatName(std::string_view name);

// Picks the format for an Accept header among `offered` (in server
// preference order; the first is the default for "*/*" or no header).
// Honours q-values; SDMX-CSV's own parameters (labels, timeFormat, keys: see
// CsvOptions) do not change which format a range names. nullopt = nothing
// acceptable (HTTP 406).
std::optional<DataFormat> NegotiateDataFormat(std::string_view accept,
                                              const std::vector<DataFormat>& offered);

// The SDMX-CSV media-type parameters, e.g. "application/vnd.sdmx.data+csv;
// version=2.0.0;labels=both;timeFormat=normalized;keys=series".
struct CsvOptions {
  // id: ids only (default); both: "ID: Name" in headers and coded values;
  // name: names in their place.
  enum class Labels { kId, kBoth, kName } labels = Labels::kId;
  // TIME_PERIOD as sent (original, default) or as the ISO 8601 date its
  // period starts on (normalized: "2015-Q2" -> "2015-04-01").
  bool normalized_time = false;
  // Extra SERIES_KEY (the series' dimension values) and OBS_KEY (those and
  // the period) columns, after the structure columns.
  bool series_key = false, obs_key = false;
};
// The options an Accept header's SDMX-CSV range carries; a bad value is
// an error naming it (HTTP 406).
hub::Result<CsvOptions> ParseCsvOptions(std::string_view accept);

}  // namespace sdmx
