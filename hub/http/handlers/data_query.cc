#include "hub/http/handlers/data_query.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <set>

#include "hub/http/handlers/data_sort.h"
#include "sdmx/time_period.h"

namespace hub::http {
namespace {

// `value` of component `id` against one condition.
bool Holds(const ComponentFilter::Condition& c, const std::string& value, bool is_time) {
  const std::string& op = c.op;
  if (op == "eq") return value == c.value;
  if (op == "ne") return value != c.value;
  if (op == "co") return value.find(c.value) != std::string::npos;
  if (op == "nc") return value.find(c.value) == std::string::npos;
  if (op == "sw") return value.rfind(c.value, 0) == 0;
  if (op == "ew") return value.size() >= c.value.size() && value.compare(value.size() - c.value.size(), c.value.size(), c.value) == 0;
  if (is_time) {
    std::string vf, vl, cf, cl;
    if (!sdmx::PeriodBounds(value, &vf, &vl) || !sdmx::PeriodBounds(c.value, &cf, &cl)) return false;
    if (op == "ge") return vf >= cf;
    if (op == "gt") return vf > cl;
    if (op == "le") return vl <= cl;
    return vl < cf;  // lt
  }
  const int cmp = CompareValues(&value, &c.value, ValueKind::kNumber);
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

std::optional<std::string> HistoryFormatProblem(const DataQuery& q) {
  if ((q.include_history || q.updated_after) && q.format == sdmx::DataFormat::kCsv10) {
    // Deletions need the ACTION column of SDMX-CSV 2.0.
    return std::string("SDMX-CSV 1.0 cannot carry deletions or datasets (") +
           (q.include_history ? "includeHistory" : "updatedAfter") + "): ask for SDMX-CSV 2.0 or another format";
  }
  return std::nullopt;
}

Result<std::vector<ComponentFilter>> ReadComponentFilters(const HttpRequest& req, const sdmx::DataStructure& dsd) {
  static const std::set<std::string> kOps = {"eq", "ne", "lt", "le", "gt", "ge", "co", "nc", "sw", "ew"};
  std::vector<ComponentFilter> out;
  for (const auto& [name, value] : req.query) {
    if (name.size() < 4 || name.compare(0, 2, "c[") != 0 || name.back() != ']') continue;
    ComponentFilter f;
    f.component = name.substr(2, name.size() - 3);
    if (value.empty()) return Status::InvalidArgument(name + ": no value to filter on");
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
        // "op:value"; a code never holds ':' and a time or number never
        // starts with letters, so letters before a ':' are meant as one.
        const size_t colon = cond.find(':');
        const bool op = colon != std::string::npos && colon > 0 &&
                        std::all_of(cond.begin(), cond.begin() + colon, [](unsigned char ch) { return std::isalpha(ch); });
        if (op && !kOps.count(cond.substr(0, colon))) {
          return Status::InvalidArgument(name + "=" + value + ": unknown operator '" + cond.substr(0, colon) +
                                         "' (eq, ne, lt, le, gt, ge, co, nc, sw, ew)");
        }
        if (op) c = {cond.substr(0, colon), cond.substr(colon + 1)};
        if (c.value.empty()) return Status::InvalidArgument(name + "=" + value + ": an empty value");
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

Status ReadHistoryParams(const HandlerContext& ctx, const HttpRequest& req, DataQuery* q) {
  if (req.HasQuery("updatedAfter")) {
    auto t = ParseIsoTimeMs(req.Query("updatedAfter"));
    if (!t) return Status::InvalidArgument("updatedAfter='" + req.Query("updatedAfter") + "' is not an ISO 8601 time");
    HUB_ASSIGN_OR_RETURN(q->updated_after, ctx.state->WatermarkAt(*t, q->at));
  }
  if (req.HasQuery("includeHistory")) {
    // An xs:boolean, as clients spell it (sdmx1 sends "True").
    std::string v = req.Query("includeHistory");
    std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
    if (v != "true" && v != "false" && v != "1" && v != "0") {
      return Status::InvalidArgument("includeHistory=" + req.Query("includeHistory") + ": expected true or false");
    }
    q->include_history = v == "true" || v == "1";
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ParseProviderRef(const std::string& ref) {
  std::vector<std::string> providers;
  if (ref.empty() || ref == "all") return providers;
  size_t start = 0;
  for (;;) {
    const size_t plus = ref.find('+', start);
    std::string one = ref.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    if (const size_t comma = one.find(','); comma != std::string::npos) one = one.substr(comma + 1);
    if (one.empty()) return Status::InvalidArgument("providerRef '" + ref + "': empty provider id");
    providers.push_back(std::move(one));
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return providers;
}

bool SelectObservations(const DataQuery& q, sdmx::Series* s) { return Filter(q, s); }

// providerRef: accepts the commits of the query's providers.
storage::VersionedState::CommitFilter ProviderFilterOf(const HandlerContext& ctx, const DataQuery& q) {
  if (q.providers.empty()) return {};
  auto known = std::make_shared<std::map<uint64_t, bool>>();  // seq -> one of them
  return [state = ctx.state, providers = q.providers, known](uint64_t seq) {
    auto [it, fresh] = known->try_emplace(seq, false);
    if (fresh) {
      auto c = state->Commit(seq);
      it->second = c.ok() && *c && std::find(providers.begin(), providers.end(), (*c)->provider()) != providers.end();
    }
    return it->second;
  };
}

std::optional<size_t> PivotDimension(const DataQuery& q) {
  // SDMX-CSV is flat whatever the dimension at observation.
  if (q.format == sdmx::DataFormat::kCsv10 || q.format == sdmx::DataFormat::kCsv20) return std::nullopt;
  return q.cross_section;
}

}  // namespace hub::http
