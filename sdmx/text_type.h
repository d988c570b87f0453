// What the SDMX textType of a component's representation means to the hub:
// which values it admits (TextKindOf) and its XML Schema whiteSpace facet,
// applied to every value read whatever the format (WhiteSpaceFacets, run by
// QueuedReader for SDMX-ML, SDMX-CSV and SDMX-JSON alike).
//
// XML Schema collapses whitespace (trims, and turns each inner run of
// spaces, tabs and line ends into one space) for the numeric, boolean,
// date/time and anyURI types and keeps strings as given. SDMX codes are
// IDs, which cannot hold whitespace: coded values collapse too. So
// OBS_VALUE="    80164 " under a Double measure is the number 80164, and
// under a DSD that gives the measure no type it is the string as sent.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sdmx/model.h"

namespace sdmx {

enum class TextKind {
  kString,   // String, Alpha, XHTML, ... and anything unknown or not given
  kInteger,  // Integer, Long, Short, BigInteger, Count
  kNumber,   // Double, Float, Decimal, Numeric, the value ranges, Incremental
  kBoolean,  // Boolean
  kTime,     // ObservationalTimePeriod, GregorianDay, DateTime, Duration, ...
  kToken,    // URI: collapsed, not checked
};
TextKind TextKindOf(std::string_view text_type);

// Whether a component's values collapse whitespace: coded ones and those of
// every kind but kString.
bool CollapsesWhiteSpace(std::string_view text_type, bool coded);

// XML Schema whiteSpace=collapse, in place (no allocation), for a value that
// begins or ends with whitespace. One that does not is left as it is even
// if it holds inner whitespace: no number, boolean, period, URI or code is
// valid with whitespace inside, so collapsing it would not make it valid,
// and checking only the two ends keeps this off the per-value hot path.
void CollapseWhiteSpace(std::string* value);
// Whether `c` is XML whitespace (space, tab, LF, CR).
inline bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
// Whether `value` begins or ends with whitespace: inline, for the hot path.
inline bool HasEdgeSpace(const std::string& value) {
  return !value.empty() && (IsXmlSpace(value.front()) || IsXmlSpace(value.back()));
}

// The whiteSpace facets of one DSD's components. Apply() collapses the
// values of the collapsing ones in a series: coded and typed dimensions,
// the time dimension (always a time type), a typed measure, coded and
// typed attributes. Attributes the DSD does not declare stay as sent (the
// Validator names them). Thread-compatible; `dsd` must outlive it.
class WhiteSpaceFacets {
 public:
  explicit WhiteSpaceFacets(const DataStructure& dsd);
  void Apply(Series* series) const;

 private:
  bool AttributeCollapses(std::string_view id) const;

  const DataStructure& dsd_;
  std::vector<char> dimension_collapses_;  // by dimension index
  bool measure_collapses_;
};

}  // namespace sdmx
