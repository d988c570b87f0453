#include "sdmx/structure_reader.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>

#include "sdmx/file.h"
#include "sdmx/opaque_artefact.h"
#include "sdmx/text_encoding.h"
#include "sdmx/urn.h"

namespace sdmx {
namespace {

std::string Attr(const pugi::xml_node& n, const char* name) { return n.attribute(name).value(); }

// The English text of a Name or Description child, else the first one.
std::string TextOf(const pugi::xml_node& n, std::string_view element) {
  std::string first;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != element) continue;
    std::string_view lang = c.attribute("xml:lang").value();
    if (lang == "en") return c.text().get();
    if (first.empty()) first = c.text().get();
  }
  return first;
}
std::string NameOf(const pugi::xml_node& n) { return TextOf(n, "Name"); }
std::string DescriptionOf(const pugi::xml_node& n) { return TextOf(n, "Description"); }

// The <com:Annotations> of an artefact or item (2.1 and 3.0 alike).
Annotations AnnotationsOf(const pugi::xml_node& n) {
  Annotations out;
  for (pugi::xml_node a = ChildByLocalName(n, "Annotations").first_child(); a; a = a.next_sibling()) {
    if (LocalName(a) != "Annotation") continue;
    out.push_back({a.attribute("id").value(), ChildText(a, "AnnotationTitle"), ChildText(a, "AnnotationType"),
                   ChildText(a, "AnnotationURL"), TextOf(a, "AnnotationText")});
  }
  return out;
}

// A reference element holds either <Ref agencyID= id= version=/> (2.1), a
// <URN> child (2.1), or the URN as its text (3.0).
std::optional<ArtefactRef> ParseRef(const pugi::xml_node& holder) {
  if (!holder) return std::nullopt;
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    return ArtefactRef{Attr(ref, "agencyID"), Attr(ref, "id"), Attr(ref, "version")};
  }
  if (pugi::xml_node urn = ChildByLocalName(holder, "URN")) return ParseUrn(urn.text().get());
  return ParseUrn(holder.text().get());
}

ArtefactRef RefOf(const pugi::xml_node& n) {
  std::string version = Attr(n, "version");
  return {Attr(n, "agencyID"), Attr(n, "id"), version.empty() ? "1.0" : version};
}

// <ConceptIdentity>: a Ref with maintainableParentID (2.1) or a Concept URN
// "...Concept=AG:SCHEME(1.0).ID" (3.0, or 2.1 <URN>).
std::optional<ConceptRef> ConceptOf(const pugi::xml_node& component) {
  pugi::xml_node holder = ChildByLocalName(component, "ConceptIdentity");
  if (!holder) return std::nullopt;
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    return ConceptRef{{Attr(ref, "agencyID"), Attr(ref, "maintainableParentID"), Attr(ref, "maintainableParentVersion")},
                      Attr(ref, "id")};
  }
  std::string urn = ChildText(holder, "URN");
  if (urn.empty()) urn = holder.text().get();
  auto scheme = ParseUrn(urn);
  size_t close = urn.rfind(')');
  if (!scheme || close == std::string::npos || close + 2 > urn.size() || urn[close + 1] != '.') return std::nullopt;
  return ConceptRef{*scheme, urn.substr(close + 2)};
}

// A structure of type T with what every maintainable artefact carries read
// from `n`: its reference, name and description.
template <typename T>
T Maintainable(const pugi::xml_node& n) {
  T t;
  t.ref = RefOf(n);
  t.name = NameOf(n);
  t.description = DescriptionOf(n);
  t.annotations = AnnotationsOf(n);
  return t;
}

// A reference to an item of a scheme (a data provider, a category): a 2.1
// Ref (agencyID, maintainableParentID/Version, id) or a URN
// "...Class=AG:SCHEME(1.0).ID" (3.0, or a 2.1 <URN> child).
bool ItemRefOf(const pugi::xml_node& holder, ArtefactRef* scheme, std::string* id) {
  if (!holder) return false;
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    *scheme = {Attr(ref, "agencyID"), Attr(ref, "maintainableParentID"), Attr(ref, "maintainableParentVersion")};
    *id = Attr(ref, "id");
    return true;
  }
  std::string urn = ChildText(holder, "URN");
  if (urn.empty()) urn = holder.text().get();
  auto s = ParseUrn(urn);
  size_t close = urn.rfind(')');
  if (!s || close == std::string::npos || close + 2 > urn.size()) return false;
  *scheme = *s;
  *id = urn.substr(close + 2);
  return true;
}

