// GET /api/v1/vintages/{flow}/{key}: revision analysis for a series or a key
// pattern (v1 key syntax: A.G.SH_STA_MORT.566+404._T._T._T, empty parts
// any), streamed one series at a time as the scan goes:
//   output=  vintages | first | triangle | stats, or all (JSON only; the
//            default for JSON; CSV holds one table, stats by default)
//   horizon= N: revision statistics also N vintages after each first release
//   at= / asOf=: everything as the hub held it then
//   format=  json | csv (or Accept: text/csv)
// Definitions in hub/views/vintages.h; each figure can be recomputed from
// GET /api/v1/history/{flow}/{key}?at=W with W = the X-Hub-Watermark here.
#include <boost/json.hpp>
#include <charconv>

#include "hub/base/iso_time.h"
#include "hub/base/json_text.h"
#include "hub/http/handlers/handlers.h"
#include "hub/http/handlers/tabular.h"
#include "hub/views/vintages.h"

namespace hub::http {
namespace {

namespace json = boost::json;

struct Parts {
  bool vintages = false, first = false, triangle = false, stats = false;
};

json::value StatsJson(const views::RevisionStats& s) {
  return json::object{{"periods", s.periods},
                      {"meanRevision", s.periods ? json::value(s.mean) : json::value(nullptr)},
                      {"meanAbsoluteRevision", s.periods ? json::value(s.mean_absolute) : json::value(nullptr)}};
}

json::object SeriesJson(const std::string& key, const views::SeriesVintages& v, const Parts& parts, size_t horizon) {
  json::object o{{"key", key}};
  if (parts.vintages) {
    json::array a;
    for (const views::Vintage& x : v.vintages) {
      json::object o{{"watermark", x.watermark}, {"loaded_at", IsoTimeMs(x.loaded_ms)},
                     {"provider", x.provider}, {"submission", x.submission}};
      if (x.released_ms) o["released_at"] = IsoTimeMs(x.released_ms);
      a.push_back(std::move(o));
    }
    o["vintages"] = std::move(a);
  }
  if (parts.first) {
    json::array a;
    for (const views::FirstRelease& f : v.first) {
      const views::Vintage& x = v.vintages[f.vintage];
      a.push_back(json::object{{"period", f.period}, {"value", f.value}, {"watermark", x.watermark},
                               {"loaded_at", IsoTimeMs(x.loaded_ms)}, {"provider", x.provider}});
    }
    o["firstRelease"] = std::move(a);
  }
  if (parts.triangle) {
    json::array periods, marks, rows;
    for (const std::string& p : v.periods) periods.push_back(json::string(p));
    for (const views::Vintage& x : v.vintages) marks.push_back(x.watermark);
    for (const auto& row : v.triangle) {
      json::array r;
      for (const auto& cell : row) r.push_back(cell ? json::value(*cell) : json::value(nullptr));
      rows.push_back(std::move(r));
    }
    o["triangle"] = json::object{{"periods", std::move(periods)}, {"vintages", std::move(marks)}, {"values", std::move(rows)}};
  }
  if (parts.stats) {
    json::object s{{"vintages", v.vintages.size()}, {"periods", v.periods.size()}, {"revisions", v.revisions},
                   {"latest", StatsJson(v.latest)}};
    if (v.at_horizon) {
      json::value h = StatsJson(*v.at_horizon);
      h.as_object()["horizon"] = horizon;
      s["atHorizon"] = std::move(h);
    }
    o["statistics"] = std::move(s);
  }
  return o;
}

const char* CsvHeader(const std::string& output) {
  if (output == "vintages") return "SERIES_KEY,WATERMARK,LOADED_AT,PROVIDER,SUBMISSION\n";
  if (output == "first") return "SERIES_KEY,TIME_PERIOD,OBS_VALUE,WATERMARK,LOADED_AT,PROVIDER\n";
  if (output == "triangle") return "SERIES_KEY,TIME_PERIOD,VINTAGE,LOADED_AT,OBS_VALUE\n";
  return "SERIES_KEY,VINTAGES,PERIODS,REVISIONS,LATEST_PERIODS,MEAN_REVISION,MEAN_ABSOLUTE_REVISION,"
         "HORIZON,HORIZON_PERIODS,HORIZON_MEAN_REVISION,HORIZON_MEAN_ABSOLUTE_REVISION\n";
}

void StatsCsv(std::string* out, const std::optional<views::RevisionStats>& s) {
  CsvCell(out, s ? std::to_string(s->periods) : "");
  CsvCell(out, s && s->periods ? ShortestNumber(s->mean) : "");
  CsvCell(out, s && s->periods ? ShortestNumber(s->mean_absolute) : "");
}

std::string SeriesCsv(const std::string& key, const views::SeriesVintages& v, const std::string& output, size_t horizon) {
  std::string out;
  if (output == "vintages") {
    for (const views::Vintage& x : v.vintages) {
      CsvCell(&out, key, true);
      CsvCell(&out, std::to_string(x.watermark));
      CsvCell(&out, IsoTimeMs(x.loaded_ms));
      CsvCell(&out, x.provider);
      CsvCell(&out, x.submission);
      out += '\n';
    }
  } else if (output == "first") {
    for (const views::FirstRelease& f : v.first) {
      const views::Vintage& x = v.vintages[f.vintage];
      CsvCell(&out, key, true);
      CsvCell(&out, f.period);
      CsvCell(&out, f.value);
      CsvCell(&out, std::to_string(x.watermark));
      CsvCell(&out, IsoTimeMs(x.loaded_ms));
      CsvCell(&out, x.provider);
      out += '\n';
    }
  } else if (output == "triangle") {  // long form: one line per released cell
    for (size_t p = 0; p < v.periods.size(); ++p) {
      for (size_t i = 0; i < v.vintages.size(); ++i) {
        if (!v.triangle[p][i]) continue;
        CsvCell(&out, key, true);
        CsvCell(&out, v.periods[p]);
        CsvCell(&out, std::to_string(v.vintages[i].watermark));
        CsvCell(&out, IsoTimeMs(v.vintages[i].loaded_ms));
        CsvCell(&out, *v.triangle[p][i]);
        out += '\n';
      }
    }
  } else {
    CsvCell(&out, key, true);
    CsvCell(&out, std::to_string(v.vintages.size()));
    CsvCell(&out, std::to_string(v.periods.size()));
    CsvCell(&out, std::to_string(v.revisions));
    StatsCsv(&out, v.latest);
    CsvCell(&out, horizon ? std::to_string(horizon) : "");
    StatsCsv(&out, v.at_horizon);
    out += '\n';
  }
  return out;
}

HttpResponse Vintages(const HandlerContext& ctx, const HttpRequest& req) {
  if (Status st = CheckQueryParams(req, {"output", "horizon", "at", "asOf", "format"}); !st.ok()) return ErrorFromStatus(st);
  if (Status st = CheckJsonOrCsv(req); !st.ok()) return ErrorFromStatus(st);
  const bool csv = WantsCsv(req);
  const std::string output = req.HasQuery("output") ? req.Query("output") : csv ? "stats" : "all";
  Parts parts;
  if (output == "all") {
    if (csv) return HttpResponse::Error(400, "output=all is JSON only: a CSV holds one table (output=vintages, first, triangle or stats)");
    parts = {true, true, true, true};
  } else if (output == "vintages" || output == "first" || output == "triangle" || output == "stats") {
    parts = {output == "vintages", output == "first", output == "triangle", output == "stats"};
  } else {
    return HttpResponse::Error(400, "output=" + output + ": expected all, vintages, first, triangle or stats");
  }
  size_t horizon = 0;
  if (req.HasQuery("horizon")) {
    const std::string h = req.Query("horizon");
    auto [p, ec] = std::from_chars(h.data(), h.data() + h.size(), horizon);
    if (ec != std::errc() || p != h.data() + h.size() || horizon == 0 || horizon > 1000) {
      return HttpResponse::Error(400, "horizon=" + h + ": expected a number of vintages from 1 to 1000");
    }
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
  const std::string flow_id = (*flow)->ref.ToString();
  // The first matching series decides between 200 and 404 before anything
  // is sent; the body then streams from the scan.
  bool any = false;
  Status s = ctx.state->ScanSeries(flow_id, *pattern, *at, [&](sdmx::Series&) {
    any = true;
    return false;
  });
  if (!s.ok()) return ErrorFromStatus(s);
  if (!any) return HttpResponse::Error(404, "no series of " + flow_id + " matches " + req.Param("key"));
  HttpResponse resp = HttpResponse::Make(200, csv ? "text/csv; charset=utf-8" : "application/json", "");
  resp.SetHeader("X-Hub-Watermark", std::to_string(at->value));
  resp.stream = [ctx, flow_id, pattern = *pattern, at = *at, csv, output, parts, horizon](
                    const HttpResponse::Write& write) -> Status {
    bool open = true;
    if (csv) {
      open = write(CsvHeader(output));
    } else {
      open = write("{\"dataflow\":" + JsonText(json::string(flow_id)) + ",\"watermark\":" + std::to_string(at.value) +
                   (horizon ? ",\"horizon\":" + std::to_string(horizon) : std::string()) + ",\"series\":[");
    }
    bool first = true;
    Status failed;
    HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(flow_id, pattern, at, [&](sdmx::Series& series) {
      const std::string key = series.KeyString();
      auto history = ctx.state->History(flow_id, key);
      if (!history.ok()) {
        failed = history.status();
        return false;
      }
      const views::SeriesVintages v = views::AnalyseVintages(*history, at.value, horizon);
      if (csv) {
        open = write(SeriesCsv(key, v, output, horizon));
      } else {
        open = write((first ? "" : ",") + JsonText(SeriesJson(key, v, parts, horizon)));
      }
      first = false;
      return open;
    }));
    HUB_RETURN_IF_ERROR(failed);
    if (open && !csv) write("]}\n");
    return Status::Ok();
  };
  return resp;
}

}  // namespace

void RegisterVintageRoutes(Router* router, const HandlerContext& ctx) {
  router->Add("GET", "/api/v1/vintages/{flow}/{key}", [ctx](HttpRequest& req) { return Vintages(ctx, req); });
}

}  // namespace hub::http
