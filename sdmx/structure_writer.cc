#include "sdmx/structure_writer.h"

#include <algorithm>
#include <iterator>
#include <map>

#include "sdmx/xml.h"

namespace sdmx {

std::string MaintainableUrn(std::string_view package_class, const ArtefactRef& ref) {
  return "urn:sdmx:org.sdmx.infomodel." + std::string(package_class) + "=" + ref.ToString();
}

const char* SchemePackageClass(SchemeKind kind) {
  static constexpr const char* kPackage[] = {"conceptscheme.ConceptScheme", "base.AgencyScheme",
                                             "base.DataProviderScheme", "categoryscheme.CategoryScheme",
                                             "base.DataConsumerScheme", "base.OrganisationUnitScheme"};
  return kPackage[static_cast<int>(kind)];
}

namespace {

// One message being written; `o` collects the current artefact.
class MlStructureWriter {
 public:
  MlStructureWriter(const StructureWriteOptions& options, const std::function<void(std::string_view)>& sink)
      : v30_(options.version == StructureMlVersion::k30), options_(options), sink_(sink) {}

  void Write(const StructureSet& set) {
    set_ = &set;
    const char* v = v30_ ? "v3_0" : "v2_1";
    o_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<mes:Structure";
    for (const char* ns : {"message", "structure", "common"}) {
      o_ += std::string(" xmlns:") + (ns[0] == 'm' ? "mes" : ns[0] == 's' ? "str" : "com") +
            "=\"http://www.sdmx.org/resources/sdmxml/schemas/" + v + "/" + ns + "\"";
    }
    o_ += ">\n<mes:Header><mes:ID>";
    AppendEscaped(&o_, options_.message_id);
    o_ += "</mes:ID><mes:Test>false</mes:Test><mes:Prepared>";
    AppendEscaped(&o_, options_.prepared);
    o_ += "</mes:Prepared><mes:Sender id=\"";
    AppendEscaped(&o_, options_.sender);
    o_ += "\"/></mes:Header>\n<mes:Structures>\n";
    Flush();
    if (v30_) {
      // 3.0 lists the artefact kinds in alphabetical order.
      Schemes(set, SchemeKind::kAgencyScheme, "AgencySchemes");
      Section("Categorisations", set.categorisations(), [&](const Categorisation& c) { WriteCategorisation(c); });
      Schemes(set, SchemeKind::kCategoryScheme, "CategorySchemes");
      Section("Codelists", set.codelists(), [&](const Codelist& c) { WriteCodelist(c); });
      Schemes(set, SchemeKind::kConceptScheme, "ConceptSchemes");
      Section("DataConstraints", set.constraints(), [&](const ContentConstraint& c) { WriteConstraint(c); });
      Schemes(set, SchemeKind::kDataConsumerScheme, "DataConsumerSchemes");
      Section("Dataflows", set.dataflows(), [&](const Dataflow& d) { WriteDataflow(d); });
      Schemes(set, SchemeKind::kDataProviderScheme, "DataProviderSchemes");
      Section("DataStructures", set.data_structures(), [&](const DataStructure& d) { WriteDsd(d); });
      Section("Hierarchies", set.hierarchical_codelists(), [&](const HierarchicalCodelist& h) { WriteHierarchies(h); });
      Section("Metadataflows", set.metadataflows(), [&](const Metadataflow& m) { WriteMetadataflow(m); });
      Section("MetadataStructures", set.metadata_structures(), [&](const MetadataStructure& m) { WriteMsd(m); });
      Schemes(set, SchemeKind::kOrganisationUnitScheme, "OrganisationUnitSchemes");
      Section("ProvisionAgreements", set.provision_agreements(),
              [&](const ProvisionAgreement& p) { WriteAgreement(p); });
    } else {
      // 2.1: OrganisationSchemes, Dataflows, Metadataflows, CategorySchemes, Categorisations,
      // Codelists, HierarchicalCodelists, Concepts, MetadataStructures, DataStructures,
      // Constraints, ProvisionAgreements.
      static constexpr SchemeKind kOrganisations[] = {SchemeKind::kAgencyScheme, SchemeKind::kDataConsumerScheme,
                                                      SchemeKind::kDataProviderScheme,
                                                      SchemeKind::kOrganisationUnitScheme};
      bool orgs = false;
      for (const auto& [k, s] : set.schemes()) {
        orgs = orgs || std::find(std::begin(kOrganisations), std::end(kOrganisations), s.kind) != std::end(kOrganisations);
      }
      if (orgs) {
        o_ += "<str:OrganisationSchemes>\n";
        for (SchemeKind kind : kOrganisations) {
          for (const auto& [k, s] : set.schemes()) {
            if (s.kind == kind) WriteScheme(s);
          }
        }
        o_ += "</str:OrganisationSchemes>\n";
      }
      Section("Dataflows", set.dataflows(), [&](const Dataflow& d) { WriteDataflow(d); });
      Section("Metadataflows", set.metadataflows(), [&](const Metadataflow& m) { WriteMetadataflow(m); });
      Schemes(set, SchemeKind::kCategoryScheme, "CategorySchemes");
      Section("Categorisations", set.categorisations(), [&](const Categorisation& c) { WriteCategorisation(c); });
      Section("Codelists", set.codelists(), [&](const Codelist& c) { WriteCodelist(c); });
      Section("HierarchicalCodelists", set.hierarchical_codelists(),
              [&](const HierarchicalCodelist& h) { WriteHierarchicalCodelist(h); });
      Schemes(set, SchemeKind::kConceptScheme, "Concepts");
      Section("MetadataStructures", set.metadata_structures(), [&](const MetadataStructure& m) { WriteMsd(m); });
      Section("DataStructures", set.data_structures(), [&](const DataStructure& d) { WriteDsd(d); });
      Opaque(set, "StructureSet", "StructureSets");
      Opaque(set, "ReportingTaxonomy", "ReportingTaxonomies");
      Opaque(set, "Process", "Processes");
      // Both kinds of constraint share the section.
      if (!set.constraints().empty() || Holding(set, "AttachmentConstraint")) {
        o_ += "<str:Constraints>\n";
        for (const auto& [k, c] : set.constraints()) WriteConstraint(c);
        Opaque(set, "AttachmentConstraint", nullptr);
        o_ += "</str:Constraints>\n";
      }
      Section("ProvisionAgreements", set.provision_agreements(),
              [&](const ProvisionAgreement& p) { WriteAgreement(p); });
    }
    o_ += "</mes:Structures>\n</mes:Structure>\n";
    Flush();
  }

