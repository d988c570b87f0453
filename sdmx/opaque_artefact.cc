#include "sdmx/opaque_artefact.h"

#include <algorithm>
#include <map>
#include <set>

#include "sdmx/urn.h"
#include "sdmx/xml.h"

namespace sdmx {
namespace {

constexpr std::string_view kSdmx21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/";

// The namespace URI bound to `prefix` ("" for the default) where `n` is.
std::string Bound(const pugi::xml_node& n, std::string_view prefix) {
  const std::string attr = prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix);
  for (pugi::xml_node p = n; p; p = p.parent()) {
    if (pugi::xml_attribute a = p.attribute(attr.c_str())) return a.value();
  }
  return "";
}

// Writes `e` whole, its text escaped and its children alike. SDMX's
// structure and common namespaces take the prefixes the hub's message
// declares (str, com); the namespace declarations that came are dropped,
// and any other namespace an element or attribute uses is declared again
// where it is used, so the element stands in any message. `default_ns`: the
// default namespace in force in what was written around it.
void WriteElement(const pugi::xml_node& e, const std::string& default_ns, std::string* o) {
  const std::string ns = NamespaceOf(e);
  const std::string_view raw = e.name();
  const size_t colon = raw.find(':');
  std::string name, declarations, inner_default = default_ns;
  if (ns.ends_with("/structure") && ns.find("sdmx") != std::string::npos) {
    name = "str:" + std::string(LocalName(e));
  } else if (ns.ends_with("/common") && ns.find("sdmx") != std::string::npos) {
    name = "com:" + std::string(LocalName(e));
  } else if (colon != std::string_view::npos) {  // another namespace, by its prefix
    name = std::string(raw);
    declarations += " xmlns:" + std::string(raw.substr(0, colon)) + "=\"";
    AppendEscaped(&declarations, ns);
    declarations += '"';
  } else {  // unqualified, or another default namespace
    name = std::string(raw);
    if (ns != default_ns) {
      declarations += " xmlns=\"";
      AppendEscaped(&declarations, ns);
      declarations += '"';
      inner_default = ns;
    }
  }
  *o += '<' + name + declarations;
  // Prefixes declared on this element: its own (another namespace's), then its attributes'.
  std::set<std::string> declared;
  if (!declarations.empty() && colon != std::string_view::npos) declared.insert(std::string(raw.substr(0, colon)));
  for (pugi::xml_attribute a = e.first_attribute(); a; a = a.next_attribute()) {
    const std::string_view attr = a.name();
    if (attr == "xmlns" || attr.starts_with("xmlns:")) continue;
    if (const size_t c = attr.find(':'); c != std::string_view::npos && !attr.starts_with("xml:")) {
      const std::string prefix(attr.substr(0, c));
      if (declared.insert(prefix).second) {
        *o += " xmlns:" + prefix + "=\"";
        AppendEscaped(o, Bound(e, prefix));
        *o += '"';
      }
    }
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
      WriteElement(c, inner_default, o);
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

// The class a Ref without one names, by where it is: <str:Dataflow><Ref/>
// names a dataflow; the Source and Target of a scheme map the scheme its
// schema fixes (CodelistMap: codelists). "" when the place does not say.
std::string ClassOfHolder(const pugi::xml_node& holder) {
  static const std::map<std::string_view, std::string_view> kMapped = {
      {"CodelistMap", "Codelist"}, {"ConceptSchemeMap", "ConceptScheme"},
      {"CategorySchemeMap", "CategoryScheme"}, {"ReportingTaxonomyMap", "ReportingTaxonomy"}};
  const std::string_view ln = LocalName(holder);
  if (ln == "Source" || ln == "Target") {
    auto it = kMapped.find(LocalName(holder.parent()));
    return it == kMapped.end() ? "" : std::string(it->second);
  }
  return std::string(ln);
}

void CollectReferences(const pugi::xml_node& n, OpaqueArtefact* a) {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    const std::string_view ln = LocalName(c);
    if (ln == "Ref") {
      std::string cls = c.attribute("class").value();
      if (cls.empty()) cls = ClassOfHolder(n);
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
  WriteElement(element, "", &a->xml);
  a->references.clear();
  CollectReferences(element, a);
}

}  // namespace sdmx
