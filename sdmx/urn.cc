#include "sdmx/urn.h"

#include "sdmx/xml.h"

namespace sdmx {

std::optional<ArtefactRef> ParseUrn(std::string_view urn, std::string* class_name) {
  size_t eq = urn.find('=');
  if (eq == std::string_view::npos) return std::nullopt;
  if (class_name) {
    std::string_view head = urn.substr(0, eq);
    size_t dot = head.rfind('.');
    *class_name = std::string(dot == std::string_view::npos ? head : head.substr(dot + 1));
  }
  std::string_view rest = urn.substr(eq + 1);
  size_t colon = rest.find(':');
  size_t open = rest.find('(', colon == std::string_view::npos ? 0 : colon);
  size_t close = rest.find(')', open == std::string_view::npos ? 0 : open);
  if (colon == std::string_view::npos || open == std::string_view::npos || close == std::string_view::npos) {
    return std::nullopt;
  }
  return ArtefactRef{std::string(rest.substr(0, colon)), std::string(rest.substr(colon + 1, open - colon - 1)),
                     std::string(rest.substr(open + 1, close - open - 1))};
}

std::optional<StructureRef> ParseStructureRef(const pugi::xml_node& holder) {
  const std::string_view element = LocalName(holder);
  StructureRef out;
  // SDMX-ML 2.1's schema spells the agreement's element ProvisionAgrement.
  out.is_agreement = element == "ProvisionAgrement" || element == "ProvisionAgreement";
  out.is_dataflow = element != "Structure" && !out.is_agreement;  // StructureUsage, Dataflow
  auto classify = [&](std::string_view cls) {
    if (cls.empty()) return;
    out.is_agreement = cls == "ProvisionAgreement";
    out.is_dataflow = cls == "Dataflow";
  };
  if (pugi::xml_node ref = ChildByLocalName(holder, "Ref")) {
    out.ref = {ref.attribute("agencyID").value(), ref.attribute("id").value(), ref.attribute("version").value()};
    classify(ref.attribute("class").value());
    return out;
  }
  std::string text = ChildText(holder, "URN");
  if (text.empty()) text = holder.text().get();
  std::string cls;
  auto ref = ParseUrn(text, &cls);
  if (!ref) return std::nullopt;
  out.ref = *ref;
  classify(cls);
  return out;
}

}  // namespace sdmx
