// The demo feed: an MDG/SDG-style data structure and data files that the
// repo generates itself (nothing copied), used by `make run`, the tests and
// the benchmarks.
//
// Structure (SDMX-ML 2.1): the hierarchical codelist SDMXHUB:HCL_AREA(1.0)
// (UN M49 regions, SDG groupings) and dataflow SDMXHUB:DF_DEMO_SDG(1.0) on DSD
// SDMXHUB:DEMO_SDG(1.0) with dimensions FREQ, REPORTING_TYPE, SERIES,
// REF_AREA, SEX, AGE, URBANISATION (+ TIME_PERIOD), attributes UNIT_MEASURE
// (series, mandatory), OBS_STATUS (mandatory), NATURE and SOURCE_DETAIL; the
// codelists hold real SDG series codes and UN M49 areas with their regions.
//
// Data:
//   kInitial   provider UNSD, StructureSpecificData: every series x area, 2015-2021
//              (first_year..last_year).
//   kRevision  provider WHO (custodian of the health series), GenericData:
//              revises 2019-2021 of the mortality series for a third of the
//              areas and adds 2022.
//   kNational  provider UNSD, StructureSpecificData: REPORTING_TYPE=N figures from
//              national statistical offices for a fifth of the countries (Kenya
//              among them), first_year..last_year-1, next to the global ones.
//   kLarge     about `observations` observations across all code combinations
//              (for benchmarks; millions are fine, written as a stream).
// Output is deterministic: the same options give the same bytes.
#pragma once

#include <cstdint>
#include <string>

#include "hub/base/status.h"
#include "sdmx/data_writer.h"

namespace sdmx {

constexpr char kDemoDataflowId[] = "DF_DEMO_SDG";

std::string DemoStructureMessage();

struct DemoDataOptions {
  enum class File { kInitial, kRevision, kNational, kLarge };
  File file = File::kInitial;
  uint64_t observations = 1'000'000;  // kLarge only
  // Format of kLarge output (kInitial/kRevision have fixed formats).
  DataFormat large_format = DataFormat::kStructureSpecific21;
  std::string prepared = "2026-01-15T09:00:00Z";
  int first_year = 2015, last_year = 2021;  // kInitial and kNational only
};

hub::Status WriteDemoData(const DemoDataOptions& options, const Sink& sink);

}  // namespace sdmx
