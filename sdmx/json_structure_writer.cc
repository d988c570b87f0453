#include "sdmx/json_structure_writer.h"

#include <cctype>
#include <map>

#include <boost/json.hpp>

#include "sdmx/structure_writer.h"

namespace sdmx {
namespace {

namespace json = boost::json;

std::string ConceptUrn(const ConceptRef& c) {
  return "urn:sdmx:org.sdmx.infomodel.conceptscheme.Concept=" + c.scheme.ToString() + "." + c.id;
}

class JsonStructureWriter {
 public:
  explicit JsonStructureWriter(const StructureJsonOptions& o)
      : v1_(o.version == StructureJsonVersion::kV1), detail_(o.detail) {}

  // Identification and name; a stub (options.detail) is marked external,
  // its self link giving where the full artefact is.
  template <typename A>
  json::object Maintainable(std::string_view package_class, const A& a) const {
    const ArtefactRef& ref = a.ref;
    const std::string& name = a.name;
    json::object o{{"id", ref.id}, {"agencyID", ref.agency}, {"version", ref.version}};
    o["name"] = name.empty() ? ref.id : name;
    o["names"] = json::object{{"en", name.empty() ? ref.id : name}};
    if (!detail_.IsStub(a) || detail_.complete_stubs) {
      if (!a.description.empty()) {
        o["description"] = a.description;
        o["descriptions"] = json::object{{"en", a.description}};
      }
      AddAnnotations(a.annotations, &o);
    }
    if (v1_) o["isFinal"] = false;
    json::object self{{"rel", "self"}, {"urn", MaintainableUrn(package_class, ref)}};
    if (detail_.IsStub(a)) {
      o["isExternalReference"] = true;
      if (std::string url = detail_.StubUrl(package_class, ref); !url.empty()) self["href"] = url;
    } else if constexpr (requires { detail_.IsPartial(a); }) {
      if (detail_.IsPartial(a)) o["isPartial"] = true;
    }
    o["links"] = json::array{std::move(self)};
    return o;
  }

  // "annotations": id, title, type and text as given, the URL as a link.
  static void AddAnnotations(const Annotations& annotations, json::object* o) {
    if (annotations.empty()) return;
    json::array out;
    for (const Annotation& a : annotations) {
      json::object j;
      if (!a.id.empty()) j["id"] = a.id;
      if (!a.title.empty()) j["title"] = a.title;
      if (!a.type.empty()) j["type"] = a.type;
      if (!a.text.empty()) {
        j["text"] = a.text;
        j["texts"] = json::object{{"en", a.text}};
      }
      if (!a.url.empty()) j["links"] = json::array{json::object{{"href", a.url}, {"rel", "self"}}};
      out.push_back(std::move(j));
    }
    (*o)["annotations"] = std::move(out);
  }

  json::array Items(const std::vector<Code>& items) const {
    json::array out;
    for (const Code& c : items) {
      json::object i{{"id", c.id}, {"name", c.name.empty() ? c.id : c.name}};
      i["names"] = json::object{{"en", c.name.empty() ? c.id : c.name}};
      if (!c.parent.empty()) i["parent"] = c.parent;
      AddAnnotations(c.annotations, &i);
      out.push_back(std::move(i));
    }
    return out;
  }

  // Categories nest: those under `parent`, each with its own.
  json::array Categories(const std::vector<Code>& items, const std::string& parent) const {
    json::array out;
    for (const Code& c : items) {
      if (c.parent != parent) continue;
      json::object i{{"id", c.id}, {"name", c.name.empty() ? c.id : c.name}};
      i["names"] = json::object{{"en", c.name.empty() ? c.id : c.name}};
      AddAnnotations(c.annotations, &i);
      json::array children = Categories(items, c.id);
      if (!children.empty()) i["categories"] = std::move(children);
      out.push_back(std::move(i));
    }
    return out;
  }

  void Component(const Component& c, json::object* o) const {
    if (c.concept_identity) (*o)["conceptIdentity"] = ConceptUrn(*c.concept_identity);
    if (c.codelist) {
      (*o)["localRepresentation"] =
          json::object{{"enumeration", MaintainableUrn("codelist.Codelist", *c.codelist)}};
    } else {
      TextFormat(c.text_type, o);
    }
  }

