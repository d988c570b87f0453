// SDMX references as they appear in messages: <Ref agencyID= id= version=/>,
// a <URN> child, or (SDMX-ML 3.0) the URN as element text.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "sdmx/model.h"

namespace sdmx {

// "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=AG:ID(1.0)" -> AG:ID(1.0), class "Dataflow".
std::optional<ArtefactRef> ParseUrn(std::string_view urn, std::string* class_name = nullptr);

struct StructureRef {
  ArtefactRef ref;
  bool is_dataflow = false;   // a dataflow (usage) rather than a data structure
  bool is_agreement = false;  // a provision agreement (whose dataflow it is)
};

// Reads the reference held by a header Structure's child element
// (Structure / StructureUsage / Dataflow / ProvisionAgreement).
std::optional<StructureRef> ParseStructureRef(const pugi::xml_node& holder);

}  // namespace sdmx
