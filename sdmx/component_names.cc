#include "sdmx/component_names.h"

namespace sdmx {

const Component* ComponentNames::Find(const std::string& id) const {
  if (int d = dsd_->DimensionIndex(id); d >= 0) return &dsd_->dimensions[static_cast<size_t>(d)];
  return dsd_->FindAttribute(id);
}

std::string ComponentNames::Concept(const std::string& id) const {
  if (!names_) return id;
  const Component* c = Find(id);
  std::optional<ConceptRef> ref = c ? c->concept_identity : std::nullopt;
  if (!ref && id == dsd_->time_dimension) ref = dsd_->time_concept;
  if (!ref && id == dsd_->primary_measure) ref = dsd_->measure_concept;
  if (!ref) {  // the scheme the other concepts come from, by id
    for (const Dimension& d : dsd_->dimensions) {
      if (d.concept_identity) {
        ref = ConceptRef{d.concept_identity->scheme, id};
        break;
      }
    }
  }
  if (!ref) return id;
  const ItemScheme* scheme = names_->FindScheme(SchemeKind::kConceptScheme, ref->scheme);
  const sdmx::Code* item = scheme ? scheme->Find(ref->id) : nullptr;
  return item && !item->name.empty() ? item->name : id;
}

const Codelist* ComponentNames::CodelistOf(const std::string& id) const {
  const Component* c = names_ ? Find(id) : nullptr;
  return c && c->codelist ? names_->FindCodelist(*c->codelist) : nullptr;
}

std::string ComponentNames::Code(const std::string& id, const std::string& value) const {
  const Codelist* cl = CodelistOf(id);
  const sdmx::Code* code = cl ? cl->Find(value) : nullptr;
  return code && !code->name.empty() ? code->name : value;
}

}  // namespace sdmx
