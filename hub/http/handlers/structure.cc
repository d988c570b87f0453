// Structure queries, SDMX REST 1.5 and 2.2:
//   GET /sdmx/v1/{type}[/{agencyID}[/{resourceID}[/{version}]]]
//   GET /sdmx/v2/structure/{type}[/{agencyID}[/{resourceID}[/{version}]]]
// type: dataflow, datastructure, codelist, conceptscheme, agencyscheme,
// dataproviderscheme, dataconsumerscheme, organisationunitscheme,
// provisionagreement, contentconstraint (v2 also dataconstraint),
// hierarchicalcodelist (v2 hierarchy), categoryscheme, categorisation,
// metadatastructure, metadataflow, structureset, process,
// reportingtaxonomy, attachmentconstraint (SDMX-ML 2.1 only), or
// structure (every type). agency/id: "all" (v1) or "*"
// (v2) for any, v2 also comma lists. version: "latest" / "~" the highest,
// "all" / "*" any, v2 "1.*" wildcards. `references`: none, children,
// descendants, parents, parentsandsiblings, all, or one type. `detail`:
// full, allstubs, referencestubs, allcompletestubs, referencecompletestubs,
// referencepartial (v2 also raw). Answers SDMX-ML 2.1 (v1) / 3.0 (v2) by
// default, SDMX-ML 2.1 or 3.0 and SDMX-JSON 1.0 or 2.0 by Accept.
#include <cctype>
#include <chrono>
#include <cstdlib>
#include <set>

#include "hub/http/handlers/artefact_match.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/json_structure_writer.h"
#include "sdmx/structure_writer.h"