// A DataProvider reference; a 2.1 Ref may leave out its scheme, which SDMX
// fixes at DATA_PROVIDERS(1.0).
bool ProviderOf(const pugi::xml_node& holder, ArtefactRef* scheme, std::string* id) {
  if (!ItemRefOf(holder, scheme, id)) return false;
  if (ChildByLocalName(holder, "Ref")) {
    if (scheme->id.empty()) scheme->id = "DATA_PROVIDERS";
    if (scheme->version.empty()) scheme->version = "1.0";
  }
  return true;
}

std::optional<ArtefactRef> EnumerationOf(const pugi::xml_node& component) {
  pugi::xml_node rep = ChildByLocalName(component, "LocalRepresentation");
  if (!rep) return std::nullopt;
  return ParseRef(ChildByLocalName(rep, "Enumeration"));
}

// The textType of a (Local or Core) representation's TextFormat; "" when
// it has none (enumerated, or no representation).
std::string TextTypeOf(const pugi::xml_node& representation) {
  return Attr(ChildByLocalName(representation, "TextFormat"), "textType");
}

// CoreRepresentation textTypes of the concepts of a message's concept
// schemes, by "AGENCY:SCHEME(VERSION).CONCEPT": what a DSD component
// without a LocalRepresentation takes (SDMX: the local representation
// overrides the concept's core one).
class CoreTextTypes {
 public:
  void Add(const pugi::xml_node& scheme) {
    const std::string ref = RefOf(scheme).ToString();
    for (pugi::xml_node c = scheme.first_child(); c; c = c.next_sibling()) {
      if (LocalName(c) != "Concept") continue;
      std::string type = TextTypeOf(ChildByLocalName(c, "CoreRepresentation"));
      if (!type.empty()) types_[ref + "." + Attr(c, "id")] = std::move(type);
    }
  }
  // Fills `c`'s text type from its concept's when the DSD gives it no representation.
  void Resolve(const pugi::xml_node& element, Component* c) const {
    if (c->codelist || !c->text_type.empty() || ChildByLocalName(element, "LocalRepresentation") ||
        !c->concept_identity) {
      return;
    }
    if (const std::string* t = Find(*c->concept_identity)) c->text_type = *t;
  }
  const std::string* Find(const ConceptRef& c) const {
    ArtefactRef scheme = c.scheme;
    if (scheme.version.empty()) scheme.version = "1.0";  // as RefOf reads an unversioned scheme
    auto it = types_.find(scheme.ToString() + "." + c.id);
    return it == types_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, std::string> types_;
};

Codelist ReadCodelist(const pugi::xml_node& n) {
  Codelist cl = Maintainable<Codelist>(n);
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != "Code") continue;
    Code code{Attr(c, "id"), NameOf(c), "", AnnotationsOf(c)};
    if (auto p = ParseRef(ChildByLocalName(c, "Parent")); p) {
      code.parent = p->id;
    } else if (pugi::xml_node parent = ChildByLocalName(c, "Parent")) {
      code.parent = parent.text().get();
    }
    cl.codes.push_back(std::move(code));
  }
  return cl;
}

AttachmentLevel LevelOf(const pugi::xml_node& attribute, const std::string& time_dimension) {
  pugi::xml_node rel = ChildByLocalName(attribute, "AttributeRelationship");
  if (!rel || ChildByLocalName(rel, "None")) return AttachmentLevel::kDataSet;
  if (ChildByLocalName(rel, "PrimaryMeasure") || ChildByLocalName(rel, "Observation")) {
    return AttachmentLevel::kObservation;
  }
  if (ChildByLocalName(rel, "Group") || ChildByLocalName(rel, "AttachmentGroup")) {
    return AttachmentLevel::kGroup;
  }
  if (ChildByLocalName(rel, "Dataflow")) return AttachmentLevel::kDataSet;
  for (pugi::xml_node d = rel.first_child(); d; d = d.next_sibling()) {
    if (LocalName(d) != "Dimension") continue;
    pugi::xml_node ref = ChildByLocalName(d, "Ref");
    std::string id = ref ? Attr(ref, "id") : d.text().get();
    if (id == time_dimension) return AttachmentLevel::kObservation;
  }
  return AttachmentLevel::kSeries;
}

