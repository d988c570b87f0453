// Shared by the in-process load drivers: a small submission and percentiles.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

namespace bench {

// A small SDMX-ML message: 20 series x 1 observation, values varying with `n`.
inline std::string Feed(int n) {
  std::string s =
      "<?xml version=\"1.0\"?><m:StructureSpecificData xmlns:m=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
      "xmlns:c=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\"><m:Header><m:ID>F</m:ID><m:Test>false</m:Test>"
      "<m:Prepared>2026-01-01T00:00:00Z</m:Prepared><m:Sender id=\"UNSD\"/><m:Structure structureID=\"S\" "
      "dimensionAtObservation=\"TIME_PERIOD\"><c:StructureUsage><Ref agencyID=\"SDMXHUB\" id=\"DF_DEMO_SDG\" version=\"1.0\"/>"
      "</c:StructureUsage></m:Structure></m:Header><m:DataSet structureRef=\"S\" action=\"Replace\">";
  const char* areas[] = {"404", "646", "231", "800", "834", "454", "508", "894", "716", "120",
                         "180", "710", "426", "288", "566", "686", "466", "504", "818", "417"};
  for (const char* a : areas) {
    s += std::string("<Series FREQ=\"A\" REPORTING_TYPE=\"G\" SERIES=\"SH_STA_MORT\" REF_AREA=\"") + a +
         "\" SEX=\"_T\" AGE=\"_T\" URBANISATION=\"_T\" UNIT_MEASURE=\"PER_100000_LIVE_BIRTHS\"><Obs TIME_PERIOD=\"2023\" "
         "OBS_VALUE=\"" + std::to_string(100 + n) + "\" OBS_STATUS=\"A\"/></Series>";
  }
  return s + "</m:DataSet></m:StructureSpecificData>";
}

inline double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * (v.size() - 1) + 0.5))];
}

}  // namespace bench
