#include "sdmx/demo_feed_registry.h"

#include "sdmx/xml.h"

namespace sdmx::demo {
namespace {

constexpr char kMsdId[] = "SDG_MSD";
constexpr char kMetaConcepts[] = "SDG_META_CONCEPTS";

// A metadata attribute of the demo MSD: its concept (same id) in
// kMetaConcepts, a representation (codelist or text type, else none) and
// the attributes nested under it. Presentational ones only group others.
struct AttributeDef {
  const char* id;
  const char* name;
  const char* codelist = "";
  const char* text_type = "";
  bool presentational = false;
  std::initializer_list<AttributeDef> children = {};
};

// After the SDG metadata reporting concepts of the IAEG-SDGs (a subset).
const std::initializer_list<AttributeDef>& Attributes() {
  static const std::initializer_list<AttributeDef> kAttributes = {
      {"SDG_INDICATOR_INFO", "Indicator information", "", "", true,
       {{"SDG_GOAL", "Goal"}, {"SDG_TARGET", "Target"}, {"SDG_INDICATOR", "Indicator"},
        {"SDG_SERIES_DESCR", "Series description"}}},
      {"SDG_CUSTODIAN_AGENCIES", "Custodian agencies"},
      {"CONTACT", "Data reporter", "", "", true,
       {{"CONTACT_ORGANISATION", "Organisation"}, {"CONTACT_MAIL", "Contact email address"}}},
      {"IND_DEF", "Definition and concepts", "", "XHTML"},
      {"UNIT_MEASURE", "Unit of measure", "CL_UNIT_MEASURE"},
      {"SRC_TYPE_COLL_METHOD", "Data sources and collection method", "", "XHTML"},
      {"META_LAST_UPDATE", "Metadata last updated", "", "GregorianDay"}};
  return kAttributes;
}

void WriteAttributes(std::string* o, const std::initializer_list<AttributeDef>& attributes) {
  for (const AttributeDef& a : attributes) {
    *o += std::string("\n<str:MetadataAttribute id=\"") + a.id + "\" minOccurs=\"0\"" +
          (a.presentational ? " isPresentational=\"true\"" : "") + "><str:ConceptIdentity><Ref agencyID=\"" + kAgency +
          "\" maintainableParentID=\"" + kMetaConcepts + "\" maintainableParentVersion=\"1.0\" id=\"" + a.id +
          "\" package=\"conceptscheme\" class=\"Concept\"/></str:ConceptIdentity>";
    if (*a.codelist) {
      *o += std::string("<str:LocalRepresentation><str:Enumeration><Ref agencyID=\"") + kAgency + "\" id=\"" +
            a.codelist + "\" version=\"1.0\" package=\"codelist\" class=\"Codelist\"/></str:Enumeration>"
            "</str:LocalRepresentation>";
    } else if (*a.text_type) {
      *o += std::string("<str:LocalRepresentation><str:TextFormat textType=\"") + a.text_type +
            "\"/></str:LocalRepresentation>";
    }
    WriteAttributes(o, a.children);
    *o += "</str:MetadataAttribute>";
  }
}

void WriteConcepts(std::string* o, const std::initializer_list<AttributeDef>& attributes) {
  for (const AttributeDef& a : attributes) {
    *o += std::string("<str:Concept id=\"") + a.id + "\">";
    Name(o, a.name);
    *o += "</str:Concept>";
    WriteConcepts(o, a.children);
  }
}

// Organisation schemes: items with an id and a name.
void Organisations(std::string* o, const char* element, const char* id, std::string_view name,
                   std::string_view description, const char* item,
                   std::initializer_list<std::initializer_list<const char*>> items) {
  *o += std::string("<str:") + element + " id=\"" + id + "\" agencyID=\"" + kAgency +
        "\" version=\"1.0\" isFinal=\"false\">";
  Name(o, name, description);
  for (const auto& i : items) {
    const char* const* f = i.begin();
    *o += std::string("<str:") + item + " id=\"" + f[0] + "\">";
    Name(o, f[1]);
    if (i.size() > 2) *o += std::string("<str:Parent><Ref id=\"") + f[2] + "\"/></str:Parent>";
    *o += std::string("</str:") + item + ">";
  }
  *o += std::string("\n</str:") + element + ">\n";
}

}  // namespace

void Name(std::string* o, std::string_view name, std::string_view description) {
  *o += "<com:Name xml:lang=\"en\">";
  AppendEscaped(o, name);
  *o += "</com:Name>";
  if (description.empty()) return;
  *o += "<com:Description xml:lang=\"en\">";
  AppendEscaped(o, description);
  *o += "</com:Description>";
}

void ConsumerAndUnitSchemes(std::string* o) {
  Organisations(o, "DataConsumerScheme", "DATA_CONSUMERS", "Data consumers of the SDMX Hub demo",
                "The portals that take the hub's change feed.", "DataConsumer",
                {{"SDG_PORTAL", "UN SDG Global Database portal"}, {"KE_PORTAL", "Kenya SDG reporting platform"}});
  Organisations(o, "OrganisationUnitScheme", "REPORTING_UNITS", "Units that report to the SDMX Hub demo",
                "The units of the data providers that compile what they submit.", "OrganisationUnit",
                {{"UNSD", "United Nations Statistics Division"},
                 {"UNSD_SDG", "SDG Monitoring Section", "UNSD"},
                 {"WHO", "World Health Organization"},
                 {"WHO_DDI", "Division of Data, Analytics and Delivery for Impact", "WHO"}});
}

void Metadataflows(std::string* o) {
  *o += std::string("<str:Metadataflows>\n<str:Metadataflow id=\"MF_SDG_META\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "SDG indicator metadata (SDMX Hub demo)",
       "Definitions, sources and contacts of the SDG series, reported by their custodian agencies.");
  *o += std::string("<str:Structure><Ref agencyID=\"") + kAgency + "\" id=\"" + kMsdId +
        "\" version=\"1.0\" package=\"metadatastructure\" class=\"MetadataStructure\"/></str:Structure>"
        "</str:Metadataflow>\n</str:Metadataflows>\n";
}

void MetadataConcepts(std::string* o) {
  *o += std::string("<str:ConceptScheme id=\"") + kMetaConcepts + "\" agencyID=\"" + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "SDG metadata concepts", "What the attributes of the SDG metadata structure mean.");
  WriteConcepts(o, Attributes());
  *o += "\n</str:ConceptScheme>\n";
}

