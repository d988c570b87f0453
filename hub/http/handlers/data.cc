// GET /sdmx/v1/data/{flowRef}[/{key}[/{providerRef}]]: SDMX REST 1.5 data.
#include <set>

#include "hub/http/handlers/handlers.h"
#include "sdmx/data_writer.h"
#include "sdmx/formats.h"
#include "sdmx/key_pattern.h"

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

HttpResponse DataV1(const HandlerContext& ctx, const HttpRequest& req) {
  // Parameters of SDMX REST 1.5 not served yet answer 501, never a silently
  // different result.
  static const std::set<std::string> kSupported = {"format", "at", "asOf"};
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

  std::optional<sdmx::DataFormat> format;
  if (req.HasQuery("format")) {
    format = FormatParam(req.Query("format"));
    if (!format) return HttpResponse::Error(406, "unsupported format '" + req.Query("format") + "'");
  } else {
    // SDMX REST 1.x: SDMX-ML 2.1 generic data is the default representation.
    format = sdmx::NegotiateDataFormat(req.Header("accept"),
                                       {sdmx::DataFormat::kGeneric21, sdmx::DataFormat::kStructureSpecific21,
                                        sdmx::DataFormat::kStructureSpecific30, sdmx::DataFormat::kCsv10,
                                        sdmx::DataFormat::kCsv20, sdmx::DataFormat::kJson20});
    if (!format) return HttpResponse::Error(406, "no supported media type in Accept: " + req.Header("accept"));
  }

  HttpResponse resp = HttpResponse::Make(200, sdmx::MediaType(*format), "");
  sdmx::WriteContext wc;
  wc.dsd = dsd;
  wc.dataflow = (*flow)->ref;
  wc.message_id = "HUB-" + std::to_string(at->value);
  auto writer = sdmx::NewDataWriter(*format, wc, [&](std::string_view chunk) { resp.body.append(chunk); });
  size_t series = 0;
  Status s = ctx.state->ScanSeries((*flow)->ref.ToString(), *pattern, *at, [&](const sdmx::Series& sr) {
    writer->WriteSeries(sr);
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
