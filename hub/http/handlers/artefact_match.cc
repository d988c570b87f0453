#include "hub/http/handlers/artefact_match.h"

namespace hub::http {
namespace {

// Calls `fn` with each element of a v2 comma list; true when one holds.
template <typename Fn>
bool AnyOf(const std::string& list, Fn fn) {
  for (size_t a = 0; a <= list.size();) {
    size_t b = list.find(',', a);
    if (b == std::string::npos) b = list.size();
    if (fn(list.substr(a, b - a))) return true;
    a = b + 1;
  }
  return false;
}

}  // namespace

bool SegmentMatches(const std::string& pattern, const std::string& value, bool v2) {
  if (pattern.empty() || pattern == "all" || (v2 && pattern == "*")) return true;
  if (v2 && pattern.find(',') != std::string::npos) {
    return AnyOf(pattern, [&](const std::string& one) { return one == value; });
  }
  return pattern == value;
}

bool VersionMatches(const std::string& pattern, const std::string& version, bool v2) {
  if (pattern.empty() || pattern == "all" || pattern == "*") return true;
  if (v2 && pattern.find(',') != std::string::npos) {
    return AnyOf(pattern, [&](const std::string& one) { return VersionMatches(one, version, v2); });
  }
  if (v2 && pattern.size() > 1 && pattern.back() == '*') {  // "1.*": that major version
    return version.compare(0, pattern.size() - 1, pattern, 0, pattern.size() - 1) == 0;
  }
  return pattern == version;
}

bool LatestOnly(const std::string& version) { return version == "latest" || version == "~" || version == "+"; }

}  // namespace hub::http
