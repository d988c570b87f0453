// Reading the SDMX 2.1 artefacts the hub keeps without interpreting them
// (OpaqueArtefact in model.h: StructureSet, Process, ReportingTaxonomy,
// AttachmentConstraint).
#pragma once

#include <pugixml.hpp>

#include "sdmx/model.h"

namespace sdmx {

// Whether `element` is in an SDMX-ML 2.1 namespace (the only version whose
// opaque artefacts the hub keeps: 3.0 spells Process and ReportingTaxonomy
// otherwise, and has no StructureSet or AttachmentConstraint).
bool IsSdmxMl21(const pugi::xml_node& element);

// Fills `a`'s xml (the element rewritten with the prefixes the hub writes:
// str for structure, com for common, none for unqualified Ref elements) and
// references (every maintainable a Ref or URN inside names; an item's
// reference counts as one to its scheme; local references are left out).
// The caller has set its class and identity.
void ReadOpaqueBody(const pugi::xml_node& element, OpaqueArtefact* a);

}  // namespace sdmx
