#include "hub/base/iso_time.h"

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace hub {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// "2026-01-15", "2026-01-15T09:00:00Z", "...T09:00:00.123+02:00" -> ms since the epoch (UTC).
std::optional<int64_t> ParseIsoTimeMs(const std::string& s) {
  std::tm tm{};
  int ms = 0;
  const char* rest = strptime(s.c_str(), "%Y-%m-%d", &tm);
  if (!rest) return std::nullopt;
  int64_t offset_s = 0;
  if (*rest == 'T') {
    rest = strptime(rest + 1, "%H:%M:%S", &tm);
    if (!rest) return std::nullopt;
    if (*rest == '.') {
      ++rest;
      int digits = 0;
      while (std::isdigit(static_cast<unsigned char>(*rest))) {
        if (digits++ < 3) ms = ms * 10 + (*rest - '0');
        ++rest;
      }
      while (digits++ < 3) ms *= 10;
    }
    if (*rest == 'Z') {
      ++rest;
    } else if (*rest == '+' || *rest == '-') {
      int hh = 0, mm = 0;
      if (std::sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) return std::nullopt;
      offset_s = (*rest == '+' ? 1 : -1) * (hh * 3600 + mm * 60);
      rest += 6;
    }
  }
  if (*rest) return std::nullopt;
  return (static_cast<int64_t>(timegm(&tm)) - offset_s) * 1000 + ms;
}

std::string IsoTimeMs(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace hub