void MetadataStructures(std::string* o) {
  *o += std::string("<str:MetadataStructures>\n<str:MetadataStructure id=\"") + kMsdId + "\" agencyID=\"" + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "SDG indicator metadata",
       "The reference metadata reported for each SDG dataflow: indicator, custodians, contact, definition, "
       "sources.");
  *o += "<str:MetadataStructureComponents>\n<str:MetadataTarget id=\"DATAFLOW_TARGET\">"
        "<str:IdentifiableObjectTarget id=\"DATAFLOW\" objectType=\"Dataflow\"><str:LocalRepresentation>"
        "<str:TextFormat textType=\"IdentifiableReference\"/></str:LocalRepresentation></str:IdentifiableObjectTarget>"
        "</str:MetadataTarget>\n<str:ReportStructure id=\"SDG_METADATA_REPORT\">";
  WriteAttributes(o, Attributes());
  *o += "\n<str:MetadataTarget><Ref id=\"DATAFLOW_TARGET\"/></str:MetadataTarget></str:ReportStructure>\n"
        "</str:MetadataStructureComponents></str:MetadataStructure>\n</str:MetadataStructures>\n";
}

namespace {

// A 2.1 Ref to a maintainable of the demo agency.
std::string Ref(const char* id, const char* package, const char* cls) {
  return std::string("<Ref agencyID=\"") + kAgency + "\" id=\"" + id + "\" version=\"1.0\" package=\"" + package +
         "\" class=\"" + cls + "\"/>";
}

}  // namespace

