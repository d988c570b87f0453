#include "hub/views/views.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "hub/views/regions.h"
#include "sdmx/key_pattern.h"
#include "sdmx/time_period.h"

namespace hub::views {
namespace {

// "AGENCY:ID" or "AGENCY:ID(VERSION)" (no version: the latest).
std::optional<sdmx::ArtefactRef> ParseRef(const std::string& s) {
  const size_t colon = s.find(':');
  if (colon == std::string::npos || colon == 0) return std::nullopt;
  sdmx::ArtefactRef ref{s.substr(0, colon), s.substr(colon + 1), ""};
  if (const size_t open = ref.id.find('('); open != std::string::npos) {
    if (ref.id.back() != ')') return std::nullopt;
    ref.version = ref.id.substr(open + 1, ref.id.size() - open - 2);
    ref.id.resize(open);
  }
  if (ref.id.empty()) return std::nullopt;
  return ref;
}

// The views' dataflow and where its dimensions sit.
struct Layout {
  const sdmx::Dataflow* flow = nullptr;
  const sdmx::DataStructure* dsd = nullptr;
  size_t area = 0, indicator = 0, reporting_type = 0;
  std::vector<size_t> breakdown;  // every other dimension, in DSD order
};

Result<Layout> LayoutOf(const ViewContext& ctx) {
  const ViewOptions& o = *ctx.options;
  if (o.dataflow.empty()) return Status::NotFound("no views are configured (set [views] dataflow in the hub config)");
  auto ref = ParseRef(o.dataflow);
  if (!ref) return Status::InvalidArgument("views.dataflow '" + o.dataflow + "': expected AGENCY:ID[(VERSION)]");
  Layout l;
  l.flow = ctx.structures->FindDataflow(*ref);
  if (!l.flow) return Status::NotFound("the views' dataflow " + o.dataflow + " is not loaded");
  l.dsd = ctx.structures->FindDataStructure(l.flow->structure);
  if (!l.dsd) return Status::NotFound("the structure of " + l.flow->ref.ToString() + " is not loaded");
  auto index = [&](const std::string& dim, size_t* out) -> Status {
    const int i = l.dsd->DimensionIndex(dim);
    if (i < 0) return Status::InvalidArgument("views: " + dim + " is not a dimension of " + l.dsd->ref.ToString());
    *out = static_cast<size_t>(i);
    return Status::Ok();
  };
  HUB_RETURN_IF_ERROR(index(o.area_dimension, &l.area));
  HUB_RETURN_IF_ERROR(index(o.indicator_dimension, &l.indicator));
  HUB_RETURN_IF_ERROR(index(o.reporting_type_dimension, &l.reporting_type));
  for (size_t i = 0; i < l.dsd->dimensions.size(); ++i) {
    if (i != l.area && i != l.indicator && i != l.reporting_type) l.breakdown.push_back(i);
  }
  return l;
}

// Whether `code` is in the codelist of dimension `dim` (true when the dimension is not coded).
bool KnownCode(const ViewContext& ctx, const Layout& l, size_t dim, const std::string& code) {
  const auto& cl = l.dsd->dimensions[dim].codelist;
  if (!cl) return true;
  const sdmx::Codelist* codes = ctx.structures->FindCodelist(*cl);
  return !codes || codes->Find(code);
}

std::vector<std::string> Pick(const std::vector<std::string>& key, const std::vector<size_t>& dims) {
  std::vector<std::string> out;
  for (size_t d : dims) out.push_back(d < key.size() ? key[d] : std::string());
  return out;
}

// A v1 key with `fixed` dimensions set and the others wildcarded.
Result<sdmx::KeyPattern> PatternOf(const Layout& l, const std::vector<std::pair<size_t, std::string>>& fixed) {
  std::vector<std::string> parts(l.dsd->dimensions.size());
  for (const auto& [dim, code] : fixed) parts[dim] = code;
  std::string key;
  for (size_t i = 0; i < parts.size(); ++i) key += (i ? "." : "") + parts[i];
  return sdmx::KeyPattern::ParseV1(key, parts.size());
}

std::optional<double> Number(std::string_view s) {
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

Point PointOf(const sdmx::Observation& o) {
  auto attr = [&](const char* id) {
    const std::string* v = sdmx::FindField(o.attributes, id);
    return v ? *v : std::string();
  };
  return Point{o.period, o.value, Number(o.value), attr("NATURE"), attr("SOURCE_DETAIL"), attr("OBS_STATUS")};
}

std::string UnitOf(const sdmx::Series& s) {
  const std::string* u = sdmx::FindField(s.attributes, "UNIT_MEASURE");
  return u ? *u : std::string();
}

// Days since the epoch of a period's first day.
std::optional<int64_t> StartDay(const std::string& period) {
  std::string first, last;
  if (!sdmx::PeriodBounds(period, &first, &last) || first.size() < 10) return std::nullopt;
  int y = 0, m = 0, d = 0;
  if (std::sscanf(first.c_str(), "%d-%d-%d", &y, &m, &d) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                        std::chrono::day(static_cast<unsigned>(d))};
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

Trend TrendOf(const std::vector<Point>& obs) {
  Trend t;
  const Point* first = nullptr;
  const Point* latest = nullptr;
  for (const Point& p : obs) {
    if (!p.value) continue;
    if (!first) first = &p;
    latest = &p;
  }
  if (!first) return t;
  t.first = *first;
  t.latest = *latest;
  auto a = StartDay(first->period), b = StartDay(latest->period);
  if (a && b && *b > *a) t.change_per_year = (*latest->value - *first->value) / ((*b - *a) / 365.2425);
  return t;
}

// a - b rounded to the decimals the two values were sent with, so that
// 26.8 - 29.2 is -2.4 and not -2.3999999999999986.
double DecimalDifference(std::string_view a_text, double a, std::string_view b_text, double b) {
  auto decimals = [](std::string_view s) -> int {
    if (s.find_first_of("eE") != std::string_view::npos) return -1;  // not plain decimal: no rounding
    const size_t dot = s.find('.');
    return dot == std::string_view::npos ? 0 : static_cast<int>(s.size() - dot - 1);
  };
  if (decimals(a_text) < 0 || decimals(b_text) < 0) return a - b;
  const int places = std::min(15, std::max(decimals(a_text), decimals(b_text)));
  const double scale = std::pow(10.0, places);
  return std::round((a - b) * scale) / scale;
}

// Weights of one indicator per area (period -> value), from the series of
// each area with the most total codes in its breakdown.
Result<std::map<std::string, std::map<std::string, double>>> WeightsOf(const ViewContext& ctx, const Layout& l,
                                                                       const std::string& weight,
                                                                       const std::string& reporting_type) {
  HUB_ASSIGN_OR_RETURN(auto pattern, PatternOf(l, {{l.indicator, weight}, {l.reporting_type, reporting_type}}));
  std::map<std::string, std::pair<size_t, std::map<std::string, double>>> best;  // area -> (totals, values)
  HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(l.flow->ref.ToString(), pattern, ctx.at, [&](const sdmx::Series& s) {
    size_t totals = 0;
    for (const std::string& v : Pick(s.key, l.breakdown)) totals += v == ctx.options->total_code;
    auto [it, fresh] = best.try_emplace(s.key[l.area]);
    if (!fresh && it->second.first >= totals) return true;
    it->second.first = totals;
    it->second.second.clear();
    for (const sdmx::Observation& o : s.observations) {
      if (auto v = Number(o.value)) it->second.second[o.period] = *v;
    }
    return true;
  }));
  std::map<std::string, std::map<std::string, double>> out;
  for (auto& [area, v] : best) out[area] = std::move(v.second);
  return out;
}

// The weight at `period`, else the latest one before it.
std::optional<std::pair<std::string, double>> WeightAt(const std::map<std::string, double>& by_period,
                                                       const std::string& period) {
  auto it = by_period.upper_bound(period);
  if (it == by_period.begin()) return std::nullopt;
  --it;
  return *it;
}

}  // namespace

Result<GlobalView> BuildGlobalView(const ViewContext& ctx, const std::string& indicator,
                                   const std::string& reporting_type) {
  HUB_ASSIGN_OR_RETURN(Layout l, LayoutOf(ctx));
  if (!KnownCode(ctx, l, l.indicator, indicator)) {
    return Status::NotFound(indicator + " is not a code of " + ctx.options->indicator_dimension);
  }
  auto hcl_ref = ParseRef(ctx.options->hierarchy);
  const sdmx::HierarchicalCodelist* hcl = hcl_ref ? ctx.structures->FindHierarchicalCodelist(*hcl_ref) : nullptr;
  if (!hcl) return Status::NotFound("the views' hierarchy " + ctx.options->hierarchy + " is not loaded");
  const Regions regions(*hcl);
  GlobalView v;
  v.dataflow = l.flow->ref.ToString();
  v.indicator = indicator;
  v.reporting_type = reporting_type;
  v.hierarchy = hcl->ref.ToString();
  v.rule = ctx.options->RuleFor(indicator);
  for (size_t d : l.breakdown) v.breakdown_dims.push_back(l.dsd->dimensions[d].id);

  // Every series of the indicator: countries become rows, region codes are
  // what an agency reported for the region.
  std::map<std::pair<std::string, std::vector<std::string>>, Point> reported;  // (region, breakdown)
  HUB_ASSIGN_OR_RETURN(auto pattern, PatternOf(l, {{l.indicator, indicator}, {l.reporting_type, reporting_type}}));
  HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(v.dataflow, pattern, ctx.at, [&](const sdmx::Series& s) {
    // Periods of one frequency sort as strings, and the scan gives them in key order.
    const sdmx::Observation& latest = s.observations.back();
    if (regions.IsRegion(s.key[l.area])) {
      reported[{s.key[l.area], Pick(s.key, l.breakdown)}] = PointOf(latest);
      return true;
    }
    v.rows.push_back(AreaRow{s.key[l.area], s.KeyString(), Pick(s.key, l.breakdown), UnitOf(s), PointOf(latest), {}, {}});
    return true;
  }));

