#include "sdmx/time_period.h"

#include <cctype>
#include <cstdio>

namespace sdmx {
namespace {

bool Digits(std::string_view s, size_t n) {
  if (s.size() != n) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int Num(std::string_view s) {
  int n = 0;
  for (char c : s) n = n * 10 + (c - '0');
  return n;
}

bool Year(std::string_view s) { return Digits(s, 4); }

// YYYY-MM
bool YearMonth(std::string_view s) {
  return s.size() == 7 && Year(s.substr(0, 4)) && s[4] == '-' && Digits(s.substr(5), 2) &&
         Num(s.substr(5)) >= 1 && Num(s.substr(5)) <= 12;
}

// YYYY-MM-DD
bool Date(std::string_view s) {
  if (s.size() != 10 || !YearMonth(s.substr(0, 7)) || s[7] != '-' || !Digits(s.substr(8), 2)) return false;
  int d = Num(s.substr(8));
  return d >= 1 && d <= 31;
}

// YYYY-Xn... reporting periods: A1, S1-2, T1-3, Q1-4, M01-12, W01-53, D001-366.
bool Reporting(std::string_view s, char kind) {
  if (s.size() < 7 || !Year(s.substr(0, 4)) || s[4] != '-' || s[5] != kind) return false;
  std::string_view n = s.substr(6);
  switch (kind) {
    case 'A': return n == "1";
    case 'S': return Digits(n, 1) && Num(n) >= 1 && Num(n) <= 2;
    case 'T': return Digits(n, 1) && Num(n) >= 1 && Num(n) <= 3;
    case 'Q': return Digits(n, 1) && Num(n) >= 1 && Num(n) <= 4;
    case 'M': return Digits(n, 2) && Num(n) >= 1 && Num(n) <= 12;
    case 'W': return Digits(n, 2) && Num(n) >= 1 && Num(n) <= 53;
    case 'D': return Digits(n, 3) && Num(n) >= 1 && Num(n) <= 366;
  }
  return false;
}

// YYYY-MM-DDThh:mm:ss with optional fraction and zone.
bool DateTime(std::string_view s) {
  if (s.size() < 19 || !Date(s.substr(0, 10)) || s[10] != 'T') return false;
  std::string_view t = s.substr(11, 8);
  return Digits(t.substr(0, 2), 2) && t[2] == ':' && Digits(t.substr(3, 2), 2) && t[5] == ':' &&
         Digits(t.substr(6, 2), 2);
}

}  // namespace

bool IsTimePeriod(std::string_view p) {
  if (Year(p) || YearMonth(p) || Date(p) || DateTime(p)) return true;
  for (char k : {'A', 'S', 'T', 'Q', 'M', 'W', 'D'}) {
    if (Reporting(p, k)) return true;
  }
  // Time ranges: start/duration, e.g. 2010-01-01/P1Y.
  size_t slash = p.find('/');
  return slash != std::string_view::npos && (Date(p.substr(0, slash)) || DateTime(p.substr(0, slash))) &&
         slash + 1 < p.size() && p[slash + 1] == 'P';
}

bool PeriodFitsFrequency(std::string_view p, std::string_view freq, std::string* why) {
  bool ok;
  const char* expected;
  if (freq == "A") {
    ok = Year(p) || Reporting(p, 'A');
    expected = "YYYY or YYYY-A1";
  } else if (freq == "S") {
    ok = Reporting(p, 'S');
    expected = "YYYY-S1..YYYY-S2";
  } else if (freq == "Q") {
    ok = Reporting(p, 'Q');
    expected = "YYYY-Q1..YYYY-Q4";
  } else if (freq == "M") {
    ok = YearMonth(p) || Reporting(p, 'M');
    expected = "YYYY-MM or YYYY-M01..M12";
  } else if (freq == "W") {
    ok = Reporting(p, 'W');
    expected = "YYYY-W01..YYYY-W53";
  } else if (freq == "D" || freq == "B") {
    ok = Date(p) || Reporting(p, 'D');
    expected = "YYYY-MM-DD or YYYY-D001..D366";
  } else {
    ok = IsTimePeriod(p);
    expected = "an SDMX time period";
  }
  if (!ok && why) *why = std::string("expected ") + expected + " for FREQ=" + std::string(freq);
  return ok;
}

namespace {

bool Leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m - 1];
}

std::string Ymd(int y, int m, int d) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

// Day `n` (1-based, may run past the year's end or before its start) of year `y`.
std::string DayOfYear(int y, int n) {
  while (n < 1) n += Leap(--y) ? 366 : 365;
  while (n > (Leap(y) ? 366 : 365)) n -= Leap(y++) ? 366 : 365;
  int m = 1;
  while (n > DaysIn(y, m)) n -= DaysIn(y, m++);
  return Ymd(y, m, n);
}

// Day of the year on which ISO week 1 of `y` starts (may be <= 0): the
// Monday on or before January 4th.
int IsoWeekOneStart(int y) {
  // Sakamoto's weekday of January 4th (0 = Sunday), made Monday-based.
  const int yy = y - 1;  // January counts in the previous year
  const int sunday_based = (yy + yy / 4 - yy / 100 + yy / 400 + 0 + 4) % 7;
  return 4 - (sunday_based + 6) % 7;
}

}  // namespace

bool PeriodBounds(std::string_view p, std::string* first, std::string* last) {
  if (!IsTimePeriod(p) || p.size() < 4) return false;
  const int y = Num(p.substr(0, 4));
  auto months = [&](int from, int count) {
    *first = Ymd(y, from, 1);
    *last = Ymd(y, from + count - 1, DaysIn(y, from + count - 1));
    return true;
  };
  if (p.size() == 4) return months(1, 12);
  if (p.size() >= 10 && p[4] == '-' && std::isdigit(static_cast<unsigned char>(p[5])) && p[7] == '-') {
    *first = *last = std::string(p.substr(0, 10));  // a date or date-time
    return true;
  }
  if (p.size() == 7 && std::isdigit(static_cast<unsigned char>(p[5]))) return months(Num(p.substr(5)), 1);
  const char kind = p[5];
  const int n = Num(p.substr(6));
  switch (kind) {
    case 'A': return months(1, 12);
    case 'S': return months(1 + (n - 1) * 6, 6);
    case 'T': return months(1 + (n - 1) * 4, 4);
    case 'Q': return months(1 + (n - 1) * 3, 3);
    case 'M': return months(n, 1);
    case 'W': {
      const int start = IsoWeekOneStart(y) + (n - 1) * 7;
      *first = DayOfYear(y, start);
      *last = DayOfYear(y, start + 6);
      return true;
    }
    case 'D':
      *first = *last = DayOfYear(y, n);
      return true;
  }
  return false;
}

}  // namespace sdmx