 private:
  void Flush() {
    if (!o_.empty()) sink_(o_);
    o_.clear();
  }

  template <typename M, typename F>
  void Section(const char* element, const M& items, F write) {
    if (items.empty()) return;
    o_ += std::string("<str:") + element + ">\n";
    for (const auto& [k, item] : items) {
      write(item);
      Flush();
    }
    o_ += std::string("</str:") + element + ">\n";
  }

  static bool Holding(const StructureSet& set, std::string_view sdmx_class) {
    for (const auto& [k, a] : set.opaque()) {
      if (a.sdmx_class == sdmx_class) return true;
    }
    return false;
  }

  // The opaque artefacts of `sdmx_class` (SDMX-ML 2.1 only: 3.0 writes
  // none), as they came, or as stubs; in a section `element` unless null.
  void Opaque(const StructureSet& set, std::string_view sdmx_class, const char* element) {
    if (v30_ || !Holding(set, sdmx_class)) return;
    if (element) o_ += std::string("<str:") + element + ">\n";
    for (const auto& [k, a] : set.opaque()) {
      if (a.sdmx_class != sdmx_class) continue;
      const std::string cls(sdmx_class);
      if (options_.detail.IsStub(a)) {
        OpenMaintainable(cls.c_str(), std::string(PackageOfClass(cls)) + "." + cls, a);
      } else {
        o_ += a.xml;
        o_ += '\n';
      }
      Flush();
    }
    if (element) o_ += std::string("</str:") + element + ">\n";
  }

