#include "hub/views/aggregate.h"

namespace hub::views {

const char* RuleName(Rule r) {
  switch (r) {
    case Rule::kSum: return "sum";
    case Rule::kMean: return "mean";
    case Rule::kWeightedMean: return "weighted_mean";
    case Rule::kReportedOnly: return "reported_only";
  }
  return "?";
}

std::optional<Rule> ParseRule(const std::string& s) {
  for (Rule r : {Rule::kSum, Rule::kMean, Rule::kWeightedMean, Rule::kReportedOnly}) {
    if (s == RuleName(r)) return r;
  }
  return std::nullopt;
}

Status ViewOptions::Validate() const {
  auto check = [](const std::string& name, const IndicatorRule& r) -> Status {
    if (r.rule == Rule::kWeightedMean && r.weight.empty()) {
      return Status::InvalidArgument("views rule of " + name + ": weighted_mean needs a weight indicator");
    }
    return Status::Ok();
  };
  HUB_RETURN_IF_ERROR(check("the default", default_rule));
  for (const auto& [indicator, r] : rules) HUB_RETURN_IF_ERROR(check(indicator, r));
  if (!dataflow.empty() && hierarchy.empty()) {
    return Status::InvalidArgument("views.hierarchy: the regions' HierarchicalCodelist is required with views.dataflow");
  }
  return Status::Ok();
}

AggregateResult Aggregate(Rule rule, const std::vector<MemberValue>& rows) {
  AggregateResult out;
  if (rule == Rule::kReportedOnly) return out;
  double sum = 0, weights = 0;
  for (const MemberValue& m : rows) {
    if (rule == Rule::kWeightedMean) {
      if (!m.weight) continue;
      sum += m.value * *m.weight;
      weights += *m.weight;
    } else {
      sum += m.value;
    }
    ++out.counted;
    if (out.first_period.empty() || m.period < out.first_period) out.first_period = m.period;
    if (m.period > out.last_period) out.last_period = m.period;
  }
  if (out.counted == 0) return out;
  switch (rule) {
    case Rule::kSum: out.value = sum; break;
    case Rule::kMean: out.value = sum / static_cast<double>(out.counted); break;
    case Rule::kWeightedMean:
      if (weights > 0) out.value = sum / weights;
      break;
    case Rule::kReportedOnly: break;
  }
  return out;
}

}  // namespace hub::views
