#include "sdmx/demo_feed.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "sdmx/demo_feed_registry.h"
#include "sdmx/m49.h"
#include "sdmx/structure_reader.h"
#include "sdmx/xml.h"

namespace sdmx {
namespace {

struct CodeDef {
  const char* id;
  const char* name;
  const char* parent = "";
};

struct SeriesDef {
  const char* id;
  const char* name;
  const char* unit;
  double base;       // typical level
  double trend;      // change per year
  bool by_sex;
  const char* age;   // the age group the indicator is defined for
  bool health;       // revised by the custodian (WHO) in the revision file
};

constexpr char kPopulationSeries[] = "SP_POP_TOTL";

// SDG series codes as in the IAEG-SDGs CL_SERIES.
const std::vector<SeriesDef>& SeriesDefs() {
  static const std::vector<SeriesDef> k = {
      {"SI_POV_DAY1", "Proportion of population below international poverty line (%)", "PT", 25, -0.8, true, "_T", false},
      {"SI_POV_NAHC", "Proportion of population living below the national poverty line (%)", "PT", 30, -0.6, false, "_T", false},
      {"SN_ITK_DEFC", "Prevalence of undernourishment (%)", "PT", 15, -0.3, false, "_T", false},
      {"SH_STA_STNT", "Proportion of children moderately or severely stunted (%)", "PT", 28, -0.5, true, "Y0T4", false},
      {"SH_STA_MORT", "Maternal mortality ratio", "PER_100000_LIVE_BIRTHS", 300, -9, false, "_T", true},
      {"SH_STA_BRTC", "Proportion of births attended by skilled health personnel (%)", "PT", 75, 1.2, false, "_T", false},
      {"SH_DYN_MORT", "Under-five mortality rate, by sex (deaths per 1,000 live births)", "PER_1000_LIVE_BIRTHS", 60, -2, true, "Y0T4", true},
      {"SH_DYN_IMRT", "Infant mortality rate (deaths per 1,000 live births)", "PER_1000_LIVE_BIRTHS", 40, -1.3, true, "Y0", true},
      {"SH_DYN_NMRT", "Neonatal mortality rate (deaths per 1,000 live births)", "PER_1000_LIVE_BIRTHS", 22, -0.6, false, "M0", true},
      {"SE_TOT_CPLR", "Completion rate, by sex, location, wealth quintile and education level (%)", "PT", 70, 1.0, true, "_T", false},
      {"SG_GEN_PARL", "Proportion of seats held by women in national parliaments (% of total number of seats)", "PT", 22, 0.5, false, "_T", false},
      {"SH_H2O_SAFE", "Proportion of population using safely managed drinking water services, by urban/rural (%)", "PT", 55, 1.1, false, "_T", false},
      {"SL_TLF_UEM", "Unemployment rate, by sex and age (%)", "PT", 8, -0.1, true, "Y_GE15", false},
      // The weight of the views' population-weighted means (ValueOf spreads it over 4 orders of magnitude).
      {kPopulationSeries, "Total population (thousands)", "TH", 0, 0, false, "_T", false},
  };
  return k;
}

// UN M49 areas (sdmx/m49.h): world, regions, sub-regions and intermediate
// regions (parents), and every country or area; then the groupings (SDG
// regions, LDC, LLDC, SIDS), whose members the hierarchical codelist holds.
const std::vector<CodeDef>& Areas() {
  static const std::vector<CodeDef> k = [] {
    std::vector<CodeDef> out;
    for (const M49Area& a : M49Areas()) out.push_back({a.code, a.name, a.parent});
    for (const M49Grouping& g : M49Groupings()) out.push_back({g.code, g.name, ""});
    return out;
  }();
  return k;
}

// Countries only (M49 areas without children): the rows agencies report.
std::vector<const CodeDef*> Countries() {
  std::vector<const CodeDef*> out;
  const size_t m49 = M49Areas().size();
  for (size_t i = 0; i < m49; ++i) {
    bool has_child = false;
    for (size_t j = 0; j < m49; ++j) has_child |= std::string_view(Areas()[j].parent) == Areas()[i].id;
    if (!has_child) out.push_back(&Areas()[i]);
  }
  return out;
}

struct CodelistDef {
  const char* id;
  const char* name;
  std::vector<CodeDef> codes;
};

std::vector<CodelistDef> Codelists() {
  std::vector<CodeDef> series;
  for (const SeriesDef& s : SeriesDefs()) series.push_back({s.id, s.name});
  return {
      {"CL_FREQ", "Frequency", {{"A", "Annual"}, {"Q", "Quarterly"}, {"M", "Monthly"}}},
      {"CL_REPORTING_TYPE", "Reporting type", {{"G", "Global"}, {"N", "National"}, {"R", "Regional"}}},
      {"CL_SERIES", "SDG indicator series", series},
      {"CL_AREA", "Geographic areas (UN M49)", Areas()},
      {"CL_SEX", "Sex", {{"_T", "Total"}, {"F", "Female"}, {"M", "Male"}}},
      {"CL_AGE", "Age", {{"_T", "All age ranges or no breakdown by age"}, {"M0", "under 1 month old"},
                         {"Y0", "under 1 year old"}, {"Y0T4", "under 5 years old"},
                         {"Y15T24", "15 to 24 years old"}, {"Y_GE15", "15 years old and over"}}},
      {"CL_URBANISATION", "Urbanisation", {{"_T", "All areas"}, {"U", "Urban"}, {"R", "Rural"}}},
      {"CL_UNIT_MEASURE", "Unit of measure", {{"PT", "Percent"}, {"PER_100000_LIVE_BIRTHS", "Per 100,000 live births"},
                                              {"PER_1000_LIVE_BIRTHS", "Per 1,000 live births"}, {"NUMBER", "Number"},
                                              {"TH", "Thousands"}}},
      {"CL_NATURE", "Nature of data", {{"C", "Country data"}, {"CA", "Country adjusted data"},
                                       {"E", "Estimated data"}, {"G", "Global monitoring data"},
                                       {"M", "Modeled data"}, {"N", "Non-relevant"}}},
      {"CL_OBS_STATUS", "Observation status", {{"A", "Normal value"}, {"E", "Estimated value"},
                                               {"P", "Provisional value"}, {"M", "Missing value"}}},
  };
}

using demo::kAgency;
using demo::Name;


void Enumeration(std::string* out, const char* codelist) {
  *out += std::string("<str:LocalRepresentation><str:Enumeration><Ref agencyID=\"") + kAgency + "\" id=\"" +
          codelist + "\" version=\"1.0\" package=\"codelist\" class=\"Codelist\"/></str:Enumeration></str:LocalRepresentation>";
}

void Concept(std::string* out, const char* id) {
  *out += std::string("<str:ConceptIdentity><Ref agencyID=\"") + kAgency +
          "\" maintainableParentID=\"DEMO_CONCEPTS\" maintainableParentVersion=\"1.0\" id=\"" + id +
          "\" package=\"conceptscheme\" class=\"Concept\"/></str:ConceptIdentity>";
}

// splitmix64: a portable, deterministic hash for generated values.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t Hash(std::string_view s, uint64_t seed) {
  uint64_t h = seed;
  for (char c : s) h = Mix(h ^ static_cast<unsigned char>(c));
  return h;
}

// A value in [0, 1).
double Unit(uint64_t h) { return static_cast<double>(h >> 11) / 9007199254740992.0; }

std::string Format1(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v < 0 ? 0.0 : v);
  return buf;
}

