// How much of each artefact a structure message carries: what the SDMX REST
// `detail` parameter of structure queries asks for, decided per artefact by
// the caller and applied alike by both structure writers (SDMX-ML and
// SDMX-JSON).
//
// A stub is a maintainable artefact's identification (urn, agency, id,
// version) and name, marked isExternalReference="true" with a structureURL
// where its full form is; no items, components or references. A complete
// stub adds its description and annotations.
#pragma once

#include <string>
#include <string_view>

#include "sdmx/model.h"

namespace sdmx {

struct StructureDetail {
  // Write artefacts as stubs (default false: every artefact in full)...
  bool stubs = false;
  // Complete stubs (allcompletestubs, referencecompletestubs) keep the
  // description (and annotations) a plain stub leaves out.
  bool complete_stubs = false;
  // ...except those also held here (same type and reference): the artefacts
  // a query asked for under detail=referencestubs. Null: none excepted.
  const StructureSet* keep_full = nullptr;
  // Item schemes also held here are marked isPartial: they hold only some of
  // their items (detail=referencepartial). Null: none.
  const StructureSet* partial = nullptr;
  // Base of a stub's structureURL, e.g. "http://host/sdmx/v1": the URL is
  // BASE/{class in lower case, the REST resource}/{agency}/{id}/{version}.
  // Empty (default): no structureURL.
  std::string structure_url;
  // Where references resolve beyond the artefacts written (the registry's
  // structures): a 2.1 metadataflow written as 3.0 takes its targets from
  // its MSD there. Null: within the artefacts written.
  const StructureSet* resolve_in = nullptr;

  bool IsStub(const Codelist& a) const;
  bool IsStub(const DataStructure& a) const;
  bool IsStub(const Dataflow& a) const;
  bool IsStub(const ItemScheme& a) const;
  bool IsStub(const ProvisionAgreement& a) const;
  bool IsStub(const ContentConstraint& a) const;
  bool IsStub(const HierarchicalCodelist& a) const;
  bool IsStub(const Categorisation& a) const;
  bool IsStub(const MetadataStructure& a) const;
  bool IsStub(const Metadataflow& a) const;
  bool IsStub(const OpaqueArtefact& a) const;
  bool IsPartial(const Codelist& a) const;
  bool IsPartial(const ItemScheme& a) const;
  // The structureURL of a stub of `sdmx_class` ("Codelist", or a package
  // and class "codelist.Codelist"); empty without `structure_url`.
  std::string StubUrl(std::string_view sdmx_class, const ArtefactRef& ref) const;
};

}  // namespace sdmx
