#include "hub/http/handlers/data_sort.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>

#include "sdmx/time_period.h"

namespace hub::http {
namespace {

std::optional<double> Number(const std::string& s) {
  double d;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return d;
}

// One sort key resolved against the DSD: where its value lives in a series
// of the output shape, and how values compare.
struct Resolved {
  enum class From { kKey, kPeriod, kValue, kSeriesAttribute, kObsAttribute };
  From from = From::kKey;
  size_t index = 0;       // kKey: position in the series key
  std::string attribute;  // k*Attribute: its id
  ValueKind kind = ValueKind::kCode;
  bool descending = false;
  bool series_level() const { return from == From::kKey || from == From::kSeriesAttribute; }
};

// `cross_section`: the keys read series that CrossSection() regrouped, where
// the period sits in the key at that dimension's place and the dimension's
// code in each observation, and every attribute is on the observations.
std::vector<Resolved> Resolve(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd,
                              std::optional<size_t> cross_section = std::nullopt) {
  using From = Resolved::From;
  std::vector<Resolved> out;
  for (const SortKey& k : sort) {
    Resolved r;
    r.descending = k.descending;
    if (k.component == dsd.time_dimension) {
      r.kind = ValueKind::kTime;
      r.from = cross_section ? From::kKey : From::kPeriod;
      r.index = cross_section.value_or(0);
    } else if (k.component == dsd.primary_measure) {
      r.from = From::kValue;
      r.kind = ValueKind::kNumber;
    } else if (int d = dsd.DimensionIndex(k.component); d >= 0) {
      r.from = cross_section == static_cast<size_t>(d) ? From::kPeriod : From::kKey;
      r.index = static_cast<size_t>(d);
    } else if (const sdmx::Attribute* a = dsd.FindAttribute(k.component)) {
      r.attribute = a->id;
      r.from = a->level != sdmx::AttachmentLevel::kObservation && !cross_section ? From::kSeriesAttribute
                                                                                 : From::kObsAttribute;
    } else {
      continue;  // ParseSort admits no such key
    }
    out.push_back(std::move(r));
  }
  return out;
}

const std::string* ValueOf(const Resolved& r, const sdmx::Series& s, const sdmx::Observation* o) {
  switch (r.from) {
    case Resolved::From::kKey: return r.index < s.key.size() ? &s.key[r.index] : nullptr;
    case Resolved::From::kPeriod: return o ? &o->period : nullptr;
    case Resolved::From::kValue: return o ? &o->value : nullptr;
    case Resolved::From::kSeriesAttribute: return sdmx::FindField(s.attributes, r.attribute);
    case Resolved::From::kObsAttribute: return o ? sdmx::FindField(o->attributes, r.attribute) : nullptr;
  }
  return nullptr;
}

// -1/0/1 of (sa, oa) against (sb, ob) over the keys `use` accepts.
template <typename Use>
int Compare(const std::vector<Resolved>& keys, Use use, const sdmx::Series& sa, const sdmx::Observation* oa,
            const sdmx::Series& sb, const sdmx::Observation* ob) {
  for (const Resolved& k : keys) {
    if (!use(k)) continue;
    int c = CompareValues(ValueOf(k, sa, oa), ValueOf(k, sb, ob), k.kind);
    if (c != 0) return k.descending ? -c : c;
  }
  return 0;
}

bool ObsLevel(const Resolved& k) { return !k.series_level(); }
bool SeriesLevel(const Resolved& k) { return k.series_level(); }
bool Any(const Resolved&) { return true; }

void SortObservations(const std::vector<Resolved>& keys, sdmx::Series* s) {
  if (std::none_of(keys.begin(), keys.end(), ObsLevel)) return;
  std::stable_sort(s->observations.begin(), s->observations.end(),
                   [&](const sdmx::Observation& a, const sdmx::Observation& b) {
                     return Compare(keys, ObsLevel, *s, &a, *s, &b) < 0;
                   });
}

// Series by the series-level keys, observations within each by the others.
void SortSeries(const std::vector<Resolved>& keys, std::vector<sdmx::Series>* selection) {
  if (std::any_of(keys.begin(), keys.end(), SeriesLevel)) {
    std::stable_sort(selection->begin(), selection->end(), [&](const sdmx::Series& a, const sdmx::Series& b) {
      return Compare(keys, SeriesLevel, a, nullptr, b, nullptr) < 0;
    });
  }
  for (sdmx::Series& s : *selection) SortObservations(keys, &s);
}

}  // namespace

int CompareValues(const std::string* a, const std::string* b, ValueKind kind) {
  if (!a || !b) return a == b ? 0 : a ? 1 : -1;
  if (kind == ValueKind::kTime) {
    std::string af, al, bf, bl;
    if (sdmx::PeriodBounds(*a, &af, &al) && sdmx::PeriodBounds(*b, &bf, &bl)) {
      if (af != bf) return af < bf ? -1 : 1;
      if (al != bl) return al < bl ? -1 : 1;
    }
  } else if (kind == ValueKind::kCode) {
    // as strings, below
  } else if (auto x = Number(*a), y = Number(*b); x && y) {
    return *x < *y ? -1 : *x > *y ? 1 : 0;  // "45" and "45.0" are equal numbers
  }
  const int c = a->compare(*b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

Result<std::vector<SortKey>> ParseSort(const std::string& value, const sdmx::DataStructure& dsd,
                                       std::optional<size_t> cross_section) {
  std::vector<SortKey> out;
  size_t start = 0;
  for (;;) {
    const size_t plus = value.find('+', start);
    std::string part = value.substr(start, plus == std::string::npos ? std::string::npos : plus - start);
    bool descending = false;
    if (const size_t colon = part.find(':'); colon != std::string::npos) {
      const std::string dir = part.substr(colon + 1);
      if (dir != "asc" && dir != "desc") {
        return Status::InvalidArgument("sort: '" + dir + "' is not a direction (asc or desc)");
      }
      descending = dir == "desc";
      part.resize(colon);
    }
    if (part == "*" || part == "series_key") {
      // A cross-section's series are keyed by the time, not by its dimension.
      const bool series_key = part == "series_key";
      for (size_t d = 0; d < dsd.dimensions.size(); ++d) {
        if (!series_key || cross_section != d) out.push_back({dsd.dimensions[d].id, descending});
      }
      if (!series_key || cross_section) out.push_back({dsd.time_dimension, descending});
    } else if (part == dsd.time_dimension || part == dsd.primary_measure || dsd.DimensionIndex(part) >= 0 ||
               dsd.FindAttribute(part)) {
      out.push_back({part, descending});
    } else {
      return Status::InvalidArgument("sort: '" + part + "' is not a component of " + dsd.ref.ToString());
    }
    if (plus == std::string::npos) break;
    start = plus + 1;
  }
  return out;
}

bool SortStreams(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, bool flat) {
  size_t next_dimension = 0;  // series-level keys must be the leading dimensions, ascending
  bool seen_obs_level = false;
  for (const Resolved& k : Resolve(sort, dsd)) {
    if (!k.series_level()) {
      // Flat rows interleave series unless every dimension came first.
      if (flat && next_dimension < dsd.dimensions.size()) return false;
      seen_obs_level = true;
      continue;
    }
    if (flat && seen_obs_level) return false;
    if (k.descending || k.from != Resolved::From::kKey || k.index != next_dimension) return false;
    ++next_dimension;
  }
  return true;
}

void SortObservations(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, sdmx::Series* s) {
  SortObservations(Resolve(sort, dsd), s);
}

void SortSelection(const std::vector<SortKey>& sort, const sdmx::DataStructure& dsd, bool flat,
                   std::vector<sdmx::Series>* selection) {
  const std::vector<Resolved> keys = Resolve(sort, dsd);
  if (!flat) return SortSeries(keys, selection);
  struct Row {
    size_t series, obs;
  };
  std::vector<Row> rows;
  for (size_t i = 0; i < selection->size(); ++i) {
    for (size_t j = 0; j < (*selection)[i].observations.size(); ++j) rows.push_back({i, j});
  }
  const std::vector<sdmx::Series>& in = *selection;
  std::stable_sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return Compare(keys, Any, in[a.series], &in[a.series].observations[a.obs], in[b.series],
                   &in[b.series].observations[b.obs]) < 0;
  });
  std::vector<sdmx::Series> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    sdmx::Series one;
    one.key = in[r.series].key;
    one.attributes = in[r.series].attributes;
    one.observations.push_back(in[r.series].observations[r.obs]);
    out.push_back(std::move(one));
  }
  *selection = std::move(out);
}

