// Data availability, as an Actual content constraint:
//   GET /sdmx/v1/availableconstraint/{flowRef}[/{key}[/{providerRef}[/{componentID}]]]   SDMX REST 1.5
//   GET /sdmx/v2/availability/{context}/{agencyID}/{resourceID}/{version}[/{key}[/{componentID}]]  2.2
// One cube region lists, per dimension, the codes that have data. mode=exact
// (default): codes of the series the key selects; mode=available: for each
// dimension, the codes it could take given the constraints on the others
// (what a data browser offers next). Only series with observations in the
// period window (v1 startPeriod/endPeriod, v2 c[TIME_PERIOD]) and the other
// c[] filters count, from the providers providerRef names. references adds
// the dataflow and what it uses. At a watermark like every read.
#include <algorithm>
#include <map>
#include <set>

#include "hub/http/handlers/data_query.h"
#include "sdmx/time_period.h"

namespace hub::http {
namespace {

HttpResponse Availability(const HandlerContext& ctx, const HttpRequest& req, bool v2) {
  static const std::set<std::string> kV1 = {"mode", "references", "at", "asOf", "startPeriod", "endPeriod"};
  static const std::set<std::string> kV2 = {"mode", "references", "at", "asOf", "c[]"};
  if (Status s = CheckSdmxQueryParams(req, v2 ? kV2 : kV1); !s.ok()) return ErrorFromStatus(s);
  const std::string mode = req.HasQuery("mode") ? req.Query("mode") : "exact";
  if (mode != "exact" && mode != "available") return HttpResponse::Error(400, "mode=" + mode + ": expected exact or available");
  auto structures = ctx.registry->Snapshot();
  DataQuery q;  // what selects the observations that count as "data"
  if (v2) {
    auto targets = ResolveV2Targets(req, *structures);
    if (!targets.ok()) return ErrorFromStatus(targets.status());
    if (targets->size() > 1) {
      return HttpResponse::Error(501, "availability over several dataflows is not implemented: the path names " +
                                          std::to_string(targets->size()) + " (" + (*targets)[0].flow->ref.ToString() +
                                          ", " + (*targets)[1].flow->ref.ToString() + "...)");
    }
    q.flow = (*targets)[0].flow;
    q.providers = std::move((*targets)[0].providers);
  } else {
    auto providers = ParseProviderRef(req.Param("provider"));
    if (!providers.ok()) return ErrorFromStatus(providers.status());
    q.providers = std::move(*providers);
    auto f = ResolveFlowRef(req.Param("flow"), *structures);
    if (!f.ok()) return ErrorFromStatus(f.status());
    q.flow = *f;
    auto window = ReadWindow(req);
    if (!window.ok()) return ErrorFromStatus(window.status());
    q.window = std::move(*window);
  }
  const sdmx::Dataflow* flow = q.flow;
  const sdmx::DataStructure* dsd = structures->FindDataStructure(flow->structure);
  if (!dsd) return HttpResponse::Error(500, "dataflow " + flow->ref.ToString() + " has no known structure");
  q.dsd = dsd;
  if (v2) {
    auto filters = ReadComponentFilters(req, *dsd);
    if (!filters.ok()) return ErrorFromStatus(filters.status());
    q.filters = std::move(*filters);
  }
  const size_t n = dsd->dimensions.size();
  auto pattern = v2 ? sdmx::KeyPattern::ParseV2(req.Param("key"), n) : sdmx::KeyPattern::ParseV1(req.Param("key"), n);
  if (!pattern.ok()) return ErrorFromStatus(pattern.status());
  const std::string component = req.Param("component");
  const bool one = !component.empty() && component != "all" && component != "*";
  const bool time_only = one && component == dsd->time_dimension;  // just the TimeRange
  if (one && !time_only && dsd->DimensionIndex(component) < 0) {
    return HttpResponse::Error(400, component + " is not a dimension of " + dsd->ref.ToString());
  }
  auto at = ReadWatermark(req, *ctx.state);
  if (!at.ok()) return ErrorFromStatus(at.status());

  std::vector<std::set<std::string>> values(n);
  size_t series = 0;
  // The TimeRange: the periods whose first / last day is the earliest /
  // latest of the selection (periods of mixed frequencies compare by day).
  struct Bound {
    std::string day, period;
  } first, last;
  // `only`: the dimension whose codes are gathered (nullopt: all; n: none);
  // `time`: whether the TimeRange comes from this scan (the exact key only:
  // the time span is constrained by every dimension).
  auto collect = [&](const sdmx::KeyPattern& p, std::optional<size_t> only, bool time) -> Status {
    return ctx.state->ScanSeries(flow->ref.ToString(), p, *at, [&](const sdmx::Series& found) {
      sdmx::Series s = found;
      if (!SelectObservations(q, &s)) return true;  // no observation in the window / filters
      ++series;
      for (size_t i = 0; i < n && i < s.key.size(); ++i) {
        if (!only || *only == i) values[i].insert(s.key[i]);
      }
      std::string from, to;
      for (const sdmx::Observation& o : s.observations) {
        if (!time || !sdmx::PeriodBounds(o.period, &from, &to)) continue;
        if (first.day.empty() || from < first.day) first = {from, o.period};
        if (last.day.empty() || to > last.day) last = {to, o.period};
      }
      return true;
    }, ProviderFilterOf(ctx, q));
  };
  if (mode == "exact" || time_only) {
    if (Status s = collect(*pattern, time_only ? std::optional<size_t>(n) : std::nullopt, true); !s.ok()) {
      return ErrorFromStatus(s);
    }
  } else {
    // Each dimension free in turn, the others as the key says (as each key
    // of a REST 2.x key list says).
    const std::vector<sdmx::KeyPattern> keys =
        pattern->alternatives().empty() ? std::vector<sdmx::KeyPattern>{*pattern} : pattern->alternatives();
    for (const sdmx::KeyPattern& key : keys) {
      std::vector<std::vector<std::string>> codes = key.codes();
      codes.resize(n);
      for (size_t i = 0; i < n; ++i) {
        if (one && dsd->dimensions[i].id != component) continue;
        auto free = codes;
        free[i].clear();
        if (Status s = collect(sdmx::KeyPattern(free), i, false); !s.ok()) return ErrorFromStatus(s);
      }
    }
    if (!one) {  // the TimeRange of the key as given
      if (Status s = collect(*pattern, n, true); !s.ok()) return ErrorFromStatus(s);
    }
  }
  HttpResponse resp;
  if (series == 0) {
    resp = v2 ? HttpResponse::Make(204, "", "") : HttpResponse::Error(404, "No results: no data matches the key");
  } else {
    sdmx::ContentConstraint c;
    c.ref = {flow->ref.agency, "CC_AVAILABILITY", "1.0"};
    c.name = "Data available for " + flow->ref.ToString() + " at watermark " + std::to_string(at->value);
    c.type = sdmx::ContentConstraint::Type::kActual;
    c.attachments.push_back({"Dataflow", flow->ref});
    sdmx::CubeRegion region;
    for (size_t i = 0; i < n; ++i) {
      if (one && dsd->dimensions[i].id != component) continue;
      if (values[i].empty()) continue;  // a KeyValue holds at least one Value
      region.components.push_back({dsd->dimensions[i].id, false, {values[i].begin(), values[i].end()}, "", ""});
    }
    if ((!one || component == dsd->time_dimension) && !first.day.empty()) {
      region.components.push_back({dsd->time_dimension, false, {}, first.period, last.period});
    }
    c.cube_regions.push_back(std::move(region));
    sdmx::StructureSet out;
    out.Add(std::move(c));
    // references: the dataflow it is attached to, and what that uses.
    const std::string refs = req.Query("references");
    if (Status s = AddReferences(*structures, refs, &out, TypeWalk::kAll); !s.ok()) return ErrorFromStatus(s);
    // What is available, also in the references: each dimension's codelist
    // keeps the codes with data (and their ancestors), and the data
    // providers are those of the dataflow's agreements; both partial.
    sdmx::StructureSet partial;
    for (size_t i = 0; i < n; ++i) {
      const auto& cl_ref = dsd->dimensions[i].codelist;
      const sdmx::Codelist* cl = cl_ref ? out.FindCodelist(*cl_ref) : nullptr;
      if (!cl || values[i].empty()) continue;
      sdmx::Codelist trimmed = *cl;
      KeepWithAncestors(values[i], &trimmed.codes);  // marked partial below whether or not a code went
      trimmed.Index();
      partial.Add(trimmed);
      out.Add(std::move(trimmed));
    }
    if (refs == "dataproviderscheme" || refs == "all" || refs == "parentsandsiblings") {
      std::map<std::string, std::pair<const sdmx::ItemScheme*, std::set<std::string>>> providers;  // by scheme
      for (const auto& [k, pa] : structures->provision_agreements()) {
        if (structures->FindDataflow(pa.dataflow) != flow) continue;
        // Only the providers the query names (providerRef), when it names any.
        if (!q.providers.empty() &&
            std::find(q.providers.begin(), q.providers.end(), pa.provider) == q.providers.end()) {
          continue;
        }
        const sdmx::ItemScheme* scheme = structures->FindScheme(sdmx::SchemeKind::kDataProviderScheme, pa.provider_scheme);
        if (!scheme) continue;
        auto& entry = providers[scheme->ref.ToString()];
        entry.first = scheme;
        entry.second.insert(pa.provider);
      }
      for (const auto& [k, entry] : providers) {
        sdmx::ItemScheme kept = *entry.first;
        std::erase_if(kept.items, [&](const sdmx::Code& c) { return !entry.second.count(c.id); });
        partial.Add(kept);
        out.Add(std::move(kept));
      }
    }
    sdmx::StructureDetail detail;
    detail.partial = &partial;
    resp = StructureResponse(out, req, v2, LoadTimeIso(*ctx.state, *at), detail);
  }
  resp.SetHeader("X-Hub-Watermark", std::to_string(at->value));
  return resp;
}

}  // namespace

void RegisterAvailabilityRoutes(Router* router, const HandlerContext& ctx) {
  auto v1 = [ctx](HttpRequest& req) { return Availability(ctx, req, false); };
  auto v2 = [ctx](HttpRequest& req) { return Availability(ctx, req, true); };
  for (const char* tail : {"", "/{key}", "/{key}/{provider}", "/{key}/{provider}/{component}"}) {
    router->Add("GET", std::string("/sdmx/v1/availableconstraint/{flow}") + tail, v1);
  }
  for (const char* path : {"", "/{context}", "/{context}/{agency}", "/{context}/{agency}/{id}",
                           "/{context}/{agency}/{id}/{version}", "/{context}/{agency}/{id}/{version}/{key}",
                           "/{context}/{agency}/{id}/{version}/{key}/{component}"}) {
    router->Add("GET", std::string("/sdmx/v2/availability") + path, v2);
  }
}

}  // namespace hub::http
