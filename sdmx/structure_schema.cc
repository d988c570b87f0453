#include "sdmx/structure_schema.h"

#include <map>
#include <set>

#include "sdmx/text_type.h"
#include "sdmx/xml.h"

namespace sdmx {
namespace {

constexpr char kStructureSpecific[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific";
constexpr char kCommon[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

// The XML Schema type of a non-coded value of SDMX textType `t`: what the
// hub's own checks admit (text_type.h), so that its answers validate.
std::string ValueType(const std::string& t) {
  if (t == "Duration") return "xs:duration";
  if (t == "Time") return "xs:time";
  switch (TextKindOf(t)) {
    case TextKind::kInteger:
      return "xs:integer";
    case TextKind::kNumber:
      return "xs:double";
    case TextKind::kBoolean:
      return "xs:boolean";
    case TextKind::kTime:
      return "common:ObservationalTimePeriodType";
    case TextKind::kToken:
      return "xs:anyURI";
    case TextKind::kString:
      break;
  }
  return "xs:string";
}

// An NCName for a codelist's simple type: AGENCY_ID_VERSION, other
// characters as '_'.
std::string TypeName(const ArtefactRef& cl) {
  std::string n = cl.agency + "_" + cl.id + "_" + cl.version + "_Type";
  for (char& c : n) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') c = '_';
  }
  if (!std::isalpha(static_cast<unsigned char>(n[0])) && n[0] != '_') n = "_" + n;
  return n;
}

class SchemaWriter {
 public:
  SchemaWriter(const DataStructure& dsd, const StructureSet& structures) : dsd_(dsd), structures_(structures) {}

  // The type of a component's values: its codelist's enumeration (written
  // once, at the end) or its textType's.
  std::string TypeOf(const Component& c) {
    if (c.codelist) {
      if (const Codelist* cl = structures_.FindCodelist(*c.codelist)) {
        const std::string name = TypeName(cl->ref);
        codelists_.emplace(name, cl);
        return name;
      }
    }
    return ValueType(c.text_type);
  }

  void Attribute(const std::string& id, const std::string& type, bool required) {
    out_ += "      <xs:attribute name=\"";
    AppendEscaped(&out_, id);
    out_ += "\" type=\"" + type + "\" use=\"" + (required ? "required" : "optional") + "\"/>\n";
  }

  void Attributes(AttachmentLevel level) {
    for (const auto& a : dsd_.attributes) {
      // Group attributes travel on the series (the hub writes no groups).
      const bool here = a.level == level || (level == AttachmentLevel::kSeries && a.level == AttachmentLevel::kGroup);
      if (here) Attribute(a.id, TypeOf(a), false);
    }
  }

  std::string Write(const StructureSchemaOptions& o) {
    const bool flat = o.dimension_at_observation == "AllDimensions";
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    out_ += "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" xmlns=\"";
    AppendEscaped(&out_, o.target_namespace);
    out_ += "\" targetNamespace=\"";
    AppendEscaped(&out_, o.target_namespace);
    out_ += std::string("\" xmlns:dsd=\"") + kStructureSpecific + "\" xmlns:common=\"" + kCommon +
            "\" elementFormDefault=\"qualified\" attributeFormDefault=\"unqualified\">\n";
    out_ += std::string("  <xs:import namespace=\"") + kStructureSpecific +
            "\" schemaLocation=\"SDMXDataStructureSpecific.xsd\"/>\n";
    out_ += std::string("  <xs:import namespace=\"") + kCommon + "\" schemaLocation=\"SDMXCommon.xsd\"/>\n";

    out_ += "  <xs:complexType name=\"DataSetType\">\n    <xs:complexContent>\n"
            "      <xs:restriction base=\"dsd:DataSetType\">\n        <xs:sequence>\n"
            "          <xs:element ref=\"common:Annotations\" minOccurs=\"0\"/>\n"
            "          <xs:element name=\"DataProvider\" type=\"common:DataProviderReferenceType\" form=\"unqualified\" "
            "minOccurs=\"0\"/>\n";
    out_ += flat ? "          <xs:element name=\"Obs\" type=\"ObsType\" form=\"unqualified\" maxOccurs=\"unbounded\"/>\n"
                 : "          <xs:element name=\"Series\" type=\"SeriesType\" form=\"unqualified\" "
                   "maxOccurs=\"unbounded\"/>\n";
    out_ += "        </xs:sequence>\n";
    Attributes(AttachmentLevel::kDataSet);
    out_ += "      </xs:restriction>\n    </xs:complexContent>\n  </xs:complexType>\n";

    if (!flat) {
      out_ += "  <xs:complexType name=\"SeriesType\">\n    <xs:complexContent>\n"
              "      <xs:restriction base=\"dsd:SeriesType\">\n        <xs:sequence>\n"
              "          <xs:element ref=\"common:Annotations\" minOccurs=\"0\"/>\n"
              "          <xs:element name=\"Obs\" type=\"ObsType\" form=\"unqualified\" minOccurs=\"0\" "
              "maxOccurs=\"unbounded\"/>\n        </xs:sequence>\n";
      for (const auto& d : dsd_.dimensions) {
        if (d.id != o.dimension_at_observation) Attribute(d.id, TypeOf(d), true);
      }
      if (o.dimension_at_observation != dsd_.time_dimension) {
        Attribute(dsd_.time_dimension, "common:ObservationalTimePeriodType", true);
      }
      Attributes(AttachmentLevel::kSeries);
      out_ += "      </xs:restriction>\n    </xs:complexContent>\n  </xs:complexType>\n";
    }

    out_ += "  <xs:complexType name=\"ObsType\">\n    <xs:complexContent>\n"
            "      <xs:restriction base=\"dsd:ObsType\">\n        <xs:sequence>\n"
            "          <xs:element ref=\"common:Annotations\" minOccurs=\"0\"/>\n        </xs:sequence>\n";
    // The base declares TIME_PERIOD (as ObservationalTimePeriodType) and
    // OBS_VALUE: restated, never retyped against it.
    if (flat) {
      // Each observation carries its whole key, and its series' attributes.
      for (const auto& d : dsd_.dimensions) Attribute(d.id, TypeOf(d), true);
      Attribute(dsd_.time_dimension, "common:ObservationalTimePeriodType", true);
      Attributes(AttachmentLevel::kSeries);
    } else if (o.dimension_at_observation == dsd_.time_dimension) {
      Attribute(dsd_.time_dimension, "common:ObservationalTimePeriodType", true);
    } else {
      for (const auto& d : dsd_.dimensions) {
        if (d.id == o.dimension_at_observation) Attribute(d.id, TypeOf(d), true);
      }
    }
    Attribute(dsd_.primary_measure, ValueType(dsd_.measure_text_type), false);
    Attributes(AttachmentLevel::kObservation);
    out_ += "      </xs:restriction>\n    </xs:complexContent>\n  </xs:complexType>\n";

    for (const auto& [name, cl] : codelists_) {
      out_ += "  <xs:simpleType name=\"" + name + "\">\n    <xs:restriction base=\"xs:string\">\n";
      for (const Code& c : cl->codes) {
        out_ += "      <xs:enumeration value=\"";
        AppendEscaped(&out_, c.id);
        out_ += "\"/>\n";
      }
      out_ += "    </xs:restriction>\n  </xs:simpleType>\n";
    }
    out_ += "</xs:schema>\n";
    return std::move(out_);
  }

 private:
  const DataStructure& dsd_;
  const StructureSet& structures_;
  std::map<std::string, const Codelist*> codelists_;
  std::string out_;
};

}  // namespace

hub::Result<std::string> StructureSpecificSchema(const DataStructure& dsd, const StructureSet& structures,
                                                 const StructureSchemaOptions& options) {
  const std::string& at = options.dimension_at_observation;
  bool known = at == "AllDimensions" || at == dsd.time_dimension;
  for (const auto& d : dsd.dimensions) known = known || d.id == at;
  if (!known) {
    return hub::Status::InvalidArgument("dimensionAtObservation=" + at + ": " + dsd.ref.ToString() +
                                        " has no such dimension");
  }
  return SchemaWriter(dsd, structures).Write(options);
}

}  // namespace sdmx
