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

// One dataflow the views read and where its dimensions sit.
struct Layout {
  const sdmx::Dataflow* flow = nullptr;
  const sdmx::DataStructure* dsd = nullptr;
  size_t area = 0, indicator = 0, reporting_type = 0;
  std::vector<size_t> breakdown;  // every other dimension, in DSD order
  bool configured = false;        // [views] dataflow
};

// `flow` as the views read it, or why it cannot be (a dimension missing).
Result<Layout> ShapeOf(const ViewContext& ctx, const sdmx::Dataflow& flow) {
  const ViewOptions& o = *ctx.options;
  Layout l;
  l.flow = &flow;
  l.dsd = ctx.structures->FindDataStructure(flow.structure);
  if (!l.dsd) return Status::NotFound("the structure of " + flow.ref.ToString() + " is not loaded");
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

// The dataflows the views read: `only` (a dataflow= parameter) alone; else
// the configured [views] dataflow first, then every other dataflow whose
// DSD has the area, indicator and reporting-type dimensions (SDG-shaped:
// the global SDG DSD and the national ones built on it), by id and newest
// version first. With `configured_only`, the configured one alone when set.
Result<std::vector<Layout>> LayoutsOf(const ViewContext& ctx, const std::string& only, bool configured_only) {
  const ViewOptions& o = *ctx.options;
  std::vector<Layout> out;
  if (!only.empty()) {
    auto ref = ParseRef(only);
    if (!ref) return Status::InvalidArgument("dataflow=" + only + ": expected AGENCY:ID[(VERSION)]");
    const sdmx::Dataflow* flow = ctx.structures->FindDataflow(*ref);
    if (!flow) return Status::NotFound("dataflow " + only + " is not loaded");
    HUB_ASSIGN_OR_RETURN(Layout l, ShapeOf(ctx, *flow));
    out.push_back(l);
    return out;
  }
  const sdmx::Dataflow* configured = nullptr;
  if (!o.dataflow.empty()) {
    auto ref = ParseRef(o.dataflow);
    if (!ref) return Status::InvalidArgument("views.dataflow '" + o.dataflow + "': expected AGENCY:ID[(VERSION)]");
    configured = ctx.structures->FindDataflow(*ref);
    if (!configured) return Status::NotFound("the views' dataflow " + o.dataflow + " is not loaded");
    HUB_ASSIGN_OR_RETURN(Layout l, ShapeOf(ctx, *configured));
    l.configured = true;
    out.push_back(l);
    if (configured_only) return out;
  }
  std::vector<Layout> others;
  for (const auto& [unused, flow] : ctx.structures->dataflows()) {
    if (&flow == configured) continue;
    auto l = ShapeOf(ctx, flow);
    if (l.ok()) others.push_back(*l);
  }
  std::sort(others.begin(), others.end(), [](const Layout& a, const Layout& b) {
    const sdmx::ArtefactRef &x = a.flow->ref, &y = b.flow->ref;
    if (x.agency != y.agency || x.id != y.id) return std::tie(x.agency, x.id) < std::tie(y.agency, y.id);
    return sdmx::CompareVersions(x.version, y.version) > 0;
  });
  out.insert(out.end(), others.begin(), others.end());
  if (out.empty()) {
    return Status::NotFound("no views: no dataflow has the dimensions " + o.area_dimension + ", " +
                            o.indicator_dimension + " and " + o.reporting_type_dimension +
                            " (see [views] in the hub config)");
  }
  return out;
}

// Breakdowns across dataflows whose DSDs differ: a series' codes of its
// dimensions other than area, indicator and reporting type, by dimension
// id, the total code left out; two series match when these are equal (a
// dimension one DSD lacks counts as total). `dims` are the first dataflow's
// breakdown dimensions, then any other that a series sets to a non-total code.
class Breakdowns {
 public:
  Breakdowns(const Layout& first, const std::string& total) : total_(total) {
    for (size_t d : first.breakdown) dims_.push_back(first.dsd->dimensions[d].id);
  }
  using Key = std::map<std::string, std::string>;
  Key Of(const Layout& l, const std::vector<std::string>& key) {
    Key out;
    for (size_t d : l.breakdown) {
      if (d >= key.size() || key[d] == total_) continue;
      const std::string& id = l.dsd->dimensions[d].id;
      out[id] = key[d];
      if (std::find(dims_.begin(), dims_.end(), id) == dims_.end()) dims_.push_back(id);
    }
    return out;
  }
  // Values of `dims` (total where the key has none).
  std::vector<std::string> Values(const Key& k) const {
    std::vector<std::string> out;
    for (const std::string& d : dims_) {
      auto it = k.find(d);
      out.push_back(it == k.end() ? total_ : it->second);
    }
    return out;
  }
  const std::vector<std::string>& dims() const { return dims_; }

 private:
  std::string total_;
  std::vector<std::string> dims_;
};

// The codelist of dimension `dim` of `l` (nullptr when not coded or not loaded).
const sdmx::Codelist* CodelistOf(const ViewContext& ctx, const Layout& l, size_t dim) {
  const auto& cl = l.dsd->dimensions[dim].codelist;
  return cl ? ctx.structures->FindCodelist(*cl) : nullptr;
}

// Whether `code` is in the codelist of dimension `dim` (true when the dimension is not coded).
bool KnownCode(const ViewContext& ctx, const Layout& l, size_t dim, const std::string& code) {
  const sdmx::Codelist* codes = CodelistOf(ctx, l, dim);
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

}  // namespace

int DecimalPlaces(std::string_view text) {
  if (text.find_first_of("eE") != std::string_view::npos) return -1;  // not plain decimal
  const size_t dot = text.find('.');
  return dot == std::string_view::npos ? 0 : std::min(15, static_cast<int>(text.size() - dot - 1));
}

double RoundToPlaces(double v, int places) {
  if (places < 0) return v;
  const double scale = std::pow(10.0, places);
  return std::round(v * scale) / scale;
}

double DecimalDifference(std::string_view a_text, double a, std::string_view b_text, double b) {
  const int pa = DecimalPlaces(a_text), pb = DecimalPlaces(b_text);
  return RoundToPlaces(a - b, pa < 0 || pb < 0 ? -1 : std::max(pa, pb));
}

namespace {

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
  // Without dataflow=, the configured dataflow alone when there is one: its
  // regional aggregates are not mixed with other sources' rows.
  HUB_ASSIGN_OR_RETURN(std::vector<Layout> layouts, LayoutsOf(ctx, ctx.dataflow, /*configured_only=*/true));
  if (std::none_of(layouts.begin(), layouts.end(),
                   [&](const Layout& l) { return KnownCode(ctx, l, l.indicator, indicator); })) {
    return Status::NotFound(indicator + " is not a code of " + ctx.options->indicator_dimension);
  }
  // No hierarchy configured: rows, no aggregates.
  const sdmx::HierarchicalCodelist* hcl = nullptr;
  if (!ctx.options->hierarchy.empty()) {
    auto hcl_ref = ParseRef(ctx.options->hierarchy);
    hcl = hcl_ref ? ctx.structures->FindHierarchicalCodelist(*hcl_ref) : nullptr;
    if (!hcl) return Status::NotFound("the views' hierarchy " + ctx.options->hierarchy + " is not loaded");
  }
  const Regions regions = hcl ? Regions(*hcl) : Regions();
  GlobalView v;
  v.dataflow = layouts.front().flow->ref.ToString();
  for (const Layout& l : layouts) v.dataflows.push_back(l.flow->ref.ToString());
  v.indicator = indicator;
  v.reporting_type = reporting_type;
  if (hcl) v.hierarchy = hcl->ref.ToString();
  v.rule = ctx.options->RuleFor(indicator);
  Breakdowns breakdowns(layouts.front(), ctx.options->total_code);

  // Every series of the indicator: countries become rows, region codes are
  // what an agency reported for the region. An area and breakdown met in
  // two dataflows: the row of the later period (the first, when equal).
  std::map<std::pair<std::string, Breakdowns::Key>, Point> reported;  // (region, breakdown)
  std::map<std::pair<std::string, Breakdowns::Key>, AreaRow> rows;     // (area, breakdown)
  for (const Layout& l : layouts) {
    HUB_ASSIGN_OR_RETURN(auto pattern, PatternOf(l, {{l.indicator, indicator}, {l.reporting_type, reporting_type}}));
    const std::string flow = l.flow->ref.ToString();
    HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(flow, pattern, ctx.at, [&](const sdmx::Series& s) {
      // Periods of one frequency sort as strings, and the scan gives them in key order.
      const sdmx::Observation& latest = s.observations.back();
      const Breakdowns::Key b = breakdowns.Of(l, s.key);
      if (regions.IsRegion(s.key[l.area])) {
        reported.try_emplace({s.key[l.area], b}, PointOf(latest));
        return true;
      }
      auto [it, fresh] = rows.try_emplace({s.key[l.area], b});
      if (fresh || latest.period > it->second.latest.period) {
        it->second = AreaRow{s.key[l.area], s.KeyString(), {}, UnitOf(s), PointOf(latest), {}, {}, flow};
      }
      return true;
    }));
  }
  for (auto& [key, row] : rows) {
    row.breakdown = breakdowns.Values(key.second);
    v.rows.push_back(std::move(row));
  }
  v.breakdown_dims = breakdowns.dims();

  std::map<std::string, std::map<std::string, double>> weights;
  if (v.rule.rule == Rule::kWeightedMean) {
    for (const Layout& l : layouts) {
      HUB_ASSIGN_OR_RETURN(auto w, WeightsOf(ctx, l, v.rule.weight, reporting_type));
      weights.merge(w);  // an area's weights from the first dataflow that has them
    }
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
  std::map<std::pair<std::string, std::vector<std::string>>, Point> reported_by;  // (region, breakdown values)
  for (const auto& [key, point] : reported) {
    reported_by.emplace(std::pair{key.first, breakdowns.Values(key.second)}, point);
    by_breakdown.try_emplace(breakdowns.Values(key.second));
  }
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
      if (auto it = reported_by.find({region, breakdown}); it != reported_by.end()) agg.reported = it->second;
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
  HUB_ASSIGN_OR_RETURN(std::vector<Layout> layouts, LayoutsOf(ctx, ctx.dataflow, /*configured_only=*/false));
  // The area is a code of some dataflow's area codelist; in each dataflow,
  // its data is under that code or under a code of the same name (the M49
  // number of the global DSD and the ISO code a national DSD uses: 417 and
  // KG are both "Kyrgyzstan").
  std::string name;
  bool known = false;
  for (const Layout& l : layouts) {
    if (!KnownCode(ctx, l, l.area, area)) continue;
    known = true;
    if (const sdmx::Codelist* cl = CodelistOf(ctx, l, l.area); cl && name.empty()) {
      if (const sdmx::Code* c = cl->Find(area)) name = c->name;
    }
  }
  if (!known) return Status::NotFound(area + " is not a code of " + ctx.options->area_dimension);
  CountryView v;
  v.dataflow = layouts.front().flow->ref.ToString();
  v.area = area;
  Breakdowns breakdowns(layouts.front(), ctx.options->total_code);
  // One side per reporting type; the same type met again (another dataflow,
  // or another code of the area) is kept under "TYPE@DATAFLOW/AREA". The
  // national figure preferred is a national dataflow's (not the configured
  // global one), the global figure the configured dataflow's; otherwise the
  // first in view order.
  struct Found {
    std::string indicator;
    Breakdowns::Key breakdown;
    std::vector<std::pair<std::string, SeriesSide>> sides;  // (type, side), in view order
  };
  std::map<std::pair<std::string, Breakdowns::Key>, Found> found;
  const std::string& national = ctx.options->national_code;
  for (size_t li = 0; li < layouts.size(); ++li) {
    const Layout& l = layouts[li];
    std::set<std::string> codes = {area};
    if (const sdmx::Codelist* cl = CodelistOf(ctx, l, l.area); cl && !name.empty()) {
      for (const sdmx::Code& c : cl->codes) {
        if (c.name == name) codes.insert(c.id);
      }
    }
    const std::string flow = l.flow->ref.ToString();
    v.dataflows.push_back(flow);
    for (const std::string& code : codes) {
      HUB_ASSIGN_OR_RETURN(auto pattern, PatternOf(l, {{l.area, code}}));
      HUB_RETURN_IF_ERROR(ctx.state->ScanSeries(flow, pattern, ctx.at, [&](const sdmx::Series& s) {
        const Breakdowns::Key b = breakdowns.Of(l, s.key);
        Found& f = found[{s.key[l.indicator], b}];
        f.indicator = s.key[l.indicator];
        f.breakdown = b;
        SeriesSide side;
        side.series_key = s.KeyString();
        side.unit = UnitOf(s);
        side.dataflow = flow;
        side.area = code;
        for (const sdmx::Observation& o : s.observations) side.observations.push_back(PointOf(o));
        side.trend = TrendOf(side.observations);
        f.sides.emplace_back(s.key[l.reporting_type], std::move(side));
        return true;
      }));
    }
  }
  v.breakdown_dims = breakdowns.dims();
  const std::string configured = layouts.front().configured ? v.dataflow : std::string();
  for (auto& [key, f] : found) {
    // A national dataflow's national figure goes before the configured one's.
    std::stable_partition(f.sides.begin(), f.sides.end(), [&](const auto& e) {
      return !(e.first == national && e.second.dataflow == configured);
    });
    CountrySeries cs;
    cs.indicator = f.indicator;
    cs.breakdown = breakdowns.Values(f.breakdown);
    for (auto& [type, side] : f.sides) {
      const std::string k = cs.sides.count(type) ? type + "@" + side.dataflow + "/" + side.area : type;
      cs.sides.emplace(k, std::move(side));
    }
    auto n = cs.sides.find(ctx.options->national_code), g = cs.sides.find(ctx.options->global_code);
    if (n != cs.sides.end() && g != cs.sides.end()) {
      std::map<std::string, const Point*> global;
      for (const Point& p : g->second.observations) {
        if (p.value) global[p.period] = &p;
      }
      for (const Point& p : n->second.observations) {
        auto it = global.find(p.period);
        if (p.value && it != global.end()) {
          cs.differences.push_back({p.period, *p.value, *it->second->value,
                                    DecimalDifference(p.value_text, *p.value, it->second->value_text, *it->second->value)});
        }
      }
    }
    v.series.push_back(std::move(cs));
  }
  return v;
}

CodeNames::CodeNames(const ViewContext& ctx, const std::string& dim) {
  auto layouts = LayoutsOf(ctx, ctx.dataflow, false);
  if (!layouts.ok()) return;
  for (const Layout& l : *layouts) {
    const int i = l.dsd->DimensionIndex(dim);
    if (i < 0) continue;
    const sdmx::Codelist* cl = CodelistOf(ctx, l, static_cast<size_t>(i));
    if (cl && std::find(codelists_.begin(), codelists_.end(), cl) == codelists_.end()) codelists_.push_back(cl);
  }
}

std::string CodeNames::operator()(const std::string& code) const {
  for (const sdmx::Codelist* cl : codelists_) {
    if (const sdmx::Code* c = cl->Find(code)) return c->name;
  }
  return "";
}

}  // namespace hub::views