// The value of one observation, deterministic in (series, area, breakdown, year).
double ValueOf(const SeriesDef& s, std::string_view area, std::string_view breakdown, int year, uint64_t seed) {
  uint64_t h = Hash(area, Hash(s.id, 7));
  if (std::string_view(s.id) == kPopulationSeries) {  // 100 thousand to 100 million, +1.5% a year
    return 100.0 * std::pow(10.0, 3.0 * Unit(h)) * std::pow(1.015, year - 2015);
  }
  double level = s.base * (0.4 + 1.2 * Unit(h));
  double sex_shift = breakdown == "F" ? 0.93 : breakdown == "M" ? 1.07 : 1.0;
  double noise = (Unit(Hash(breakdown, h ^ (static_cast<uint64_t>(year) * 31 + seed))) - 0.5) * 0.04 * level;
  double v = (level + s.trend * (year - 2015)) * sex_shift + noise;
  if (std::string_view(s.unit) == "PT" && v > 100) v = 100;
  return v;
}

Series MakeSeries(const DataStructure& dsd, const SeriesDef& s, const char* freq, const char* area,
                  const char* sex, const char* age, const char* urban, const char* reporting_type = "G") {
  Series out;
  out.key.resize(dsd.dimensions.size());
  auto set = [&](const char* dim, const char* v) { out.key[dsd.DimensionIndex(dim)] = v; };
  set("FREQ", freq);
  set("REPORTING_TYPE", reporting_type);
  set("SERIES", s.id);
  set("REF_AREA", area);
  set("SEX", sex);
  set("AGE", age);
  set("URBANISATION", urban);
  out.attributes.push_back({"UNIT_MEASURE", s.unit});
  return out;
}

