// Writes a StructureSet as an SDMX-JSON structure message: 1.0 (the
// SDMX 2.1 flavour) or 2.0 (SDMX 3.0), for the structure endpoints of the
// REST API. Structure messages are small (bounded by the registry), so the
// message is built whole with Boost.JSON.
#pragma once

#include <string>

#include "sdmx/model.h"
#include "sdmx/structure_detail.h"

namespace sdmx {

enum class StructureJsonVersion { kV1, kV2 };

struct StructureJsonOptions {
  StructureJsonVersion version = StructureJsonVersion::kV2;
  std::string message_id = "IREF000001";
  std::string sender = "SDMXHUB";
  std::string prepared;  // ISO 8601; empty: omitted
  StructureDetail detail;  // which artefacts are stubs or partial; default: all in full
};

std::string WriteStructureJson(const StructureSet& set, const StructureJsonOptions& options);

}  // namespace sdmx
