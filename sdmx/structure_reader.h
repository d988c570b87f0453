// Reads SDMX-ML structure messages (2.1 and 3.0) into a StructureSet: every
// artefact type of model.h (SDMX 2.1's structure sets, processes, reporting
// taxonomies and attachment constraints from 2.1 messages only).
// References between them resolve through StructureSet, also across files.
#pragma once

#include <string>
#include <string_view>

#include "hub/base/status.h"
#include "sdmx/diagnostic.h"
#include "sdmx/model.h"
#include "sdmx/xml.h"

namespace sdmx {

struct StructureReaderOptions {
  XmlLimits xml;
};

// Parses one structure message from `buffer` (named `file` in diagnostics)
// and adds its artefacts to `out`. On error nothing is added.
hub::Status ReadStructureMessage(std::string_view buffer, const std::string& file,
                                 const StructureReaderOptions& options, StructureSet* out,
                                 Diagnostics* diags);

// Reads a file, or every *.xml file directly in a directory, into `out`.
hub::Status LoadStructures(const std::string& path, const StructureReaderOptions& options,
                           StructureSet* out, Diagnostics* diags);

// Checks that every DSD's codelists, every dataflow's DSD, every
// metadataflow's MSD, every MSD's codelists, every hierarchical codelist's
// codes and every provision agreement's dataflow (and provider) are
// present in `set`. `agreements_of`, when given, limits
// the agreement check to its agreements (those just submitted: one stored
// before this check existed must not block every later submission).
hub::Status CheckReferences(const StructureSet& set, Diagnostics* diags, const StructureSet* agreements_of = nullptr);

}  // namespace sdmx
