#include "sdmx/model.h"

#include <algorithm>
#include <charconv>
#include <map>

namespace sdmx {

std::string ArtefactRef::ToString() const {
  return agency + ":" + id + "(" + version + ")";
}

const Code* Codelist::Find(std::string_view id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &codes[it->second];
}

void Codelist::Index() {
  index_.clear();
  index_.reserve(codes.size());
  for (size_t i = 0; i < codes.size(); ++i) index_.emplace(codes[i].id, i);
}

const char* AttachmentLevelName(AttachmentLevel level) {
  switch (level) {
    case AttachmentLevel::kDataSet: return "DataSet";
    case AttachmentLevel::kGroup: return "Group";
    case AttachmentLevel::kSeries: return "Series";
    case AttachmentLevel::kObservation: return "Observation";
  }
  return "?";
}

int DataStructure::DimensionIndex(std::string_view id) const {
  for (size_t i = 0; i < dimensions.size(); ++i) {
    if (dimensions[i].id == id) return static_cast<int>(i);
  }
  return -1;
}

const Attribute* DataStructure::FindAttribute(std::string_view id) const {
  for (const auto& a : attributes) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

int CompareVersions(std::string_view a, std::string_view b) {
  while (!a.empty() || !b.empty()) {
    auto take = [](std::string_view& s) {
      size_t dot = s.find('.');
      std::string_view part = s.substr(0, dot);
      s = dot == std::string_view::npos ? std::string_view() : s.substr(dot + 1);
      long n = -1;
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), n);
      if (ec != std::errc() || p != part.data() + part.size()) n = -1;
      return std::make_pair(n, part);
    };
    auto [na, pa] = take(a);
    auto [nb, pb] = take(b);
    if (na >= 0 && nb >= 0) {
      if (na != nb) return na < nb ? -1 : 1;
    } else if (int c = pa.compare(pb); c != 0) {
      return c < 0 ? -1 : 1;
    }
  }
  return 0;
}

template <typename M>
const typename M::mapped_type* StructureSet::Find(const M& m, const ArtefactRef& ref) {
  if (!ref.version.empty()) {
    auto it = m.find(ref.ToString());
    return it == m.end() ? nullptr : &it->second;
  }
  const typename M::mapped_type* best = nullptr;
  for (const auto& [k, v] : m) {
    if (v.ref.agency == ref.agency && v.ref.id == ref.id &&
        (!best || CompareVersions(best->ref.version, v.ref.version) < 0)) {
      best = &v;
    }
  }
  return best;
}

void StructureSet::Add(Codelist cl) {
  cl.Index();
  codelists_[cl.ref.ToString()] = std::move(cl);
}
void StructureSet::Add(DataStructure dsd) { dsds_[dsd.ref.ToString()] = std::move(dsd); }
void StructureSet::Add(Dataflow df) { dataflows_[df.ref.ToString()] = std::move(df); }

namespace {
std::string SchemeKey(SchemeKind kind, const ArtefactRef& ref) {
  return std::string(SchemeKindName(kind)) + "=" + ref.ToString();
}
}  // namespace

void StructureSet::Add(ItemScheme scheme) {
  std::string k = SchemeKey(scheme.kind, scheme.ref);
  schemes_[k] = std::move(scheme);
}
void StructureSet::Add(ProvisionAgreement pa) { agreements_[pa.ref.ToString()] = std::move(pa); }
void StructureSet::Add(ContentConstraint cc) { constraints_[cc.ref.ToString()] = std::move(cc); }
void StructureSet::Add(HierarchicalCodelist hcl) { hcls_[hcl.ref.ToString()] = std::move(hcl); }
void StructureSet::Add(Categorisation c) { categorisations_[c.ref.ToString()] = std::move(c); }
void StructureSet::Add(MetadataStructure msd) { msds_[msd.ref.ToString()] = std::move(msd); }
void StructureSet::Add(Metadataflow mf) { metadataflows_[mf.ref.ToString()] = std::move(mf); }
void StructureSet::Add(OpaqueArtefact a) {
  std::string k = a.sdmx_class + "=" + a.ref.ToString();
  opaque_[k] = std::move(a);
}

void StructureSet::Merge(const StructureSet& other) {
  for (const auto& [k, v] : other.codelists_) Add(v);
  for (const auto& [k, v] : other.dsds_) dsds_[k] = v;
  for (const auto& [k, v] : other.dataflows_) dataflows_[k] = v;
  for (const auto& [k, v] : other.schemes_) schemes_[k] = v;
  for (const auto& [k, v] : other.agreements_) agreements_[k] = v;
  for (const auto& [k, v] : other.constraints_) constraints_[k] = v;
  for (const auto& [k, v] : other.hcls_) hcls_[k] = v;
  for (const auto& [k, v] : other.categorisations_) categorisations_[k] = v;
  for (const auto& [k, v] : other.msds_) msds_[k] = v;
  for (const auto& [k, v] : other.metadataflows_) metadataflows_[k] = v;
  for (const auto& [k, v] : other.opaque_) opaque_[k] = v;
}

