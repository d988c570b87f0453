// DataReader: reads the series of an SDMX data message one Series at a time:
// SDMX-ML 2.1 GenericData / StructureSpecificData (and TimeSeries variants),
// SDMX-ML 3.0 StructureSpecificData, SDMX-CSV 1.0 and 2.0, SDMX-JSON 1.0
// and 2.0. The format is
// detected from the content.
//
//   auto r = DataReader::Open(buffer, "feed.xml", structures, options, &diags);
//   for (; r->Valid(); r->Next()) Use(r->dataset(), r->series());
//   if (!r->status().ok()) ...
//
// Keys come out in DSD dimension order; components the DSD does not know are
// kept as attributes so that the Validator can name them. Every layout comes
// out as time series: a cross-section (dimensionAtObservation=X) or a flat
// message (AllDimensions) yields one series per distinct key. Group and
// dataset attributes are copied onto the series they apply to. A DataSet
// without an `action` reads as Merge with `action_given` false (SDMX 3.1's
// default); what the hub applies for each declared action is AppliedAction().
//
// SDMX-ML is read chunk by chunk (one DataSet child at a time), so memory
// beyond the buffer is bounded by the largest Series; SDMX-CSV row by row;
// SDMX-JSON is parsed whole (bounded by the caller's body-size limit).
// A message in another encoding than UTF-8 (ISO-8859-1, windows-1252,
// UTF-16: text_encoding.h) is transcoded to UTF-8 whole first. Every byte
// is checked before it is read (text_check.h: invalid UTF-8, characters
// XML 1.0 forbids, undeclared entities, refused with a located
// diagnostic), and values get their component's whiteSpace facet
// (text_type.h) whatever the format.
// Not thread-safe; one reader per message.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "hub/base/arriving_bytes.h"
#include "hub/base/status.h"
#include "sdmx/diagnostic.h"
#include "sdmx/model.h"
#include "sdmx/xml.h"

namespace sdmx {

struct DataReaderOptions {
  XmlLimits xml;
  // Most Series (or flat Obs) elements read from one message; default 1M.
  size_t max_series = 1'000'000;
  // Most observations read from one message; default 20M.
  size_t max_observations = 20'000'000;
  // When the DSD version a message names is not held, read it against the
  // latest version held of that DSD (and say so in header().notes). For
  // offline checks of files citing a version one does not have; never on
  // ingest. Default false.
  bool any_version = false;
};

class DataReader {
 public:
  // Parses the message envelope and header. `buffer` and `structures` must
  // outlive the reader: series are read from the buffer as Next() goes. Errors (bad XML, unknown structure) are also added to `diags`.
  static hub::Result<std::unique_ptr<DataReader>> Open(std::string_view buffer, std::string file,
                                                       const StructureSet& structures,
                                                       const DataReaderOptions& options,
                                                       Diagnostics* diags);
  // The same over a message still arriving (an upload): the reader parses
  // what has come and waits for the rest as it needs it, so validation runs
  // while the body is received. SDMX-JSON and a message in another encoding
  // than UTF-8 wait for the whole body. If the
  // upload stops short, reading ends with a truncated-document error: the
  // caller tells that from a bad message by source->WaitAll().
  static hub::Result<std::unique_ptr<DataReader>> Open(const hub::ArrivingBytes* source, std::string file,
                                                       const StructureSet& structures,
                                                       const DataReaderOptions& options, Diagnostics* diags);
  virtual ~DataReader() = default;

  virtual const MessageHeader& header() const = 0;
  // True while positioned on a series.
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual const Series& series() const = 0;
  // The dataset the current series belongs to, and its DSD. After the last
  // series (Valid() false, status OK) they describe the last dataset read,
  // even one holding no series, when has_structure() says there was one: a
  // valid message with an empty DataSet still names its structure.
  virtual const DataSetInfo& dataset() const = 0;
  virtual const DataStructure& structure() const = 0;
  virtual bool has_structure() const = 0;
  // Not OK when reading stopped on an error (also reported in `diags`).
  virtual const hub::Status& status() const = 0;
  // How far into the buffer the reader has read: it will not need the bytes
  // before this offset again except to locate a diagnostic (0 = unknown).
  // Lets a memory-mapped caller drop pages it has passed (MappedFile).
  virtual size_t consumed() const { return 0; }
};

}  // namespace sdmx
