// Data queries:
//   GET /sdmx/v1/data/{flowRef}[/{key}[/{providerRef}]]                 SDMX REST 1.5
//   GET /sdmx/v2/data/{context}/{agencyID}/{resourceID}/{version}[/{key}]  SDMX REST 2.2
// Each parses its syntax into a DataQuery (data_query.h) that one scan of
// the versioned state answers. Parameters not served yet answer 501, never
// a silently different result.
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
  return sdmx::ParseFormatName(f);
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

// What both versions share: the watermark (at, asOf), the period window and
// first/last N, dimensionAtObservation.
Status ReadCommon(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q) {
  HUB_ASSIGN_OR_RETURN(q->at, ReadWatermark(req, *ctx.state));
  HUB_ASSIGN_OR_RETURN(q->window, ReadWindow(req));
  return ReadDimensionAtObservation(req, *q->dsd, q);
}

HttpResponse DataV1(const HandlerContext& ctx, const HttpRequest& req) {
  static const std::set<std::string> kSupported = {"format", "at", "asOf", "startPeriod", "endPeriod",
                                                   "firstNObservations", "lastNObservations",
                                                   "dimensionAtObservation", "detail", "updatedAfter",
                                                   "includeHistory"};
  if (Status st = CheckQueryParams(req, kSupported); !st.ok()) return ErrorFromStatus(st);
  auto providers = ParseProviderRef(req.Param("provider"));
  if (!providers.ok()) return ErrorFromStatus(providers.status());
  auto structures = ctx.registry->Snapshot();
  auto flow = ResolveFlowRef(req.Param("flow"), *structures);
  if (!flow.ok()) return ErrorFromStatus(flow.status());
  DataQuery q;
  q.structures = structures;
  q.flow = *flow;
  q.dsd = structures->FindDataStructure(q.flow->structure);
  if (!q.dsd) return HttpResponse::Error(500, "dataflow " + q.flow->ref.ToString() + " has no known structure");
  auto pattern = sdmx::KeyPattern::ParseV1(req.Param("key"), q.dsd->dimensions.size());
  if (!pattern.ok()) return ErrorFromStatus(pattern.status());
  q.pattern = std::move(*pattern);
  q.providers = std::move(*providers);
  if (Status st = ReadCommon(ctx, req, &q); !st.ok()) return ErrorFromStatus(st);
  auto detail = sdmx::OutputDetail::FromV1(req.Query("detail"));
  if (!detail) {
    return HttpResponse::Error(400, "detail=" + req.Query("detail") + ": expected full, dataonly, serieskeysonly or nodata");
  }
  q.detail = *detail;
  std::optional<sdmx::DataFormat> format;
  if (req.HasQuery("format")) {
    format = FormatParam(req.Query("format"));
    if (!format) return HttpResponse::Error(406, "unsupported format '" + req.Query("format") + "'");
  } else {
    // SDMX REST 1.x: SDMX-ML 2.1 generic data is the default representation.
    format = sdmx::NegotiateDataFormat(req.Header("accept"),
                                       {sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kStructureSpecific21,
                                        sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv10,
                                        sdmx::DataFormat::kCsv20, sdmx::DataFormat::kJson20,
                                        sdmx::DataFormat::kJson10});
    if (!format) return HttpResponse::Error(406, "no supported media type in Accept: " + req.Header("accept"));
  }
  q.format = *format;
  if (Status st = ReadHistoryParams(ctx, req, &q); !st.ok()) return ErrorFromStatus(st);
  return ServeData(ctx, q);
}

