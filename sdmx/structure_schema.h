// The XML Schema of SDMX-ML 2.1 structure-specific data for one data
// structure: what `/schema/{datastructure|dataflow|provisionagreement}/...`
// serves (SDMX REST). Its target namespace is the one structure-specific
// messages name in xsi:type (ml_writer.cc: the DSD's or the dataflow's URN
// + ":ObsLevelDim:" + the dimension at the observation level). It imports
// SDMX's own SDMXDataStructureSpecific.xsd and SDMXCommon.xsd by their file
// names, as the official schemas are laid out, and derives DataSetType,
// SeriesType and ObsType from theirs by restriction (the time-series ones
// when the time dimension is at the observation level): every dimension a
// required attribute, every attribute optional, codes as enumerations of
// their codelist, other values typed by SDMX's textType mapping.
#pragma once

#include <string>

#include "hub/base/status.h"
#include "sdmx/model.h"

namespace sdmx {

struct StructureSchemaOptions {
  std::string target_namespace;  // required
  // The dimension at the observation level, or "AllDimensions" (then the
  // data set holds observations, each with every dimension).
  std::string dimension_at_observation = "TIME_PERIOD";
};

// InvalidArgument when dimension_at_observation names no dimension of `dsd`.
hub::Result<std::string> StructureSpecificSchema(const DataStructure& dsd, const StructureSet& structures,
                                                 const StructureSchemaOptions& options);

}  // namespace sdmx