  // An uncoded component's type: 1.0 "textFormat": {"textType"}, 2.0
  // "format": {"dataType"}.
  void TextFormat(const std::string& text_type, json::object* o) const {
    if (text_type.empty()) return;
    (*o)["localRepresentation"] = v1_ ? json::object{{"textFormat", json::object{{"textType", text_type}}}}
                                      : json::object{{"format", json::object{{"dataType", text_type}}}};
  }

  json::object Dsd(const DataStructure& d) const {
    json::object o = Maintainable("datastructure.DataStructure", d);
    if (detail_.IsStub(d)) return o;
    json::array dims;
    int position = 0;
    for (const Dimension& dim : d.dimensions) {
      json::object j{{"id", dim.id}, {"position", ++position}};
      Component(dim, &j);
      dims.push_back(std::move(j));
    }
    json::object time{{"id", d.time_dimension}, {"position", ++position}};
    if (d.time_concept) time["conceptIdentity"] = ConceptUrn(*d.time_concept);
    TextFormat(d.time_text_type, &time);
    json::array attrs;
    for (const Attribute& a : d.attributes) {
      json::object j{{"id", a.id}};
      if (v1_) {
        j["assignmentStatus"] = a.mandatory ? "Mandatory" : "Conditional";
      } else {
        j["usage"] = a.mandatory ? "mandatory" : "optional";
      }
      json::object rel;
      switch (a.level) {
        case AttachmentLevel::kDataSet:
          rel[v1_ ? "none" : "dataflow"] = json::object{};
          break;
        case AttachmentLevel::kGroup:
          rel["group"] = a.group;
          break;
        case AttachmentLevel::kSeries: {
          json::array ids;
          for (const Dimension& dim : d.dimensions) ids.push_back(json::string(dim.id));
          rel["dimensions"] = std::move(ids);
          break;
        }
        case AttachmentLevel::kObservation:
          if (v1_) {
            rel["primaryMeasure"] = d.primary_measure;
          } else {
            rel["observation"] = json::object{};
          }
          break;
      }
      j["attributeRelationship"] = std::move(rel);
      Component(a, &j);
      attrs.push_back(std::move(j));
    }
    json::object measure{{"id", d.primary_measure}};
    if (d.measure_concept) measure["conceptIdentity"] = ConceptUrn(*d.measure_concept);
    TextFormat(d.measure_text_type, &measure);
    json::object measures{{"id", "MeasureDescriptor"}};
    if (v1_) {
      measures["primaryMeasure"] = std::move(measure);
    } else {
      measures["measures"] = json::array{std::move(measure)};
    }
    o["dataStructureComponents"] = json::object{
        {"dimensionList", json::object{{"id", "DimensionDescriptor"}, {"dimensions", std::move(dims)},
                                       {"timeDimensions", json::array{std::move(time)}}}},
        {"attributeList", json::object{{"id", "AttributeDescriptor"}, {"attributes", std::move(attrs)}}},
        {"measureList", std::move(measures)}};
    return o;
  }

  json::array MetadataAttributes(const std::vector<MetadataAttribute>& attributes) const {
    json::array out;
    for (const MetadataAttribute& a : attributes) {
      json::object j{{"id", a.id}};
      Component(a, &j);
      if (a.min_occurs != 1) j["minOccurs"] = a.min_occurs;
      if (a.max_occurs != 1) {
        j["maxOccurs"] = a.max_occurs == MetadataAttribute::kUnbounded ? json::value("unbounded") : json::value(a.max_occurs);
      }
      if (a.presentational) j["isPresentational"] = true;
      if (!a.children.empty()) j["metadataAttributes"] = MetadataAttributes(a.children);
      out.push_back(std::move(j));
    }
    return out;
  }

