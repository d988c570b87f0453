// sort= (SDMX REST 2.x data queries): the order of the returned data; and
// the cross-sectional shape of dimensionAtObservation, which reorders too.
//
// Most sorts cost nothing: series come out of the state in key order and
// periods in order within each, so a sort on leading dimensions (ascending)
// and on observation-level components (reordering within each series) still
// streams. Any other order needs the whole selection in memory first, which
// the caller bounds (HandlerContext::max_sorted_observations).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/base/status.h"
#include "sdmx/model.h"

namespace hub::http {

struct SortKey {
  std::string component;  // a dimension, the time dimension, the measure or an attribute
  bool descending = false;
};

// `value`: components joined by '+', each optionally ":asc" or ":desc";
// '*' = every dimension in DSD order (time last), "series_key" = the
// dimensions other than time, or, for a cross-section on dimension
// `cross_section`, the dimensions other than that one, then time. 400 on
// unknown components or directions.
Result<std::vector<SortKey>> ParseSort(const std::string& value, const sdmx::DataStructure& dsd,
                                       std::optional<size_t> cross_section = std::nullopt);

// True when the scan's own order, with observations reordered within each
// series (SortObservations), is `sort`'s order for this output shape
// (`flat`: dimensionAtObservation=AllDimensions).
bool SortStreams(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, bool flat);

// Orders one series' observations by the observation-level keys of `sort`
// (time, measure, observation attributes); stable.
void SortObservations(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, sdmx::Series* s);

// Orders a whole selection (scan order in, `sort`'s order out). Series
// output: series by the series-level keys, observations within each by the
// others. Flat output: every observation by all keys, each then its own
// one-observation series.
void SortSelection(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, bool flat,
                   std::vector<sdmx::Series>* selection);

// dimensionAtObservation=`dimension` (a cross-section): regroups a
// selection (scan order in) into one "series" per combination of the other
// dimensions and the period, each observation keyed by its `dimension`
// code, and returns the structure the writers use to say so: `dsd` with the
// time dimension and `dimension` trading places, and the series-level
// attributes (which vary with `dimension`) attached to observations.
// Sections come in key order, observations by `dimension` code, unless
// `sort` (components of `dsd`) orders them: sections by the other
// dimensions and the period, observations within each by `dimension`, the
// measure and the attributes (all of them observation-level here).
sdmx::DataStructure CrossSection(const sdmx::DataStructure& dsd, size_t dimension, const std::vector<SortKey>& sort,
                                 std::vector<sdmx::Series>* selection);

// How values of a component compare: codes as strings (their key order),
// numbers numerically when both parse (else as strings), periods by the
// days they cover.
enum class ValueKind { kCode, kNumber, kTime };
// -1, 0, 1; a missing value (nullptr) sorts first.
int CompareValues(const std::string* a, const std::string* b, ValueKind kind);

}  // namespace hub::http
