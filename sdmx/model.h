// The SDMX information model, as much of it as the hub stores and serves:
// maintainable artefact references, codelists, data structures (DSDs),
// dataflows, and the data itself (series of observations).
//
// Plain value types; no I/O. Thread-compatible.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace sdmx {

// AGENCY:ID(VERSION), the identity of a maintainable artefact.
struct ArtefactRef {
  std::string agency;
  std::string id;
  std::string version;  // empty = unspecified (resolve to the latest)

  std::string ToString() const;  // "AGENCY:ID(VERSION)"
  bool operator==(const ArtefactRef&) const = default;
  bool operator<(const ArtefactRef& o) const { return ToString() < o.ToString(); }
};

// A note on an artefact or item (SDMX Annotation): what agencies put there
// (a code's display order, a series' unit multiplier, a publication note)
// travels with it. `text`: the English text, else the first.
struct Annotation {
  std::string id, title, type, url, text;
  bool operator==(const Annotation&) const = default;
};
using Annotations = std::vector<Annotation>;

struct Code {
  std::string id;
  std::string name;
  std::string parent;  // empty when top level
  Annotations annotations;
  bool operator==(const Code&) const = default;
};

// Hash for heterogeneous lookup: find(string_view) without building a string.
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

struct Codelist {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::vector<Code> codes;

  const Code* Find(std::string_view id) const;
  void Index();  // rebuild the lookup after codes change
  bool operator==(const Codelist& o) const {
    return ref == o.ref && name == o.name && description == o.description && annotations == o.annotations &&
           codes == o.codes;
  }

 private:
  std::unordered_map<std::string, size_t, StringHash, std::equal_to<>> index_;
};

enum class AttachmentLevel { kDataSet, kGroup, kSeries, kObservation };
const char* AttachmentLevelName(AttachmentLevel level);

// A concept of a concept scheme: what a component means (ConceptIdentity).
struct ConceptRef {
  ArtefactRef scheme;
  std::string id;
  bool operator==(const ConceptRef&) const = default;
};

struct Component {
  std::string id;
  std::optional<ArtefactRef> codelist;  // enumerated representation, if any
  // The SDMX textType of a non-enumerated representation ("Double",
  // "GregorianDay"...): the DSD's LocalRepresentation/TextFormat, else its
  // concept's CoreRepresentation when the same structure message holds the
  // concept scheme. Empty: none given, i.e. String. See text_type.h.
  std::string text_type;
  std::optional<ConceptRef> concept_identity;
  bool operator==(const Component&) const = default;
};

struct Dimension : Component {
  int position = 0;  // 1-based, from the DSD
  bool operator==(const Dimension&) const = default;
};

struct Attribute : Component {
  AttachmentLevel level = AttachmentLevel::kObservation;
  bool mandatory = false;
  std::string group;  // the group it attaches to, when level is kGroup
  bool operator==(const Attribute&) const = default;
};

struct DataStructure {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::vector<Dimension> dimensions;  // key order, time dimension excluded
  std::string time_dimension = "TIME_PERIOD";
  std::vector<Attribute> attributes;
  std::string primary_measure = "OBS_VALUE";
  std::optional<ConceptRef> time_concept, measure_concept;
  // textTypes (see Component::text_type) of the time dimension (SDMX allows
  // only time types there; ObservationalTimePeriod, the widest, when the DSD
  // names none) and of the primary measure (empty = String: any text).
  std::string time_text_type = "ObservationalTimePeriod";
  std::string measure_text_type;

  // Index of dimension `id` in `dimensions`, or -1.
  int DimensionIndex(std::string_view id) const;
  const Attribute* FindAttribute(std::string_view id) const;
  bool operator==(const DataStructure&) const = default;
};

struct Dataflow {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  ArtefactRef structure;
  bool operator==(const Dataflow&) const = default;
};

// ConceptScheme, the organisation schemes (agencies, data providers, data
// consumers, organisation units) and CategoryScheme: item schemes whose
// items, like codes, have an id, a name and (concepts, organisation units)
// a parent. Category schemes hold categories nested in SDMX-ML; here, as
// every item scheme, a flat list whose `parent` says where each sits.
enum class SchemeKind {
  kConceptScheme, kAgencyScheme, kDataProviderScheme, kCategoryScheme, kDataConsumerScheme, kOrganisationUnitScheme
};
const char* SchemeKindName(SchemeKind kind);  // "ConceptScheme", ...
std::optional<SchemeKind> SchemeKindOfClass(std::string_view sdmx_class);  // its inverse

