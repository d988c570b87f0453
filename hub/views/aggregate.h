// A region's figure from its countries' rows, by an indicator's rule. Pure:
// the global view calls it, and tests recompute with it by hand.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/views/view_options.h"

namespace hub::views {

struct MemberValue {
  std::string area;
  std::string period;
  double value = 0;
  std::optional<double> weight;  // kWeightedMean only
};

struct AggregateResult {
  std::optional<double> value;  // none when no row counts (or for kReportedOnly)
  size_t counted = 0;           // rows that entered the value
  std::string first_period, last_period;  // of the rows counted
};

// kSum / kMean over every row; kWeightedMean over the rows with a weight
// (sum(v*w) / sum(w); none when the weights sum to 0); kReportedOnly
// computes nothing.
AggregateResult Aggregate(Rule rule, const std::vector<MemberValue>& rows);

}  // namespace hub::views