ItemScheme ReadItemScheme(const pugi::xml_node& n, SchemeKind kind, std::string_view item_name) {
  ItemScheme scheme;
  scheme.kind = kind;
  scheme.ref = RefOf(n);
  // Agency schemes are fixed by SDMX at AGENCIES(1.0) (as are the id and
  // version of DataProviderSchemes and DataConsumerSchemes): files often
  // leave them out.
  if (scheme.ref.id.empty()) {
    scheme.ref.id = kind == SchemeKind::kAgencyScheme         ? "AGENCIES"
                    : kind == SchemeKind::kDataConsumerScheme ? "DATA_CONSUMERS"
                                                              : "DATA_PROVIDERS";
  }
  scheme.name = NameOf(n);
  scheme.description = DescriptionOf(n);
  scheme.annotations = AnnotationsOf(n);
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != item_name) continue;
    Code item{Attr(c, "id"), NameOf(c), "", AnnotationsOf(c)};
    if (auto p = ParseRef(ChildByLocalName(c, "Parent")); p) {
      item.parent = p->id;
    } else if (pugi::xml_node parent = ChildByLocalName(c, "Parent")) {
      item.parent = parent.text().get();
      if (pugi::xml_node ref = ChildByLocalName(parent, "Ref")) item.parent = Attr(ref, "id");
    }
    scheme.items.push_back(std::move(item));
  }
  return scheme;
}

// Categories nest in SDMX-ML: each becomes an item with its parent's id.
void ReadCategories(const pugi::xml_node& n, const std::string& parent, std::vector<Code>* out) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != "Category") continue;
    out->push_back(Code{Attr(c, "id"), NameOf(c), parent, AnnotationsOf(c)});
    ReadCategories(c, out->back().id, out);
  }
}

ItemScheme ReadCategoryScheme(const pugi::xml_node& n) {
  ItemScheme scheme = Maintainable<ItemScheme>(n);
  scheme.kind = SchemeKind::kCategoryScheme;
  ReadCategories(n, "", &scheme.items);
  return scheme;
}

// Source: the artefact filed (a 2.1 Ref with its class, or a URN); target:
// the category, an item reference.
Categorisation ReadCategorisation(const pugi::xml_node& n) {
  Categorisation c = Maintainable<Categorisation>(n);
  const pugi::xml_node source = ChildByLocalName(n, "Source");
  if (pugi::xml_node ref = ChildByLocalName(source, "Ref")) {
    c.source_class = Attr(ref, "class");
  } else {
    std::string urn = ChildText(source, "URN");
    (void)ParseUrn(urn.empty() ? source.text().get() : urn, &c.source_class);
  }
  if (auto ref = ParseRef(source)) c.source = *ref;
  (void)ItemRefOf(ChildByLocalName(n, "Target"), &c.category_scheme, &c.category);
  return c;
}

ProvisionAgreement ReadProvisionAgreement(const pugi::xml_node& n) {
  ProvisionAgreement pa = Maintainable<ProvisionAgreement>(n);
  pugi::xml_node usage = ChildByLocalName(n, "StructureUsage");  // 2.1
  if (!usage) usage = ChildByLocalName(n, "Dataflow");           // 3.0
  if (auto r = ParseRef(usage)) pa.dataflow = *r;
  (void)ProviderOf(ChildByLocalName(n, "DataProvider"), &pa.provider_scheme, &pa.provider);
  return pa;
}

// KeyValue / Attribute children of a CubeRegion or Key: <Value> texts.
std::vector<ComponentValues> ReadComponentValues(const pugi::xml_node& holder) {
  std::vector<ComponentValues> out;
  for (pugi::xml_node kv = holder.first_child(); kv; kv = kv.next_sibling()) {
    std::string_view ln = LocalName(kv);
    if (ln != "KeyValue" && ln != "Attribute" && ln != "Component") continue;
    ComponentValues cv;
    cv.id = Attr(kv, "id");
    cv.attribute = ln != "KeyValue";  // 3.0 "Component": attributes (and measures)
    for (pugi::xml_node v = kv.first_child(); v; v = v.next_sibling()) {
      if (LocalName(v) == "Value") cv.values.push_back(v.text().get());
    }
    if (pugi::xml_node range = ChildByLocalName(kv, "TimeRange")) {
      cv.start_period = ChildText(range, "StartPeriod");
      cv.end_period = ChildText(range, "EndPeriod");
    }
    out.push_back(std::move(cv));
  }
  return out;
}