  void Schemes(const StructureSet& set, SchemeKind kind, const char* element) {
    bool any = false;
    for (const auto& [k, s] : set.schemes()) any = any || s.kind == kind;
    if (!any) return;
    o_ += std::string("<str:") + element + ">\n";
    for (const auto& [k, s] : set.schemes()) {
      if (s.kind != kind) continue;
      WriteScheme(s);
      Flush();
    }
    o_ += std::string("</str:") + element + ">\n";
  }

  void Attr(const char* name, std::string_view value) {
    o_ += ' ';
    o_ += name;
    o_ += "=\"";
    AppendEscaped(&o_, value);
    o_ += '"';
  }

  // <com:Annotations> (they come first in an artefact or item, both versions).
  void WriteAnnotations(const Annotations& annotations) {
    if (annotations.empty()) return;
    o_ += "<com:Annotations>";
    for (const Annotation& a : annotations) {
      o_ += "<com:Annotation";
      if (!a.id.empty()) Attr("id", a.id);
      o_ += '>';
      for (const auto& [tag, value] : {std::pair{"AnnotationTitle", &a.title}, {"AnnotationType", &a.type},
                                       {"AnnotationURL", &a.url}}) {
        if (value->empty()) continue;
        o_ += std::string("<com:") + tag + ">";
        AppendEscaped(&o_, *value);
        o_ += std::string("</com:") + tag + ">";
      }
      if (!a.text.empty()) {
        o_ += "<com:AnnotationText xml:lang=\"en\">";
        AppendEscaped(&o_, a.text);
        o_ += "</com:AnnotationText>";
      }
      o_ += "</com:Annotation>";
    }
    o_ += "</com:Annotations>";
  }

  void Name(const std::string& name, std::string_view fallback) {
    o_ += "<com:Name xml:lang=\"en\">";
    AppendEscaped(&o_, name.empty() ? fallback : std::string_view(name));
    o_ += "</com:Name>";
  }

  // <str:ELEMENT urn= agencyID= id= version=[ isFinal=]...> + Name; the caller
  // closes it. A stub (options.detail) is written whole, and true returned:
  // the caller writes nothing more of it.
  template <typename A>
  bool OpenMaintainable(const char* element, std::string_view package_class, const A& a, const char* extra = "",
                        bool versioned = true) {
    const ArtefactRef& ref = a.ref;
    const StructureDetail& detail = options_.detail;
    const bool stub = detail.IsStub(a);
    o_ += std::string("<str:") + element;
    Attr("urn", MaintainableUrn(package_class, ref));
    Attr("agencyID", ref.agency);
    Attr("id", ref.id);
    if (versioned || !v30_) Attr("version", ref.version);
    if (!v30_) Attr("isFinal", "false");
    if (stub) {
      Attr("isExternalReference", "true");
      if (std::string url = detail.StubUrl(element, ref); !url.empty()) Attr("structureURL", url);
    }
    if constexpr (requires { detail.IsPartial(a); }) {
      if (!stub && detail.IsPartial(a)) Attr("isPartial", "true");
    }
    o_ += extra;
    o_ += '>';
    if (!stub || detail.complete_stubs) WriteAnnotations(a.annotations);
    Name(a.name, ref.id);
    if (!a.description.empty() && (!stub || detail.complete_stubs)) {
      o_ += "<com:Description xml:lang=\"en\">";
      AppendEscaped(&o_, a.description);
      o_ += "</com:Description>";
    }
    if (stub) o_ += std::string("</str:") + element + ">\n";
    return stub;
  }