  // 1.0: targets and report structures (as SDMX-ML 2.1); 2.0: one list of
  // metadata attributes (as SDMX-ML 3.0).
  json::object Msd(const MetadataStructure& m) const {
    json::object o = Maintainable("metadatastructure.MetadataStructure", m);
    if (detail_.IsStub(m)) return o;
    if (!v1_) {
      o["metadataStructureComponents"] = json::object{
          {"metadataAttributeList", json::object{{"id", "MetadataAttributeDescriptor"},
                                                 {"metadataAttributes", MetadataAttributes(m.MergedAttributes())}}}};
      return o;
    }
    const std::vector<MetadataTarget> targets = m.TargetsOrAny();
    const std::string target_urn = "urn:sdmx:org.sdmx.infomodel.metadatastructure.MetadataTarget=" + m.ref.ToString();
    json::array target_list, reports;
    for (const MetadataTarget& t : targets) {
      json::object target{{"id", t.id}};
      for (const MetadataTargetObject& object : t.objects) {
        std::string key(1, static_cast<char>(std::tolower(static_cast<unsigned char>(object.kind[0]))));
        key += object.kind.substr(1) + "s";  // "identifiableObjectTargets", ...
        json::object j{{"id", object.id}};
        if (!object.object_type.empty()) j["objectType"] = object.object_type;
        json::object format;
        if (!object.text_type.empty()) format["textType"] = object.text_type;
        j["localRepresentation"] = json::object{{"textFormat", std::move(format)}};
        if (!target.contains(key)) target[key] = json::array{};
        target[key].as_array().push_back(std::move(j));
      }
      target_list.push_back(std::move(target));
    }
    for (const ReportStructure& r : m.reports) {
      json::array names;
      for (const std::string& id : r.targets) names.push_back(json::string(target_urn + "." + id));
      if (names.empty()) {
        for (const MetadataTarget& t : targets) names.push_back(json::string(target_urn + "." + t.id));
      }
      reports.push_back(json::object{
          {"id", r.id}, {"metadataAttributes", MetadataAttributes(r.attributes)}, {"metadataTargets", std::move(names)}});
    }
    o["metadataStructureComponents"] =
        json::object{{"metadataTargets", std::move(target_list)}, {"reportStructures", std::move(reports)}};
    return o;
  }

  // Codes of a hierarchy as nested objects; a code used again gets its own
  // id (CODE_2...), unique within the hierarchy.
  json::array HierarchicalCodes(const std::vector<HierarchicalCode>& codes, const ArtefactRef& codelist,
                                std::map<std::string, int>* uses) const {
    json::array out;
    for (const HierarchicalCode& hc : codes) {
      const int n = ++(*uses)[hc.code];
      json::object o{{"id", n == 1 ? hc.code : hc.code + "_" + std::to_string(n)},
                     {"code", MaintainableUrn("codelist.Code", codelist) + "." + hc.code}};
      if (!hc.children.empty()) o["hierarchicalCodes"] = HierarchicalCodes(hc.children, codelist, uses);
      out.push_back(std::move(o));
    }
    return out;
  }

  // 1.0: a hierarchicalCodelist holding its hierarchies; 2.0: each
  // hierarchy a maintainable of its own (the codelist's id, or with the
  // hierarchy's id appended when there are several).
  template <typename Add>
  void Hierarchies(const HierarchicalCodelist& h, const Add& add) const {
    const ArtefactRef codelist = h.codelists.empty() ? ArtefactRef{} : h.codelists[0];
    if (v1_) {
      json::object o = Maintainable("codelist.HierarchicalCodelist", h);
      if (!detail_.IsStub(h)) {
        json::array hierarchies;
        for (const Hierarchy& hierarchy : h.hierarchies) {
          std::map<std::string, int> uses;
          hierarchies.push_back(json::object{{"id", hierarchy.id},
                                             {"name", hierarchy.name.empty() ? hierarchy.id : hierarchy.name},
                                             {"hierarchicalCodes", HierarchicalCodes(hierarchy.codes, codelist, &uses)}});
        }
        o["hierarchies"] = std::move(hierarchies);
      }
      add("hierarchicalCodelists", std::move(o));
      return;
    }
    for (const Hierarchy& hierarchy : h.hierarchies) {
      HierarchicalCodelist one = h;
      if (h.hierarchies.size() > 1) one.ref.id = h.ref.id + "_" + hierarchy.id;
      json::object o = Maintainable("codelist.Hierarchy", one);
      if (!detail_.IsStub(one)) {
        std::map<std::string, int> uses;
        o["hasFormalLevels"] = false;
        o["hierarchicalCodes"] = HierarchicalCodes(hierarchy.codes, codelist, &uses);
      }
      add("hierarchies", std::move(o));
    }
  }

