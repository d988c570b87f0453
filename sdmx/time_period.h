// SDMX time period formats (ObservationalTimePeriod) and their fit to FREQ.
#pragma once

#include <string>
#include <string_view>

namespace sdmx {

// True when `period` is a period SDMX allows for frequency `freq` (codes of
// SDMX:CL_FREQ: A, S, Q, M, W, D, ...). Unknown frequencies accept any valid
// ObservationalTimePeriod. On false, `why` says what was expected.
bool PeriodFitsFrequency(std::string_view period, std::string_view freq, std::string* why);

// True for any valid ObservationalTimePeriod (gregorian, reporting period, date-time).
bool IsTimePeriod(std::string_view period);

// First and last day a period covers, as "YYYY-MM-DD" (so that they compare
// as strings): "2015" -> 2015-01-01..2015-12-31, "2015-Q2" -> 04-01..06-30,
// "2015-W10" -> its ISO week. False when `period` is not a time period.
// For startPeriod/endPeriod filters.
bool PeriodBounds(std::string_view period, std::string* first, std::string* last);

}  // namespace sdmx
