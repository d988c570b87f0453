// GET /sdmx/v1/data/{flowRef}[/{key}[/{providerRef}]]: SDMX REST 1.5 data.
#include <charconv>
#include <set>

#include "hub/http/handlers/handlers.h"
#include "sdmx/data_writer.h"
#include "sdmx/formats.h"
#include "sdmx/key_pattern.h"
#include "sdmx/time_period.h"

namespace hub::http {
namespace {

// The SDMX REST `format=` values, and our own format names.
std::optional<sdmx::DataFormat> FormatParam(const std::string& f) {
  if (f == "csv" || f == "csvfile") return sdmx::DataFormat::kCsv10;
  if (f == "jsondata" || f == "sdmx-json") return sdmx::DataFormat::kJson20;
  if (f == "genericdata") return sdmx::DataFormat::kGeneric21;
  if (f == "structurespecificdata") return sdmx::DataFormat::kStructureSpecific21;
  return sdmx::ParseFormatName(f);
}

// startPeriod / endPeriod / firstNObservations / lastNObservations, applied
// to each series as it is read (the state holds observations in period
// order within a series).
struct ObsWindow {
  std::string from, to;  // "YYYY-MM-DD" bounds; empty = open
  std::optional<size_t> first_n, last_n;

  bool Filters() const { return !from.empty() || !to.empty() || first_n || last_n; }
  void Apply(sdmx::Series* s) const {
    if (!from.empty() || !to.empty()) {
      std::vector<sdmx::Observation> kept;
      for (sdmx::Observation& o : s->observations) {
        std::string a, b;
        if (!sdmx::PeriodBounds(o.period, &a, &b)) continue;
        if ((!from.empty() && b < from) || (!to.empty() && a > to)) continue;
        kept.push_back(std::move(o));
      }
      s->observations = std::move(kept);
    }
    auto& obs = s->observations;
    if (first_n && obs.size() > *first_n) obs.resize(*first_n);
    if (last_n && obs.size() > *last_n) obs.erase(obs.begin(), obs.end() - static_cast<std::ptrdiff_t>(*last_n));
  }
};

Result<ObsWindow> ReadWindow(const HttpRequest& req) {
  ObsWindow w;
  std::string ignored;
  if (req.HasQuery("startPeriod") && !sdmx::PeriodBounds(req.Query("startPeriod"), &w.from, &ignored)) {
    return Status::InvalidArgument("startPeriod=" + req.Query("startPeriod") + " is not an SDMX time period");
  }
  if (req.HasQuery("endPeriod") && !sdmx::PeriodBounds(req.Query("endPeriod"), &ignored, &w.to)) {
    return Status::InvalidArgument("endPeriod=" + req.Query("endPeriod") + " is not an SDMX time period");
  }
  for (const char* name : {"firstNObservations", "lastNObservations"}) {
    if (!req.HasQuery(name)) continue;
    const std::string v = req.Query(name);
    size_t n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n == 0) {
      return Status::InvalidArgument(std::string(name) + "=" + v + ": expected a positive integer");
    }
    (name[0] == 'f' ? w.first_n : w.last_n) = n;
  }
  return w;
}

HttpResponse DataV1(const HandlerContext& ctx, const HttpRequest& req) {
  // Parameters of SDMX REST 1.5 not served yet answer 501, never a silently
  // different result.
  static const std::set<std::string> kSupported = {"format", "at", "asOf", "startPeriod", "endPeriod",
                                                   "firstNObservations", "lastNObservations",
                                                   "dimensionAtObservation", "detail"};
  for (const auto& [k, v] : req.query) {
    if (!kSupported.count(k)) return HttpResponse::Error(501, "query parameter '" + k + "' is not implemented yet");
  }
  const std::string provider = req.Param("provider");
  if (!provider.empty() && provider != "all") {
    return HttpResponse::Error(501, "providerRef filtering is not implemented yet");
  }
  auto structures = ctx.registry->Snapshot();
  auto flow = ResolveFlowRef(req.Param("flow"), *structures);
  if (!flow.ok()) return ErrorFromStatus(flow.status());
  const sdmx::DataStructure* dsd = structures->FindDataStructure((*flow)->structure);
  if (!dsd) return HttpResponse::Error(500, "dataflow " + (*flow)->ref.ToString() + " has no known structure");
  auto pattern = sdmx::KeyPattern::ParseV1(req.Param("key"), dsd->dimensions.size());
  if (!pattern.ok()) return ErrorFromStatus(pattern.status());
  auto at = ReadWatermark(req, *ctx.state);
  if (!at.ok()) return ErrorFromStatus(at.status());
  auto window = ReadWindow(req);
  if (!window.ok()) return ErrorFromStatus(window.status());
  auto detail = sdmx::OutputDetail::FromV1(req.Query("detail"));
  if (!detail) return HttpResponse::Error(400, "detail=" + req.Query("detail") + ": expected full, dataonly, serieskeysonly or nodata");
  const std::string dim_at_obs = req.HasQuery("dimensionAtObservation") ? req.Query("dimensionAtObservation") : "";
  if (!dim_at_obs.empty() && dim_at_obs != dsd->time_dimension && dim_at_obs != "AllDimensions") {
    if (dsd->DimensionIndex(dim_at_obs) < 0) {
      return HttpResponse::Error(400, "dimensionAtObservation=" + dim_at_obs + " is not a dimension of " + dsd->ref.ToString());
    }
    return HttpResponse::Error(501, "dimensionAtObservation=" + dim_at_obs + " (cross-sections) is not implemented yet");
  }

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

  HttpResponse resp = HttpResponse::Make(200, sdmx::MediaType(*format), "");
  sdmx::WriteContext wc;
  wc.dsd = dsd;
  wc.dataflow = (*flow)->ref;
  wc.message_id = "HUB-" + std::to_string(at->value);
  wc.all_dimensions = dim_at_obs == "AllDimensions";
  wc.detail = *detail;
  auto writer = sdmx::NewDataWriter(*format, wc, [&](std::string_view chunk) { resp.body.append(chunk); });
  size_t series = 0;
  Status s = ctx.state->ScanSeries((*flow)->ref.ToString(), *pattern, *at, [&](const sdmx::Series& sr) {
    if (!window->Filters()) {
      writer->WriteSeries(sr);
      ++series;
      return true;
    }
    sdmx::Series cut = sr;
    window->Apply(&cut);
    if (cut.observations.empty()) return true;  // nothing of it in the window
    writer->WriteSeries(cut);
    ++series;
    return true;
  });
  if (!s.ok()) return ErrorFromStatus(s);
  if (series == 0) return HttpResponse::Error(404, "No results: no data matches the query at watermark " +
                                                       std::to_string(at->value));
  writer->Finish();
  resp.SetHeader("X-Hub-Watermark", std::to_string(at->value));
  return resp;
}

}  // namespace

void RegisterDataRoutes(Router* router, const HandlerContext& ctx) {
  auto h = [ctx](HttpRequest& req) { return DataV1(ctx, req); };
  router->Add("GET", "/sdmx/v1/data/{flow}", h);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}", h);
  router->Add("GET", "/sdmx/v1/data/{flow}/{key}/{provider}", h);
}

}  // namespace hub::http
