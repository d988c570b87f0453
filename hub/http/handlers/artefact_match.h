// Which artefacts the agency / id / version segments of a REST path select,
// for structure and data queries alike. agency and id: "all" (v1), "*"
// (v2) or empty for any; v2 also a comma list. version: "latest", "~" or
// "+" for the highest of each agency:id; "all", "*" or empty for any; v2
// also "1.*" (that major version) and comma lists of these.
#pragma once

#include <map>
#include <string>

#include "sdmx/model.h"

namespace hub::http {

struct ArtefactPattern {
  std::string agency, id, version;
  bool v2 = false;
};

bool SegmentMatches(const std::string& pattern, const std::string& value, bool v2);
bool VersionMatches(const std::string& pattern, const std::string& version, bool v2);
bool LatestOnly(const std::string& version);

// Calls add(artefact) for each artefact of `m` (a StructureSet map) that
// `p` selects, in key order (the latest versions after the others). Only
// those `keep` accepts count, the latest version among them (a map holding
// several kinds, e.g. item schemes: the latest of one kind).
template <typename M, typename Add, typename Keep>
void SelectArtefacts(const M& m, const ArtefactPattern& p, Add add, Keep keep) {
  std::map<std::string, const typename M::mapped_type*> latest;  // by agency:id
  for (const auto& [k, a] : m) {
    if (!keep(a)) continue;
    if (!SegmentMatches(p.agency, a.ref.agency, p.v2) || !SegmentMatches(p.id, a.ref.id, p.v2)) continue;
    if (LatestOnly(p.version)) {
      auto& best = latest[a.ref.agency + ":" + a.ref.id];
      if (!best || sdmx::CompareVersions(best->ref.version, a.ref.version) < 0) best = &a;
    } else if (VersionMatches(p.version, a.ref.version, p.v2)) {
      add(a);
    }
  }
  for (const auto& [k, a] : latest) add(*a);
}
template <typename M, typename Add>
void SelectArtefacts(const M& m, const ArtefactPattern& p, Add add) {
  SelectArtefacts(m, p, add, [](const auto&) { return true; });
}

}  // namespace hub::http
