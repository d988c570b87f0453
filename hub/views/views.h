// The global and country views (design.md §5), computed from one snapshot
// of the versioned state: everything a view holds is read at one watermark,
// so an aggregate can be recomputed by hand from the rows returned with it.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "hub/base/ids.h"
#include "hub/views/aggregate.h"
#include "hub/views/view_options.h"
#include "storage/state.h"

namespace hub::views {

struct ViewContext {
  const storage::VersionedState* state = nullptr;
  std::shared_ptr<const sdmx::StructureSet> structures;
  const ViewOptions* options = nullptr;
  Watermark at;
  // "AGENCY:ID[(VERSION)]": the one dataflow to read (a dataflow= parameter);
  // empty: the configured one and every SDG-shaped one (views.cc, LayoutsOf).
  std::string dataflow;
};

// One observation as the views show it.
struct Point {
  std::string period;
  std::string value_text;       // OBS_VALUE as sent
  std::optional<double> value;  // none when not a number ("NaN", "")
  std::string nature, source, status;  // NATURE, SOURCE_DETAIL, OBS_STATUS
};

// Global view: one area's latest observation of one breakdown.
struct AreaRow {
  std::string area;
  std::string series_key;
  std::vector<std::string> breakdown;  // values of GlobalView::breakdown_dims
  std::string unit;
  Point latest;
  std::optional<double> weight;  // kWeightedMean: the weight used
  std::string weight_period;
  std::string dataflow;  // AGENCY:ID(VERSION) it came from
};

// Global view: one region's figure for one breakdown.
struct RegionRow {
  std::string region;
  std::vector<std::string> breakdown;
  AggregateResult result;
  size_t areas_total = 0;               // countries in the region
  std::optional<double> weight_share;   // kWeightedMean: weight of the counted / of all members, at last_period
  std::optional<Point> reported;        // what an agency reported for the region code itself
};

struct GlobalView {
  std::string dataflow;                // AGENCY:ID(VERSION), the first read
  std::vector<std::string> dataflows;  // every one read
  std::string indicator;
  std::string reporting_type;
  std::string hierarchy;  // AGENCY:ID(VERSION); empty: none configured (no aggregates)
  IndicatorRule rule;
  // The dimensions other than area, indicator, reporting type: the first
  // dataflow's, then others' where a series has a non-total code.
  std::vector<std::string> breakdown_dims;
  std::vector<AreaRow> rows;                // by area then breakdown
  std::vector<RegionRow> aggregates;        // by region (hierarchy order) then breakdown
};

// Reads the configured dataflow, or (none configured) every dataflow with the
// view dimensions, or ctx.dataflow. NotFound when there is no such dataflow
// or `indicator` is not a code of the indicator dimension.
Result<GlobalView> BuildGlobalView(const ViewContext& ctx, const std::string& indicator,
                                   const std::string& reporting_type);

struct Trend {
  Point first, latest;                   // first and latest numeric observations
  std::optional<double> change_per_year;  // (latest - first) / years between their periods
};

struct SeriesSide {
  std::string series_key, unit;
  std::string dataflow, area;  // where it came from, under which area code
  std::vector<Point> observations;  // in period order
  Trend trend;
};

struct Difference {
  std::string period;
  double national = 0, global = 0, difference = 0;  // difference = national - global
};

struct CountrySeries {
  std::string indicator;
  std::vector<std::string> breakdown;          // values of CountryView::breakdown_dims
  // By reporting type code (N, G, ...); the same type met again (another
  // dataflow or area code) under "TYPE@DATAFLOW/AREA".
  std::map<std::string, SeriesSide> sides;
  std::vector<Difference> differences;         // each period with both a national and a global number
};

struct CountryView {
  std::string dataflow, area;          // dataflow: the first read
  std::vector<std::string> dataflows;  // every one read
  std::vector<std::string> breakdown_dims;
  std::vector<CountrySeries> series;  // by indicator then breakdown
};

// Reads the configured dataflow and every other with the view dimensions (or
// ctx.dataflow alone), the area under its own code or a code of the same
// name (417 and KG: Kyrgyzstan). NotFound when there is no such dataflow or
// `area` is a code of none.
Result<CountryView> BuildCountryView(const ViewContext& ctx, const std::string& area);

// a - b rounded to the decimals the two values were sent with (their text),
// so that 26.8 - 29.2 is -2.4 and not -2.3999999999999986.
double DecimalDifference(std::string_view a_text, double a, std::string_view b_text, double b);
// Digits after the decimal point of a number's text (at most 15); -1 for a
// number written with an exponent.
int DecimalPlaces(std::string_view text);
// `v` rounded to `places` decimals; unchanged when places < 0.
double RoundToPlaces(double v, int places);

// Names of the codes of one dimension of the views' dataflows, their
// codelists resolved once (a view names hundreds of areas); the first
// dataflow that knows a code names it.
class CodeNames {
 public:
  CodeNames(const ViewContext& ctx, const std::string& dim);
  // The name of `code` ("" when unknown).
  std::string operator()(const std::string& code) const;

 private:
  std::vector<const sdmx::Codelist*> codelists_;
};

}  // namespace hub::views