// SDMX-ML 2.1 ContentConstraint (type=) and 3.0 DataConstraint (role=).
ContentConstraint ReadConstraint(const pugi::xml_node& n) {
  ContentConstraint c = Maintainable<ContentConstraint>(n);
  std::string type = Attr(n, "type");
  if (type.empty()) type = Attr(n, "role");
  c.type = type == "Actual" ? ContentConstraint::Type::kActual : ContentConstraint::Type::kAllowed;
  for (pugi::xml_node a = ChildByLocalName(n, "ConstraintAttachment").first_child(); a; a = a.next_sibling()) {
    std::string kind(LocalName(a));
    if (kind == "StructureUsage") kind = "Dataflow";
    if (kind != "Dataflow" && kind != "DataStructure" && kind != "ProvisionAgreement") continue;
    if (auto r = ParseRef(a)) c.attachments.push_back({kind, *r});
  }
  for (pugi::xml_node x = n.first_child(); x; x = x.next_sibling()) {
    std::string_view ln = LocalName(x);
    if (ln == "CubeRegion") {
      CubeRegion r;
      r.include = std::string_view(x.attribute("include").value()) != "false";
      r.components = ReadComponentValues(x);
      c.cube_regions.push_back(std::move(r));
    } else if (ln == "DataKeySet") {
      const bool included = std::string_view(x.attribute("isIncluded").value()) != "false";
      for (pugi::xml_node key = x.first_child(); key; key = key.next_sibling()) {
        if (LocalName(key) != "Key") continue;
        CubeRegion r;
        r.include = included;
        r.from_key_set = true;
        r.components = ReadComponentValues(key);
        c.cube_regions.push_back(std::move(r));
      }
    }
  }
  return c;
}

DataStructure ReadDataStructure(const pugi::xml_node& n, const CoreTextTypes& core) {
  DataStructure dsd = Maintainable<DataStructure>(n);
  pugi::xml_node comps = ChildByLocalName(n, "DataStructureComponents");
  pugi::xml_node dims = ChildByLocalName(comps, "DimensionList");
  for (pugi::xml_node d = dims.first_child(); d; d = d.next_sibling()) {
    std::string_view ln = LocalName(d);
    if (ln == "TimeDimension") {
      std::string id = Attr(d, "id");
      if (!id.empty()) dsd.time_dimension = id;
      dsd.time_concept = ConceptOf(d);
      std::string type = TextTypeOf(ChildByLocalName(d, "LocalRepresentation"));
      const std::string* core_type = dsd.time_concept ? core.Find(*dsd.time_concept) : nullptr;
      if (type.empty() && core_type) type = *core_type;
      if (!type.empty()) dsd.time_text_type = type;
    } else if (ln == "Dimension" || ln == "MeasureDimension") {
      Dimension dim;
      dim.id = Attr(d, "id");
      dim.concept_identity = ConceptOf(d);
      dim.position = d.attribute("position").as_int(static_cast<int>(dsd.dimensions.size()) + 1);
      dim.codelist = EnumerationOf(d);
      dim.text_type = TextTypeOf(ChildByLocalName(d, "LocalRepresentation"));
      core.Resolve(d, &dim);
      dsd.dimensions.push_back(std::move(dim));
    }
  }
  std::stable_sort(dsd.dimensions.begin(), dsd.dimensions.end(),
                   [](const Dimension& a, const Dimension& b) { return a.position < b.position; });
  pugi::xml_node attrs = ChildByLocalName(comps, "AttributeList");
  for (pugi::xml_node a = attrs.first_child(); a; a = a.next_sibling()) {
    if (LocalName(a) != "Attribute") continue;
    Attribute attr;
    attr.id = Attr(a, "id");
    attr.codelist = EnumerationOf(a);
    attr.concept_identity = ConceptOf(a);
    attr.text_type = TextTypeOf(ChildByLocalName(a, "LocalRepresentation"));
    core.Resolve(a, &attr);
    attr.level = LevelOf(a, dsd.time_dimension);
    std::string status = Attr(a, "assignmentStatus");
    // 3.0 says usage="mandatory" (drafts: minOccurs="1").
    attr.mandatory = status == "Mandatory" || Attr(a, "usage") == "mandatory" || Attr(a, "minOccurs") == "1";
    if (attr.level == AttachmentLevel::kGroup) {
      pugi::xml_node rel = ChildByLocalName(a, "AttributeRelationship");
      pugi::xml_node g = ChildByLocalName(rel, "Group");
      if (!g) g = ChildByLocalName(rel, "AttachmentGroup");
      pugi::xml_node ref = ChildByLocalName(g, "Ref");
      attr.group = ref ? Attr(ref, "id") : std::string(g.text().get());
    }
    dsd.attributes.push_back(std::move(attr));
  }
  pugi::xml_node measures = ChildByLocalName(comps, "MeasureList");
  for (pugi::xml_node m = measures.first_child(); m; m = m.next_sibling()) {
    std::string_view ln = LocalName(m);
    if (ln == "PrimaryMeasure" || ln == "Measure") {
      // SDMX 2.1 fixes the id as OBS_VALUE; some files leave it out.
      std::string id = Attr(m, "id");
      if (!id.empty()) dsd.primary_measure = id;
      dsd.measure_concept = ConceptOf(m);
      Component measure;  // to resolve its type as any component's
      measure.concept_identity = dsd.measure_concept;
      measure.text_type = TextTypeOf(ChildByLocalName(m, "LocalRepresentation"));
      core.Resolve(m, &measure);
      dsd.measure_text_type = measure.text_type;
      break;
    }
  }
  return dsd;
}

