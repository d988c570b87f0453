#include "sdmx/key_pattern.h"

#include <algorithm>
#include <optional>

namespace sdmx {

std::vector<std::string> SplitKey(std::string_view key) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t dot = key.find('.', start);
    out.emplace_back(key.substr(start, dot == std::string_view::npos ? key.npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return out;
}

std::string JoinKey(const std::vector<std::string>& key) {
  std::string out;
  for (size_t i = 0; i < key.size(); ++i) {
    if (i) out += '.';
    out += key[i];
  }
  return out;
}

hub::Result<KeyPattern> KeyPattern::ParseV1(std::string_view key, size_t dimensions) {
  if (key.empty() || key == "all" || key == "ALL") return KeyPattern();
  std::vector<std::string> parts = SplitKey(key);
  if (parts.size() != dimensions) {
    return hub::Status::InvalidArgument("key '" + std::string(key) + "' has " + std::to_string(parts.size()) +
                                        " dimensions, the data structure has " + std::to_string(dimensions));
  }
  std::vector<std::vector<std::string>> codes(parts.size());
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty() || parts[i] == "*") continue;
    size_t start = 0;
    for (;;) {
      size_t plus = parts[i].find('+', start);
      std::string code = parts[i].substr(start, plus == std::string::npos ? std::string::npos : plus - start);
      if (code.empty()) return hub::Status::InvalidArgument("empty code in key '" + std::string(key) + "'");
      codes[i].push_back(std::move(code));
      if (plus == std::string::npos) break;
      start = plus + 1;
    }
  }
  return KeyPattern(std::move(codes));
}

hub::Result<KeyPattern> KeyPattern::ParseV2(std::string_view key, size_t dimensions) {
  if (key.empty() || key == "*") return KeyPattern();
  std::vector<KeyPattern> keys;
  size_t start = 0;
  for (;;) {
    const size_t comma = key.find(',', start);
    const std::string_view one = key.substr(start, comma == key.npos ? key.npos : comma - start);
    std::vector<std::string> parts = SplitKey(one);
    if (one.empty()) return hub::Status::InvalidArgument("empty key in the key list '" + std::string(key) + "'");
    if (parts.size() > dimensions) {
      return hub::Status::InvalidArgument("key '" + std::string(one) + "' has " + std::to_string(parts.size()) +
                                          " dimensions, the data structure has " + std::to_string(dimensions));
    }
    std::vector<std::vector<std::string>> codes(dimensions);  // missing trailing ones: any
    for (size_t i = 0; i < parts.size(); ++i) {
      if (parts[i] == "*" || parts[i].empty()) continue;
      codes[i].push_back(std::move(parts[i]));
    }
    keys.emplace_back(std::move(codes));
    if (comma == key.npos) break;
    start = comma + 1;
  }
  return AnyOf(std::move(keys));
}

KeyPattern KeyPattern::AnyOf(std::vector<KeyPattern> patterns) {
  if (patterns.size() == 1) return std::move(patterns[0]);
  for (const KeyPattern& p : patterns) {
    if (p.MatchesAll()) return KeyPattern();
  }
  KeyPattern u;
  u.any_of_ = std::move(patterns);
  return u;
}

KeyPattern KeyPattern::FromKey(const std::vector<std::string>& key) {
  std::vector<std::vector<std::string>> codes(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    if (!key[i].empty()) codes[i].push_back(key[i]);
  }
  return KeyPattern(std::move(codes));
}

std::string KeyPattern::LiteralPrefix(bool* complete) const {
  if (!any_of_.empty()) {
    // The bytes every part's prefix shares, up to a whole dimension.
    bool ignored;
    std::string common = any_of_[0].LiteralPrefix(&ignored);
    for (const KeyPattern& p : any_of_) {
      const std::string other = p.LiteralPrefix(&ignored);
      common.resize(std::mismatch(common.begin(), common.end(), other.begin(), other.end()).first - common.begin());
    }
    const size_t dot = common.rfind('.');
    common.resize(dot == std::string::npos ? 0 : dot + 1);
    *complete = false;
    return common;
  }
  std::string out;
  *complete = !codes_.empty();
  for (const auto& c : codes_) {
    if (c.size() != 1) {
      *complete = false;
      break;
    }
    out += c[0];
    out += '.';
  }
  if (*complete && !out.empty()) out.pop_back();
  return out;
}

bool KeyPattern::SkipTarget(std::string_view series_key, std::string* target) const {
  if (any_of_.empty()) return SkipTargetOne(series_key, target);
  // The nearest place where any part may match again.
  bool found = false;
  std::string t;
  for (const KeyPattern& p : any_of_) {
    if (!p.SkipTargetOne(series_key, &t)) continue;
    if (!found || t < *target) *target = t;
    found = true;
  }
  return found;
}

bool KeyPattern::SkipTargetOne(std::string_view series_key, std::string* target) const {
  size_t start = 0;
  for (size_t i = 0; i < codes_.size(); ++i) {
    const bool last = i + 1 == codes_.size();
    size_t dot = series_key.find('.', start);
    if ((dot == std::string_view::npos) != last) {
      // Not a key of this structure: step past it and let Matches decide.
      target->assign(series_key);
      target->push_back('\x01');
      return true;
    }
    std::string_view part = series_key.substr(start, last ? series_key.npos : dot - start);
    const auto& allowed = codes_[i];
    if (allowed.empty() || std::find(allowed.begin(), allowed.end(), part) != allowed.end()) {
      start = dot + 1;
      continue;
    }
    // Dimension i is the first that does not match. Keys sharing the prefix
    // P (dimensions before i) and an allowed code `a` at i form one range
    // starting at P + a + separator; seek to the first such range after this
    // key. A code never holds a separator, so the plain bytewise comparison
    // of a + sep with the rest of this key (never a prefix of it) decides.
    const char sep = last ? '\0' : '.';
    std::string rest(series_key.substr(start));
    rest.push_back('\0');
    std::optional<std::string> best;
    std::string candidate;
    for (const auto& a : allowed) {
      candidate.assign(a);
      candidate.push_back(sep);
      if (candidate > rest && (!best || candidate < *best)) best = candidate;
    }
    if (best) {
      target->assign(series_key.substr(0, start));
      target->append(*best);
      return true;
    }
    // No allowed code at i lies ahead under P: move past every key under P
    // (P ends in '.', and '/' is the byte after it).
    if (start == 0) return false;
    target->assign(series_key.substr(0, start - 1));
    target->push_back('/');
    return true;
  }
  // It matches: the next key may too.
  target->assign(series_key);
  target->push_back('\x01');
  return true;
}

bool KeyPattern::MatchesAll() const {
  if (!any_of_.empty()) return false;  // AnyOf folds a union with a match-all part
  return std::all_of(codes_.begin(), codes_.end(), [](const auto& c) { return c.empty(); });
}

bool KeyPattern::Matches(std::string_view series_key) const {
  if (!any_of_.empty()) {
    return std::any_of(any_of_.begin(), any_of_.end(), [&](const KeyPattern& p) { return p.Matches(series_key); });
  }
  if (codes_.empty()) return true;
  size_t start = 0;
  for (size_t i = 0; i < codes_.size(); ++i) {
    size_t dot = series_key.find('.', start);
    if (dot == std::string_view::npos && i + 1 < codes_.size()) return false;
    std::string_view part = series_key.substr(start, dot == std::string_view::npos ? series_key.npos : dot - start);
    if (!codes_[i].empty() && std::find(codes_[i].begin(), codes_[i].end(), part) == codes_[i].end()) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

}  // namespace sdmx