void StructureSet::MergeNew(const StructureSet& other) {
  for (const auto& [k, v] : other.codelists_) {
    if (!codelists_.count(k)) Add(v);
  }
  dsds_.insert(other.dsds_.begin(), other.dsds_.end());  // insert keeps what is there
  dataflows_.insert(other.dataflows_.begin(), other.dataflows_.end());
  schemes_.insert(other.schemes_.begin(), other.schemes_.end());
  agreements_.insert(other.agreements_.begin(), other.agreements_.end());
  constraints_.insert(other.constraints_.begin(), other.constraints_.end());
  hcls_.insert(other.hcls_.begin(), other.hcls_.end());
  categorisations_.insert(other.categorisations_.begin(), other.categorisations_.end());
  msds_.insert(other.msds_.begin(), other.msds_.end());
  metadataflows_.insert(other.metadataflows_.begin(), other.metadataflows_.end());
  opaque_.insert(other.opaque_.begin(), other.opaque_.end());
}

const ItemScheme* StructureSet::FindScheme(SchemeKind kind, const ArtefactRef& ref) const {
  if (!ref.version.empty()) {
    auto it = schemes_.find(SchemeKey(kind, ref));
    return it == schemes_.end() ? nullptr : &it->second;
  }
  const ItemScheme* best = nullptr;
  for (const auto& [k, v] : schemes_) {
    if (v.kind == kind && v.ref.agency == ref.agency && v.ref.id == ref.id &&
        (!best || CompareVersions(best->ref.version, v.ref.version) < 0)) {
      best = &v;
    }
  }
  return best;
}

const ProvisionAgreement* StructureSet::FindProvisionAgreement(const ArtefactRef& ref) const {
  return Find(agreements_, ref);
}
const ContentConstraint* StructureSet::FindConstraint(const ArtefactRef& ref) const { return Find(constraints_, ref); }
const Categorisation* StructureSet::FindCategorisation(const ArtefactRef& ref) const {
  return Find(categorisations_, ref);
}
const HierarchicalCodelist* StructureSet::FindHierarchicalCodelist(const ArtefactRef& ref) const {
  return Find(hcls_, ref);
}
const MetadataStructure* StructureSet::FindMetadataStructure(const ArtefactRef& ref) const { return Find(msds_, ref); }
const Metadataflow* StructureSet::FindMetadataflow(const ArtefactRef& ref) const { return Find(metadataflows_, ref); }

const OpaqueArtefact* StructureSet::FindOpaque(std::string_view sdmx_class, const ArtefactRef& ref) const {
  const OpaqueArtefact* best = nullptr;
  for (const auto& [k, v] : opaque_) {
    if (v.sdmx_class == sdmx_class && v.ref.agency == ref.agency && v.ref.id == ref.id &&
        (ref.version.empty() ? !best || CompareVersions(best->ref.version, v.ref.version) < 0
                             : v.ref.version == ref.version)) {
      best = &v;
    }
  }
  return best;
}

bool StructureSet::CopyTo(std::string_view c, const ArtefactRef& ref, StructureSet* out) const {
  auto found = [out](const auto* a) {
    if (a && out) out->Add(*a);
    return a != nullptr;
  };
  if (std::optional<SchemeKind> kind = SchemeKindOfClass(c)) return found(FindScheme(*kind, ref));
  if (c == "Codelist") return found(FindCodelist(ref));
  if (c == "DataStructure") return found(FindDataStructure(ref));
  if (c == "Dataflow") return found(FindDataflow(ref));
  if (c == "ProvisionAgreement") return found(FindProvisionAgreement(ref));
  if (c == "ContentConstraint" || c == "DataConstraint") return found(FindConstraint(ref));
  if (c == "HierarchicalCodelist") return found(FindHierarchicalCodelist(ref));
  if (c == "Categorisation") return found(FindCategorisation(ref));
  if (c == "MetadataStructure") return found(FindMetadataStructure(ref));
  if (c == "Metadataflow") return found(FindMetadataflow(ref));
  return found(FindOpaque(c, ref));
}

bool IsOpaqueClass(std::string_view c) {
  return c == "StructureSet" || c == "Process" || c == "ReportingTaxonomy" || c == "AttachmentConstraint";
}

std::vector<const MetadataAttribute*> MetadataStructure::AllAttributes() const {
  std::vector<const MetadataAttribute*> out;
  auto walk = [&out](const auto& self, const std::vector<MetadataAttribute>& attributes) -> void {
    for (const MetadataAttribute& a : attributes) {
      out.push_back(&a);
      self(self, a.children);
    }
  };
  for (const ReportStructure& r : reports) walk(walk, r.attributes);
  return out;
}

