// detail=referencepartial of structure queries: the item schemes returned as
// references keep only the items the other returned artefacts use.
#include <map>
#include <set>

#include "hub/http/handlers/handlers.h"

namespace hub::http {
namespace {

using Used = std::map<std::string, std::set<std::string>>;  // scheme key -> item ids

// The codes of the codelists `dsd` enumerates that `constraints` allow,
// component by component, into `used` (keyed by the codelist in `set`).
void AddAllowedCodes(const sdmx::StructureSet& set, const sdmx::DataStructure& dsd,
                     const std::vector<const sdmx::ContentConstraint*>& constraints, Used* used) {
  auto add = [&](const sdmx::Component& c) {
    const sdmx::Codelist* cl = c.codelist ? set.FindCodelist(*c.codelist) : nullptr;
    if (!cl) return;
    std::set<std::string>& codes = (*used)[cl->ref.ToString()];
    for (const sdmx::Code& code : cl->codes) {
      bool allowed = true;
      for (const sdmx::ContentConstraint* cc : constraints) allowed = allowed && cc->AllowsValue(c.id, code.id);
      if (allowed) codes.insert(code.id);
    }
  };
  for (const sdmx::Dimension& d : dsd.dimensions) add(d);
  for (const sdmx::Attribute& a : dsd.attributes) add(a);
}

// The concepts of `dsd`, into `used` (keyed by the concept scheme in `set`).
void AddConcepts(const sdmx::StructureSet& set, const sdmx::DataStructure& dsd, Used* used) {
  auto add = [&](const std::optional<sdmx::ConceptRef>& c) {
    if (!c) return;
    if (const sdmx::ItemScheme* s = set.FindScheme(sdmx::SchemeKind::kConceptScheme, c->scheme)) {
      (*used)[s->ref.ToString()].insert(c->id);
    }
  };
  for (const sdmx::Dimension& d : dsd.dimensions) add(d.concept_identity);
  for (const sdmx::Attribute& a : dsd.attributes) add(a.concept_identity);
  add(dsd.time_concept);
  add(dsd.measure_concept);
}

}  // namespace

bool KeepWithAncestors(const std::set<std::string>& keep, std::vector<sdmx::Code>* items) {
  std::map<std::string, const sdmx::Code*> by_id;
  for (const sdmx::Code& c : *items) by_id[c.id] = &c;
  std::set<std::string> kept;
  for (const std::string& id : keep) {
    // Parents of parents, stopping at one already kept (and at a cycle).
    for (auto it = by_id.find(id); it != by_id.end() && kept.insert(it->first).second;
         it = by_id.find(it->second->parent)) {
    }
  }
  if (kept.size() == items->size()) return false;
  std::erase_if(*items, [&](const sdmx::Code& c) { return !kept.count(c.id); });
  return true;
}

void TrimToUsedItems(const sdmx::StructureSet& all, const sdmx::StructureSet& requested, sdmx::StructureSet* set,
                     sdmx::StructureSet* partial) {
  Used codes, concepts, providers;
  // Codes: what the Allowed constraints of each returned dataflow (on it or
  // its DSD) allow; a returned DSD no returned dataflow uses (or one asked
  // for itself) counts with its own constraints only.
  std::set<std::string> used_through_flow;
  // An agreement asked for: what its dataflow allows its provider (the
  // constraints on the agreement too), and its dataflow counts no wider.
  std::set<std::string> flows_of_agreements;
  for (const auto& [k, pa] : requested.provision_agreements()) {
    const sdmx::Dataflow* df = all.FindDataflow(pa.dataflow);
    const sdmx::DataStructure* dsd = df ? all.FindDataStructure(df->structure) : nullptr;
    if (!dsd) continue;
    flows_of_agreements.insert(df->ref.ToString());
    used_through_flow.insert(dsd->ref.ToString());
    AddAllowedCodes(*set, *dsd, all.AllowedConstraintsFor(df->ref, dsd->ref, pa.provider), &codes);
  }
  for (const auto& [k, df] : set->dataflows()) {
    if (flows_of_agreements.count(k) && !requested.FindDataflow(df.ref)) continue;
    const sdmx::DataStructure* dsd = all.FindDataStructure(df.structure);
    if (!dsd) continue;
    used_through_flow.insert(dsd->ref.ToString());
    AddAllowedCodes(*set, *dsd, all.AllowedConstraintsFor(df.ref, dsd->ref), &codes);
  }
  for (const auto& [k, dsd] : set->data_structures()) {
    AddConcepts(*set, dsd, &concepts);
    if (used_through_flow.count(k) && !requested.FindDataStructure(dsd.ref)) continue;
    AddAllowedCodes(*set, dsd, all.AllowedConstraintsFor(std::nullopt, dsd.ref), &codes);
  }
  // A metadata structure: its concepts, and every code of its codelists
  // (no constraint restricts metadata here).
  for (const auto& [k, msd] : set->metadata_structures()) {
    for (const sdmx::MetadataAttribute* a : msd.AllAttributes()) {
      if (a->concept_identity) {
        if (const sdmx::ItemScheme* s = set->FindScheme(sdmx::SchemeKind::kConceptScheme, a->concept_identity->scheme)) {
          concepts[s->ref.ToString()].insert(a->concept_identity->id);
        }
      }
      if (const sdmx::Codelist* cl = a->codelist ? set->FindCodelist(*a->codelist) : nullptr) {
        for (const sdmx::Code& code : cl->codes) codes[cl->ref.ToString()].insert(code.id);
      }
    }
  }
  for (const auto& [k, pa] : set->provision_agreements()) {
    if (const sdmx::ItemScheme* s = set->FindScheme(sdmx::SchemeKind::kDataProviderScheme, pa.provider_scheme)) {
      providers[s->ref.ToString()].insert(pa.provider);
    }
  }
  // An item scheme no returned artefact uses stays whole: nothing says which
  // of its items matter. (No reference returns an agency scheme.)
  std::vector<sdmx::Codelist> trimmed_lists;
  for (const auto& [k, cl] : set->codelists()) {
    auto used = codes.find(k);
    if (requested.FindCodelist(cl.ref) || used == codes.end()) continue;
    sdmx::Codelist copy = cl;
    if (KeepWithAncestors(used->second, &copy.codes)) trimmed_lists.push_back(std::move(copy));
  }
  std::vector<sdmx::ItemScheme> trimmed_schemes;
  for (const auto& [k, s] : set->schemes()) {
    const Used& by_kind = s.kind == sdmx::SchemeKind::kConceptScheme ? concepts : providers;
    auto used = by_kind.find(s.ref.ToString());
    if (s.kind == sdmx::SchemeKind::kAgencyScheme || requested.FindScheme(s.kind, s.ref) || used == by_kind.end()) {
      continue;
    }
    sdmx::ItemScheme copy = s;
    if (KeepWithAncestors(used->second, &copy.items)) trimmed_schemes.push_back(std::move(copy));
  }
  for (sdmx::Codelist& cl : trimmed_lists) {
    partial->Add(cl);
    set->Add(std::move(cl));
  }
  for (sdmx::ItemScheme& s : trimmed_schemes) {
    partial->Add(s);
    set->Add(std::move(s));
  }
}

}  // namespace hub::http
