#include "sdmx/structure_schema.h"

#include <map>
#include <set>

#include "sdmx/xml.h"

namespace sdmx {
namespace {

constexpr char kStructureSpecific[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific";
constexpr char kCommon[] = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common";

// The XML Schema type of a non-coded value of SDMX textType `t`: SDMX's
// own mapping (SDMX-ML 2.1 section 2, as the official TCK checks it); a
// type it does not name is a string.
std::string ValueType(const std::string& t) {
  static const std::map<std::string, std::string, std::less<>> kTypes = {
      {"String", "xs:string"},
      {"AlphaNumeric", "common:AlphaNumericType"},
      {"Alpha", "common:AlphaType"},
      {"Numeric", "common:NumericType"},
      {"BigInteger", "xs:integer"},
      {"Integer", "xs:int"},
      {"Long", "xs:long"},
      {"Short", "xs:short"},
      {"Decimal", "xs:decimal"},
      {"Float", "xs:float"},
      {"Double", "xs:double"},
      {"Boolean", "xs:boolean"},
      {"URI", "xs:anyURI"},
      {"Count", "xs:integer"},
      {"InclusiveValueRange", "xs:decimal"},
      {"ExclusiveValueRange", "xs:decimal"},
      {"Incremental", "xs:decimal"},
      {"ObservationalTimePeriod", "common:ObservationalTimePeriodType"},
      {"StandardTimePeriod", "common:StandardTimePeriodType"},
      {"BasicTimePeriod", "common:BasicTimePeriodType"},
      {"GregorianTimePeriod", "common:GregorianTimePeriodType"},
      {"GregorianYear", "xs:gYear"},
      {"GregorianYearMonth", "xs:gYearMonth"},
      {"GregorianDay", "xs:date"},
      {"ReportingTimePeriod", "common:ReportingTimePeriodType"},
      {"ReportingYear", "common:ReportingYearType"},
      {"ReportingSemester", "common:ReportingSemesterType"},
      {"ReportingTrimester", "common:ReportingTrimesterType"},
      {"ReportingQuarter", "common:ReportingQuarterType"},
      {"ReportingMonth", "common:ReportingMonthType"},
      {"ReportingWeek", "common:ReportingWeekType"},
      {"ReportingDay", "common:ReportingDayType"},
      {"DateTime", "xs:dateTime"},
      {"TimeRange", "common:TimeRangeType"},
      {"Month", "xs:gMonth"},
      {"MonthDay", "xs:gMonthDay"},
      {"Day", "xs:gDay"},
      {"Time", "xs:time"},
      {"Duration", "xs:duration"},
  };
  auto it = kTypes.find(t);
  return it == kTypes.end() ? "xs:string" : it->second;
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

  void Attribute(const std::string& id, const std::string& type, const char* use) {
    out_ += "      <xs:attribute name=\"";
    AppendEscaped(&out_, id);
    out_ += "\" type=\"" + type + "\" use=\"" + use + "\"/>\n";
  }

  // The attributes attached at `level`, optional (the hub checks mandatory
  // ones on the way in; a query may select some attributes only).
  void Attributes(std::initializer_list<AttachmentLevel> levels) {
    for (const auto& a : dsd_.attributes) {
      for (AttachmentLevel l : levels) {
        if (a.level == l) Attribute(a.id, TypeOf(a), "optional");
      }
    }
  }

  void Begin(const char* name, const std::string& base) {
    out_ += std::string("  <xs:complexType name=\"") + name + "\">\n    <xs:complexContent>\n      <xs:restriction base=\"" +
            base + "\">\n        <xs:sequence>\n          <xs:element ref=\"common:Annotations\" minOccurs=\"0\"/>\n";
  }
  void End() { out_ += "      </xs:restriction>\n    </xs:complexContent>\n  </xs:complexType>\n"; }

  // As SDMX's registries write them, and the official TCK checks: with
  // the time dimension at the observation level the types derive from the
  // time-series ones (TimeSeriesDataSetType...); with another dimension the
  // series are cross-sections keyed by the time period too, and attributes
  // attached to dimensions move to the observations (as the hub writes
  // them, data_sort.cc); AllDimensions has no series at all.
  std::string Write(const StructureSchemaOptions& o) {
    const std::string& at = o.dimension_at_observation;
    const bool flat = at == "AllDimensions", time_series = at == dsd_.time_dimension;
    const std::string time_type = "common:ObservationalTimePeriodType";
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

    Begin("DataSetType", time_series ? "dsd:TimeSeriesDataSetType" : "dsd:DataSetType");
    out_ += "          <xs:element name=\"DataProvider\" type=\"common:DataProviderReferenceType\" form=\"unqualified\" "
            "minOccurs=\"0\"/>\n          <xs:choice minOccurs=\"0\">\n";
    out_ += flat ? "            <xs:element name=\"Obs\" type=\"ObsType\" form=\"unqualified\" maxOccurs=\"unbounded\"/>\n"
                 : "            <xs:element name=\"Series\" type=\"SeriesType\" form=\"unqualified\" "
                   "maxOccurs=\"unbounded\"/>\n";
    out_ += "          </xs:choice>\n        </xs:sequence>\n";
    Attributes({AttachmentLevel::kDataSet});
    Attribute("REPORTING_YEAR_START_DAY", "xs:gMonthDay", "prohibited");
    End();

    if (!flat) {
      Begin("SeriesType", time_series ? "dsd:TimeSeriesType" : "dsd:SeriesType");
      out_ += "          <xs:element name=\"Obs\" type=\"ObsType\" form=\"unqualified\" minOccurs=\"0\" "
              "maxOccurs=\"unbounded\"/>\n        </xs:sequence>\n";
      for (const auto& d : dsd_.dimensions) {
        if (d.id != at) Attribute(d.id, TypeOf(d), "required");
      }
      if (!time_series) Attribute(dsd_.time_dimension, time_type, "required");
      // Group attributes travel on the series (the hub writes no groups).
      if (time_series) Attributes({AttachmentLevel::kSeries, AttachmentLevel::kGroup});
      Attribute("REPORTING_YEAR_START_DAY", "xs:gMonthDay", "prohibited");
      End();
    }

    Begin("ObsType", time_series ? "dsd:TimeSeriesObsType" : "dsd:ObsType");
    out_ += "        </xs:sequence>\n";
    if (flat) {
      for (const auto& d : dsd_.dimensions) Attribute(d.id, TypeOf(d), "required");
    } else if (!time_series) {
      for (const auto& d : dsd_.dimensions) {
        if (d.id == at) Attribute(d.id, TypeOf(d), "required");
      }
    }
    // The base types declare TIME_PERIOD as ObservationalTimePeriodType:
    // restated, never retyped against them. In a cross-section it is part
    // of the series key.
    Attribute(dsd_.time_dimension, time_type, time_series || flat ? "required" : "prohibited");
    Attribute(dsd_.primary_measure, ValueType(dsd_.measure_text_type), "optional");
    if (!time_series) Attributes({AttachmentLevel::kSeries, AttachmentLevel::kGroup});
    Attributes({AttachmentLevel::kObservation});
    Attribute("type", "common:IDType", "prohibited");  // no measure dimension: no explicit measures
    End();

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
