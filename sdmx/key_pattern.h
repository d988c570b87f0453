// Series key patterns of SDMX REST queries: one set of allowed codes per
// dimension, empty = any, or (REST 2.x key lists) a union of such sets.
// v1 grammar: "A.G.SI_POV_DAY1+SH_STA_MORT..404" ('.' separates dimensions,
// '+' = OR, empty = wildcard, "all" = all). v2: "A.*.SH_STA_MORT,Q.G"
// (',' separates whole keys, '*' = wildcard, missing trailing dimensions =
// wildcards).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"

namespace sdmx {

class KeyPattern {
 public:
  // Matches every key.
  KeyPattern() = default;
  // `codes[i]` empty = any value for dimension i.
  explicit KeyPattern(std::vector<std::vector<std::string>> codes) : codes_(std::move(codes)) {}

  // Parses an SDMX REST 1.x key for a DSD with `dimensions` dimensions.
  static hub::Result<KeyPattern> ParseV1(std::string_view key, size_t dimensions);
  // Parses an SDMX REST 2.x key (a comma list of keys).
  static hub::Result<KeyPattern> ParseV2(std::string_view key, size_t dimensions);
  // A pattern from a series key with "" meaning any (a Delete with a partial key).
  static KeyPattern FromKey(const std::vector<std::string>& key);
  // The keys any of `patterns` matches (none of them a union itself).
  static KeyPattern AnyOf(std::vector<KeyPattern> patterns);

  // `series_key` is dimension values joined by '.'.
  bool Matches(std::string_view series_key) const;
  bool MatchesAll() const;
  // The codes allowed per dimension (empty = any); empty when it matches all
  // and for a union (see alternatives()).
  const std::vector<std::vector<std::string>>& codes() const { return codes_; }
  // The parts of a union (AnyOf); empty for a single pattern.
  const std::vector<KeyPattern>& alternatives() const { return any_of_; }
  // The series keys it matches all start with this: the leading dimensions
  // with exactly one code, joined by '.', with a trailing '.' unless every
  // dimension is fixed (`*complete` then true). Lets a scan seek straight
  // to them instead of visiting every series.
  std::string LiteralPrefix(bool* complete) const;
  // Skip-scan for a store that keeps series keys in bytewise order, each
  // followed by '\0' (storage/keys.h). Given a key that does not match, sets
  // `*target` to a string that every later matching key (with its '\0') is
  // >= to, so a scan can seek there instead of visiting what lies between;
  // false when no later key can match. Works per dimension, because a joined
  // key does not sort like its tuple of codes ('-' sorts before '.').
  bool SkipTarget(std::string_view series_key, std::string* target) const;

 private:
  bool SkipTargetOne(std::string_view series_key, std::string* target) const;

  std::vector<std::vector<std::string>> codes_;
  std::vector<KeyPattern> any_of_;  // a union: matches what any of them does
};

std::vector<std::string> SplitKey(std::string_view series_key);
std::string JoinKey(const std::vector<std::string>& key);

}  // namespace sdmx
