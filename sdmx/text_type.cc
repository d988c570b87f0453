#include "sdmx/text_type.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sdmx {
namespace {

// The SDMX 2.1 / 3.0 SimpleDataType values that are not strings.
constexpr std::array<std::pair<std::string_view, TextKind>, 35> kKinds = {{
    {"BigInteger", TextKind::kInteger},
    {"Integer", TextKind::kInteger},
    {"Long", TextKind::kInteger},
    {"Short", TextKind::kInteger},
    {"Count", TextKind::kInteger},
    {"Decimal", TextKind::kNumber},
    {"Float", TextKind::kNumber},
    {"Double", TextKind::kNumber},
    // "a string of numeric characters": checked as a number, which every
    // such string is.
    {"Numeric", TextKind::kNumber},
    {"InclusiveValueRange", TextKind::kNumber},
    {"ExclusiveValueRange", TextKind::kNumber},
    {"Incremental", TextKind::kNumber},
    {"Boolean", TextKind::kBoolean},
    {"ObservationalTimePeriod", TextKind::kTime},
    {"StandardTimePeriod", TextKind::kTime},
    {"BasicTimePeriod", TextKind::kTime},
    {"GregorianTimePeriod", TextKind::kTime},
    {"GregorianYear", TextKind::kTime},
    {"GregorianYearMonth", TextKind::kTime},
    {"GregorianDay", TextKind::kTime},
    {"ReportingTimePeriod", TextKind::kTime},
    {"ReportingYear", TextKind::kTime},
    {"ReportingSemester", TextKind::kTime},
    {"ReportingTrimester", TextKind::kTime},
    {"ReportingQuarter", TextKind::kTime},
    {"ReportingMonth", TextKind::kTime},
    {"ReportingWeek", TextKind::kTime},
    {"ReportingDay", TextKind::kTime},
    {"DateTime", TextKind::kTime},
    {"TimeRange", TextKind::kTime},
    {"Month", TextKind::kTime},
    {"MonthDay", TextKind::kTime},
    {"Day", TextKind::kTime},
    {"Time", TextKind::kTime},
    {"Duration", TextKind::kTime},
}};

}  // namespace

TextKind TextKindOf(std::string_view text_type) {
  if (text_type == "URI") return TextKind::kToken;
  for (const auto& [name, kind] : kKinds) {
    if (name == text_type) return kind;
  }
  return TextKind::kString;
}

bool CollapsesWhiteSpace(std::string_view text_type, bool coded) {
  return coded || TextKindOf(text_type) != TextKind::kString;
}

void CollapseWhiteSpace(std::string* value) {
  std::string& v = *value;
  if (!HasEdgeSpace(v)) return;
  size_t out = 0;
  bool space = false;  // a run of whitespace is pending
  for (char c : v) {
    if (IsXmlSpace(c)) {
      space = out > 0;  // leading whitespace is dropped
      continue;
    }
    if (space) v[out++] = ' ';
    space = false;
    v[out++] = c;
  }
  v.resize(out);  // a trailing run is dropped
}

WhiteSpaceFacets::WhiteSpaceFacets(const DataStructure& dsd)
    : dsd_(dsd), measure_collapses_(CollapsesWhiteSpace(dsd.measure_text_type, false)) {
  for (const Dimension& d : dsd.dimensions) {
    dimension_collapses_.push_back(CollapsesWhiteSpace(d.text_type, d.codelist.has_value()));
  }
}

bool WhiteSpaceFacets::AttributeCollapses(std::string_view id) const {
  const Attribute* a = dsd_.FindAttribute(id);
  return a && CollapsesWhiteSpace(a->text_type, a->codelist.has_value());
}

void WhiteSpaceFacets::Apply(Series* series) const {
  // The common case, no whitespace at either end, costs two byte compares
  // per value (HasEdgeSpace, inline); attributes are looked up only then.
  const size_t n = std::min(series->key.size(), dimension_collapses_.size());
  for (size_t i = 0; i < n; ++i) {
    if (dimension_collapses_[i] && HasEdgeSpace(series->key[i])) CollapseWhiteSpace(&series->key[i]);
  }
  auto fields = [&](Fields* fs) {
    for (Field& f : *fs) {
      if (HasEdgeSpace(f.value) && AttributeCollapses(f.id)) CollapseWhiteSpace(&f.value);
    }
  };
  fields(&series->attributes);
  for (Observation& o : series->observations) {
    if (HasEdgeSpace(o.period)) CollapseWhiteSpace(&o.period);
    if (measure_collapses_ && HasEdgeSpace(o.value)) CollapseWhiteSpace(&o.value);
    fields(&o.attributes);
  }
}

}  // namespace sdmx