  // A reference to a maintainable: 2.1 <Ref .../>, 3.0 the URN as text.
  // `attributes` (" name=\"value\"...") go on the element.
  void Ref(const char* element, std::string_view package, std::string_view cls, const ArtefactRef& ref,
           std::string_view attributes = {}) {
    o_ += std::string("<str:") + element;
    o_ += attributes;
    o_ += '>';
    if (v30_) {
      AppendEscaped(&o_, MaintainableUrn(std::string(package) + "." + std::string(cls), ref));
    } else {
      o_ += "<Ref";
      Attr("agencyID", ref.agency);
      Attr("id", ref.id);
      Attr("version", ref.version);
      Attr("class", cls);
      Attr("package", package);
      o_ += "/>";
    }
    o_ += std::string("</str:") + element + ">";
  }

  // A reference to an item of a scheme (a concept, a data provider).
  void ItemRef(const char* element, std::string_view package, std::string_view cls, const ArtefactRef& scheme,
               const std::string& id) {
    o_ += std::string("<str:") + element + ">";
    if (v30_) {
      AppendEscaped(&o_, "urn:sdmx:org.sdmx.infomodel." + std::string(package) + "." + std::string(cls) + "=" +
                             scheme.ToString() + "." + id);
    } else {
      o_ += "<Ref";
      Attr("agencyID", scheme.agency);
      Attr("maintainableParentID", scheme.id);
      Attr("maintainableParentVersion", scheme.version);
      Attr("id", id);
      Attr("class", cls);
      Attr("package", package);
      o_ += "/>";
    }
    o_ += std::string("</str:") + element + ">";
  }

  void Items(const std::vector<Code>& items, const char* element) {
    for (const Code& c : items) {
      o_ += std::string("\n<str:") + element;
      Attr("id", c.id);
      o_ += '>';
      WriteAnnotations(c.annotations);
      Name(c.name, c.id);
      if (!c.parent.empty()) {
        o_ += "<str:Parent>";
        if (v30_) {
          AppendEscaped(&o_, c.parent);
        } else {
          o_ += "<Ref";
          Attr("id", c.parent);
          o_ += "/>";
        }
        o_ += "</str:Parent>";
      }
      o_ += std::string("</str:") + element + ">";
    }
  }

  void WriteCodelist(const Codelist& c) {
    if (OpenMaintainable("Codelist", "codelist.Codelist", c)) return;
    Items(c.codes, "Code");
    o_ += "\n</str:Codelist>\n";
  }

  void WriteScheme(const ItemScheme& s) {
    static constexpr const char* kItem[] = {"Concept", "Agency", "DataProvider", "Category", "DataConsumer",
                                            "OrganisationUnit"};
    // 3.0 organisation schemes have no version (SDMX fixes it at 1.0).
    const bool versioned = s.kind == SchemeKind::kConceptScheme || s.kind == SchemeKind::kCategoryScheme;
    if (OpenMaintainable(SchemeKindName(s.kind), SchemePackageClass(s.kind), s, "", versioned)) return;
    if (s.kind == SchemeKind::kCategoryScheme) {
      NestedCategories(s.items, "");
    } else {
      Items(s.items, kItem[static_cast<int>(s.kind)]);
    }
    o_ += std::string("\n</str:") + SchemeKindName(s.kind) + ">\n";
  }

  // Categories nest (no Parent reference in SDMX-ML): those under `parent`.
  void NestedCategories(const std::vector<Code>& items, const std::string& parent) {
    for (const Code& c : items) {
      if (c.parent != parent) continue;
      o_ += "\n<str:Category";
      Attr("id", c.id);
      o_ += '>';
      WriteAnnotations(c.annotations);
      Name(c.name, c.id);
      NestedCategories(items, c.id);
      o_ += "</str:Category>";
    }
  }