// <HierarchicalCode>: the code it stands for is named by <Code><Ref id=/>
// (2.1), by <CodeID><Ref id=/> with a codelist alias, or by a Code URN (3.0).
HierarchicalCode ReadHierarchicalCode(const pugi::xml_node& n) {
  HierarchicalCode hc;
  for (const char* holder : {"Code", "CodeID"}) {
    pugi::xml_node h = ChildByLocalName(n, holder);
    if (!h) continue;
    if (pugi::xml_node ref = ChildByLocalName(h, "Ref")) {
      hc.code = Attr(ref, "id");
    } else {
      std::string urn = h.text().get();
      if (size_t close = urn.rfind(')'); close != std::string::npos && close + 2 <= urn.size()) {
        hc.code = urn.substr(close + 2);
      }
    }
    if (!hc.code.empty()) break;
  }
  if (hc.code.empty()) hc.code = Attr(n, "id");
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) == "HierarchicalCode") hc.children.push_back(ReadHierarchicalCode(c));
  }
  return hc;
}

// SDMX-ML 3.0 Hierarchy (a maintainable of its own): one hierarchy, its
// codes named by Code URNs; the codelist of the first code is the one it
// includes.
HierarchicalCodelist ReadHierarchy30(const pugi::xml_node& n) {
  HierarchicalCodelist hcl = Maintainable<HierarchicalCodelist>(n);
  Hierarchy h{hcl.ref.id, hcl.name, {}};
  for (pugi::xml_node k = n.first_child(); k; k = k.next_sibling()) {
    if (LocalName(k) != "HierarchicalCode") continue;
    if (hcl.codelists.empty()) {  // urn:...codelist.Code=AGENCY:ID(VERSION).CODE
      if (auto codelist = ParseUrn(ChildByLocalName(k, "Code").text().get())) hcl.codelists.push_back(*codelist);
    }
    h.codes.push_back(ReadHierarchicalCode(k));
  }
  hcl.hierarchies.push_back(std::move(h));
  return hcl;
}

HierarchicalCodelist ReadHierarchicalCodelist(const pugi::xml_node& n) {
  HierarchicalCodelist hcl = Maintainable<HierarchicalCodelist>(n);
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    std::string_view ln = LocalName(c);
    if (ln == "IncludedCodelist") {
      if (auto r = ParseRef(c)) hcl.codelists.push_back(*r);
    } else if (ln == "Hierarchy") {
      Hierarchy h{Attr(c, "id"), NameOf(c), {}};
      for (pugi::xml_node k = c.first_child(); k; k = k.next_sibling()) {
        if (LocalName(k) == "HierarchicalCode") h.codes.push_back(ReadHierarchicalCode(k));
      }
      hcl.hierarchies.push_back(std::move(h));
    }
  }
  return hcl;
}

