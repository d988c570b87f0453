#include "sdmx/structure_detail.h"

#include <cctype>

namespace sdmx {

bool StructureDetail::IsStub(const Codelist& a) const {
  return stubs && !(keep_full && keep_full->FindCodelist(a.ref));
}
bool StructureDetail::IsStub(const DataStructure& a) const {
  return stubs && !(keep_full && keep_full->FindDataStructure(a.ref));
}
bool StructureDetail::IsStub(const Dataflow& a) const {
  return stubs && !(keep_full && keep_full->FindDataflow(a.ref));
}
bool StructureDetail::IsStub(const ItemScheme& a) const {
  return stubs && !(keep_full && keep_full->FindScheme(a.kind, a.ref));
}
bool StructureDetail::IsStub(const ProvisionAgreement& a) const {
  return stubs && !(keep_full && keep_full->FindProvisionAgreement(a.ref));
}
bool StructureDetail::IsStub(const ContentConstraint& a) const {
  return stubs && !(keep_full && keep_full->FindConstraint(a.ref));
}
bool StructureDetail::IsStub(const HierarchicalCodelist& a) const {
  return stubs && !(keep_full && keep_full->FindHierarchicalCodelist(a.ref));
}
bool StructureDetail::IsStub(const Categorisation& a) const {
  return stubs && !(keep_full && keep_full->FindCategorisation(a.ref));
}
bool StructureDetail::IsStub(const MetadataStructure& a) const {
  return stubs && !(keep_full && keep_full->FindMetadataStructure(a.ref));
}
bool StructureDetail::IsStub(const Metadataflow& a) const {
  return stubs && !(keep_full && keep_full->FindMetadataflow(a.ref));
}
bool StructureDetail::IsStub(const OpaqueArtefact& a) const {
  return stubs && !(keep_full && keep_full->FindOpaque(a.sdmx_class, a.ref));
}
bool StructureDetail::IsPartial(const Codelist& a) const { return partial && partial->FindCodelist(a.ref); }
bool StructureDetail::IsPartial(const ItemScheme& a) const { return partial && partial->FindScheme(a.kind, a.ref); }

std::string StructureDetail::StubUrl(std::string_view sdmx_class, const ArtefactRef& ref) const {
  if (structure_url.empty()) return "";
  if (size_t dot = sdmx_class.rfind('.'); dot != std::string_view::npos) sdmx_class.remove_prefix(dot + 1);
  std::string url = structure_url + "/";
  for (char c : sdmx_class) url += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return url + "/" + ref.agency + "/" + ref.id + "/" + ref.version;
}

}  // namespace sdmx
