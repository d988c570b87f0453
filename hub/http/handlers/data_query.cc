#include "hub/http/handlers/data_query.h"

#include <charconv>
#include <set>

#include "sdmx/time_period.h"

namespace hub::http {
namespace {

std::optional<double> Number(const std::string& s) {
  double d;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return d;
}

// `value` of component `id` against one condition.
bool Holds(const ComponentFilter::Condition& c, const std::string& value, bool is_time) {
  const std::string& op = c.op;
  if (op == "eq") return value == c.value;
  if (op == "ne") return value != c.value;
  if (op == "co") return value.find(c.value) != std::string::npos;
  if (op == "nc") return value.find(c.value) == std::string::npos;
  if (op == "sw") return value.rfind(c.value, 0) == 0;
  if (op == "ew") return value.size() >= c.value.size() && value.compare(value.size() - c.value.size(), c.value.size(), c.value) == 0;
  int cmp;
  if (is_time) {
    std::string vf, vl, cf, cl;
    if (!sdmx::PeriodBounds(value, &vf, &vl) || !sdmx::PeriodBounds(c.value, &cf, &cl)) return false;
    if (op == "ge") return vf >= cf;
    if (op == "gt") return vf > cl;
    if (op == "le") return vl <= cl;
    return vl < cf;  // lt
  }
  auto a = Number(value), b = Number(c.value);
  if (a && b) {
    cmp = *a < *b ? -1 : *a > *b ? 1 : 0;
  } else {
    cmp = value.compare(c.value);
  }
  if (op == "lt") return cmp < 0;
  if (op == "le") return cmp <= 0;
  if (op == "gt") return cmp > 0;
  return cmp >= 0;  // ge
}

bool Passes(const ComponentFilter& f, const std::string* value, bool is_time) {
  if (!value) return false;  // a filter on a component the data does not carry
  for (const auto& all : f.alternatives) {
    bool ok = true;
    for (const auto& c : all) ok = ok && Holds(c, *value, is_time);
    if (ok) return true;
  }
  return false;
}

// Applies the filters to one series; false when nothing of it remains.
bool Filter(const DataQuery& q, sdmx::Series* s) {
  const sdmx::DataStructure& dsd = *q.dsd;
  std::vector<const ComponentFilter*> obs_filters;
  for (const ComponentFilter& f : q.filters) {
    if (int d = dsd.DimensionIndex(f.component); d >= 0) {
      if (static_cast<size_t>(d) >= s->key.size() || !Passes(f, &s->key[d], false)) return false;
      continue;
    }
    const sdmx::Attribute* a = dsd.FindAttribute(f.component);
    if (a && a->level != sdmx::AttachmentLevel::kObservation) {
      if (!Passes(f, sdmx::FindField(s->attributes, f.component), false)) return false;
      continue;
    }
    obs_filters.push_back(&f);  // time, measure, observation attributes
  }
  const ObsWindow& w = q.window;
  if (!obs_filters.empty() || !w.from.empty() || !w.to.empty()) {
    std::vector<sdmx::Observation> kept;
    for (sdmx::Observation& o : s->observations) {
      if (!w.from.empty() || !w.to.empty()) {
        std::string first, last;
        if (!sdmx::PeriodBounds(o.period, &first, &last)) continue;
        if ((!w.from.empty() && last < w.from) || (!w.to.empty() && first > w.to)) continue;
      }
      bool ok = true;
      for (const ComponentFilter* f : obs_filters) {
        const bool time = f->component == dsd.time_dimension;
        const std::string* v = time ? &o.period : f->component == dsd.primary_measure ? &o.value
                                                                                     : sdmx::FindField(o.attributes, f->component);
        ok = ok && Passes(*f, v, time);
      }
      if (ok) kept.push_back(std::move(o));
    }
    s->observations = std::move(kept);
  }
  auto& obs = s->observations;
  if (w.first_n && obs.size() > *w.first_n) obs.resize(*w.first_n);
  if (w.last_n && obs.size() > *w.last_n) obs.erase(obs.begin(), obs.end() - static_cast<std::ptrdiff_t>(*w.last_n));
  return !obs.empty();
}

}  // namespace

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

Result<std::vector<ComponentFilter>> ReadComponentFilters(const HttpRequest& req, const sdmx::DataStructure& dsd) {
  static const std::set<std::string> kOps = {"eq", "ne", "lt", "le", "gt", "ge", "co", "nc", "sw", "ew"};
  std::vector<ComponentFilter> out;
  for (const auto& [name, value] : req.query) {
    if (name.size() < 4 || name.compare(0, 2, "c[") != 0 || name.back() != ']') continue;
    ComponentFilter f;
    f.component = name.substr(2, name.size() - 3);
    if (dsd.DimensionIndex(f.component) < 0 && !dsd.FindAttribute(f.component) && f.component != dsd.time_dimension &&
        f.component != dsd.primary_measure) {
      return Status::InvalidArgument(name + ": " + f.component + " is not a component of " + dsd.ref.ToString());
    }
    for (size_t a = 0; a <= value.size();) {
      size_t b = value.find(',', a);
      if (b == std::string::npos) b = value.size();
      std::vector<ComponentFilter::Condition> all;
      const std::string alt = value.substr(a, b - a);
      for (size_t x = 0; x <= alt.size();) {
        size_t y = alt.find('+', x);
        if (y == std::string::npos) y = alt.size();
        std::string cond = alt.substr(x, y - x);
        ComponentFilter::Condition c{"eq", cond};
        if (size_t colon = cond.find(':'); colon == 2 && kOps.count(cond.substr(0, 2))) {
          c = {cond.substr(0, 2), cond.substr(3)};
        }
        all.push_back(std::move(c));
        x = y + 1;
      }
      f.alternatives.push_back(std::move(all));
      a = b + 1;
    }
    out.push_back(std::move(f));
  }
  return out;
}

HttpResponse ServeData(const HandlerContext& ctx, const DataQuery& q) {
  HttpResponse resp = HttpResponse::Make(200, sdmx::MediaType(q.format), "");
  sdmx::WriteContext wc;
  wc.dsd = q.dsd;
  wc.dataflow = q.flow->ref;
  wc.message_id = "HUB-" + std::to_string(q.at.value);
  wc.all_dimensions = q.all_dimensions;
  wc.detail = q.detail;
  auto writer = sdmx::NewDataWriter(q.format, wc, [&](std::string_view chunk) { resp.body.append(chunk); });
  const bool cuts = !q.filters.empty() || !q.window.from.empty() || !q.window.to.empty() || q.window.first_n ||
                    q.window.last_n;
  size_t series = 0;
  Status s = ctx.state->ScanSeries(q.flow->ref.ToString(), q.pattern, q.at, [&](const sdmx::Series& sr) {
    if (!cuts) {
      writer->WriteSeries(sr);
      ++series;
      return true;
    }
    sdmx::Series cut = sr;
    if (!Filter(q, &cut)) return true;  // nothing of it selected
    writer->WriteSeries(cut);
    ++series;
    return true;
  });
  if (!s.ok()) return ErrorFromStatus(s);
  if (series == 0) {
    resp = q.no_results_status == 204
               ? HttpResponse::Make(204, "", "")
               : HttpResponse::Error(404, "No results: no data matches the query at watermark " + std::to_string(q.at.value));
  } else {
    writer->Finish();
  }
  resp.SetHeader("X-Hub-Watermark", std::to_string(q.at.value));
  return resp;
}

}  // namespace hub::http