  std::map<std::string, std::map<std::string, double>> weights;
  if (v.rule.rule == Rule::kWeightedMean) {
    HUB_ASSIGN_OR_RETURN(weights, WeightsOf(ctx, l, v.rule.weight, reporting_type));
    for (AreaRow& r : v.rows) {
      auto w = weights.find(r.area);
      if (w == weights.end()) continue;
      if (auto at = WeightAt(w->second, r.latest.period)) {
        r.weight_period = at->first;
        r.weight = at->second;
      }
    }
  }

  // breakdown -> area -> row, for the members of each region.
  std::map<std::vector<std::string>, std::map<std::string, const AreaRow*>> by_breakdown;
  for (const AreaRow& r : v.rows) {
    if (r.latest.value) by_breakdown[r.breakdown][r.area] = &r;
  }
  for (const auto& [key, point] : reported) by_breakdown.try_emplace(key.second);
  for (const std::string& region : regions.codes()) {
    const std::set<std::string>& members = regions.Members(region);
    for (const auto& [breakdown, rows] : by_breakdown) {
      RegionRow agg;
      agg.region = region;
      agg.breakdown = breakdown;
      agg.areas_total = members.size();
      std::vector<MemberValue> values;
      for (const std::string& m : members) {
        auto it = rows.find(m);
        if (it != rows.end()) values.push_back({m, it->second->latest.period, *it->second->latest.value, it->second->weight});
      }
      agg.result = Aggregate(v.rule.rule, values);
      if (auto it = reported.find({region, breakdown}); it != reported.end()) agg.reported = it->second;
      if (!agg.result.value && !agg.reported) continue;
      if (v.rule.rule == Rule::kWeightedMean && agg.result.value) {
        // Share of the region's weight (at the latest period counted) that reported.
        double covered = 0, total = 0;
        for (const std::string& m : members) {
          auto w = weights.find(m);
          if (w == weights.end()) continue;
          auto at = WeightAt(w->second, agg.result.last_period);
          if (!at) continue;
          total += at->second;
          auto row = rows.find(m);
          if (row != rows.end() && row->second->weight) covered += at->second;
        }
        if (total > 0) agg.weight_share = covered / total;
      }
      v.aggregates.push_back(std::move(agg));
    }
  }
  return v;
}

Result<CountryView> BuildCountryView(const ViewContext& ctx, const std::string& area) {
  HUB_ASSIGN_OR_RETURN(Layout l, LayoutOf(ctx));
  if (!KnownCode(ctx, l, l.area, area)) return Status::NotFound(area + " is not a code of " + ctx.options->area_dimension);
  CountryView v;
  v.dataflow = l.flow->ref.ToString();
  v.area = area;
  for (size_t d : l.breakdown) v.breakdown_dims.push_back(l.dsd->dimensions[d].id);
  std::map<std::pair<std::string, std::vector<std::string>>, CountrySeries> found;
  HUB_ASSIGN_OR_RETURN(auto pattern, PatternOf(l, {{l.area, area}}));
  HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(v.dataflow, pattern, ctx.at, [&](const sdmx::Series& s) {
    CountrySeries& cs = found[{s.key[l.indicator], Pick(s.key, l.breakdown)}];
    cs.indicator = s.key[l.indicator];
    cs.breakdown = Pick(s.key, l.breakdown);
    SeriesSide& side = cs.sides[s.key[l.reporting_type]];
    side.series_key = s.KeyString();
    side.unit = UnitOf(s);
    for (const sdmx::Observation& o : s.observations) side.observations.push_back(PointOf(o));
    side.trend = TrendOf(side.observations);
    return true;
  }));
  for (auto& [key, cs] : found) {
    auto n = cs.sides.find(ctx.options->national_code), g = cs.sides.find(ctx.options->global_code);
    if (n != cs.sides.end() && g != cs.sides.end()) {
      std::map<std::string, double> global;
      std::map<std::string, std::string> global_text;
      for (const Point& p : g->second.observations) {
        if (!p.value) continue;
        global[p.period] = *p.value;
        global_text[p.period] = p.value_text;
      }
      for (const Point& p : n->second.observations) {
        auto it = global.find(p.period);
        if (p.value && it != global.end()) {
          cs.differences.push_back({p.period, *p.value, it->second,
                                    DecimalDifference(p.value_text, *p.value, global_text[p.period], it->second)});
        }
      }
    }
    v.series.push_back(std::move(cs));
  }
  return v;
}

CodeNames::CodeNames(const ViewContext& ctx, const std::string& dim) {
  auto l = LayoutOf(ctx);
  if (!l.ok()) return;
  const int i = l->dsd->DimensionIndex(dim);
  if (i < 0 || !l->dsd->dimensions[static_cast<size_t>(i)].codelist) return;
  codelist_ = ctx.structures->FindCodelist(*l->dsd->dimensions[static_cast<size_t>(i)].codelist);
}

std::string CodeNames::operator()(const std::string& code) const {
  const sdmx::Code* c = codelist_ ? codelist_->Find(code) : nullptr;
  return c ? c->name : "";
}

}  // namespace hub::views
