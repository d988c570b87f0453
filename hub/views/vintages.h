// Revision analysis of one series from its history: the vintages (commits
// that changed it), the values as first released, the revision triangle
// (period x vintage) and revision statistics. A pure function of
// VersionedState::History at a watermark, so that every figure can be
// recomputed by hand from GET /api/v1/history/{flow}/{key}?at=W.
//
// Definitions (hub/views/README.md, "Vintages"):
//  - a vintage is a commit at or before `at` that wrote a revision of the
//    series (a new, changed or deleted observation, or new attributes);
//  - a period's first release is its first revision that is not a deletion;
//  - triangle[p][v] is period p's value as of vintage v: its latest revision
//    at or before that vintage's watermark, none before its first release or
//    while deleted;
//  - a revision of a period is a later revision that changes its value or
//    deletes it (attribute-only changes are not counted);
//  - revision statistics take, per period with a numeric first release and
//    a numeric later value, later - first (rounded to the decimals the two
//    were sent with): `latest` compares with the value at the last vintage,
//    `at_horizon` with the value `horizon` vintages after the first release
//    (periods with fewer vintages since are left out). mean is their mean,
//    mean_absolute the mean of their absolute values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "storage/state.h"

namespace hub::views {

struct Vintage {
  uint64_t watermark = 0;
  int64_t loaded_ms = 0;    // when the hub accepted the submission
  int64_t released_ms = 0;  // when its embargo ended and it became public (0: none)
  std::string provider;
  std::string submission;
};

struct FirstRelease {
  std::string period;
  std::string value;
  size_t vintage = 0;  // index into SeriesVintages::vintages
};

struct RevisionStats {
  size_t periods = 0;  // periods compared
  double mean = 0;
  double mean_absolute = 0;
};

struct SeriesVintages {
  std::vector<Vintage> vintages;          // oldest first
  std::vector<FirstRelease> first;        // by period
  std::vector<std::string> periods;       // the triangle's rows, sorted
  // triangle[p][v]: periods[p] as of vintages[v]; nullopt = not released then
  // (or deleted).
  std::vector<std::vector<std::optional<std::string>>> triangle;
  size_t revisions = 0;                   // value changes and deletions after a first release
  RevisionStats latest;                   // first release -> last vintage
  std::optional<RevisionStats> at_horizon;  // first release -> `horizon` vintages later; set when horizon > 0
};

// `history` as VersionedState::History returns it (oldest first per
// period); revisions after watermark `at` are ignored. horizon 0: no
// at_horizon.
SeriesVintages AnalyseVintages(const std::vector<storage::ObsHistoryEntry>& history, uint64_t at, size_t horizon);

}  // namespace hub::views