// The <MetadataAttribute> children of `n` (a 2.1 ReportStructure, a 3.0
// MetadataAttributeList, or a metadata attribute), each with its own.
std::vector<MetadataAttribute> ReadMetadataAttributes(const pugi::xml_node& n, const CoreTextTypes& core) {
  std::vector<MetadataAttribute> out;
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (LocalName(c) != "MetadataAttribute") continue;
    MetadataAttribute a;
    a.concept_identity = ConceptOf(c);
    a.id = Attr(c, "id");
    if (a.id.empty() && a.concept_identity) a.id = a.concept_identity->id;  // SDMX: then the concept's id
    a.codelist = EnumerationOf(c);
    a.text_type = TextTypeOf(ChildByLocalName(c, "LocalRepresentation"));
    core.Resolve(c, &a);
    a.min_occurs = c.attribute("minOccurs").as_int(1);
    const std::string max = Attr(c, "maxOccurs");
    a.max_occurs = max == "unbounded" ? MetadataAttribute::kUnbounded : max.empty() ? 1 : std::atoi(max.c_str());
    a.presentational = std::string_view(c.attribute("isPresentational").value()) == "true";
    a.children = ReadMetadataAttributes(c, core);
    out.push_back(std::move(a));
  }
  return out;
}

// SDMX-ML 2.1: MetadataTargets and ReportStructures; 3.0: one
// MetadataAttributeList (see MetadataStructure).
MetadataStructure ReadMetadataStructure(const pugi::xml_node& n, const CoreTextTypes& core) {
  // The target objects whose id SDMX fixes (and files may leave out).
  static const std::map<std::string, std::string, std::less<>> kFixedIds = {
      {"KeyDescriptorValuesTarget", "DIMENSION_DESCRIPTOR_VALUES_TARGET"},
      {"DataSetTarget", "DATA_SET_TARGET"},
      {"ConstraintContentTarget", "CONSTRAINT_CONTENT_TARGET"},
      {"ReportPeriodTarget", "REPORT_PERIOD_TARGET"}};
  MetadataStructure msd = Maintainable<MetadataStructure>(n);
  const pugi::xml_node comps = ChildByLocalName(n, "MetadataStructureComponents");
  for (pugi::xml_node c = comps.first_child(); c; c = c.next_sibling()) {
    const std::string_view ln = LocalName(c);
    if (ln == "MetadataTarget") {
      MetadataTarget t{Attr(c, "id"), {}};
      for (pugi::xml_node o = c.first_child(); o; o = o.next_sibling()) {
        std::string kind(LocalName(o));
        MetadataTargetObject object{kind, Attr(o, "id"), Attr(o, "objectType"),
                                    TextTypeOf(ChildByLocalName(o, "LocalRepresentation"))};
        if (object.id.empty()) {  // only the kinds whose id SDMX fixes may leave it out
          auto fixed = kFixedIds.find(kind);
          if (fixed == kFixedIds.end()) continue;
          object.id = fixed->second;
        }
        t.objects.push_back(std::move(object));
      }
      msd.targets.push_back(std::move(t));
    } else if (ln == "ReportStructure") {
      ReportStructure r{Attr(c, "id"), ReadMetadataAttributes(c, core), {}};
      for (pugi::xml_node m = c.first_child(); m; m = m.next_sibling()) {
        if (LocalName(m) != "MetadataTarget") continue;
        const pugi::xml_node ref = ChildByLocalName(m, "Ref");
        r.targets.push_back(ref ? Attr(ref, "id") : std::string(m.text().get()));
      }
      msd.reports.push_back(std::move(r));
    } else if (ln == "MetadataAttributeList") {
      msd.reports.push_back({"MetadataAttributeDescriptor", ReadMetadataAttributes(c, core), {}});
    }
  }
  return msd;
}

Metadataflow ReadMetadataflow(const pugi::xml_node& n) {
  Metadataflow mf = Maintainable<Metadataflow>(n);
  if (auto s = ParseRef(ChildByLocalName(n, "Structure"))) mf.structure = *s;
  for (pugi::xml_node t = n.first_child(); t; t = t.next_sibling()) {
    if (LocalName(t) == "Target") mf.targets.push_back(t.text().get());
  }
  return mf;
}