sdmx::DataStructure CrossSection(const sdmx::DataStructure& dsd, size_t dimension, const std::vector<SortKey>& sort,
                                 std::vector<sdmx::Series>* selection) {
  sdmx::DataStructure out = dsd;
  out.time_dimension = dsd.dimensions[dimension].id;
  out.dimensions[dimension] = sdmx::Dimension{};
  out.dimensions[dimension].id = dsd.time_dimension;
  for (sdmx::Attribute& a : out.attributes) {
    if (a.level == sdmx::AttachmentLevel::kSeries || a.level == sdmx::AttachmentLevel::kGroup) {
      a.level = sdmx::AttachmentLevel::kObservation;
    }
  }
  std::map<std::vector<std::string>, sdmx::Series> sections;  // key with the period in place of `dimension`
  for (sdmx::Series& s : *selection) {
    for (sdmx::Observation& o : s.observations) {
      std::vector<std::string> key = s.key;
      if (dimension >= key.size()) continue;
      std::string code = std::move(key[dimension]);
      key[dimension] = o.period;
      sdmx::Series& section = sections[key];
      if (section.key.empty()) section.key = key;
      o.period = std::move(code);
      for (const sdmx::Field& f : s.attributes) {
        if (!sdmx::FindField(o.attributes, f.id)) o.attributes.push_back(f);
      }
      section.observations.push_back(std::move(o));
    }
  }
  selection->clear();
  for (auto& [key, section] : sections) {
    std::stable_sort(section.observations.begin(), section.observations.end(),
                     [](const sdmx::Observation& a, const sdmx::Observation& b) { return a.period < b.period; });
    selection->push_back(std::move(section));
  }
  if (!sort.empty()) SortSeries(Resolve(sort, dsd, dimension), selection);
  return out;
}

}  // namespace hub::http