  json::object Constraint(const ContentConstraint& c) const {
    json::object o = Maintainable(v1_ ? "registry.ContentConstraint" : "registry.DataConstraint", c);
    o[v1_ ? "type" : "role"] = c.type == ContentConstraint::Type::kActual ? "Actual" : "Allowed";
    if (detail_.IsStub(c)) return o;
    json::object attachment;
    for (const auto& a : c.attachments) {
      const std::string key = a.kind == "Dataflow"        ? "dataflows"
                              : a.kind == "DataStructure" ? "dataStructures"
                                                          : "provisionAgreements";
      const std::string pkg = a.kind == "ProvisionAgreement" ? "registry." : "datastructure.";
      if (!attachment.contains(key)) attachment[key] = json::array{};
      attachment[key].as_array().push_back(json::string(MaintainableUrn(pkg + a.kind, a.ref)));
    }
    o["constraintAttachment"] = std::move(attachment);
    json::array regions, key_sets;
    for (size_t i = 0; i < c.cube_regions.size(); ++i) {
      const CubeRegion& r = c.cube_regions[i];
      const char* include = v1_ ? "isIncluded" : "include";
      if (r.from_key_set) {
        // Consecutive keys with one include flag form one key set.
        if (i == 0 || !c.cube_regions[i - 1].from_key_set || c.cube_regions[i - 1].include != r.include) {
          key_sets.push_back(json::object{{"isIncluded", r.include}, {"keys", json::array{}}});
        }
        json::array kvs;
        for (const ComponentValues& cv : r.components) {
          kvs.push_back(json::object{{"id", cv.id}, {"value", cv.values.empty() ? "" : cv.values[0]}});
        }
        key_sets.back().as_object()["keys"].as_array().push_back(json::object{{"keyValues", std::move(kvs)}});
        continue;
      }
      json::array keys, components;
      for (const ComponentValues& cv : r.components) {
        json::array values;
        for (const std::string& v : cv.values) values.push_back(json::string(v));
        json::object kv{{"id", cv.id}};
        if (cv.start_period.empty() && cv.end_period.empty()) {
          kv["values"] = std::move(values);
        } else {
          json::object range;
          if (!cv.start_period.empty()) range["startPeriod"] = {{"period", cv.start_period}, {"isInclusive", true}};
          if (!cv.end_period.empty()) range["endPeriod"] = {{"period", cv.end_period}, {"isInclusive", true}};
          kv["timeRange"] = std::move(range);
        }
        (cv.attribute ? components : keys).push_back(std::move(kv));
      }
      json::object region{{include, r.include}, {"keyValues", std::move(keys)}};
      if (!components.empty()) region[v1_ ? "attributes" : "components"] = std::move(components);
      regions.push_back(std::move(region));
    }
    if (!key_sets.empty()) o["dataKeySets"] = std::move(key_sets);
    if (!regions.empty()) o["cubeRegions"] = std::move(regions);
    return o;
  }