Dataflow ReadDataflow(const pugi::xml_node& n) {
  Dataflow df = Maintainable<Dataflow>(n);
  if (auto s = ParseRef(ChildByLocalName(n, "Structure"))) df.structure = *s;
  return df;
}

}  // namespace

hub::Status ReadStructureMessage(std::string_view message, const std::string& file,
                                 const StructureReaderOptions& options, StructureSet* out,
                                 Diagnostics* diags) {
  // Another encoding than UTF-8 is transcoded first (text_encoding.h).
  auto refuse = [&](std::string_view text, const TextProblem& p, std::string element) {
    const LineIndex lines(text);
    return diags->Refuse({file, lines.LineOf(static_cast<std::ptrdiff_t>(p.offset)), std::move(element), p.rule,
                          p.message});
  };
  TextProblem problem;
  const std::optional<TextEncoding> encoding = DetectEncoding(message.substr(0, kEncodingHeadBytes), &problem);
  if (!encoding) return refuse(message, problem, "xml");
  std::string transcoded;
  if (*encoding != TextEncoding::kUtf8) {
    if (std::optional<TextProblem> p = TranscodeToUtf8(message, *encoding, &transcoded)) {
      return refuse(transcoded, *p, ElementAt(transcoded, p->offset));
    }
  }
  const std::string_view buffer = *encoding == TextEncoding::kUtf8 ? message : std::string_view(transcoded);
  LineIndex lines(buffer);
  pugi::xml_document doc;
  HUB_RETURN_IF_ERROR(ParseXml(buffer, file, options.xml, lines, &doc, diags));
  pugi::xml_node root = doc.document_element();
  if (LocalName(root) != "Structure") {
    Diagnostic d{file, lines.LineOf(root), std::string(LocalName(root)), "message-type",
                 "expected an SDMX-ML Structure message"};
    std::string text = d.ToString();
    diags->Add(std::move(d));
    return hub::Status::InvalidArgument(text);
  }
  StructureSet found;
  pugi::xml_node structures = ChildByLocalName(root, "Structures");
  CoreTextTypes core;  // first: the schemes may come after the DSDs
  for (pugi::xml_node group = structures.first_child(); group; group = group.next_sibling()) {
    for (pugi::xml_node a = group.first_child(); a; a = a.next_sibling()) {
      if (LocalName(a) == "ConceptScheme") core.Add(a);
    }
  }
  for (pugi::xml_node group = structures.first_child(); group; group = group.next_sibling()) {
    for (pugi::xml_node a = group.first_child(); a; a = a.next_sibling()) {
      std::string_view ln = LocalName(a);
      if (ln == "Codelist") {
        found.Add(ReadCodelist(a));
      } else if (ln == "DataStructure") {
        found.Add(ReadDataStructure(a, core));
      } else if (ln == "Dataflow") {
        found.Add(ReadDataflow(a));
      } else if (ln == "ConceptScheme") {
        found.Add(ReadItemScheme(a, SchemeKind::kConceptScheme, "Concept"));
      } else if (ln == "AgencyScheme") {
        found.Add(ReadItemScheme(a, SchemeKind::kAgencyScheme, "Agency"));
      } else if (ln == "DataProviderScheme") {
        found.Add(ReadItemScheme(a, SchemeKind::kDataProviderScheme, "DataProvider"));
      } else if (ln == "ProvisionAgreement") {
        found.Add(ReadProvisionAgreement(a));
      } else if (ln == "ContentConstraint" || ln == "DataConstraint") {
        found.Add(ReadConstraint(a));
      } else if (ln == "CategoryScheme") {
        found.Add(ReadCategoryScheme(a));
      } else if (ln == "Categorisation") {
        found.Add(ReadCategorisation(a));
      } else if (ln == "HierarchicalCodelist") {
        found.Add(ReadHierarchicalCodelist(a));
      } else if (ln == "Hierarchy") {
        found.Add(ReadHierarchy30(a));
      } else if (ln == "DataConsumerScheme") {
        found.Add(ReadItemScheme(a, SchemeKind::kDataConsumerScheme, "DataConsumer"));
      } else if (ln == "OrganisationUnitScheme") {
        found.Add(ReadItemScheme(a, SchemeKind::kOrganisationUnitScheme, "OrganisationUnit"));
      } else if (ln == "MetadataStructure") {
        found.Add(ReadMetadataStructure(a, core));
      } else if (ln == "Metadataflow") {
        found.Add(ReadMetadataflow(a));
      } else if (IsOpaqueClass(ln) && IsSdmxMl21(a)) {
        OpaqueArtefact o = Maintainable<OpaqueArtefact>(a);
        o.sdmx_class = ln;
        ReadOpaqueBody(a, &o);
        found.Add(std::move(o));
      }
    }
  }
  out->Merge(found);
  return hub::Status::Ok();
}

