#include "hub/views/vintages.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "hub/views/views.h"

namespace hub::views {
namespace {

std::optional<double> Number(const std::string& text) {
  double v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// Adds later - first of each pair whose two values are numbers. The sums
// are rounded to the decimals the values were sent with before dividing, so
// that binary floating point adds no digits of its own (a mean of 0.6, not
// 0.6000000000000001).
class StatsSum {
 public:
  void Add(const std::string& first, const std::string& later) {
    const auto a = Number(later), b = Number(first);
    if (!a || !b) return;
    const double d = DecimalDifference(later, *a, first, *b);
    for (const std::string* t : {&first, &later}) {
      const int p = DecimalPlaces(*t);
      places_ = p < 0 || places_ < 0 ? -1 : std::max(places_, p);
    }
    ++n_;
    sum_ += d;
    abs_sum_ += std::fabs(d);
  }
  RevisionStats Done() const {
    RevisionStats s;
    s.periods = n_;
    if (n_) {
      s.mean = RoundToPlaces(sum_, places_) / static_cast<double>(n_);
      s.mean_absolute = RoundToPlaces(abs_sum_, places_) / static_cast<double>(n_);
    }
    return s;
  }

 private:
  size_t n_ = 0;
  int places_ = 0;  // -1 once a value had an exponent: no rounding
  double sum_ = 0, abs_sum_ = 0;
};

}  // namespace

SeriesVintages AnalyseVintages(const std::vector<storage::ObsHistoryEntry>& history, uint64_t at, size_t horizon) {
  SeriesVintages out;
  // The vintages: each commit <= at that wrote a revision of the series.
  std::map<uint64_t, const storage::ObsHistoryEntry*> commits;
  for (const auto& e : history) {
    if (e.seq <= at) commits.emplace(e.seq, &e);
  }
  std::map<uint64_t, size_t> index;  // watermark -> vintage index
  for (const auto& [seq, e] : commits) {
    index[seq] = out.vintages.size();
    out.vintages.push_back({seq, storage::LoadedTimeMs(e->commit), storage::ReleasedTimeMs(e->commit),
                            e->commit.provider(), e->commit.submission_id()});
  }
  const size_t nv = out.vintages.size();
  StatsSum latest, at_horizon;
  // History is sorted by period, then oldest first: one run per period.
  for (size_t i = 0; i < history.size();) {
    size_t end = i;
    while (end < history.size() && history[end].period == history[i].period) ++end;
    std::vector<std::optional<std::string>> row(nv);
    std::optional<std::string> value;  // as of the revision being read
    std::optional<size_t> first;       // vintage of the first release
    std::string first_value;
    for (size_t j = i; j < end; ++j) {
      const auto& e = history[j];
      if (e.seq > at) break;
      const size_t v = index.at(e.seq);
      std::optional<std::string> next;
      if (!e.revision.deleted()) next = e.revision.value();
      if (first && next != value) ++out.revisions;  // a changed value, or a deletion
      if (!first && next) {
        first = v;
        first_value = *next;
        out.first.push_back({e.period, *next, v});
      }
      value = next;
      // Holds from this vintage until the period's next revision.
      std::fill(row.begin() + static_cast<std::ptrdiff_t>(v), row.end(), value);
    }
    if (first) {
      out.periods.push_back(history[i].period);
      if (row.back()) latest.Add(first_value, *row.back());
      if (horizon && *first + horizon < nv && row[*first + horizon]) at_horizon.Add(first_value, *row[*first + horizon]);
      out.triangle.push_back(std::move(row));
    }
    i = end;
  }
  out.latest = latest.Done();
  if (horizon) out.at_horizon = at_horizon.Done();
  return out;
}

}  // namespace hub::views