std::vector<MetadataTarget> MetadataStructure::TargetsOrAny() const {
  if (!targets.empty()) return targets;
  return {{"TARGET", {{"IdentifiableObjectTarget", "OBJECT", "Any", ""}}}};
}

std::vector<MetadataAttribute> MetadataStructure::MergedAttributes() const {
  std::vector<MetadataAttribute> out;
  for (const ReportStructure& r : reports) {
    for (const MetadataAttribute& a : r.attributes) {
      if (std::none_of(out.begin(), out.end(), [&](const MetadataAttribute& o) { return o.id == a.id; })) {
        out.push_back(a);
      }
    }
  }
  return out;
}

std::string_view PackageOfClass(std::string_view c) {
  static const std::map<std::string_view, std::string_view> kPackages = {
      {"DataStructure", "datastructure"},  {"Dataflow", "datastructure"},
      {"Dimension", "datastructure"},      {"TimeDimension", "datastructure"},
      {"Attribute", "datastructure"},      {"PrimaryMeasure", "datastructure"},
      {"MetadataStructure", "metadatastructure"}, {"Metadataflow", "metadatastructure"},
      {"Codelist", "codelist"},            {"Code", "codelist"},
      {"HierarchicalCodelist", "codelist"}, {"Hierarchy", "codelist"},
      {"ConceptScheme", "conceptscheme"},  {"Concept", "conceptscheme"},
      {"CategoryScheme", "categoryscheme"}, {"Category", "categoryscheme"},
      {"Categorisation", "categoryscheme"}, {"ReportingTaxonomy", "categoryscheme"},
      {"ReportingCategory", "categoryscheme"}, {"MetadataTarget", "metadatastructure"},
      {"ProvisionAgreement", "registry"},  {"ContentConstraint", "registry"},
      {"AttachmentConstraint", "registry"}, {"DataConstraint", "registry"},
      {"StructureSet", "mapping"},         {"Process", "process"}};
  auto it = kPackages.find(c);
  return it == kPackages.end() ? std::string_view("base") : it->second;
}

std::vector<std::string> TargetsOf(const Metadataflow& mf, const StructureSet& set) {
  if (!mf.targets.empty()) return mf.targets;
  std::vector<std::string> out;
  const MetadataStructure* msd = set.FindMetadataStructure(mf.structure);
  if (!msd) return out;
  for (const MetadataTarget& t : msd->targets) {
    for (const MetadataTargetObject& o : t.objects) {
      // The fixed kinds (a key, a data set, a constraint's content, a
      // period) are about data: the dataflows'.
      const std::string cls = o.kind == "IdentifiableObjectTarget" ? o.object_type : "Dataflow";
      if (cls.empty()) continue;
      std::string urn = "urn:sdmx:org.sdmx.infomodel." + std::string(PackageOfClass(cls)) + "." + cls + "=*:*(*)";
      if (std::find(out.begin(), out.end(), urn) == out.end()) out.push_back(std::move(urn));
    }
  }
  return out;
}

std::vector<const ContentConstraint*> StructureSet::AllowedConstraintsFor(const std::optional<ArtefactRef>& dataflow,
                                                                          const ArtefactRef& dsd,
                                                                          std::string_view provider) const {
  // An attachment may leave its version out ("the latest"): compare what it gives.
  auto same = [](const ArtefactRef& attached, const ArtefactRef& target) {
    return attached.agency == target.agency && attached.id == target.id &&
           (attached.version.empty() || target.version.empty() || attached.version == target.version);
  };
  // The provider's agreements for the dataflow.
  auto provider_agrees = [&](const ArtefactRef& agreement) {
    const ProvisionAgreement* pa = provider.empty() || !dataflow ? nullptr : FindProvisionAgreement(agreement);
    return pa && pa->provider == provider && same(pa->dataflow, *dataflow);
  };
  std::vector<const ContentConstraint*> out;
  for (const auto& [k, c] : constraints_) {
    if (c.type != ContentConstraint::Type::kAllowed) continue;
    for (const auto& a : c.attachments) {
      if ((a.kind == "Dataflow" && dataflow && same(a.ref, *dataflow)) || (a.kind == "DataStructure" && same(a.ref, dsd)) ||
          (a.kind == "ProvisionAgreement" && provider_agrees(a.ref))) {
        out.push_back(&c);
        break;
      }
    }
  }
  return out;
}

const char* SchemeKindName(SchemeKind kind) {
  switch (kind) {
    case SchemeKind::kConceptScheme: return "ConceptScheme";
    case SchemeKind::kAgencyScheme: return "AgencyScheme";
    case SchemeKind::kDataProviderScheme: return "DataProviderScheme";
    case SchemeKind::kCategoryScheme: return "CategoryScheme";
    case SchemeKind::kDataConsumerScheme: return "DataConsumerScheme";
    case SchemeKind::kOrganisationUnitScheme: return "OrganisationUnitScheme";
  }
  return "?";
}

