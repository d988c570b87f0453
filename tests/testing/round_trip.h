// Read -> write -> read checks shared by the corpus tests: what a message
// holds (keys, periods, values, attributes) survives every writer.
#pragma once

#include <map>
#include <set>
#include <string>

#include "sdmx/data_reader.h"
#include "sdmx/diagnostic.h"
#include "sdmx/model.h"

namespace hub::testing {

// Every observation as "key|period" -> "value|attributes (series + obs, sorted)".
struct Content {
  std::map<std::string, std::string> obs;
  std::set<std::string> series;
  size_t series_count = 0;
};

// Reads and validates `body`; problems go to `diags`.
Content ReadContent(const std::string& body, const sdmx::StructureSet& set, sdmx::Diagnostics* diags,
                    const std::string& name, const sdmx::DataReaderOptions& options = {});

// The same, with `body` arriving in pieces (testing::Trickle) of 1 to
// `max_piece` bytes: DataReader::Open over ArrivingBytes.
Content ReadContentArriving(const std::string& body, size_t max_piece, uint32_t seed, const sdmx::StructureSet& set,
                            sdmx::Diagnostics* diags, const std::string& name,
                            const sdmx::DataReaderOptions& options = {});

// The same content with each value in canonical numeric form (JSON carries
// numbers, not their text: "45.0" comes back as 45).
std::map<std::string, std::string> Numeric(const std::map<std::string, std::string>& obs);

// Writes `body` with every writer (SDMX-ML 2.1 generic and structure-
// specific, 3.0; SDMX-CSV 1.0/2.0; SDMX-JSON 1.0/2.0; SDMX-ML and
// SDMX-JSON also AllDimensions), reads each back and expects the same
// content (gtest failures).
void ExpectRoundTrips(const std::string& body, const std::string& name, const sdmx::StructureSet& set,
                      const sdmx::DataReaderOptions& options);

}  // namespace hub::testing
