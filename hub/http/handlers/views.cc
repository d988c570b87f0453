// GET /api/v1/views/country/{REF_AREA} and /api/v1/views/global/{INDICATOR}
// (design.md §5), in JSON (default) or CSV (format=csv or Accept: text/csv).
// Both are computed at one watermark (at=, asOf=, else the current one) and
// say which in X-Hub-Watermark and in the body. The JSON shapes are in
// hub/views/README.md.
#include <boost/json.hpp>
#include <charconv>

#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"
#include "hub/http/handlers/tabular.h"
#include "hub/views/views.h"

namespace hub::http {
namespace {

namespace json = boost::json;

json::value OptNum(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object PointJson(const views::Point& p) {
  json::object o{{"period", p.period}, {"value", OptNum(p.value)}};
  if (!p.value) o["valueText"] = p.value_text;
  if (!p.nature.empty()) o["nature"] = p.nature;
  if (!p.source.empty()) o["source"] = p.source;
  if (!p.status.empty()) o["status"] = p.status;
  return o;
}

json::object Breakdown(const std::vector<std::string>& dims, const std::vector<std::string>& values) {
  json::object o;
  for (size_t i = 0; i < dims.size() && i < values.size(); ++i) o[dims[i]] = values[i];
  return o;
}

HttpResponse Finish(HttpResponse resp, Watermark at) {
  resp.SetHeader("X-Hub-Watermark", std::to_string(at.value));
  return resp;
}

// --- global ---

std::string GlobalCsv(const views::ViewContext& ctx, const views::GlobalView& v) {
  std::string out = "ROW,AREA,AREA_NAME";
  for (const std::string& d : v.breakdown_dims) CsvCell(&out, d);
  out += ",TIME_PERIOD_FIRST,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,NATURE,SOURCE_DETAIL,WEIGHT,WEIGHT_PERIOD,METHOD,"
         "AREAS_COUNTED,AREAS_TOTAL,WEIGHT_SHARE,REPORTED_VALUE\r\n";
  const views::CodeNames area_name(ctx, ctx.options->area_dimension);
  for (const views::AreaRow& r : v.rows) {
    CsvCell(&out, "area", true);
    CsvCell(&out, r.area);
    CsvCell(&out, area_name(r.area));
    for (const std::string& b : r.breakdown) CsvCell(&out, b);
    CsvCell(&out, r.latest.period);
    CsvCell(&out, r.latest.period);
    CsvCell(&out, r.latest.value_text);
    CsvCell(&out, r.unit);
    CsvCell(&out, r.latest.nature);
    CsvCell(&out, r.latest.source);
    CsvCell(&out, r.weight ? ShortestNumber(*r.weight) : "");
    CsvCell(&out, r.weight_period);
    out += ",,,,,\r\n";
  }
  for (const views::RegionRow& a : v.aggregates) {
    CsvCell(&out, "aggregate", true);
    CsvCell(&out, a.region);
    CsvCell(&out, area_name(a.region));
    for (const std::string& b : a.breakdown) CsvCell(&out, b);
    CsvCell(&out, a.result.first_period);
    CsvCell(&out, a.result.last_period);
    CsvCell(&out, a.result.value ? ShortestNumber(*a.result.value) : "");
    out += ",,,,,";
    CsvCell(&out, views::RuleName(v.rule.rule));
    CsvCell(&out, std::to_string(a.result.counted));
    CsvCell(&out, std::to_string(a.areas_total));
    CsvCell(&out, a.weight_share ? ShortestNumber(*a.weight_share) : "");
    CsvCell(&out, a.reported ? a.reported->value_text : "");
    out += "\r\n";
  }
  return out;
}

json::object GlobalJson(const views::ViewContext& ctx, const views::GlobalView& v) {
  const views::CodeNames area_name(ctx, ctx.options->area_dimension);
  json::array rows, aggregates;
  for (const views::AreaRow& r : v.rows) {
    json::object o{{"area", r.area},
                   {"name", area_name(r.area)},
                   {"series", r.series_key},
                   {"dataflow", r.dataflow},
                   {"breakdown", Breakdown(v.breakdown_dims, r.breakdown)},
                   {"unit", r.unit},
                   {"latest", PointJson(r.latest)}};
    if (v.rule.rule == views::Rule::kWeightedMean) {
      o["weight"] = OptNum(r.weight);
      o["weightPeriod"] = r.weight_period;
    }
    rows.push_back(std::move(o));
  }
  for (const views::RegionRow& a : v.aggregates) {
    json::object o{{"region", a.region},
                   {"name", area_name(a.region)},
                   {"breakdown", Breakdown(v.breakdown_dims, a.breakdown)},
                   {"value", OptNum(a.result.value)},
                   {"periods", json::object{{"first", a.result.first_period}, {"last", a.result.last_period}}},
                   {"coverage", json::object{{"areasCounted", a.result.counted},
                                             {"areasTotal", a.areas_total},
                                             {"weightShare", OptNum(a.weight_share)}}}};
    o["reported"] = a.reported ? json::value(PointJson(*a.reported)) : json::value(nullptr);
    aggregates.push_back(std::move(o));
  }
  json::object method{{"rule", views::RuleName(v.rule.rule)}};
  if (v.rule.rule == views::Rule::kWeightedMean) method["weight"] = v.rule.weight;
  json::array flows;
  for (const std::string& f : v.dataflows) flows.push_back(json::string(f));
  return json::object{{"watermark", ctx.at.value},
                      {"dataflow", v.dataflow},
                      {"dataflows", std::move(flows)},
                      {"indicator", v.indicator},
                      {"name", views::CodeNames(ctx, ctx.options->indicator_dimension)(v.indicator)},
                      {"reportingType", v.reporting_type},
                      {"hierarchy", v.hierarchy.empty() ? json::value(nullptr) : json::value(v.hierarchy)},
                      {"method", std::move(method)},
                      {"rows", std::move(rows)},
                      {"aggregates", std::move(aggregates)}};
}

// --- country ---

std::string CountryCsv(const views::ViewContext& ctx, const views::CountryView& v) {
  const std::string n = ctx.options->national_code, g = ctx.options->global_code;
  const views::CodeNames indicator_name(ctx, ctx.options->indicator_dimension);
  std::string out = "INDICATOR,INDICATOR_NAME";
  for (const std::string& d : v.breakdown_dims) CsvCell(&out, d);
  out += ",TIME_PERIOD,NATIONAL_VALUE,GLOBAL_VALUE,DIFFERENCE,UNIT_MEASURE,NATIONAL_NATURE,GLOBAL_NATURE,"
         "NATIONAL_SOURCE,GLOBAL_SOURCE,NATIONAL_DATAFLOW,GLOBAL_DATAFLOW\r\n";
  for (const views::CountrySeries& s : v.series) {
    // period -> (national, global): one row per period either side holds.
    std::map<std::string, std::pair<const views::Point*, const views::Point*>> periods;
    std::string unit, national_flow, global_flow;
    for (const auto& [type, side] : s.sides) {
      if (type != n && type != g) continue;
      if (unit.empty()) unit = side.unit;
      (type == n ? national_flow : global_flow) = side.dataflow;
      for (const views::Point& p : side.observations) (type == n ? periods[p.period].first : periods[p.period].second) = &p;
    }
    for (const auto& [period, pair] : periods) {
      const auto& [np, gp] = pair;
      CsvCell(&out, s.indicator, true);
      CsvCell(&out, indicator_name(s.indicator));
      for (const std::string& b : s.breakdown) CsvCell(&out, b);
      CsvCell(&out, period);
      CsvCell(&out, np ? np->value_text : "");
      CsvCell(&out, gp ? gp->value_text : "");
      CsvCell(&out, np && gp && np->value && gp->value
                        ? ShortestNumber(views::DecimalDifference(np->value_text, *np->value, gp->value_text, *gp->value))
                        : "");
      CsvCell(&out, unit);
      CsvCell(&out, np ? np->nature : "");
      CsvCell(&out, gp ? gp->nature : "");
      CsvCell(&out, np ? np->source : "");
      CsvCell(&out, gp ? gp->source : "");
      CsvCell(&out, np ? national_flow : "");
      CsvCell(&out, gp ? global_flow : "");
      out += "\r\n";
    }
  }
  return out;
}

json::object SideJson(const views::SeriesSide& side) {
  json::array obs;
  for (const views::Point& p : side.observations) obs.push_back(PointJson(p));
  json::object trend{{"first", side.trend.first.period.empty() ? json::value(nullptr) : json::value(PointJson(side.trend.first))},
                     {"latest", side.trend.latest.period.empty() ? json::value(nullptr) : json::value(PointJson(side.trend.latest))},
                     {"changePerYear", OptNum(side.trend.change_per_year)}};
  return json::object{{"series", side.series_key},
                      {"dataflow", side.dataflow},
                      {"area", side.area},
                      {"unit", side.unit},
                      {"latest", side.observations.empty() ? json::value(nullptr) : json::value(PointJson(side.observations.back()))},
                      {"trend", std::move(trend)},
                      {"observations", std::move(obs)}};
}

json::object CountryJson(const views::ViewContext& ctx, const views::CountryView& v) {
  const std::string n = ctx.options->national_code, g = ctx.options->global_code;
  const views::CodeNames indicator_name(ctx, ctx.options->indicator_dimension);
  json::array series;
  for (const views::CountrySeries& s : v.series) {
    json::object o{{"indicator", s.indicator},
                   {"name", indicator_name(s.indicator)},
                   {"breakdown", Breakdown(v.breakdown_dims, s.breakdown)}};
    json::object others;
    for (const auto& [type, side] : s.sides) {
      if (type == n) {
        o["national"] = SideJson(side);
      } else if (type == g) {
        o["global"] = SideJson(side);
      } else {
        others[type] = SideJson(side);
      }
    }
    if (!o.contains("national")) o["national"] = nullptr;
    if (!o.contains("global")) o["global"] = nullptr;
    if (!others.empty()) o["other"] = std::move(others);
    json::array diffs;
    for (const views::Difference& d : s.differences) {
      diffs.push_back(json::object{{"period", d.period}, {"national", d.national}, {"global", d.global},
                                   {"difference", d.difference}});
    }
    o["latestDifference"] = s.differences.empty() ? json::value(nullptr) : json::value(diffs.back());
    o["differences"] = std::move(diffs);
    series.push_back(std::move(o));
  }
  json::array flows;
  for (const std::string& f : v.dataflows) flows.push_back(json::string(f));
  return json::object{{"watermark", ctx.at.value},
                      {"dataflow", v.dataflow},
                      {"dataflows", std::move(flows)},
                      {"area", v.area},
                      {"name", views::CodeNames(ctx, ctx.options->area_dimension)(v.area)},
                      {"series", std::move(series)}};
}

Result<views::ViewContext> ContextOf(const HandlerContext& ctx, const HttpRequest& req,
                                     const std::set<std::string>& params) {
  HUB_RETURN_IF_ERROR(CheckQueryParams(req, params));
  HUB_RETURN_IF_ERROR(CheckJsonOrCsv(req));
  views::ViewContext v;
  v.state = ctx.state;
  v.structures = ctx.registry->Snapshot();
  v.options = ctx.views;
  HUB_ASSIGN_OR_RETURN(v.at, ReadWatermark(req, *ctx.state));
  if (req.HasQuery("dataflow")) v.dataflow = req.Query("dataflow");
  return v;
}

HttpResponse Global(const HandlerContext& ctx, const HttpRequest& req) {
  auto vc = ContextOf(ctx, req, {"at", "asOf", "format", "reportingType", "dataflow"});
  if (!vc.ok()) return ErrorFromStatus(vc.status());
  const std::string type = req.HasQuery("reportingType") ? req.Query("reportingType") : ctx.views->global_code;
  auto view = views::BuildGlobalView(*vc, req.Param("indicator"), type);
  if (!view.ok()) return ErrorFromStatus(view.status());
  if (WantsCsv(req)) return Finish(HttpResponse::Make(200, "text/csv; charset=utf-8", GlobalCsv(*vc, *view)), vc->at);
  return Finish(HttpResponse::Make(200, "application/json", JsonText(GlobalJson(*vc, *view)) + "\n"), vc->at);
}

HttpResponse Country(const HandlerContext& ctx, const HttpRequest& req) {
  auto vc = ContextOf(ctx, req, {"at", "asOf", "format", "dataflow"});
  if (!vc.ok()) return ErrorFromStatus(vc.status());
  auto view = views::BuildCountryView(*vc, req.Param("area"));
  if (!view.ok()) return ErrorFromStatus(view.status());
  if (WantsCsv(req)) return Finish(HttpResponse::Make(200, "text/csv; charset=utf-8", CountryCsv(*vc, *view)), vc->at);
  return Finish(HttpResponse::Make(200, "application/json", JsonText(CountryJson(*vc, *view)) + "\n"), vc->at);
}

}  // namespace

void RegisterViewRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/views/global/{indicator}", [ctx](HttpRequest& req) { return Global(ctx, req); });
  router->Add("GET", "/api/v1/views/country/{area}", [ctx](HttpRequest& req) { return Country(ctx, req); });
}

}  // namespace hub::http