  // Source: the artefact filed; target: the category (an item reference).
  void WriteCategorisation(const Categorisation& c) {
    if (OpenMaintainable("Categorisation", "categoryscheme.Categorisation", c)) return;
    Ref("Source", PackageOfClass(c.source_class), c.source_class, c.source);
    ItemRef("Target", "categoryscheme", "Category", c.category_scheme, c.category);
    o_ += "</str:Categorisation>\n";
  }

  void Concept(const std::optional<ConceptRef>& c) {
    if (c) ItemRef("ConceptIdentity", "conceptscheme", "Concept", c->scheme, c->id);
  }

  // A LocalRepresentation: the codelist, else the TextFormat (a component
  // whose type came from its concept's CoreRepresentation gets it here, so
  // that a stored DSD reads back with the same types without its scheme).
  void Representation(const std::optional<ArtefactRef>& codelist, std::string_view text_type) {
    if (!codelist && text_type.empty()) return;
    o_ += "<str:LocalRepresentation>";
    if (codelist) {
      Ref("Enumeration", "codelist", "Codelist", *codelist);
    } else {
      o_ += "<str:TextFormat";
      Attr("textType", text_type);
      o_ += "/>";
    }
    o_ += "</str:LocalRepresentation>";
  }

  void WriteDsd(const DataStructure& d) {
    if (OpenMaintainable("DataStructure", "datastructure.DataStructure", d)) return;
    o_ += "\n<str:DataStructureComponents>\n<str:DimensionList id=\"DimensionDescriptor\">";
    int position = 0;
    for (const Dimension& dim : d.dimensions) {
      o_ += "\n<str:Dimension";
      Attr("id", dim.id);
      Attr("position", std::to_string(++position));
      o_ += '>';
      Concept(dim.concept_identity);
      Representation(dim.codelist, dim.text_type);
      o_ += "</str:Dimension>";
    }
    o_ += "\n<str:TimeDimension";
    Attr("id", d.time_dimension);
    if (!v30_) Attr("position", std::to_string(++position));  // 3.0: always last, no position
    o_ += '>';
    Concept(d.time_concept);
    Representation(std::nullopt, d.time_text_type);
    o_ += "</str:TimeDimension>\n</str:DimensionList>";
    if (!d.attributes.empty()) {
      o_ += "\n<str:AttributeList id=\"AttributeDescriptor\">";
      for (const Attribute& a : d.attributes) {
        o_ += "\n<str:Attribute";
        Attr("id", a.id);
        if (v30_) {
          Attr("usage", a.mandatory ? "mandatory" : "optional");
        } else {
          Attr("assignmentStatus", a.mandatory ? "Mandatory" : "Conditional");
        }
        o_ += '>';
        Concept(a.concept_identity);
        Representation(a.codelist, a.text_type);
        Relationship(d, a);
        o_ += "</str:Attribute>";
      }
      o_ += "\n</str:AttributeList>";
    }
    o_ += "\n<str:MeasureList id=\"MeasureDescriptor\">";
    const char* measure = v30_ ? "Measure" : "PrimaryMeasure";
    o_ += std::string("<str:") + measure;
    Attr("id", d.primary_measure);
    o_ += '>';
    Concept(d.measure_concept);
    Representation(std::nullopt, d.measure_text_type);
    o_ += std::string("</str:") + measure + "></str:MeasureList>\n</str:DataStructureComponents>\n</str:DataStructure>\n";
  }