  std::string Write(const StructureSet& set, const StructureJsonOptions& options) const {
    json::object data;
    auto add = [&](const char* key, json::object value) {
      if (!data.contains(key)) data[key] = json::array{};
      data[key].as_array().push_back(std::move(value));
    };
    for (const auto& [k, s] : set.schemes()) {
      static constexpr const char* kList[] = {"conceptSchemes",  "agencySchemes",      "dataProviderSchemes",
                                              "categorySchemes", "dataConsumerSchemes", "organisationUnitSchemes"};
      static constexpr const char* kItems[] = {"concepts",   "agencies",      "dataProviders",
                                               "categories", "dataConsumers", "organisationUnits"};
      const int i = static_cast<int>(s.kind);
      json::object o = Maintainable(SchemePackageClass(s.kind), s);
      if (!detail_.IsStub(s)) {
        json::array items = s.kind == SchemeKind::kCategoryScheme ? Categories(s.items, "") : Items(s.items);
        if (v1_ && s.kind == SchemeKind::kOrganisationUnitScheme) {  // 1.0: a parent unit by its URN
          for (json::value& item : items) {
            json::object& unit = item.as_object();
            if (unit.contains("parent")) {
              unit["parent"] = "urn:sdmx:org.sdmx.infomodel.base.OrganisationUnit=" + s.ref.ToString() + "." +
                               std::string(unit["parent"].as_string());
            }
          }
        }
        o[kItems[i]] = std::move(items);
      }
      add(kList[i], std::move(o));
    }
    for (const auto& [k, c] : set.codelists()) {
      json::object o = Maintainable("codelist.Codelist", c);
      if (!detail_.IsStub(c)) o["codes"] = Items(c.codes);
      add("codelists", std::move(o));
    }
    for (const auto& [k, d] : set.data_structures()) add("dataStructures", Dsd(d));
    for (const auto& [k, d] : set.dataflows()) {
      json::object o = Maintainable("datastructure.Dataflow", d);
      if (!detail_.IsStub(d)) o["structure"] = MaintainableUrn("datastructure.DataStructure", d.structure);
      add("dataflows", std::move(o));
    }
    for (const auto& [k, p] : set.provision_agreements()) {
      json::object o = Maintainable("registry.ProvisionAgreement", p);
      if (!detail_.IsStub(p)) {
        o[v1_ ? "structureUsage" : "dataflow"] = MaintainableUrn("datastructure.Dataflow", p.dataflow);
        o["dataProvider"] =
            "urn:sdmx:org.sdmx.infomodel.base.DataProvider=" + p.provider_scheme.ToString() + "." + p.provider;
      }
      add("provisionAgreements", std::move(o));
    }
    for (const auto& [k, c] : set.constraints()) add(v1_ ? "contentConstraints" : "dataConstraints", Constraint(c));
    for (const auto& [k, h] : set.hierarchical_codelists()) Hierarchies(h, add);
    for (const auto& [k, c] : set.categorisations()) {
      json::object o = Maintainable("categoryscheme.Categorisation", c);
      if (!detail_.IsStub(c)) {
        o["source"] = MaintainableUrn(std::string(PackageOfClass(c.source_class)) + "." + c.source_class, c.source);
        o["target"] = MaintainableUrn("categoryscheme.Category", c.category_scheme) + "." + c.category;
      }
      add("categorisations", std::move(o));
    }
    for (const auto& [k, m] : set.metadata_structures()) add("metadataStructures", Msd(m));
    for (const auto& [k, m] : set.metadataflows()) {
      json::object o = Maintainable("metadatastructure.Metadataflow", m);
      if (!detail_.IsStub(m)) {
        o["structure"] = MaintainableUrn("metadatastructure.MetadataStructure", m.structure);
        if (!v1_) {  // 2.0 names the targets (1.0: its MSD does)
          json::array targets;
          for (const std::string& t : TargetsOf(m, detail_.resolve_in ? *detail_.resolve_in : set)) {
            targets.push_back(json::string(t));
          }
          if (!targets.empty()) o["targets"] = std::move(targets);
        }
      }
      add("metadataflows", std::move(o));
    }
    json::object meta{{"id", options.message_id}, {"test", false}, {"sender", json::object{{"id", options.sender}}}};
    if (!options.prepared.empty()) meta["prepared"] = options.prepared;
    meta["contentLanguages"] = json::array{"en"};
    if (!v1_) {
      meta["schema"] =
          "https://raw.githubusercontent.com/sdmx-twg/sdmx-json/master/structure-message/tools/schemas/2.0.0/"
          "sdmx-json-structure-schema.json";
    }
    json::object root{{"meta", std::move(meta)}, {"data", std::move(data)}};
    return json::serialize(root);
  }

 private:
  const bool v1_;
  const StructureDetail& detail_;
};

}  // namespace

std::string WriteStructureJson(const StructureSet& set, const StructureJsonOptions& options) {
  return JsonStructureWriter(options).Write(set, options);
}

}  // namespace sdmx
