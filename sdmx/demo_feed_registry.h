// Parts of the demo structure message (demo_feed.cc writes the rest): what a
// real SDG hub's registry holds beside the data structures. The reference
// metadata structure of the SDG indicators (an MSD after the IAEG-SDGs' SDG
// metadata reporting concepts, and its metadataflow), the portals that
// consume the hub's data, the units of the agencies that report, how a
// submission becomes public (a process), what a country reports for the SDG
// report (a reporting taxonomy), the structures that go together (a
// structure set), and which data keys the metadata attaches to (an
// attachment constraint). Each function appends SDMX-ML 2.1 to
// `o`, inside the section its comment names.
#pragma once

#include <string>
#include <string_view>

namespace sdmx::demo {

constexpr char kAgency[] = "SDMXHUB";

// <com:Name> and, when not empty, <com:Description> (what complete stubs keep).
void Name(std::string* o, std::string_view name, std::string_view description = {});

// Inside <str:OrganisationSchemes>: a DataConsumerScheme and an OrganisationUnitScheme.
void ConsumerAndUnitSchemes(std::string* o);
// The whole <str:Metadataflows> section.
void Metadataflows(std::string* o);
// Inside <str:Concepts>: the concept scheme of the metadata attributes.
void MetadataConcepts(std::string* o);
// The whole <str:MetadataStructures> section.
void MetadataStructures(std::string* o);
// The whole <str:StructureSets>, <str:ReportingTaxonomies> and <str:Processes> sections, in that order.
void StructureSetsTaxonomiesAndProcesses(std::string* o);
// Inside <str:Constraints>, after the content constraints: an AttachmentConstraint.
void AttachmentConstraints(std::string* o);

}  // namespace sdmx::demo