  void Relationship(const DataStructure& d, const Attribute& a) {
    o_ += "<str:AttributeRelationship>";
    switch (a.level) {
      case AttachmentLevel::kDataSet:
        o_ += v30_ ? "<str:Dataflow/>" : "<str:None/>";
        break;
      case AttachmentLevel::kGroup:
        o_ += "<str:Group>";
        if (v30_) {
          AppendEscaped(&o_, a.group);
        } else {
          o_ += "<Ref";
          Attr("id", a.group);
          o_ += "/>";
        }
        o_ += "</str:Group>";
        break;
      case AttachmentLevel::kSeries:
        for (const Dimension& dim : d.dimensions) {
          o_ += "<str:Dimension>";
          if (v30_) {
            AppendEscaped(&o_, dim.id);
          } else {
            o_ += "<Ref";
            Attr("id", dim.id);
            o_ += "/>";
          }
          o_ += "</str:Dimension>";
        }
        break;
      case AttachmentLevel::kObservation:
        if (v30_) {
          o_ += "<str:Observation/>";
        } else {
          o_ += "<str:PrimaryMeasure><Ref";
          Attr("id", d.primary_measure);
          o_ += "/></str:PrimaryMeasure>";
        }
        break;
    }
    o_ += "</str:AttributeRelationship>";
  }

  void WriteDataflow(const Dataflow& d) {
    if (OpenMaintainable("Dataflow", "datastructure.Dataflow", d)) return;
    Ref("Structure", "datastructure", "DataStructure", d.structure);
    o_ += "</str:Dataflow>\n";
  }

  // The codes of a hierarchy, nested. A code may sit under several parents
  // (a country in its region and in the LDCs): each use gets its own id
  // (CODE, CODE_2...), unique within the hierarchy as the schema asks.
  void HierarchicalCodes(const std::vector<HierarchicalCode>& codes, const ArtefactRef& codelist,
                         std::map<std::string, int>* uses) {
    for (const HierarchicalCode& hc : codes) {
      const int n = ++(*uses)[hc.code];
      o_ += "<str:HierarchicalCode";
      Attr("id", n == 1 ? hc.code : hc.code + "_" + std::to_string(n));
      o_ += '>';
      ItemRef("Code", "codelist", "Code", codelist, hc.code);
      HierarchicalCodes(hc.children, codelist, uses);
      o_ += "</str:HierarchicalCode>";
    }
  }

  // 2.1 HierarchicalCodelist: its included codelists (codes refer to the first).
  void WriteHierarchicalCodelist(const HierarchicalCodelist& h) {
    if (OpenMaintainable("HierarchicalCodelist", "codelist.HierarchicalCodelist", h)) return;
    // Each with its id as alias: sdmx1 keys included codelists by it.
    for (const ArtefactRef& cl : h.codelists) {
      std::string alias = " alias=\"";
      AppendEscaped(&alias, cl.id);
      Ref("IncludedCodelist", "codelist", "Codelist", cl, alias + "\"");
    }
    for (const Hierarchy& hierarchy : h.hierarchies) {
      o_ += "\n<str:Hierarchy";
      Attr("id", hierarchy.id);
      o_ += '>';
      Name(hierarchy.name, hierarchy.id);
      std::map<std::string, int> uses;
      if (!h.codelists.empty()) HierarchicalCodes(hierarchy.codes, h.codelists[0], &uses);
      o_ += "</str:Hierarchy>";
    }
    o_ += "\n</str:HierarchicalCodelist>\n";
  }

  // 3.0 has no HierarchicalCodelist: each hierarchy is a maintainable
  // Hierarchy, with the codelist's id (its own id when there are several).
  void WriteHierarchies(const HierarchicalCodelist& h) {
    for (const Hierarchy& hierarchy : h.hierarchies) {
      HierarchicalCodelist one = h;
      if (h.hierarchies.size() > 1) one.ref.id = h.ref.id + "_" + hierarchy.id;
      if (OpenMaintainable("Hierarchy", "codelist.Hierarchy", one, " hasFormalLevels=\"false\"")) continue;
      std::map<std::string, int> uses;
      if (!h.codelists.empty()) HierarchicalCodes(hierarchy.codes, h.codelists[0], &uses);
      o_ += "\n</str:Hierarchy>\n";
    }
  }