namespace hub::http {
namespace {

enum class Kind {
  kDataflow, kDsd, kCodelist, kConceptScheme, kAgencyScheme, kProviderScheme, kAgreement, kConstraint, kHierarchy,
  kCategoryScheme, kCategorisation, kConsumerScheme, kUnitScheme, kMsd, kMetadataflow,
  // Held as sdmx::OpaqueArtefact (SDMX-ML 2.1 only):
  kStructureSet, kProcess, kReportingTaxonomy, kAttachmentConstraint
};

// The opaque kinds and their SDMX classes.
constexpr std::pair<Kind, const char*> kOpaqueKinds[] = {{Kind::kStructureSet, "StructureSet"},
                                                        {Kind::kProcess, "Process"},
                                                        {Kind::kReportingTaxonomy, "ReportingTaxonomy"},
                                                        {Kind::kAttachmentConstraint, "AttachmentConstraint"}};

std::optional<std::set<Kind>> KindsOf(const std::string& type) {
  static const std::map<std::string, std::set<Kind>> kNames = {
      {"dataflow", {Kind::kDataflow}},
      {"datastructure", {Kind::kDsd}},
      {"codelist", {Kind::kCodelist}},
      {"conceptscheme", {Kind::kConceptScheme}},
      {"agencyscheme", {Kind::kAgencyScheme}},
      {"dataproviderscheme", {Kind::kProviderScheme}},
      {"dataconsumerscheme", {Kind::kConsumerScheme}},
      {"organisationunitscheme", {Kind::kUnitScheme}},
      {"organisationscheme", {Kind::kAgencyScheme, Kind::kProviderScheme, Kind::kConsumerScheme, Kind::kUnitScheme}},
      {"provisionagreement", {Kind::kAgreement}},
      {"contentconstraint", {Kind::kConstraint}},
      {"actualconstraint", {Kind::kConstraint}},
      {"allowedconstraint", {Kind::kConstraint}},
      {"dataconstraint", {Kind::kConstraint}},
      {"hierarchicalcodelist", {Kind::kHierarchy}},  // 1.x (SDMX 2.1)
      {"hierarchy", {Kind::kHierarchy}},             // 2.x (SDMX 3.0): each of its hierarchies
      {"categoryscheme", {Kind::kCategoryScheme}},
      {"categorisation", {Kind::kCategorisation}},
      {"metadatastructure", {Kind::kMsd}},
      {"metadataflow", {Kind::kMetadataflow}},
      {"structureset", {Kind::kStructureSet}},
      {"process", {Kind::kProcess}},
      {"reportingtaxonomy", {Kind::kReportingTaxonomy}},
      {"attachmentconstraint", {Kind::kAttachmentConstraint}}};
  if (type == "structure" || type == "*") {
    std::set<Kind> all;
    for (const auto& [n, k] : kNames) all.insert(k.begin(), k.end());
    return all;
  }
  auto it = kNames.find(type);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// Structure types SDMX REST (1.5 or 2.2) defines that the hub does not hold
// yet: a query for one is a 501, not a 404 (the resource exists in the
// standard) nor an empty answer (the hub would not know).
bool DefinedButNotHeld(const std::string& type) {
  static const std::set<std::string> kTypes = {
      "hierarchyassociation", "metadataconstraint",   "representationmap",    "conceptschememap",
      "categoryschememap",    "organisationschememap", "reportingtaxonomymap", "valuelist",
      "transformationscheme", "rulesetscheme",   "userdefinedoperatorscheme", "customtypescheme",
      "namepersonalisationscheme", "vtlmappingscheme", "metadataprovisionagreement",
      "metadataproviderscheme"};
  return kTypes.count(type) > 0;
}

struct Query {
  std::set<Kind> kinds;
  std::string agency, id, version;
  bool v2 = false;
};

// Adds the artefacts of `m` (a StructureSet map) that `q` selects (of
// them, those `keep` accepts: one kind of a map holding several).
template <typename M, typename Add>
void Select(const M& m, const Query& q, Add add) {
  SelectArtefacts(m, {q.agency, q.id, q.version, q.v2}, add);
}
template <typename M, typename Add, typename Keep>
void Select(const M& m, const Query& q, Add add, Keep keep) {
  SelectArtefacts(m, {q.agency, q.id, q.version, q.v2}, add, keep);
}

void SelectAll(const sdmx::StructureSet& all, const Query& q, sdmx::StructureSet* out) {
  auto add = [&](const auto& a) { out->Add(a); };
  if (q.kinds.count(Kind::kDataflow)) Select(all.dataflows(), q, add);
  if (q.kinds.count(Kind::kDsd)) Select(all.data_structures(), q, add);
  if (q.kinds.count(Kind::kCodelist)) Select(all.codelists(), q, add);
  if (q.kinds.count(Kind::kAgreement)) Select(all.provision_agreements(), q, add);
  if (q.kinds.count(Kind::kConstraint)) Select(all.constraints(), q, add);
  if (q.kinds.count(Kind::kHierarchy)) Select(all.hierarchical_codelists(), q, add);
  if (q.kinds.count(Kind::kCategorisation)) Select(all.categorisations(), q, add);
  if (q.kinds.count(Kind::kMsd)) Select(all.metadata_structures(), q, add);
  if (q.kinds.count(Kind::kMetadataflow)) Select(all.metadataflows(), q, add);
  for (const auto& [kind, sdmx_class] : kOpaqueKinds) {
    if (!q.kinds.count(kind)) continue;
    Select(all.opaque(), q, add, [&](const sdmx::OpaqueArtefact& a) { return a.sdmx_class == sdmx_class; });
  }
  for (auto [kind, scheme] : {std::pair{Kind::kConceptScheme, sdmx::SchemeKind::kConceptScheme},
                              std::pair{Kind::kAgencyScheme, sdmx::SchemeKind::kAgencyScheme},
                              std::pair{Kind::kProviderScheme, sdmx::SchemeKind::kDataProviderScheme},
                              std::pair{Kind::kCategoryScheme, sdmx::SchemeKind::kCategoryScheme},
                              std::pair{Kind::kConsumerScheme, sdmx::SchemeKind::kDataConsumerScheme},
                              std::pair{Kind::kUnitScheme, sdmx::SchemeKind::kOrganisationUnitScheme}}) {
    if (!q.kinds.count(kind)) continue;
    Select(all.schemes(), q, add, [&](const sdmx::ItemScheme& s) { return s.kind == scheme; });
  }
}

// The artefacts `set` refers to (children), added to `out`.
void AddChildren(const sdmx::StructureSet& all, const sdmx::StructureSet& set, sdmx::StructureSet* out) {
  auto add_concepts = [&](const std::optional<sdmx::ConceptRef>& c) {
    if (c) {
      if (auto* s = all.FindScheme(sdmx::SchemeKind::kConceptScheme, c->scheme)) out->Add(*s);
    }
  };
  for (const auto& [k, df] : set.dataflows()) {
    if (auto* d = all.FindDataStructure(df.structure)) out->Add(*d);
  }
  for (const auto& [k, d] : set.data_structures()) {
    for (const auto& dim : d.dimensions) {
      if (dim.codelist) {
        if (auto* c = all.FindCodelist(*dim.codelist)) out->Add(*c);
      }
      add_concepts(dim.concept_identity);
    }
    for (const auto& a : d.attributes) {
      if (a.codelist) {
        if (auto* c = all.FindCodelist(*a.codelist)) out->Add(*c);
      }
      add_concepts(a.concept_identity);
    }
    add_concepts(d.time_concept);
    add_concepts(d.measure_concept);
  }
  for (const auto& [k, p] : set.provision_agreements()) {
    if (auto* df = all.FindDataflow(p.dataflow)) out->Add(*df);
    if (auto* s = all.FindScheme(sdmx::SchemeKind::kDataProviderScheme, p.provider_scheme)) out->Add(*s);
  }
  for (const auto& [k, h] : set.hierarchical_codelists()) {
    for (const auto& cl : h.codelists) {
      if (auto* c = all.FindCodelist(cl)) out->Add(*c);
    }
  }
  for (const auto& [k, m] : set.metadata_structures()) {
    for (const sdmx::MetadataAttribute* a : m.AllAttributes()) {
      if (a->codelist) {
        if (auto* c = all.FindCodelist(*a->codelist)) out->Add(*c);
      }
      add_concepts(a->concept_identity);
    }
  }
  for (const auto& [k, m] : set.metadataflows()) {
    if (auto* msd = all.FindMetadataStructure(m.structure)) out->Add(*msd);
  }
  for (const auto& [k, a] : set.opaque()) {
    for (const sdmx::OpaqueArtefact::Reference& r : a.references) all.CopyTo(r.sdmx_class, r.ref, out);
  }
  for (const auto& [k, c] : set.categorisations()) {  // what it files, and where
    all.CopyTo(c.source_class, c.source, out);
    if (auto* s = all.FindScheme(sdmx::SchemeKind::kCategoryScheme, c.category_scheme)) out->Add(*s);
  }
  for (const auto& [k, c] : set.constraints()) {  // what it is attached to: a dataflow, a DSD, an agreement
    for (const auto& a : c.attachments) all.CopyTo(a.kind, a.ref, out);
  }
}

// The artefacts that refer to something in `set` (parents), added to `out`.
void AddParents(const sdmx::StructureSet& all, const sdmx::StructureSet& set, sdmx::StructureSet* out) {
  auto uses = [&](const sdmx::DataStructure& d) {
    for (const auto& dim : d.dimensions) {
      if (dim.codelist && set.FindCodelist(*dim.codelist)) return true;
      if (dim.concept_identity && set.FindScheme(sdmx::SchemeKind::kConceptScheme, dim.concept_identity->scheme)) {
        return true;
      }
    }
    for (const auto& a : d.attributes) {
      if (a.codelist && set.FindCodelist(*a.codelist)) return true;
    }
    return false;
  };
  for (const auto& [k, d] : all.data_structures()) {
    if (uses(d)) out->Add(d);
  }
  for (const auto& [k, m] : all.metadata_structures()) {
    for (const sdmx::MetadataAttribute* a : m.AllAttributes()) {
      if ((a->codelist && set.FindCodelist(*a->codelist)) ||
          (a->concept_identity && set.FindScheme(sdmx::SchemeKind::kConceptScheme, a->concept_identity->scheme))) {
        out->Add(m);
        break;
      }
    }
  }
  for (const auto& [k, mf] : all.metadataflows()) {
    if (set.FindMetadataStructure(mf.structure)) out->Add(mf);
  }
  for (const auto& [k, a] : all.opaque()) {
    for (const sdmx::OpaqueArtefact::Reference& r : a.references) {
      if (set.Holds(r.sdmx_class, r.ref)) {
        out->Add(a);
        break;
      }
    }
  }
  for (const auto& [k, df] : all.dataflows()) {
    if (set.FindDataStructure(df.structure)) out->Add(df);
  }
  for (const auto& [k, p] : all.provision_agreements()) {
    if (set.FindDataflow(p.dataflow)) out->Add(p);
  }
  for (const auto& [k, h] : all.hierarchical_codelists()) {
    for (const auto& cl : h.codelists) {
      if (set.FindCodelist(cl)) {
        out->Add(h);
        break;
      }
    }
  }
  for (const auto& [k, c] : all.categorisations()) {  // of a dataflow, or into a category the set holds
    const sdmx::ItemScheme* scheme = set.FindScheme(sdmx::SchemeKind::kCategoryScheme, c.category_scheme);
    if (set.Holds(c.source_class, c.source) || (scheme && scheme->Find(c.category))) {
      out->Add(c);
    }
  }
  for (const auto& [k, c] : all.constraints()) {
    for (const auto& a : c.attachments) {
      if (set.Holds(a.kind, a.ref)) {
        out->Add(c);
        break;
      }
    }
  }
}

}  // namespace

Status AddReferences(const sdmx::StructureSet& all, const std::string& refs, sdmx::StructureSet* set, TypeWalk type_walk) {
  if (refs.empty() || refs == "none") return Status::Ok();
  sdmx::StructureSet extra;
  auto descendants = [&] {
    // Until this walk finds nothing new (a constraint -> agreement ->
    // dataflow -> DSD -> codelists is 4 steps; references may also form a
    // cycle). What other walks added does not count: a DSD that is already
    // a sibling still has its codelists to give.
    sdmx::StructureSet frontier = *set, found;
    for (int depth = 0; depth < 16 && !frontier.empty(); ++depth) {
      sdmx::StructureSet next;
      AddChildren(all, frontier, &next);
      const size_t before = found.size();
      found.Merge(next);
      if (found.size() == before) break;
      frontier = std::move(next);
    }
    extra.Merge(found);
  };
  // Siblings: what the parents of `set` refer to, computed apart from the
  // parents (a walk must not add to the set it iterates).
  auto parents_and_siblings = [&] {
    sdmx::StructureSet parents;
    AddParents(all, *set, &parents);
    sdmx::StructureSet siblings;
    AddChildren(all, parents, &siblings);
    extra.Merge(parents);
    extra.Merge(siblings);
  };
  if (refs == "children") {
    AddChildren(all, *set, &extra);
  } else if (refs == "descendants") {
    descendants();
  } else if (refs == "parents") {
    AddParents(all, *set, &extra);
  } else if (refs == "parentsandsiblings") {
    parents_and_siblings();
  } else if (refs == "all") {  // parentsandsiblings and descendants
    parents_and_siblings();
    descendants();
  } else if (KindsOf(refs)) {  // one type: the artefacts of it that refer to, or are referred to by, `set`
    AddParents(all, *set, &extra);
    if (type_walk == TypeWalk::kAll) {
      parents_and_siblings();
      descendants();
    } else {
      AddChildren(all, *set, &extra);
    }
    Query q{*KindsOf(refs), "", "", "", true};
    sdmx::StructureSet only;
    SelectAll(extra, q, &only);
    extra = std::move(only);
  } else if (DefinedButNotHeld(refs)) {
    return Status::Ok();  // a type the hub holds none of: no references of it
  } else {
    return Status::InvalidArgument("references=" + refs + ": expected none, children, descendants, parents, "
                                   "parentsandsiblings, all or a structure type");
  }
  set->MergeNew(extra);  // what was asked for stays as selected (e.g. an item query's partial scheme)
  return Status::Ok();
}

namespace {

// What `detail` asks for; nullopt for a value the API version lacks (400).
// raw is full with codelist extensions unresolved: the hub holds none.
enum class Detail { kFull, kAllStubs, kReferenceStubs, kReferencePartial };
std::optional<Detail> ParseDetail(const std::string& detail, bool v2) {
  static const std::map<std::string, Detail> kNames = {
      {"full", Detail::kFull},
      {"allstubs", Detail::kAllStubs},
      {"allcompletestubs", Detail::kAllStubs},  // with their descriptions (StructureDetail::complete_stubs)
      {"referencestubs", Detail::kReferenceStubs},
      {"referencecompletestubs", Detail::kReferenceStubs},
      {"referencepartial", Detail::kReferencePartial}};
  if (detail.empty() || (v2 && detail == "raw")) return Detail::kFull;
  auto it = kNames.find(detail);
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

// The representation for an Accept header; nullopt = 406.
enum class Repr { kMl21, kMl30, kJson10, kJson20 };
std::optional<Repr> Negotiate(const std::string& accept, bool v2) {
  const Repr xml = v2 ? Repr::kMl30 : Repr::kMl21;
  const Repr json = v2 ? Repr::kJson20 : Repr::kJson10;
  if (accept.empty()) return xml;
  std::optional<Repr> best;
  double best_q = -1;
  for (size_t a = 0; a <= accept.size();) {
    size_t b = accept.find(',', a);
    if (b == std::string::npos) b = accept.size();
    std::string range;
    for (char c : accept.substr(a, b - a)) {
      if (c != ' ') range += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    a = b + 1;
    double q = 1;
    if (size_t qp = range.find(";q="); qp != std::string::npos) {
      q = std::atof(range.c_str() + qp + 3);
      range.erase(qp, range.find(';', qp + 1) == std::string::npos ? std::string::npos : range.find(';', qp + 1) - qp);
    }
    std::optional<Repr> r;
    if (range.rfind("application/vnd.sdmx.structure+xml", 0) == 0) {
      r = range.find("version=3") != std::string::npos ? Repr::kMl30
          : range.find("version=2.1") != std::string::npos ? Repr::kMl21 : xml;
    } else if (range.rfind("application/vnd.sdmx.structure+json", 0) == 0) {
      r = range.find("version=2") != std::string::npos ? Repr::kJson20
          : range.find("version=1") != std::string::npos ? Repr::kJson10 : json;
    } else if (range == "application/xml" || range == "text/xml" || range == "*/*" || range == "application/*") {
      r = xml;
    } else if (range == "application/json") {
      r = json;
    }
    if (r && q > best_q) {
      best = r;
      best_q = q;
    }
  }
  return best;
}

// Item queries (/codelist/AG/ID/VER/ITEMS): the selected item schemes with
// only the items named ('+' in 1.x, ',' in 2.x; '*' or "all" = every one),
// each then partial. Other artefacts have no items: false.
bool KeepItems(const std::string& items, bool v2, sdmx::StructureSet* set, sdmx::StructureSet* partial) {
  if (items.empty() || items == "*" || items == "all") return true;
  if (!set->data_structures().empty() || !set->dataflows().empty() || !set->provision_agreements().empty() ||
      !set->constraints().empty() || !set->categorisations().empty() || !set->hierarchical_codelists().empty() ||
      !set->metadata_structures().empty() || !set->metadataflows().empty() || !set->opaque().empty()) {
    return false;
  }
  std::set<std::string> wanted;
  const char sep = v2 ? ',' : '+';
  for (size_t start = 0; start <= items.size();) {
    const size_t end = std::min(items.find(sep, start), items.size());
    wanted.insert(items.substr(start, end - start));
    start = end + 1;
  }
  auto keep = [&](std::vector<sdmx::Code>* codes) {
    std::erase_if(*codes, [&](const sdmx::Code& c) { return !wanted.count(c.id); });
    return !codes->empty();
  };
  sdmx::StructureSet out;
  for (auto [k, cl] : set->codelists()) {
    if (!keep(&cl.codes)) continue;
    cl.Index();
    partial->Add(cl);
    out.Add(std::move(cl));
  }
  for (auto [k, scheme] : set->schemes()) {
    if (scheme.kind == sdmx::SchemeKind::kCategoryScheme) {  // nested: keep the categories above those named
      KeepWithAncestors(wanted, &scheme.items);
      if (scheme.items.empty()) continue;
      partial->Add(scheme);
      out.Add(std::move(scheme));
      continue;
    }
    if (!keep(&scheme.items)) continue;
    partial->Add(scheme);
    out.Add(std::move(scheme));
  }
  *set = std::move(out);
  return true;
}

HttpResponse Structures(const HandlerContext& ctx, const HttpRequest& req, bool v2) {
  static const std::set<std::string> kSupported = {"references", "detail", "format", "at", "asOf"};
  if (Status s = CheckSdmxQueryParams(req, kSupported); !s.ok()) return ErrorFromStatus(s);
  const auto detail = ParseDetail(req.Query("detail"), v2);
  if (!detail) {
    return HttpResponse::Error(400, "detail=" + req.Query("detail") +
                                        ": expected full, allstubs, referencestubs, allcompletestubs, "
                                        "referencecompletestubs, referencepartial" + (v2 ? " or raw" : ""));
  }
  auto kinds = KindsOf(req.Param("type"));
  if (!kinds && DefinedButNotHeld(req.Param("type"))) {
    return HttpResponse::Error(501, "structure type '" + req.Param("type") + "' is not implemented: the hub does not "
                                    "hold " + req.Param("type") + " artefacts yet");
  }
  if (!kinds) {
    return HttpResponse::Error(404, "no structure type '" + req.Param("type") + "'");
  }
  if (!Negotiate(req.Header("accept"), v2)) {
    return HttpResponse::Error(406, "no supported structure media type in Accept: " + req.Header("accept"));
  }
  Query q{*kinds, req.Param("agency"), req.Param("id"), req.Param("version"), v2};
  if (q.version.empty()) q.version = v2 ? "~" : "latest";
  auto all = ctx.registry->Snapshot();
  sdmx::StructureSet selected;
  SelectAll(*all, q, &selected);
  sdmx::StructureSet partial;
  if (!KeepItems(req.Param("items"), v2, &selected, &partial)) {
    return HttpResponse::Error(400, "an item query (/" + req.Param("type") + "/AGENCY/ID/VERSION/ITEMS) is for item "
                                    "schemes: codelists, concept, category and organisation schemes");
  }
  if (selected.empty()) {
    return v2 ? HttpResponse::Make(204, "", "") : HttpResponse::Error(404, "No results: no structure matches");
  }
  // The opaque types are held as SDMX-ML 2.1 only: asked for by type in
  // another representation, say so (a query for every type leaves them out).
  if (selected.size() == selected.opaque().size() && *Negotiate(req.Header("accept"), v2) != Repr::kMl21) {
    return HttpResponse::Error(406, req.Param("type") + " artefacts are held as SDMX-ML 2.1 only: ask with Accept: "
                                    "application/vnd.sdmx.structure+xml;version=2.1");
  }
  // The artefacts asked for stay full; "reference..." details apply to the rest.
  const sdmx::StructureSet requested = *detail == Detail::kFull ? sdmx::StructureSet() : selected;
  if (Status s = AddReferences(*all, req.Query("references"), &selected); !s.ok()) return ErrorFromStatus(s);
  sdmx::StructureDetail form;
  if (!partial.empty()) form.partial = &partial;
  form.stubs = *detail == Detail::kAllStubs || *detail == Detail::kReferenceStubs;
  form.complete_stubs = req.Query("detail").find("completestubs") != std::string::npos;
  if (*detail == Detail::kReferenceStubs) form.keep_full = &requested;
  if (*detail == Detail::kReferencePartial) {
    TrimToUsedItems(*all, requested, &selected, &partial);
    form.partial = &partial;
  }
  // Relative: the hub cannot tell its public scheme and host.
  form.structure_url = v2 ? "/sdmx/v2/structure" : "/sdmx/v1";
  form.resolve_in = all.get();
  return StructureResponse(selected, req, v2, LoadTimeIso(*ctx.state, ctx.state->watermark()), form);
}

}  // namespace

HttpResponse StructureResponse(const sdmx::StructureSet& set, const HttpRequest& req, bool v2,
                               const std::string& prepared, const sdmx::StructureDetail& detail) {
  auto repr = Negotiate(req.Header("accept"), v2);
  if (!repr) return HttpResponse::Error(406, "no supported structure media type in Accept: " + req.Header("accept"));
  if (*repr == Repr::kJson10 || *repr == Repr::kJson20) {
    sdmx::StructureJsonOptions o;
    o.version = *repr == Repr::kJson10 ? sdmx::StructureJsonVersion::kV1 : sdmx::StructureJsonVersion::kV2;
    o.prepared = prepared;
    o.detail = detail;
    return HttpResponse::Make(200,
                              *repr == Repr::kJson10 ? "application/vnd.sdmx.structure+json;version=1.0.0"
                                                     : "application/vnd.sdmx.structure+json;version=2.0.0",
                              sdmx::WriteStructureJson(set, o));
  }
  sdmx::StructureWriteOptions o;
  o.version = *repr == Repr::kMl21 ? sdmx::StructureMlVersion::k21 : sdmx::StructureMlVersion::k30;
  o.prepared = prepared;
  o.detail = detail;
  return HttpResponse::Make(200,
                            *repr == Repr::kMl21 ? "application/vnd.sdmx.structure+xml;version=2.1"
                                                 : "application/vnd.sdmx.structure+xml;version=3.0.0",
                            sdmx::WriteStructureMl(set, o));
}

void RegisterStructureRoutes(Router* router, const HandlerContext& ctx) {
  // Resources SDMX REST defines that the hub does not serve: 501 (before the
  // {type} routes, which would take them for structure types).
  auto not_implemented = [](const char* what) {
    return [what](HttpRequest&) { return HttpResponse::Error(501, std::string(what) + " is not implemented"); };
  };
  for (const char* tail : {"", "/{a}", "/{a}/{b}", "/{a}/{b}/{c}", "/{a}/{b}/{c}/{d}", "/{a}/{b}/{c}/{d}/{e}"}) {
    router->Add("GET", std::string("/sdmx/v1/metadata") + tail, not_implemented("reference metadata (/metadata)"));
    router->Add("GET", std::string("/sdmx/v2/metadata") + tail, not_implemented("reference metadata (/metadata)"));
  }
  RegisterSchemaRoutes(router, ctx);  // before {type}, which would take "schema" for a structure type
  auto v1 = [ctx](HttpRequest& req) { return Structures(ctx, req, false); };
  auto v2 = [ctx](HttpRequest& req) { return Structures(ctx, req, true); };
  for (const char* tail : {"", "/{agency}", "/{agency}/{id}", "/{agency}/{id}/{version}", "/{agency}/{id}/{version}/{items}"}) {
    router->Add("GET", std::string("/sdmx/v1/{type}") + tail, v1);
    router->Add("GET", std::string("/sdmx/v2/structure/{type}") + tail, v2);
  }
}

}  // namespace hub::http