hub::Status LoadStructures(const std::string& path, const StructureReaderOptions& options,
                           StructureSet* out, Diagnostics* diags) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    for (const auto& e : fs::directory_iterator(path, ec)) {
      if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
    }
    std::sort(files.begin(), files.end());
  } else {
    files.push_back(path);
  }
  for (const auto& f : files) {
    HUB_ASSIGN_OR_RETURN(std::string content, ReadFile(f));
    HUB_RETURN_IF_ERROR(ReadStructureMessage(content, f, options, out, diags));
  }
  return hub::Status::Ok();
}

hub::Status CheckReferences(const StructureSet& set, Diagnostics* diags, const StructureSet* agreements_of) {
  size_t before = diags->count();
  auto missing = [&](const std::string& owner, const std::string& what) {
    diags->Add({owner, 0, "Structure", "reference-resolves", "refers to missing " + what});
  };
  for (const auto& [k, dsd] : set.data_structures()) {
    for (const auto& d : dsd.dimensions) {
      if (d.codelist && !set.FindCodelist(*d.codelist)) missing(k, "codelist " + d.codelist->ToString());
    }
    for (const auto& a : dsd.attributes) {
      if (a.codelist && !set.FindCodelist(*a.codelist)) missing(k, "codelist " + a.codelist->ToString());
    }
  }
  for (const auto& [k, df] : set.dataflows()) {
    if (!set.FindDataStructure(df.structure)) missing(k, "data structure " + df.structure.ToString());
  }
  for (const auto& [k, mf] : set.metadataflows()) {
    if (!set.FindMetadataStructure(mf.structure)) missing(k, "metadata structure " + mf.structure.ToString());
  }
  for (const auto& [k, msd] : set.metadata_structures()) {
    for (const MetadataAttribute* a : msd.AllAttributes()) {
      if (a->codelist && !set.FindCodelist(*a->codelist)) missing(k, "codelist " + a->codelist->ToString());
    }
  }
  for (const auto& [k, pa] : (agreements_of ? agreements_of : &set)->provision_agreements()) {
    if (pa.provider.empty()) missing(k, "data provider (no DataProvider reference)");
    if (pa.dataflow.id.empty()) {
      missing(k, "dataflow (no StructureUsage reference)");
    } else if (!set.FindDataflow(pa.dataflow)) {
      missing(k, "dataflow " + pa.dataflow.ToString());
    }
  }
  for (const auto& [key, hcl] : set.hierarchical_codelists()) {
    const std::string& k = key;  // a lambda below names it (clang: no capture of a structured binding)
    std::vector<const Codelist*> included;
    for (const ArtefactRef& r : hcl.codelists) {
      if (const Codelist* cl = set.FindCodelist(r)) {
        included.push_back(cl);
      } else {
        missing(k, "codelist " + r.ToString());
      }
    }
    if (included.size() != hcl.codelists.size()) continue;
    // Every code of a hierarchy must be a code of an included codelist.
    std::function<void(const HierarchicalCode&)> check = [&](const HierarchicalCode& hc) {
      bool found = false;
      for (const Codelist* cl : included) found = found || cl->Find(hc.code);
      if (!found) missing(k, "code " + hc.code + " (in no included codelist)");
      for (const HierarchicalCode& c : hc.children) check(c);
    };
    for (const Hierarchy& h : hcl.hierarchies) {
      for (const HierarchicalCode& hc : h.codes) check(hc);
    }
  }
  if (diags->count() != before) {
    return hub::Status::InvalidArgument(std::to_string(diags->count() - before) +
                                        " unresolved structure references");
  }
  return hub::Status::Ok();
}

}  // namespace sdmx