  // Nested metadata attributes, with min/maxOccurs and isPresentational
  // where they differ from SDMX's defaults.
  void MetadataAttributes(const std::vector<MetadataAttribute>& attributes) {
    for (const MetadataAttribute& a : attributes) {
      o_ += "\n<str:MetadataAttribute";
      Attr("id", a.id);
      if (a.min_occurs != 1) Attr("minOccurs", std::to_string(a.min_occurs));
      if (a.max_occurs != 1) {
        Attr("maxOccurs", a.max_occurs == MetadataAttribute::kUnbounded ? "unbounded" : std::to_string(a.max_occurs));
      }
      if (a.presentational) Attr("isPresentational", "true");
      o_ += '>';
      Concept(a.concept_identity);
      Representation(a.codelist, a.text_type);
      MetadataAttributes(a.children);
      o_ += "</str:MetadataAttribute>";
    }
  }

  // 2.1: the targets and report structures. 3.0: the attributes of every
  // report structure in one list (3.0 names targets on the metadataflow).
  void WriteMsd(const MetadataStructure& m) {
    if (OpenMaintainable("MetadataStructure", "metadatastructure.MetadataStructure", m)) return;
    o_ += "\n<str:MetadataStructureComponents>";
    if (v30_) {
      o_ += "<str:MetadataAttributeList id=\"MetadataAttributeDescriptor\">";
      MetadataAttributes(m.MergedAttributes());
      o_ += "\n</str:MetadataAttributeList>";
    } else {
      const std::vector<MetadataTarget> targets = m.TargetsOrAny();
      for (const MetadataTarget& t : targets) {
        o_ += "\n<str:MetadataTarget";
        Attr("id", t.id);
        o_ += '>';
        for (const MetadataTargetObject& object : t.objects) {
          o_ += "<str:" + object.kind;
          Attr("id", object.id);
          if (!object.object_type.empty()) Attr("objectType", object.object_type);
          o_ += "><str:LocalRepresentation><str:TextFormat";
          if (!object.text_type.empty()) Attr("textType", object.text_type);
          o_ += "/></str:LocalRepresentation></str:" + object.kind + ">";
        }
        o_ += "</str:MetadataTarget>";
      }
      for (const ReportStructure& r : m.reports) {
        o_ += "\n<str:ReportStructure";
        Attr("id", r.id);
        o_ += '>';
        MetadataAttributes(r.attributes);
        std::vector<std::string> names = r.targets;  // none named (3.0): every target
        if (names.empty()) {
          for (const MetadataTarget& t : targets) names.push_back(t.id);
        }
        for (const std::string& id : names) {
          o_ += "\n<str:MetadataTarget><Ref";
          Attr("id", id);
          o_ += "/></str:MetadataTarget>";
        }
        o_ += "</str:ReportStructure>";
      }
    }
    o_ += "\n</str:MetadataStructureComponents>\n</str:MetadataStructure>\n";
  }

  // 3.0 names what the metadata attaches to (at least one target); a 2.1
  // metadataflow takes them from its MSD (TargetsOf).
  void WriteMetadataflow(const Metadataflow& m) {
    if (OpenMaintainable("Metadataflow", "metadatastructure.Metadataflow", m)) return;
    Ref("Structure", "metadatastructure", "MetadataStructure", m.structure);
    if (v30_) {
      const StructureSet* context = options_.detail.resolve_in ? options_.detail.resolve_in : set_;
      for (const std::string& target : TargetsOf(m, *context)) {
        o_ += "<str:Target>";
        AppendEscaped(&o_, target);
        o_ += "</str:Target>";
      }
    }
    o_ += "</str:Metadataflow>\n";
  }

  void WriteAgreement(const ProvisionAgreement& p) {
    if (OpenMaintainable("ProvisionAgreement", "registry.ProvisionAgreement", p)) return;
    Ref(v30_ ? "Dataflow" : "StructureUsage", "datastructure", "Dataflow", p.dataflow);
    ItemRef("DataProvider", "base", "DataProvider", p.provider_scheme, p.provider);
    o_ += "</str:ProvisionAgreement>\n";
  }