// These (and the attachment constraint below) reference neither the
// dataflow nor its DSD (the metadata side, and the concept scheme map's
// source scheme): sdmx1 (2.28) asks for a dataflow or a DSD with
// references=all and cannot read a StructureSet's RelatedStructure or maps,
// a ReportingTaxonomy, a Process or an AttachmentConstraint among their
// parents (hub/README.md).
void StructureSetsTaxonomiesAndProcesses(std::string* o) {
  const std::string metadataflow = Ref("MF_SDG_META", "metadatastructure", "Metadataflow");
  *o += std::string("<str:StructureSets>\n<str:StructureSet id=\"SDG_METADATA\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "SDG metadata", "The metadataflow and its structure, and how the data concepts map to the metadata concepts.");
  *o += "<str:RelatedStructure>" + Ref(kMsdId, "metadatastructure", "MetadataStructure") +
        "</str:RelatedStructure><str:RelatedStructure>" + metadataflow + "</str:RelatedStructure>";
  // The unit of measure attribute of the data and that of the metadata mean one thing.
  *o += "<str:ConceptSchemeMap id=\"DATA_TO_METADATA_CONCEPTS\">";
  Name(o, "Data concepts as metadata concepts");
  *o += "<str:Source>" + Ref("DEMO_CONCEPTS", "conceptscheme", "ConceptScheme") + "</str:Source><str:Target>" +
        Ref(kMetaConcepts, "conceptscheme", "ConceptScheme") +
        "</str:Target><str:ConceptMap><str:Source><Ref id=\"UNIT_MEASURE\"/></str:Source><str:Target>"
        "<Ref id=\"UNIT_MEASURE\"/></str:Target></str:ConceptMap></str:ConceptSchemeMap>"
        "</str:StructureSet>\n</str:StructureSets>\n";
  *o += std::string("<str:ReportingTaxonomies>\n<str:ReportingTaxonomy id=\"SDG_METADATA_REPORT\" agencyID=\"") +
        kAgency + "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "SDG metadata report", "What a custodian agency reports as SDG indicator metadata.");
  *o += "<str:ReportingCategory id=\"INDICATOR_METADATA\">";
  Name(o, "Indicator metadata");
  *o += "<str:ProvisioningMetadata>" + metadataflow +
        "</str:ProvisioningMetadata></str:ReportingCategory></str:ReportingTaxonomy>\n</str:ReportingTaxonomies>\n";
  // How a metadata report becomes public: each step takes and gives the
  // metadataflow's reports; the last step leads nowhere.
  *o += std::string("<str:Processes>\n<str:Process id=\"SDG_METADATA_PUBLICATION\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "From metadata report to publication", "How a custodian's metadata report becomes public.");
  const char* steps[][3] = {{"RECEIVE", "Receive the report", "REVIEW"},
                            {"REVIEW", "Review against the metadata structure", "PUBLISH"},
                            {"PUBLISH", "Publish beside the data", ""}};
  for (auto& step : steps) {
    *o += std::string("<str:ProcessStep id=\"") + step[0] + "\">";
    Name(o, step[1]);
    *o += "<str:Input><str:ObjectReference>" + metadataflow + "</str:ObjectReference></str:Input>"
          "<str:Output><str:ObjectReference>" + metadataflow + "</str:ObjectReference></str:Output>";
    if (*step[2]) {
      *o += std::string("<str:Transition id=\"TO_") + step[2] + "\"><str:TargetStep><Ref id=\"" + step[2] +
            "\"/></str:TargetStep><str:Condition xml:lang=\"en\">the step succeeded</str:Condition></str:Transition>";
    }
    *o += "</str:ProcessStep>";
  }
  *o += "</str:Process>\n</str:Processes>\n";
}

// Which data keys the SDG metadata reports attach to: national annual series.
void AttachmentConstraints(std::string* o) {
  *o += std::string("<str:AttachmentConstraint id=\"AC_SDG_METADATA\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "Where SDG metadata attaches", "Metadata reports attach to national (N) annual series.");
  *o += "<str:ConstraintAttachment><str:Metadataflow>" + Ref("MF_SDG_META", "metadatastructure", "Metadataflow") +
        "</str:Metadataflow></str:ConstraintAttachment><str:DataKeySet isIncluded=\"true\"><str:Key>"
        "<com:KeyValue id=\"FREQ\"><com:Value>A</com:Value></com:KeyValue>"
        "<com:KeyValue id=\"REPORTING_TYPE\"><com:Value>N</com:Value></com:KeyValue></str:Key></str:DataKeySet>"
        "</str:AttachmentConstraint>\n";
}

}  // namespace sdmx::demo