Observation MakeObs(std::string period, double value, const char* status, const char* nature,
                    const char* source) {
  Observation o;
  o.period = std::move(period);
  o.value = Format1(value);
  o.attributes = {{"OBS_STATUS", status}, {"NATURE", nature}, {"SOURCE_DETAIL", source}};
  return o;
}

std::vector<const char*> SexesOf(const SeriesDef& s) {
  if (s.by_sex) return {"_T", "F", "M"};
  return {"_T"};
}

void HierarchicalCodeXml(std::string* out, const std::string& id,
                         const std::multimap<std::string, std::string>& children) {
  *out += "<str:HierarchicalCode id=\"" + id + "\"><str:Code><Ref agencyID=\"" + kAgency +
          "\" maintainableParentID=\"CL_AREA\" maintainableParentVersion=\"1.0\" id=\"" + id + "\"/></str:Code>";
  auto [from, to] = children.equal_range(id);
  for (auto it = from; it != to; ++it) HierarchicalCodeXml(out, it->second, children);
  *out += "</str:HierarchicalCode>";
}

// HCL_AREA: hierarchy M49 (World > regions > sub-regions > countries) and
// hierarchy SDG_GROUPINGS (each grouping > the M49 regions or countries it
// is made of). The views aggregate each code with children over its countries.
void HierarchicalCodelists(std::string* o) {
  *o += std::string("<str:HierarchicalCodelists>\n<str:HierarchicalCodelist id=\"HCL_AREA\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "UN M49 regions and SDG regional groupings",
       "Areas of CL_AREA arranged as the UN M49 geographic regions and as the SDG regional groupings; the "
       "global view aggregates by them.");
  *o += std::string("<str:IncludedCodelist alias=\"AREA\"><Ref agencyID=\"") + kAgency +
        "\" id=\"CL_AREA\" version=\"1.0\" package=\"codelist\" class=\"Codelist\"/></str:IncludedCodelist>\n";
  std::multimap<std::string, std::string> tree;
  for (const M49Area& a : M49Areas()) {
    if (*a.parent) tree.emplace(a.parent, a.code);
  }
  *o += "<str:Hierarchy id=\"M49\">";
  Name(o, "UN M49 geographic regions");
  HierarchicalCodeXml(o, "1", tree);
  *o += "</str:Hierarchy>\n<str:Hierarchy id=\"SDG_GROUPINGS\">";
  Name(o, "SDG regional groupings, LDC, LLDC and SIDS");
  std::multimap<std::string, std::string> groupings;
  for (const M49Grouping& g : M49Groupings()) {
    for (const char* m : g.members) groupings.emplace(g.code, m);
  }
  for (const M49Grouping& g : M49Groupings()) HierarchicalCodeXml(o, g.code, groupings);
  *o += "</str:Hierarchy>\n</str:HierarchicalCodelist>\n</str:HierarchicalCodelists>\n";
}

// Who maintains the demo's structures and who reports its data: the
// agencies, and the data providers of configs/hub.toml's [[providers]]
// that report the demo dataflow.
const char* const kDemoProviders[][2] = {{"UNSD", "United Nations Statistics Division"},
                                         {"WHO", "World Health Organization"}};