struct ItemScheme {
  SchemeKind kind = SchemeKind::kConceptScheme;
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::vector<Code> items;

  const Code* Find(std::string_view id) const;
  bool operator==(const ItemScheme&) const = default;
};

// Which dataflow a data provider may report (and so which the hub lets it
// submit: see connectors/ProviderDirectory).
struct ProvisionAgreement {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  ArtefactRef dataflow;
  ArtefactRef provider_scheme;  // the DataProviderScheme holding...
  std::string provider;         // ...this data provider id
  bool operator==(const ProvisionAgreement&) const = default;
};

// One component's values in a cube region: a KeyValue (dimension) or an
// Attribute entry.
struct ComponentValues {
  std::string id;
  bool attribute = false;
  std::vector<std::string> values;
  // A TimeRange instead of values (the time dimension): periods, both
  // inclusive; empty = open on that side. Both empty = no time range.
  std::string start_period, end_period;
  bool operator==(const ComponentValues&) const = default;
};

// A cube region: the keys whose every listed component takes one of its
// listed values (components not listed are free). `include` false makes it
// a region to exclude.
struct CubeRegion {
  bool include = true;
  // A Key of a DataKeySet (one value per component) rather than a
  // CubeRegion: the same rule, kept apart to be written back as it came.
  bool from_key_set = false;
  std::vector<ComponentValues> components;
  bool operator==(const CubeRegion&) const = default;
};

// A ContentConstraint: an Allowed constraint restricts the keys (and coded
// attribute values) that may be reported for the artefacts it is attached
// to; an Actual one describes the data that exists (availability).
struct ContentConstraint {
  enum class Type { kAllowed, kActual };
  struct Attachment {
    std::string kind;  // "Dataflow", "DataStructure" or "ProvisionAgreement"
    ArtefactRef ref;
    bool operator==(const Attachment&) const = default;
  };
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  Type type = Type::kAllowed;
  std::vector<Attachment> attachments;
  std::vector<CubeRegion> cube_regions;

  // Whether `value` of component `id` is allowed by the regions. A key is
  // allowed when it lies in some include region (if there is one) and in no
  // exclude region; with only the one component known, a value is refused
  // when no include region lists it (for an id some include region
  // restricts) or an exclude region consisting of that component alone lists it.
  bool AllowsValue(std::string_view id, std::string_view value) const;
  // Whether the whole key (ids -> values) is allowed, by the rule above.
  bool AllowsKey(const std::vector<std::pair<std::string_view, std::string_view>>& key) const;
  bool operator==(const ContentConstraint&) const = default;
};

// A HierarchicalCodelist (SDMX 2.1): hierarchies of codes taken from
// codelists, e.g. the UN M49 regions down to their countries, and groupings
// that cut across them (SDG regions, LDC). A code may sit in several
// hierarchies; the views aggregate every code with children over its leaves.
struct HierarchicalCode {
  std::string code;  // the code's id in its codelist
  std::vector<HierarchicalCode> children;
  bool operator==(const HierarchicalCode&) const = default;
};
struct Hierarchy {
  std::string id;
  std::string name;
  std::vector<HierarchicalCode> codes;  // the roots
  bool operator==(const Hierarchy&) const = default;
};
struct HierarchicalCodelist {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::vector<ArtefactRef> codelists;  // the included codelists
  std::vector<Hierarchy> hierarchies;
  bool operator==(const HierarchicalCodelist&) const = default;
};

// A Categorisation files an artefact (here a dataflow) under a category of
// a category scheme: portals browse dataflows by it (the SDG goals).
struct Categorisation {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::string source_class = "Dataflow";  // the class of `source`
  ArtefactRef source;
  ArtefactRef category_scheme;
  std::string category;  // the category's id in the scheme
  bool operator==(const Categorisation&) const = default;
};