std::optional<SchemeKind> SchemeKindOfClass(std::string_view sdmx_class) {
  for (SchemeKind k : {SchemeKind::kConceptScheme, SchemeKind::kAgencyScheme, SchemeKind::kDataProviderScheme,
                       SchemeKind::kCategoryScheme, SchemeKind::kDataConsumerScheme, SchemeKind::kOrganisationUnitScheme}) {
    if (sdmx_class == SchemeKindName(k)) return k;
  }
  return std::nullopt;
}

const Code* ItemScheme::Find(std::string_view id) const {
  for (const Code& c : items) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

namespace {

bool Listed(const ComponentValues& cv, std::string_view value) {
  return std::find(cv.values.begin(), cv.values.end(), value) != cv.values.end();
}

}  // namespace

bool ContentConstraint::AllowsKey(const std::vector<std::pair<std::string_view, std::string_view>>& key) const {
  auto value_of = [&](std::string_view id) -> const std::string_view* {
    for (const auto& kv : key) {
      if (kv.first == id) return &kv.second;
    }
    return nullptr;
  };
  // In the region: every dimension it lists that the key has takes a listed value.
  auto in_region = [&](const CubeRegion& r) {
    for (const ComponentValues& cv : r.components) {
      if (cv.attribute) continue;
      const std::string_view* v = value_of(cv.id);
      if (v && !Listed(cv, *v)) return false;
    }
    return true;
  };
  bool any_include = false, in_some_include = false;
  for (const CubeRegion& r : cube_regions) {
    const bool restricts_keys =
        std::any_of(r.components.begin(), r.components.end(), [](const ComponentValues& cv) { return !cv.attribute; });
    if (!restricts_keys) continue;
    if (r.include) {
      any_include = true;
      in_some_include = in_some_include || in_region(r);
    } else if (in_region(r)) {
      return false;
    }
  }
  return !any_include || in_some_include;
}

bool ContentConstraint::AllowsValue(std::string_view id, std::string_view value) const {
  bool restricted = false, listed = false;
  for (const CubeRegion& r : cube_regions) {
    for (const ComponentValues& cv : r.components) {
      if (cv.id != id) continue;
      if (r.include) {
        restricted = true;
        listed = listed || Listed(cv, value);
      } else if (r.components.size() == 1 && Listed(cv, value)) {
        return false;
      }
    }
  }
  return !restricted || listed;
}

const Codelist* StructureSet::FindCodelist(const ArtefactRef& ref) const { return Find(codelists_, ref); }
const DataStructure* StructureSet::FindDataStructure(const ArtefactRef& ref) const { return Find(dsds_, ref); }
const Dataflow* StructureSet::FindDataflow(const ArtefactRef& ref) const { return Find(dataflows_, ref); }

const Dataflow* StructureSet::FindDataflowById(std::string_view id) const {
  const Dataflow* best = nullptr;
  for (const auto& [k, v] : dataflows_) {
    if (v.ref.id == id && (!best || CompareVersions(best->ref.version, v.ref.version) < 0)) best = &v;
  }
  return best;
}

std::vector<const Dataflow*> StructureSet::DataflowsUsing(const ArtefactRef& dsd) const {
  std::vector<const Dataflow*> out;
  for (const auto& [k, df] : dataflows_) {
    if (df.structure.agency == dsd.agency && df.structure.id == dsd.id &&
        (df.structure.version.empty() || df.structure.version == dsd.version)) {
      out.push_back(&df);
    }
  }
  return out;
}

const char* ActionName(Action a) {
  switch (a) {
    case Action::kInformation: return "Information";
    case Action::kAppend: return "Append";
    case Action::kReplace: return "Replace";
    case Action::kMerge: return "Merge";
    case Action::kDelete: return "Delete";
  }
  return "?";
}

std::optional<Action> ParseAction(std::string_view s) {
  if (s == "Information") return Action::kInformation;
  if (s == "Append") return Action::kAppend;
  if (s == "Replace") return Action::kReplace;
  if (s == "Merge") return Action::kMerge;
  if (s == "Delete") return Action::kDelete;
  return std::nullopt;
}

Action AppliedAction(Action declared, bool given) {
  if (!given) return Action::kMerge;
  return declared == Action::kInformation || declared == Action::kAppend ? Action::kMerge : declared;
}

const std::string* FindField(const Fields& fields, std::string_view id) {
  for (const auto& f : fields) {
    if (f.id == id) return &f.value;
  }
  return nullptr;
}

std::string Series::KeyString() const {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i) out += '.';
    out += key[i];
  }
  return out;
}

}  // namespace sdmx