void OrganisationSchemes(std::string* o) {
  *o += std::string("<str:OrganisationSchemes>\n<str:AgencyScheme id=\"AGENCIES\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"false\">";
  Name(o, "Agencies of the SDMX Hub demo", "Who maintains the demo structures and who reports to the hub.");
  const char* agencies[][2] = {{kAgency, "SDMX Hub (demo maintenance agency)"}, {"UNSD", "United Nations Statistics Division"},
                               {"WHO", "World Health Organization"}, {"KNBS", "Kenya National Bureau of Statistics"}};
  for (auto& a : agencies) {
    *o += std::string("<str:Agency id=\"") + a[0] + "\">";
    Name(o, a[1]);
    *o += "</str:Agency>";
  }
  *o += std::string("\n</str:AgencyScheme>\n<str:DataProviderScheme id=\"DATA_PROVIDERS\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"false\">";
  Name(o, "Data providers of the SDMX Hub demo", "The providers of configs/hub.toml that report the demo dataflow.");
  for (auto& p : kDemoProviders) {
    *o += std::string("<str:DataProvider id=\"") + p[0] + "\">";
    Name(o, p[1]);
    *o += "</str:DataProvider>";
  }
  *o += "\n</str:DataProviderScheme>\n";
  demo::ConsumerAndUnitSchemes(o);
  *o += "</str:OrganisationSchemes>\n";
}

// The 17 Sustainable Development Goals as a category scheme, and the demo
// dataflow filed under the goals its series belong to (portals browse by it).
void CategorySchemeAndCategorisations(std::string* o) {
  static const char* const kGoals[] = {
      "No poverty", "Zero hunger", "Good health and well-being", "Quality education", "Gender equality",
      "Clean water and sanitation", "Affordable and clean energy", "Decent work and economic growth",
      "Industry, innovation and infrastructure", "Reduced inequalities", "Sustainable cities and communities",
      "Responsible consumption and production", "Climate action", "Life below water", "Life on land",
      "Peace, justice and strong institutions", "Partnerships for the goals"};
  *o += std::string("<str:CategorySchemes>\n<str:CategoryScheme id=\"SDG_GOALS\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\">";
  Name(o, "Sustainable Development Goals", "The 17 goals of the 2030 Agenda, under which dataflows are filed.");
  for (int g = 1; g <= 17; ++g) {
    *o += "\n<str:Category id=\"" + std::to_string(g) + "\">";
    Name(o, "Goal " + std::to_string(g) + ": " + kGoals[g - 1]);
    *o += "</str:Category>";
  }
  *o += "\n</str:CategoryScheme>\n</str:CategorySchemes>\n<str:Categorisations>\n";
  // The goals of the demo series (SeriesDefs): poverty, hunger, health,
  // education, gender, water, work.
  for (int g : {1, 2, 3, 4, 5, 6, 8}) {
    const std::string id = std::string("CAT_") + kDemoDataflowId + "_" + std::to_string(g);
    *o += "<str:Categorisation id=\"" + id + "\" agencyID=\"" + kAgency + "\" version=\"1.0\" isFinal=\"true\">";
    Name(o, std::string(kDemoDataflowId) + " under SDG " + std::to_string(g),
         "Files the demo dataflow under a goal its series belong to.");
    *o += std::string("<str:Source><Ref id=\"") + kDemoDataflowId + "\" agencyID=\"" + kAgency +
          "\" version=\"1.0\" package=\"datastructure\" class=\"Dataflow\"/></str:Source>"
          "<str:Target><Ref id=\"" + std::to_string(g) + "\" agencyID=\"" + kAgency +
          "\" maintainableParentID=\"SDG_GOALS\" maintainableParentVersion=\"1.0\" package=\"categoryscheme\" "
          "class=\"Category\"/></str:Target></str:Categorisation>\n";
  }
  *o += "</str:Categorisations>\n";
}

// An Allowed constraint (the demo is annual, global or national figures)
// and the provision agreements of the demo providers.
void ConstraintsAndAgreements(std::string* o) {
  const std::string flow = std::string("<Ref id=\"") + kDemoDataflowId + "\" agencyID=\"" + kAgency +
                           "\" version=\"1.0\" package=\"datastructure\" class=\"Dataflow\"/>";
  // Constraints at each level SDMX attaches them: the DSD (what any
  // dataflow of it reports), the dataflow, and an agreement (what one
  // provider reports), each enforced on submissions (sdmx/validator.h).
  *o += std::string("<str:Constraints>\n<str:ContentConstraint id=\"CC_DEMO_SDG_DSD\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\" type=\"Allowed\">";
  Name(o, "What the SDG demo structure may hold",
       "Global (G) or national (N) figures: regional ones are aggregated by the hub's views, not reported.");
  *o += std::string("<str:ConstraintAttachment><str:DataStructure><Ref id=\"DEMO_SDG\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" package=\"datastructure\" class=\"DataStructure\"/></str:DataStructure>"
        "</str:ConstraintAttachment><str:CubeRegion include=\"true\">"
        "<com:KeyValue id=\"REPORTING_TYPE\"><com:Value>G</com:Value><com:Value>N</com:Value></com:KeyValue>"
        "</str:CubeRegion></str:ContentConstraint>\n";
  *o += std::string("<str:ContentConstraint id=\"CC_DEMO_SDG\" agencyID=\"") + kAgency +
        "\" version=\"1.0\" isFinal=\"true\" type=\"Allowed\">";
  Name(o, "What the SDG demo dataflow may hold", "Annual series, global (G) or national (N) figures.");
  *o += "<str:ConstraintAttachment><str:Dataflow>" + flow +
        "</str:Dataflow></str:ConstraintAttachment><str:CubeRegion include=\"true\">"
        "<com:KeyValue id=\"FREQ\"><com:Value>A</com:Value></com:KeyValue>"
        "<com:KeyValue id=\"REPORTING_TYPE\"><com:Value>G</com:Value><com:Value>N</com:Value></com:KeyValue>"
        "</str:CubeRegion></str:ContentConstraint>\n";
  // WHO, custodian of the health series, reports those.
  *o += std::string("<str:ContentConstraint id=\"CC_PA_WHO_") + kDemoDataflowId + "\" agencyID=\"" + kAgency +
        "\" version=\"1.0\" isFinal=\"true\" type=\"Allowed\">";
  Name(o, std::string("What WHO reports for ") + kDemoDataflowId, "The health series WHO is custodian of.");
  *o += std::string("<str:ConstraintAttachment><str:ProvisionAgreement><Ref id=\"PA_WHO_") + kDemoDataflowId +
        "\" agencyID=\"" + kAgency + "\" version=\"1.0\" package=\"registry\" class=\"ProvisionAgreement\"/>"
        "</str:ProvisionAgreement></str:ConstraintAttachment><str:CubeRegion include=\"true\"><com:KeyValue id=\"SERIES\">";
  for (const SeriesDef& series : SeriesDefs()) {
    if (series.health) *o += std::string("<com:Value>") + series.id + "</com:Value>";
  }
  *o += "</com:KeyValue></str:CubeRegion></str:ContentConstraint>\n";
  demo::AttachmentConstraints(o);
  *o += "</str:Constraints>\n<str:ProvisionAgreements>\n";
  for (auto& p : kDemoProviders) {
    *o += std::string("<str:ProvisionAgreement id=\"PA_") + p[0] + "_" + kDemoDataflowId + "\" agencyID=\"" + kAgency +
          "\" version=\"1.0\" isFinal=\"true\">";
    Name(o, std::string(p[0]) + " reports " + kDemoDataflowId,
         std::string("The agreement under which ") + p[0] + " submits the demo dataflow.");
    *o += "<str:StructureUsage>" + flow + "</str:StructureUsage><str:DataProvider><Ref id=\"" + p[0] +
          "\" agencyID=\"" + kAgency +
          "\" maintainableParentID=\"DATA_PROVIDERS\" maintainableParentVersion=\"1.0\" package=\"base\" "
          "class=\"DataProvider\"/></str:DataProvider></str:ProvisionAgreement>\n";
  }
  *o += "</str:ProvisionAgreements>\n";
}

}  // namespace

std::string DemoStructureMessage() {
  std::string o;
  o += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       "<!-- The SDMX Hub demo structures, generated by sdmx-hub demo-feed (its structure option). -->\n"
       "<mes:Structure xmlns:mes=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message\" "
       "xmlns:str=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure\" "
       "xmlns:com=\"http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common\">\n"
       "<mes:Header><mes:ID>SDMXHUB_DEMO_STRUCTURES</mes:ID><mes:Test>false</mes:Test>"
       "<mes:Prepared>2026-01-01T00:00:00Z</mes:Prepared><mes:Sender id=\"SDMXHUB\"/></mes:Header>\n"
       "<mes:Structures>\n";
  OrganisationSchemes(&o);
  o += "<str:Dataflows>\n";
  o += std::string("<str:Dataflow id=\"") + kDemoDataflowId + "\" agencyID=\"" + kAgency +
       "\" version=\"1.0\" isFinal=\"true\">";
  // Marks the figures as made up, wherever the dataflow travels.
  o += "<com:Annotations><com:Annotation id=\"DEMO\"><com:AnnotationTitle>Generated figures</com:AnnotationTitle>"
       "<com:AnnotationType>NOT_OFFICIAL_STATISTICS</com:AnnotationType><com:AnnotationText xml:lang=\"en\">The "
       "values are generated by sdmx-hub demo-feed to show the hub at work; they are not UN statistics."
       "</com:AnnotationText></com:Annotation></com:Annotations>";
  Name(&o, "SDG indicators (SDMX Hub demo)",
       "SDG indicator series by area, sex, age and urbanisation, as UNSD and the custodian agencies report them; "
       "generated by sdmx-hub demo-feed.");
  o += std::string("<str:Structure><Ref agencyID=\"") + kAgency +
       "\" id=\"DEMO_SDG\" version=\"1.0\" package=\"datastructure\" class=\"DataStructure\"/></str:Structure>"
       "</str:Dataflow>\n</str:Dataflows>\n";
  demo::Metadataflows(&o);
  CategorySchemeAndCategorisations(&o);
  o += "<str:Codelists>\n";
  for (const CodelistDef& cl : Codelists()) {
    o += std::string("<str:Codelist id=\"") + cl.id + "\" agencyID=\"" + kAgency + "\" version=\"1.0\" isFinal=\"true\">";
    Name(&o, cl.name, std::string("The codes of ") + cl.name + " in the SDMX Hub demo.");
    o += '\n';
    for (const CodeDef& c : cl.codes) {
      o += "<str:Code id=\"";
      AppendEscaped(&o, c.id);
      o += "\">";
      Name(&o, c.name);
      if (*c.parent) o += std::string("<str:Parent><Ref id=\"") + c.parent + "\"/></str:Parent>";
      o += "</str:Code>\n";
    }
    o += "</str:Codelist>\n";
  }
  o += "</str:Codelists>\n";
  HierarchicalCodelists(&o);
  o += "<str:Concepts>\n";
  o += std::string("<str:ConceptScheme id=\"DEMO_CONCEPTS\" agencyID=\"") + kAgency + "\" version=\"1.0\" isFinal=\"true\">";
  Name(&o, "SDG demo concepts", "What the components of the demo data structure mean.");
  const char* concepts[][2] = {
      {"FREQ", "Frequency"}, {"REPORTING_TYPE", "Reporting type"}, {"SERIES", "Series"},
      {"REF_AREA", "Reference area"}, {"SEX", "Sex"}, {"AGE", "Age"}, {"URBANISATION", "Urbanisation"},
      {"TIME_PERIOD", "Time period"}, {"OBS_VALUE", "Observation value"}, {"UNIT_MEASURE", "Unit of measure"},
      {"NATURE", "Nature of data"}, {"SOURCE_DETAIL", "Source details"}, {"OBS_STATUS", "Observation status"}};
  for (auto& c : concepts) {
    o += std::string("<str:Concept id=\"") + c[0] + "\">";
    Name(&o, c[1]);
    o += "</str:Concept>";
  }
  o += "\n</str:ConceptScheme>\n";
  demo::MetadataConcepts(&o);
  o += "</str:Concepts>\n";
  demo::MetadataStructures(&o);
  o += "<str:DataStructures>\n";
  o += std::string("<str:DataStructure id=\"DEMO_SDG\" agencyID=\"") + kAgency + "\" version=\"1.0\" isFinal=\"true\">";
  Name(&o, "SDG indicators (SDMX Hub demo)", "Dimensions, attributes and measure of the SDG demo data.");
  o += "<str:DataStructureComponents>\n<str:DimensionList id=\"DimensionDescriptor\">\n";
  const char* dims[][2] = {{"FREQ", "CL_FREQ"}, {"REPORTING_TYPE", "CL_REPORTING_TYPE"}, {"SERIES", "CL_SERIES"},
                           {"REF_AREA", "CL_AREA"}, {"SEX", "CL_SEX"}, {"AGE", "CL_AGE"},
                           {"URBANISATION", "CL_URBANISATION"}};
  int pos = 1;
  for (auto& d : dims) {
    o += std::string("<str:Dimension id=\"") + d[0] + "\" position=\"" + std::to_string(pos++) + "\">";
    Concept(&o, d[0]);
    Enumeration(&o, d[1]);
    o += "</str:Dimension>\n";
  }
  o += "<str:TimeDimension id=\"TIME_PERIOD\" position=\"" + std::to_string(pos) + "\">";
  Concept(&o, "TIME_PERIOD");
  o += "<str:LocalRepresentation><str:TextFormat textType=\"ObservationalTimePeriod\"/></str:LocalRepresentation>"
       "</str:TimeDimension>\n</str:DimensionList>\n<str:AttributeList id=\"AttributeDescriptor\">\n";
  o += "<str:Attribute id=\"UNIT_MEASURE\" assignmentStatus=\"Mandatory\">";
  Concept(&o, "UNIT_MEASURE");
  Enumeration(&o, "CL_UNIT_MEASURE");
  o += "<str:AttributeRelationship>";
  for (auto& d : dims) o += std::string("<str:Dimension><Ref id=\"") + d[0] + "\"/></str:Dimension>";
  o += "</str:AttributeRelationship></str:Attribute>\n";
  const char* obs_attrs[][3] = {{"OBS_STATUS", "Mandatory", "CL_OBS_STATUS"},
                                {"NATURE", "Conditional", "CL_NATURE"},
                                {"SOURCE_DETAIL", "Conditional", ""}};
  for (auto& a : obs_attrs) {
    o += std::string("<str:Attribute id=\"") + a[0] + "\" assignmentStatus=\"" + a[1] + "\">";
    Concept(&o, a[0]);
    if (*a[2]) Enumeration(&o, a[2]);
    o += "<str:AttributeRelationship><str:PrimaryMeasure><Ref id=\"OBS_VALUE\"/></str:PrimaryMeasure>"
         "</str:AttributeRelationship></str:Attribute>\n";
  }
  o += "</str:AttributeList>\n<str:MeasureList id=\"MeasureDescriptor\"><str:PrimaryMeasure id=\"OBS_VALUE\">";
  Concept(&o, "OBS_VALUE");
  o += "<str:LocalRepresentation><str:TextFormat textType=\"Double\"/></str:LocalRepresentation>"
       "</str:PrimaryMeasure></str:MeasureList>\n</str:DataStructureComponents></str:DataStructure>\n"
       "</str:DataStructures>\n";
  demo::StructureSetsTaxonomiesAndProcesses(&o);
  ConstraintsAndAgreements(&o);
  o += "</mes:Structures>\n</mes:Structure>\n";
  return o;
}

hub::Status WriteDemoData(const DemoDataOptions& options, const Sink& sink) {
  StructureSet structures;
  Diagnostics diags;
  HUB_RETURN_IF_ERROR(ReadStructureMessage(DemoStructureMessage(), "demo-structure", {}, &structures, &diags));
  const Dataflow* flow = structures.FindDataflowById(kDemoDataflowId);
  const DataStructure* dsd = structures.FindDataStructure(flow->structure);

  WriteContext ctx;
  ctx.dsd = dsd;
  ctx.dataflow = flow->ref;
  ctx.prepared = options.prepared;
  ctx.action = Action::kReplace;
  const std::vector<const CodeDef*> countries = Countries();

  if (options.file == DemoDataOptions::File::kLarge) {
    ctx.message_id = "DEMO_LARGE";
    ctx.sender = "UNSD";
    auto w = NewDataWriter(options.large_format, ctx, sink);
    // Spread the observations over every code combination, annual (the
    // demo's content constraint allows no other frequency): more than 60 a
    // series reach further back than 1990.
    const char* ages[] = {"_T", "Y15T24", "Y_GE15"};
    const char* urban[] = {"_T", "U", "R"};
    const uint64_t combos = SeriesDefs().size() * countries.size() * 3 * 3 * 3;
    const uint64_t per_series = std::max<uint64_t>(1, (options.observations + combos - 1) / combos);
    const int first_year = per_series <= 60 ? 1990 : 2050 - static_cast<int>(per_series);
    uint64_t written = 0;
    for (const SeriesDef& s : SeriesDefs()) {
      for (const CodeDef* area : countries) {
        for (const char* sex : {"_T", "F", "M"}) {
          for (const char* age : ages) {
            for (const char* urb : urban) {
              if (written >= options.observations) break;
              Series series = MakeSeries(*dsd, s, "A", area->id, sex, age, urb);
              for (uint64_t i = 0; i < per_series && written < options.observations; ++i, ++written) {
                const int year = first_year + static_cast<int>(i);
                series.observations.push_back(MakeObs(std::to_string(year), ValueOf(s, area->id, sex, year, 1), "A",
                                                      "C", "Generated benchmark data"));
              }
              if (!series.observations.empty()) w->WriteSeries(series);
            }
          }
        }
      }
    }
    w->Finish();
    return hub::Status::Ok();
  }

  if (options.file == DemoDataOptions::File::kNational) {
    // National (REPORTING_TYPE=N) figures for a fifth of the countries,
    // Kenya among them, that differ from the global ones by up to 10%.
    ctx.message_id = "DEMO_NATIONAL";
    ctx.sender = "UNSD";
    auto w = NewDataWriter(DataFormat::kStructureSpecific21, ctx, sink);
    for (const SeriesDef& s : SeriesDefs()) {
      if (s.health || std::string_view(s.id) == kPopulationSeries) continue;
      for (size_t a = 0; a < countries.size(); ++a) {
        const char* area = countries[a]->id;
        if (a % 5 != 0 && std::string_view(area) != "404") continue;
        const std::string source = std::string("National statistical office of ") + countries[a]->name;
        for (const char* sex : SexesOf(s)) {
          Series series = MakeSeries(*dsd, s, "A", area, sex, s.age, "_T", "N");
          for (int year = options.first_year; year < options.last_year; ++year) {
            const double shift = 0.9 + 0.2 * Unit(Hash(area, Hash(s.id, static_cast<uint64_t>(year))));
            series.observations.push_back(MakeObs(std::to_string(year), ValueOf(s, area, sex, year, 1) * shift, "A",
                                                  "C", source.c_str()));
          }
          if (!series.observations.empty()) w->WriteSeries(series);
        }
      }
    }
    w->Finish();
    return hub::Status::Ok();
  }

  const bool revision = options.file == DemoDataOptions::File::kRevision;
  ctx.message_id = revision ? "DEMO_WHO_REVISION" : "DEMO_UNSD_INITIAL";
  ctx.sender = revision ? "WHO" : "UNSD";
  auto w = NewDataWriter(revision ? DataFormat::kGeneric21 : DataFormat::kStructureSpecific21, ctx, sink);
  for (const SeriesDef& s : SeriesDefs()) {
    if (revision && !s.health) continue;
    for (size_t a = 0; a < countries.size(); ++a) {
      // The custodian revises a third of the areas.
      if (revision && a % 3 != 0) continue;
      const char* area = countries[a]->id;
      for (const char* sex : SexesOf(s)) {
        Series series = MakeSeries(*dsd, s, "A", area, sex, s.age, "_T");
        const int first = revision ? 2019 : options.first_year;
        const int last = revision ? 2022 : options.last_year;
        for (int year = first; year <= last; ++year) {
          if (revision) {
            series.observations.push_back(MakeObs(std::to_string(year), ValueOf(s, area, sex, year, 2),
                                                  year == 2022 ? "P" : "A", "M", "UN IGME / WHO 2026 estimates"));
          } else {
            series.observations.push_back(MakeObs(std::to_string(year), ValueOf(s, area, sex, year, 1),
                                                  "A", year % 2 ? "C" : "CA", "UNSD compilation of national data"));
          }
        }
        w->WriteSeries(series);
      }
    }
  }
  w->Finish();
  return hub::Status::Ok();
}

}  // namespace sdmx