  void Values(const ComponentValues& cv, bool single_value) {
    const char* element = !cv.attribute ? "KeyValue" : v30_ ? "Component" : "Attribute";
    const char* prefix = v30_ ? "str:" : "com:";
    o_ += std::string("<") + prefix + element;
    Attr("id", cv.id);
    o_ += '>';
    for (const std::string& value : cv.values) {
      o_ += std::string("<") + prefix + "Value>";
      AppendEscaped(&o_, value);
      o_ += std::string("</") + prefix + "Value>";
      if (single_value) break;
    }
    if (!cv.start_period.empty() || !cv.end_period.empty()) {
      o_ += std::string("<") + prefix + "TimeRange>";
      for (const auto& [tag, period] : {std::pair{"StartPeriod", &cv.start_period}, {"EndPeriod", &cv.end_period}}) {
        if (period->empty()) continue;
        o_ += std::string("<") + prefix + tag + " isInclusive=\"true\">";
        AppendEscaped(&o_, *period);
        o_ += std::string("</") + prefix + tag + ">";
      }
      o_ += std::string("</") + prefix + "TimeRange>";
    }
    o_ += std::string("</") + prefix + element + ">";
  }

  void WriteConstraint(const ContentConstraint& c) {
    const bool actual = c.type == ContentConstraint::Type::kActual;
    const std::string extra = std::string(v30_ ? " role=\"" : " type=\"") + (actual ? "Actual" : "Allowed") + "\"";
    const char* element = v30_ ? "DataConstraint" : "ContentConstraint";
    if (OpenMaintainable(element, v30_ ? "registry.DataConstraint" : "registry.ContentConstraint", c,
                         extra.c_str())) {
      return;
    }
    if (!c.attachments.empty()) {
      o_ += "<str:ConstraintAttachment>";
      for (const auto& a : c.attachments) {
        const char* package = a.kind == "ProvisionAgreement" ? "registry" : "datastructure";
        Ref(a.kind.c_str(), package, a.kind, a.ref);
      }
      o_ += "</str:ConstraintAttachment>";
    }
    // Keys of DataKeySets first (the schema's order), consecutive keys with
    // one include flag forming one set, then the cube regions.
    for (size_t i = 0; i < c.cube_regions.size();) {
      if (!c.cube_regions[i].from_key_set) {
        ++i;
        continue;
      }
      const bool include = c.cube_regions[i].include;
      o_ += std::string("\n<str:DataKeySet isIncluded=\"") + (include ? "true" : "false") + "\">";
      for (; i < c.cube_regions.size() && c.cube_regions[i].from_key_set && c.cube_regions[i].include == include; ++i) {
        o_ += "<str:Key>";
        for (const ComponentValues& cv : c.cube_regions[i].components) Values(cv, true);
        o_ += "</str:Key>";
      }
      o_ += "</str:DataKeySet>";
    }
    for (const CubeRegion& r : c.cube_regions) {
      if (r.from_key_set) continue;
      o_ += std::string("\n<str:CubeRegion include=\"") + (r.include ? "true" : "false") + "\">";
      for (const ComponentValues& cv : r.components) Values(cv, false);
      o_ += "</str:CubeRegion>";
    }
    o_ += std::string("\n</str:") + element + ">\n";
  }

  const bool v30_;
  const StructureSet* set_ = nullptr;  // the set being written
  const StructureWriteOptions& options_;
  const std::function<void(std::string_view)>& sink_;
  std::string o_;
};

}  // namespace

void WriteStructureMl(const StructureSet& set, const StructureWriteOptions& options,
                      const std::function<void(std::string_view)>& sink) {
  MlStructureWriter(options, sink).Write(set);
}

std::string WriteStructureMl(const StructureSet& set, const StructureWriteOptions& options) {
  std::string out;
  WriteStructureMl(set, options, [&](std::string_view chunk) { out.append(chunk); });
  return out;
}

}  // namespace sdmx
