// Writes a StructureSet back as an SDMX-ML structure message, 2.1 or 3.0:
// every artefact type of model.h (3.0: ContentConstraint as DataConstraint,
// HierarchicalCodelist as Hierarchies, MSDs as one attribute list; the
// opaque SDMX 2.1 types in 2.1 only), in the order each schema requires. What the structure
// endpoints of the REST API serve, and what `ReadStructureMessage` reads
// back unchanged (tests/sdmx/structure_writer_test.cc).
//
// References are written the way each version spells them: 2.1 <Ref
// agencyID= id= version=/> elements, 3.0 URNs as element text.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "sdmx/model.h"
#include "sdmx/structure_detail.h"

namespace sdmx {

enum class StructureMlVersion { k21, k30 };

struct StructureWriteOptions {
  StructureMlVersion version = StructureMlVersion::k21;
  std::string message_id = "IREF000001";
  std::string sender = "SDMXHUB";
  std::string prepared = "2000-01-01T00:00:00Z";  // callers set the real time
  StructureDetail detail;  // which artefacts are stubs or partial; default: all in full
};

// Calls `sink` with the message in pieces (one per artefact at most).
void WriteStructureMl(const StructureSet& set, const StructureWriteOptions& options,
                      const std::function<void(std::string_view)>& sink);
std::string WriteStructureMl(const StructureSet& set, const StructureWriteOptions& options);

// "urn:sdmx:org.sdmx.infomodel.<package>.<Class>=AG:ID(VERSION)".
std::string MaintainableUrn(std::string_view package_class, const ArtefactRef& ref);
// "conceptscheme.ConceptScheme", "base.AgencyScheme", "base.DataProviderScheme".
const char* SchemePackageClass(SchemeKind kind);

}  // namespace sdmx
