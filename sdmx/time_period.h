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

}  // namespace sdmx