HttpResponse DataV2(const HandlerContext& ctx, const HttpRequest& req) {
  static const std::set<std::string> kSupported = {"at", "asOf", "c[]", "firstNObservations", "lastNObservations",
                                                   "dimensionAtObservation", "attributes", "measures",
                                                   "updatedAfter", "includeHistory", "offset", "limit", "sort"};
  if (Status st = CheckQueryParams(req, kSupported); !st.ok()) return ErrorFromStatus(st);
  auto structures = ctx.registry->Snapshot();
  auto target = ResolveV2Target(req, *structures);
  if (!target.ok()) return ErrorFromStatus(target.status());
  DataQuery q;
  q.structures = structures;
  q.no_results_status = 204;
  q.flow = target->flow;
  q.providers = std::move(target->providers);
  q.dsd = structures->FindDataStructure(q.flow->structure);
  if (!q.dsd) return HttpResponse::Error(500, "dataflow " + q.flow->ref.ToString() + " has no known structure");
  auto pattern = ParseKeyV2(req.Param("key"), q.dsd->dimensions.size());
  if (!pattern.ok()) return ErrorFromStatus(pattern.status());
  q.pattern = std::move(*pattern);
  if (Status st = ReadCommon(ctx, req, &q); !st.ok()) return ErrorFromStatus(st);
  for (const char* name : {"offset", "limit"}) {
    if (!req.HasQuery(name)) continue;
    const std::string v = req.Query(name);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || (name[0] == 'l' && n == 0)) {
      return HttpResponse::Error(400, std::string(name) + "=" + v + ": expected a " +
                                          (name[0] == 'l' ? "positive" : "non-negative") + " integer");
    }
    if (name[0] == 'o') {
      q.offset = n;
    } else {
      q.limit = n;
    }
  }
  auto filters = ReadComponentFilters(req, *q.dsd);
  if (!filters.ok()) return ErrorFromStatus(filters.status());
  q.filters = std::move(*filters);
  auto detail = sdmx::OutputDetail::FromV2(req.Query("attributes"), req.Query("measures"), *q.dsd);
  if (!detail) return HttpResponse::Error(400, "attributes/measures: unknown value or component");
  q.detail = *detail;
  // SDMX REST 2.x: SDMX-ML 3.0 is the default representation.
  auto format = sdmx::NegotiateDataFormat(req.Header("accept"),
                                          {sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv20,
                                           sdmx::DataFormat::kJson20, sdmx::DataFormat::kStructureSpecific21,
                                           sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kCsv10,
                                           sdmx::DataFormat::kJson10});
  if (!format) return HttpResponse::Error(406, "no supported media type in Accept: " + req.Header("accept"));
  q.format = *format;
  if (req.HasQuery("sort")) {  // after the format: whether the output pivots decides what series_key means
    auto sort = ParseSort(req.Query("sort"), *q.dsd, PivotDimension(q));
    if (!sort.ok()) return ErrorFromStatus(sort.status());
    q.sort = std::move(*sort);
  }
  // SDMX REST 2.x: updatedAfter later than asOf is a validation error (422).
  if (req.HasQuery("updatedAfter") && req.HasQuery("asOf")) {
    auto after = ParseIsoTimeMs(req.Query("updatedAfter")), as_of = ParseIsoTimeMs(req.Query("asOf"));
    if (after && as_of && *after > *as_of) {
      return HttpResponse::Error(422, "updatedAfter (" + req.Query("updatedAfter") + ") is later than asOf (" +
                                          req.Query("asOf") + ")");
    }
  }
  if (Status st = ReadHistoryParams(ctx, req, &q); !st.ok()) return ErrorFromStatus(st);
  return ServeData(ctx, q);
}

}  // namespace

Result<sdmx::KeyPattern> ParseKeyV2(std::string key, size_t dimensions) {
  if (key.empty() || key == "*") return sdmx::KeyPattern();
  for (char& c : key) {
    if (c == ',') c = '+';
  }
  std::string v1;
  size_t start = 0;
  for (;;) {  // "*" between dots is the v1 empty wildcard
    size_t dot = key.find('.', start);
    std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    v1 += part == "*" ? "" : part;
    if (dot == std::string::npos) break;
    v1 += '.';
    start = dot + 1;
  }
  return sdmx::KeyPattern::ParseV1(v1, dimensions);
}

void RegisterDataRoutes(Router* router, const HandlerContext& ctx) {
  auto v1 = [ctx](HttpRequest& req) { return DataV1(ctx, req); };
  router->Add("GET", "/sdmx/v1/data/{flow}", v1);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}", v1);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}/{provider}", v1);
  auto v2 = [ctx](HttpRequest& req) { return DataV2(ctx, req); };
  router->Add("GET", "/sdmx/v2/data/{context}/{agency}/{id}/{version}", v2);
  router->Add("GET", "/sdmx/v2/data/{context}/{agency}/{id}/{version}/{key}", v2);
}

}  // namespace hub::http
