#include "sdmx/opaque_artefact.h"

#include <algorithm>
#include <map>

#include "sdmx/urn.h"
#include "sdmx/xml.h"

namespace sdmx {
namespace {

constexpr std::string_view kSdmx21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/";

// The prefix the hub writes for `n`'s namespace, or the name as it came for
// a namespace other than SDMX's structure and common (e.g. xml:lang).
std::string NameFor(const pugi::xml_node& n) {
  const std::string ns = NamespaceOf(n);
  if (ns.ends_with("/structure")) return "str:" + std::string(LocalName(n));
  if (ns.ends_with("/common")) return "com:" + std::string(LocalName(n));
  if (ns.empty()) return std::string(LocalName(n));
  return n.name();
}

// Writes `e` whole: its attributes but namespace declarations (the hub's
// message declares its own), its text escaped, its child elements alike.
void WriteElement(const pugi::xml_node& e, std::string* o) {
  const std::string name = NameFor(e);
  *o += '<' + name;
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view attr = a.name();
    if (attr == "xmlns" || attr.starts_with("xmlns:")) continue;
    *o += ' ';
    *o += attr;
    *o += "=\"";
    AppendEscaped(o, a.value());
    *o += '"';
  }
  if (!e.first_child()) {
    *o += "/>";
    return;
  }
  *o += '>';
  for (pugi::xml_node c = e.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
      AppendEscaped(o, c.value());
    } else if (c.type() == pugi::node_element) {
      WriteElement(c, o);
    }
  }
  *o += "</" + name + '>';
}

// The scheme class of an item class ("Code" -> "Codelist"); "" for one
// that is not an item of a maintainable the hub can hold.
std::string_view SchemeOfItem(std::string_view item) {
  static const std::map<std::string_view, std::string_view> kSchemes = {
      {"Code", "Codelist"},
      {"Concept", "ConceptScheme"},
      {"Category", "CategoryScheme"},
      {"Agency", "AgencyScheme"},
      {"DataProvider", "DataProviderScheme"},
      {"DataConsumer", "DataConsumerScheme"},
      {"OrganisationUnit", "OrganisationUnitScheme"},
      {"ReportingCategory", "ReportingTaxonomy"}};
  auto it = kSchemes.find(item);
  return it == kSchemes.end() ? std::string_view() : it->second;
}

void AddReference(OpaqueArtefact::Reference r, OpaqueArtefact* a) {
  if (r.sdmx_class.empty() || r.ref.agency.empty() || r.ref.id.empty()) return;
  if (r.sdmx_class == a->sdmx_class && r.ref == a->ref) return;  // itself
  if (std::find(a->references.begin(), a->references.end(), r) == a->references.end()) a->references.push_back(r);
}

void CollectReferences(const pugi::xml_node& n, OpaqueArtefact* a) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view ln = LocalName(c);
    if (ln == "Ref") {
      std::string cls = c.attribute("class").value();
      if (cls.empty()) cls = LocalName(n);  // <str:Dataflow><Ref .../>: the holder names the class
      if (const char* parent = c.attribute("maintainableParentID").value(); *parent) {
        AddReference({std::string(SchemeOfItem(cls)),
                      {c.attribute("agencyID").value(), parent, c.attribute("maintainableParentVersion").value()}},
                     a);
      } else {
        AddReference({cls, {c.attribute("agencyID").value(), c.attribute("id").value(), c.attribute("version").value()}},
                     a);
      }
      continue;
    }
    if (ln == "URN") {
      std::string cls;
      if (auto ref = ParseUrn(c.text().get(), &cls)) {
        const std::string_view scheme = SchemeOfItem(cls);
        AddReference({scheme.empty() ? cls : std::string(scheme), *ref}, a);
      }
      continue;
    }
    CollectReferences(c, a);
  }
}

}  // namespace

bool IsSdmxMl21(const pugi::xml_node& element) { return NamespaceOf(element).starts_with(kSdmx21); }

void ReadOpaqueBody(const pugi::xml_node& element, OpaqueArtefact* a) {
  a->xml.clear();
  WriteElement(element, &a->xml);
  a->references.clear();
  CollectReferences(element, a);
}

}  // namespace sdmx