// --- Reference metadata structures -----------------------------------------
// What a portal shows beside the figures (an SDG indicator's definition,
// method, custodian contact) is reference metadata, reported against a
// metadata structure (MSD) through a metadataflow. The hub stores and serves
// both artefacts; it does not take metadata sets yet (/metadata is a 501).

// A metadata attribute: a component that may nest others. `presentational`
// ones only group their children and take no value.
struct MetadataAttribute : Component {
  int min_occurs = 1;
  int max_occurs = 1;  // kUnbounded: any number
  bool presentational = false;
  std::vector<MetadataAttribute> children;
  static constexpr int kUnbounded = -1;
  bool operator==(const MetadataAttribute&) const = default;
};

// One object of an SDMX 2.1 MetadataTarget: an IdentifiableObjectTarget
// (what metadata attaches to, e.g. a Dataflow) or one of the fixed kinds
// (KeyDescriptorValuesTarget, DataSetTarget, ConstraintContentTarget,
// ReportPeriodTarget), each a component with a text type.
struct MetadataTargetObject {
  std::string kind;         // the element: "IdentifiableObjectTarget", ...
  std::string id;
  std::string object_type;  // IdentifiableObjectTarget only: "Dataflow", "Code"...
  std::string text_type;    // its TextFormat, e.g. "IdentifiableReference"
  bool operator==(const MetadataTargetObject&) const = default;
};
struct MetadataTarget {
  std::string id;
  std::vector<MetadataTargetObject> objects;
  bool operator==(const MetadataTarget&) const = default;
};
// A report structure: the metadata attributes reported together, for the
// targets it names (ids of `MetadataStructure::targets`).
struct ReportStructure {
  std::string id;
  std::vector<MetadataAttribute> attributes;
  std::vector<std::string> targets;
  bool operator==(const ReportStructure&) const = default;
};
// SDMX 2.1 MSDs hold targets and report structures; SDMX 3.0 MSDs hold one
// list of metadata attributes (kept as one report structure with the id
// "MetadataAttributeDescriptor" and no targets: 3.0 names them on the
// metadataflow).
struct MetadataStructure {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  std::vector<MetadataTarget> targets;
  std::vector<ReportStructure> reports;

  // Every metadata attribute, nested ones too, depth first.
  std::vector<const MetadataAttribute*> AllAttributes() const;
  // `targets`, or (a 3.0 MSD, which has none) one target of any object:
  // what SDMX-ML 2.1 and SDMX-JSON 1.0, which want at least one, write.
  std::vector<MetadataTarget> TargetsOrAny() const;
  // The top-level attributes of every report structure as one list, each
  // id once (the first): SDMX 3.0's single list, which wants them unique.
  std::vector<MetadataAttribute> MergedAttributes() const;
  bool operator==(const MetadataStructure&) const = default;
};
struct Metadataflow {
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  ArtefactRef structure;    // the MSD
  // What its metadata may be attached to: SDMX 3.0 wildcard URNs, e.g.
  // "urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=*:*(*)". A 2.1
  // metadataflow names none (its MSD's targets say it): see TargetsOf().
  std::vector<std::string> targets;
  bool operator==(const Metadataflow&) const = default;
};

// A maintainable artefact of an SDMX 2.1 type the hub stores without
// interpreting it: StructureSet, Process, ReportingTaxonomy and
// AttachmentConstraint (SDMX 3.0 has no StructureSet or AttachmentConstraint
// and writes the other two otherwise). Kept as the SDMX-ML 2.1 element it
// came in, with its identity and the maintainables it references, which is
// what `references=` walks. Served in SDMX-ML 2.1 only.
struct OpaqueArtefact {
  std::string sdmx_class;  // "StructureSet", "Process", ...
  ArtefactRef ref;
  std::string name;
  std::string description;  // empty: none
  Annotations annotations;
  // The element, whole, as SDMX-ML 2.1 with the prefixes the hub writes
  // (str: structure, com: common; references unqualified).
  std::string xml;
  struct Reference {
    std::string sdmx_class;  // of the maintainable: an item's scheme class for an item reference
    ArtefactRef ref;
    bool operator==(const Reference&) const = default;
  };
  std::vector<Reference> references;  // each once, in document order
  bool operator==(const OpaqueArtefact&) const = default;
};
// The classes kept as OpaqueArtefact: their SDMX REST resource is the
// class in lower case.
bool IsOpaqueClass(std::string_view sdmx_class);

