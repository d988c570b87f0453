// Data queries:
//   GET /sdmx/v1/data/{flowRef}[/{key}[/{providerRef}]]                 SDMX REST 1.5
//   GET /sdmx/v2/data/{context}/{agencyID}/{resourceID}/{version}[/{key}]  SDMX REST 2.2
// Each parses its syntax into DataQueries (data_query.h), one per dataflow
// the path names (v1: agency "all" or an id several agencies use; v2: '*',
// comma lists, versions, a data structure several dataflows use), each
// answered by a scan of the versioned state, one dataset each. Parameters
// not served yet answer 501, never a silently different result.
#include <algorithm>
#include <charconv>
#include <set>

#include "hub/http/handlers/data_query.h"
#include "sdmx/formats.h"

namespace hub::http {
namespace {

// The SDMX REST 1.x `format=` values, and our own format names.
std::optional<sdmx::DataFormat> FormatParam(const std::string& f) {
  if (f == "csv" || f == "csvfile") return sdmx::DataFormat::kCsv10;
  if (f == "jsondata" || f == "sdmx-json") return sdmx::DataFormat::kJson20;
  if (f == "genericdata") return sdmx::DataFormat::kGeneric21;
  if (f == "structurespecificdata") return sdmx::DataFormat::kStructureSpecific21;
  if (f == "generictimeseriesdata") return sdmx::DataFormat::kGenericTimeSeries21;
  if (f == "structurespecifictimeseriesdata") return sdmx::DataFormat::kStructureSpecificTimeSeries21;
  return sdmx::ParseFormatName(f);
}

// One dataflow a data path names, with its DSD and (v2 provision
// agreements) the providers whose data it is limited to.
struct Target {
  const sdmx::Dataflow* flow = nullptr;
  const sdmx::DataStructure* dsd = nullptr;
  std::vector<std::string> providers;  // empty = any provider
};

Status AddTarget(const sdmx::StructureSet& structures, const sdmx::Dataflow* flow, std::vector<std::string> providers,
                 std::vector<Target>* targets) {
  const sdmx::DataStructure* dsd = structures.FindDataStructure(flow->structure);
  if (!dsd) return Status::Internal("dataflow " + flow->ref.ToString() + " has no known structure");
  targets->push_back({flow, dsd, std::move(providers)});
  return Status::Ok();
}

// The representation of an answer over `targets`: `name` (v1 format=) or
// the Accept header's choice among `offered`, leaving out the formats whose
// messages cannot hold one dataset per dataflow of them all. nullopt, with
// `why`, for a 406.
std::optional<sdmx::DataFormat> ChooseFormat(const HttpRequest& req, const std::optional<std::string>& name,
                                             const std::vector<sdmx::DataFormat>& offered,
                                             const std::vector<Target>& targets, std::string* why) {
  std::vector<sdmx::MessageStructure> used;
  for (const Target& t : targets) used.push_back({t.dsd, t.flow->ref, std::nullopt});
  std::optional<sdmx::DataFormat> f;
  if (name) {
    f = FormatParam(*name);
    if (!f) *why = "unsupported format '" + *name + "'";
  } else {
    std::vector<sdmx::DataFormat> fit;
    for (sdmx::DataFormat o : offered) {
      if (sdmx::CarriesStructures(o, used)) fit.push_back(o);
    }
    f = sdmx::NegotiateDataFormat(req.Header("accept"), fit);
    if (!f) f = sdmx::NegotiateDataFormat(req.Header("accept"), offered);  // to say why below
    if (!f) *why = "no supported media type in Accept: " + req.Header("accept");
  }
  if (f && !sdmx::CarriesStructures(*f, used)) {
    *why = std::string(sdmx::MediaType(*f)) + " holds the data of one " +
           (*f == sdmx::DataFormat::kJson10 ? "dataflow" : "data structure") + " and this query names " +
           std::to_string(targets.size()) + " dataflows (" + targets[0].flow->ref.ToString() + ", " +
           targets[1].flow->ref.ToString() + (targets.size() > 2 ? ", ...)" : ")") +
           ": ask for SDMX-ML, SDMX-CSV 2.0 or SDMX-JSON 2.0, which hold one dataset per dataflow";
    f.reset();
  }
  return f;
}

// A time-series format asked for with another dimension at the observation
// level: the 406 it gets.
std::optional<std::string> TimeSeriesProblem(const DataQueries& qs) {
  const DataQuery& q = qs[0];
  if (!sdmx::TimeSeriesOnly(q.format) || (!q.all_dimensions && !q.cross_section)) return std::nullopt;
  return std::string(sdmx::MediaType(q.format)) + " holds time series only: dimensionAtObservation must be the "
         "time dimension";
}

// What both versions share: the watermark (at, asOf), the period window
// and first/last N.
Status ReadCommon(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q) {
  HUB_ASSIGN_OR_RETURN(q->at, ReadWatermark(req, *ctx.state));
  HUB_ASSIGN_OR_RETURN(q->window, ReadWindow(req));
  return Status::Ok();
}

// dimensionAtObservation: the time dimension (default) or AllDimensions.
Status ReadDimensionAtObservation(const HttpRequest& req, const sdmx::DataStructure& dsd, DataQuery* q) {
  const std::string v = req.Query("dimensionAtObservation");
  if (v.empty() || v == dsd.time_dimension) return Status::Ok();
  if (v == "AllDimensions") {
    q->all_dimensions = true;
    return Status::Ok();
  }
  if (dsd.DimensionIndex(v) < 0) {
    return Status::InvalidArgument("dimensionAtObservation=" + v + " is not a dimension of " + dsd.ref.ToString());
  }
  q->cross_section = static_cast<size_t>(dsd.DimensionIndex(v));  // a cross-section
  return Status::Ok();
}

// The query of one target: `base` with what resolves against its dataflow
// and DSD in both versions (the key, dimensionAtObservation).
Result<DataQuery> ForTarget(const HttpRequest& req, const DataQuery& base, const Target& t, bool v2) {
  DataQuery q = base;
  q.flow = t.flow;
  q.dsd = t.dsd;
  if (!t.providers.empty()) q.providers = t.providers;
  const size_t n = q.dsd->dimensions.size();
  HUB_ASSIGN_OR_RETURN(q.pattern, v2 ? sdmx::KeyPattern::ParseV2(req.Param("key"), n) : sdmx::KeyPattern::ParseV1(req.Param("key"), n));
  HUB_RETURN_IF_ERROR(ReadDimensionAtObservation(req, *q.dsd, &q));
  return q;
}

HttpResponse DataV1(const HandlerContext& ctx, const HttpRequest& req) {
  static const std::set<std::string> kSupported = {"format", "at", "asOf", "startPeriod", "endPeriod",
                                                   "firstNObservations", "lastNObservations",
                                                   "dimensionAtObservation", "detail", "updatedAfter",
                                                   "includeHistory"};
  if (Status st = CheckSdmxQueryParams(req, kSupported); !st.ok()) return ErrorFromStatus(st);
  DataQuery base;
  auto providers = ParseProviderRef(req.Param("provider"));
  if (!providers.ok()) return ErrorFromStatus(providers.status());
  base.providers = std::move(*providers);
  base.structures = ctx.registry->Snapshot();
  auto flows = ResolveFlowRefs(req.Param("flow"), *base.structures);
  if (!flows.ok()) return ErrorFromStatus(flows.status());
  std::vector<Target> targets;
  for (const sdmx::Dataflow* f : *flows) {
    if (Status st = AddTarget(*base.structures, f, {}, &targets); !st.ok()) return ErrorFromStatus(st);
  }
  if (Status st = ReadCommon(ctx, req, &base); !st.ok()) return ErrorFromStatus(st);
  auto detail = sdmx::OutputDetail::FromV1(req.Query("detail"));
  if (!detail) {
    return HttpResponse::Error(400, "detail=" + req.Query("detail") + ": expected full, dataonly, serieskeysonly or nodata");
  }
  base.detail = *detail;
  std::string why;
  // SDMX REST 1.x: SDMX-ML 2.1 generic data is the default representation.
  auto format = ChooseFormat(req, req.HasQuery("format") ? std::optional(req.Query("format")) : std::nullopt,
                             {sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kStructureSpecific21,
                              sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv10,
                              sdmx::DataFormat::kCsv20, sdmx::DataFormat::kJson20, sdmx::DataFormat::kJson10,
                              sdmx::DataFormat::kGenericTimeSeries21, sdmx::DataFormat::kStructureSpecificTimeSeries21},
                             targets, &why);
  if (!format) return HttpResponse::Error(406, why);
  base.format = *format;
  auto csv = sdmx::ParseCsvOptions(req.Header("accept"));
  if (!csv.ok()) return HttpResponse::Error(406, csv.status().message());
  base.csv = *csv;
  if (Status st = ReadHistoryParams(ctx, req, &base); !st.ok()) return ErrorFromStatus(st);
  if (auto why = HistoryFormatProblem(base)) return HttpResponse::Error(406, *why);
  DataQueries qs;
  for (const Target& t : targets) {
    auto q = ForTarget(req, base, t, /*v2=*/false);
    if (!q.ok()) return ErrorFromStatus(q.status());
    qs.push_back(std::move(*q));
  }
  if (auto why = TimeSeriesProblem(qs)) return HttpResponse::Error(406, *why);
  return ServeData(ctx, qs);
}

// v2 offset= and limit=.
Status ReadPaging(const HttpRequest& req, DataQuery* q) {
  for (const char* name : {"offset", "limit"}) {
    if (!req.HasQuery(name)) continue;
    const std::string v = req.Query(name);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || (name[0] == 'l' && n == 0)) {
      return Status::InvalidArgument(std::string(name) + "=" + v + ": expected a " +
                                     (name[0] == 'l' ? "positive" : "non-negative") + " integer");
    }
    if (name[0] == 'o') {
      q->offset = n;
    } else {
      q->limit = n;
    }
  }
  return Status::Ok();
}

// v2 attributes= and measures= over several structures: an attribute is
// kept where any of them keeps it (levels and ids resolve per DSD).
std::optional<sdmx::OutputDetail> DetailV2(const HttpRequest& req, const std::vector<Target>& targets) {
  std::optional<sdmx::OutputDetail> merged;
  for (const Target& t : targets) {
    auto d = sdmx::OutputDetail::FromV2(req.Query("attributes"), req.Query("measures"), *t.dsd);
    if (!d) continue;
    if (!merged) {
      merged = std::move(d);
    } else if (merged->only_attributes && d->only_attributes) {
      for (const std::string& id : *d->only_attributes) {
        auto& ids = *merged->only_attributes;
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
      }
    }
  }
  return merged;
}

// The v2 query of each target: what both versions resolve per target, and
// c[] filters and sort=. A target whose DSD lacks a filtered component
// holds no data the query selects; a query none of them fits is a 400.
Result<DataQueries> V2Queries(const HttpRequest& req, const DataQuery& base, const std::vector<Target>& targets) {
  DataQueries qs;
  Status unfit;
  for (const Target& t : targets) {
    HUB_ASSIGN_OR_RETURN(DataQuery q, ForTarget(req, base, t, /*v2=*/true));
    auto filters = ReadComponentFilters(req, *q.dsd);
    if (!filters.ok()) {
      if (unfit.ok()) unfit = filters.status();
      continue;
    }
    q.filters = std::move(*filters);
    if (req.HasQuery("sort")) {  // whether the output pivots decides what series_key means
      HUB_ASSIGN_OR_RETURN(q.sort, ParseSort(req.Query("sort"), *q.dsd, PivotDimension(q)));
    }
    qs.push_back(std::move(q));
  }
  if (qs.empty()) return unfit;
  return qs;
}

HttpResponse DataV2(const HandlerContext& ctx, const HttpRequest& req) {
  static const std::set<std::string> kSupported = {"at", "asOf", "c[]", "firstNObservations", "lastNObservations",
                                                   "dimensionAtObservation", "attributes", "measures",
                                                   "updatedAfter", "includeHistory", "offset", "limit", "sort"};
  if (Status st = CheckSdmxQueryParams(req, kSupported); !st.ok()) return ErrorFromStatus(st);
  DataQuery base;
  base.structures = ctx.registry->Snapshot();
  base.no_results_status = 204;
  auto resolved = ResolveV2Targets(req, *base.structures);
  if (!resolved.ok()) return ErrorFromStatus(resolved.status());
  std::vector<Target> targets;
  for (V2Target& t : *resolved) {
    if (Status st = AddTarget(*base.structures, t.flow, std::move(t.providers), &targets); !st.ok()) {
      return ErrorFromStatus(st);
    }
  }
  if (Status st = ReadCommon(ctx, req, &base); !st.ok()) return ErrorFromStatus(st);
  if (Status st = ReadPaging(req, &base); !st.ok()) return ErrorFromStatus(st);
  auto detail = DetailV2(req, targets);
  if (!detail) return HttpResponse::Error(400, "attributes/measures: unknown value or component");
  base.detail = *detail;
  std::string why;
  // SDMX REST 2.x: SDMX-ML 3.0 is the default representation.
  auto format = ChooseFormat(req, std::nullopt,
                             {sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv20,
                              sdmx::DataFormat::kJson20, sdmx::DataFormat::kStructureSpecific21,
                              sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kCsv10, sdmx::DataFormat::kJson10,
                              sdmx::DataFormat::kGenericTimeSeries21, sdmx::DataFormat::kStructureSpecificTimeSeries21},
                             targets, &why);
  if (!format) return HttpResponse::Error(406, why);
  base.format = *format;
  auto csv = sdmx::ParseCsvOptions(req.Header("accept"));
  if (!csv.ok()) return HttpResponse::Error(406, csv.status().message());
  base.csv = *csv;
  // SDMX REST 2.x: updatedAfter later than asOf is a validation error (422).
  if (req.HasQuery("updatedAfter") && req.HasQuery("asOf")) {
    auto after = ParseIsoTimeMs(req.Query("updatedAfter")), as_of = ParseIsoTimeMs(req.Query("asOf"));
    if (after && as_of && *after > *as_of) {
      return HttpResponse::Error(422, "updatedAfter (" + req.Query("updatedAfter") + ") is later than asOf (" +
                                          req.Query("asOf") + ")");
    }
  }
  if (Status st = ReadHistoryParams(ctx, req, &base); !st.ok()) return ErrorFromStatus(st);
  if (auto why = HistoryFormatProblem(base)) return HttpResponse::Error(406, *why);
  auto qs = V2Queries(req, base, targets);
  if (!qs.ok()) return ErrorFromStatus(qs.status());
  if (auto why = TimeSeriesProblem(*qs)) return HttpResponse::Error(406, *why);
  return ServeData(ctx, *qs);
}

}  // namespace

void RegisterDataRoutes(Router* router, const HandlerContext& ctx) {
  auto v1 = [ctx](HttpRequest& req) { return DataV1(ctx, req); };
  router->Add("GET", "/sdmx/v1/data/{flow}", v1);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}", v1);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}/{provider}", v1);
  auto v2 = [ctx](HttpRequest& req) { return DataV2(ctx, req); };
  // Trailing path parts may be left out (they default to '*').
  for (const char* path : {"", "/{context}", "/{context}/{agency}", "/{context}/{agency}/{id}",
                           "/{context}/{agency}/{id}/{version}", "/{context}/{agency}/{id}/{version}/{key}"}) {
    router->Add("GET", std::string("/sdmx/v2/data") + path, v2);
  }
}

}  // namespace hub::http
