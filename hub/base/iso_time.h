// Wall-clock times as the hub keeps them (ms since the epoch, UTC) and as
// the APIs read and write them (ISO 8601).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace hub {

// Now, by the system clock.
int64_t NowMs();
// "2026-01-15", "2026-01-15T09:00:00Z", "...T09:00:00.123+02:00" -> ms since the epoch (UTC).
std::optional<int64_t> ParseIsoTimeMs(const std::string& s);
// 2026-11-23T01:02:03.456Z
std::string IsoTimeMs(int64_t ms);

}  // namespace hub