// A set of structures that references resolve within (e.g. all of configs/).
// Lookups by AGENCY:ID(VERSION); an empty version resolves to the highest
// version held. Thread-compatible; share as shared_ptr<const StructureSet>.
class StructureSet {
 public:
  void Add(Codelist cl);
  void Add(DataStructure dsd);
  void Add(Dataflow df);
  void Add(ItemScheme scheme);
  void Add(ProvisionAgreement pa);
  void Add(ContentConstraint cc);
  void Add(HierarchicalCodelist hcl);
  void Add(Categorisation c);
  void Add(MetadataStructure msd);
  void Add(Metadataflow mf);
  void Add(OpaqueArtefact a);
  // Adds everything from `other`; artefacts with the same reference replace ours.
  void Merge(const StructureSet& other);
  // Adds what `other` holds and this does not; ours stay as they are (a
  // partial scheme asked for is not replaced by the whole one referenced).
  void MergeNew(const StructureSet& other);

  const Codelist* FindCodelist(const ArtefactRef& ref) const;
  const DataStructure* FindDataStructure(const ArtefactRef& ref) const;
  const Dataflow* FindDataflow(const ArtefactRef& ref) const;
  // A dataflow by id alone (any agency, latest version), for "flowRef=ID".
  const Dataflow* FindDataflowById(std::string_view id) const;
  // The dataflows whose structure is `dsd` (a dataflow naming no DSD
  // version uses every version), in reference order.
  std::vector<const Dataflow*> DataflowsUsing(const ArtefactRef& dsd) const;
  const ItemScheme* FindScheme(SchemeKind kind, const ArtefactRef& ref) const;
  const ProvisionAgreement* FindProvisionAgreement(const ArtefactRef& ref) const;
  const ContentConstraint* FindConstraint(const ArtefactRef& ref) const;
  const HierarchicalCodelist* FindHierarchicalCodelist(const ArtefactRef& ref) const;
  const Categorisation* FindCategorisation(const ArtefactRef& ref) const;
  const MetadataStructure* FindMetadataStructure(const ArtefactRef& ref) const;
  const Metadataflow* FindMetadataflow(const ArtefactRef& ref) const;
  const OpaqueArtefact* FindOpaque(std::string_view sdmx_class, const ArtefactRef& ref) const;
  // Whether the set holds an artefact of `sdmx_class` ("Dataflow",
  // "Codelist", "StructureSet"...) with reference `ref`; when it does and
  // `out` is not null, that artefact is added to `out`.
  bool CopyTo(std::string_view sdmx_class, const ArtefactRef& ref, StructureSet* out) const;
  bool Holds(std::string_view sdmx_class, const ArtefactRef& ref) const { return CopyTo(sdmx_class, ref, nullptr); }
  // The Allowed constraints attached to `dataflow` or to its DSD, and with
  // a `provider` id, to that data provider's agreements for `dataflow`.
  std::vector<const ContentConstraint*> AllowedConstraintsFor(const std::optional<ArtefactRef>& dataflow,
                                                              const ArtefactRef& dsd,
                                                              std::string_view provider = {}) const;

  const std::map<std::string, Codelist>& codelists() const { return codelists_; }
  const std::map<std::string, DataStructure>& data_structures() const { return dsds_; }
  const std::map<std::string, Dataflow>& dataflows() const { return dataflows_; }
  // Keyed by "Kind=AGENCY:ID(VERSION)".
  const std::map<std::string, ItemScheme>& schemes() const { return schemes_; }
  const std::map<std::string, ProvisionAgreement>& provision_agreements() const { return agreements_; }
  const std::map<std::string, ContentConstraint>& constraints() const { return constraints_; }
  const std::map<std::string, HierarchicalCodelist>& hierarchical_codelists() const { return hcls_; }
  const std::map<std::string, Categorisation>& categorisations() const { return categorisations_; }
  const std::map<std::string, MetadataStructure>& metadata_structures() const { return msds_; }
  const std::map<std::string, Metadataflow>& metadataflows() const { return metadataflows_; }
  // Keyed by "Class=AGENCY:ID(VERSION)".
  const std::map<std::string, OpaqueArtefact>& opaque() const { return opaque_; }
  bool empty() const { return size() == 0; }
  size_t size() const {
    return codelists_.size() + dsds_.size() + dataflows_.size() + schemes_.size() + agreements_.size() +
           constraints_.size() + hcls_.size() + categorisations_.size() + msds_.size() + metadataflows_.size() +
           opaque_.size();
  }

