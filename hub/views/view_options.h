// What the views read and how they aggregate: [views] in configs/hub.toml.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hub/base/status.h"

namespace hub::views {

// How a region's figure is made from its countries' rows (design.md §5).
enum class Rule {
  kSum,           // sum of the values (counts: population, deaths)
  kMean,          // unweighted mean
  kWeightedMean,  // sum(value * weight) / sum(weight), weight from a weight series
  kReportedOnly,  // no computation: only what an agency reported for the region code itself
};
const char* RuleName(Rule r);
std::optional<Rule> ParseRule(const std::string& s);  // "sum", "mean", "weighted_mean", "reported_only"

struct IndicatorRule {
  Rule rule = Rule::kMean;
  // kWeightedMean: the indicator whose series weighs each area (e.g.
  // SP_POP_TOTL, population). Per area, its series with the most total codes
  // in the breakdown; its value at the row's period, else the latest before.
  std::string weight;
};

struct ViewOptions {
  // The dataflow the global view reads and the country view reads first,
  // "AGENCY:ID" or "AGENCY:ID(VERSION)"; the country view also reads every
  // other dataflow with the three dimensions below. Empty: both read every
  // such dataflow (views.cc, LayoutsOf). Default: empty.
  std::string dataflow;
  // The HierarchicalCodelist whose codes with children are the regions,
  // "AGENCY:ID[(VERSION)]"; empty: no regional aggregates.
  std::string hierarchy;
  std::string area_dimension = "REF_AREA";
  std::string indicator_dimension = "SERIES";
  std::string reporting_type_dimension = "REPORTING_TYPE";
  std::string national_code = "N";  // REPORTING_TYPE of national figures
  std::string global_code = "G";    // REPORTING_TYPE of global (internationally comparable) figures
  std::string total_code = "_T";    // the "no breakdown" code (SEX=_T, AGE=_T, ...)
  IndicatorRule default_rule;       // indicators without a rule of their own: mean
  std::map<std::string, IndicatorRule> rules;  // by indicator code

  const IndicatorRule& RuleFor(const std::string& indicator) const {
    auto it = rules.find(indicator);
    return it == rules.end() ? default_rule : it->second;
  }
  // Rejects a weighted mean without a weight, naming the indicator.
  Status Validate() const;
};

}  // namespace hub::views