 private:
  template <typename M>
  static const typename M::mapped_type* Find(const M& m, const ArtefactRef& ref);

  std::map<std::string, Codelist> codelists_;
  std::map<std::string, DataStructure> dsds_;
  std::map<std::string, Dataflow> dataflows_;
  std::map<std::string, ItemScheme> schemes_;
  std::map<std::string, ProvisionAgreement> agreements_;
  std::map<std::string, ContentConstraint> constraints_;
  std::map<std::string, HierarchicalCodelist> hcls_;
  std::map<std::string, Categorisation> categorisations_;
  std::map<std::string, MetadataStructure> msds_;
  std::map<std::string, Metadataflow> metadataflows_;
  std::map<std::string, OpaqueArtefact> opaque_;
};

// The targets of `mf`: its own, else (a 2.1 metadataflow) one wildcard URN
// per object type its MSD's identifiable object targets name, when `set`
// holds the MSD. Empty when neither says.
std::vector<std::string> TargetsOf(const Metadataflow& mf, const StructureSet& set);

// The SDMX information model package of a class ("Dataflow" ->
// "datastructure", "Code" -> "codelist"), as URNs and 2.1 Refs name it;
// "base" for the organisations and any class it does not know.
std::string_view PackageOfClass(std::string_view sdmx_class);

// Compares SDMX versions numerically per dot-separated part ("1.10" > "1.9").
int CompareVersions(std::string_view a, std::string_view b);

// --- Data -----------------------------------------------------------------

// DataSet action (SDMX 2.1 ActionType; 3.0 adds Merge).
enum class Action { kInformation, kAppend, kReplace, kMerge, kDelete };
const char* ActionName(Action a);
std::optional<Action> ParseAction(std::string_view s);
// The action the hub applies to a dataset that declares `declared` (`given`
// false: the message names no action). SDMX 3.1 (SDMX-CSV 2.1, SDMX-JSON
// 2.1) withdraws Append and Information in favour of Merge, the default
// when no action is given; SDMX 3.0 already took Information loaded into a
// database as Append. So Information, Append and no action all apply as
// Merge; Replace and Delete as declared.
Action AppliedAction(Action declared, bool given);

// SDMX 3's intentionally missing values: NaN for a numeric value, #N/A for
// a coded or text one (an attribute, or OBS_VALUE under a string measure).
// They are values like any other, kept as sent and written back as sent, and
// are not the same as a component with no value at all (absent).
inline constexpr std::string_view kMissingNumber = "NaN";
inline constexpr std::string_view kMissingText = "#N/A";

struct Field {
  std::string id;
  std::string value;
  bool operator==(const Field&) const = default;
};
using Fields = std::vector<Field>;
const std::string* FindField(const Fields& fields, std::string_view id);

struct Observation {
  std::string period;
  std::string value;  // OBS_VALUE exactly as sent: "45" and "45.0" differ
  Fields attributes;
  int line = 0;  // source line, 0 when not from a file
};

struct Series {
  std::vector<std::string> key;  // one value per DSD dimension, in DSD order
  Fields attributes;             // series-level attributes
  std::vector<Observation> observations;
  int line = 0;

  std::string KeyString() const;  // "A.G.SI_POV_DAY1.404._T._T._T"
};

// What a data message's header and DataSet element say about one dataset.
struct DataSetInfo {
  Action action = Action::kMerge;  // absent action: Merge (SDMX 3.1; see AppliedAction)
  bool action_given = false;
  ArtefactRef structure;            // the DSD
  std::optional<ArtefactRef> dataflow;  // when the message referred to a dataflow
  std::string dimension_at_observation = "TIME_PERIOD";
  std::string valid_from;
  std::string valid_to;
};

struct MessageHeader {
  std::string id;
  bool test = false;
  std::string prepared;
  std::string sender;
  std::vector<std::string> notes;  // what the reader assumed (e.g. another DSD version)
};

}  // namespace sdmx
