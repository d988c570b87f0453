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

KeyPattern KeyPattern::FromKey(const std::vector<std::string>& key) {
  std::vector<std::vector<std::string>> codes(key.size());
  for (size_t i = 0; i < key.size(); ++i) {
    if (!key[i].empty()) codes[i].push_back(key[i]);
  }
  return KeyPattern(std::move(codes));
}

std::string KeyPattern::LiteralPrefix(bool* complete) const {
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
  return std::all_of(codes_.begin(), codes_.end(), [](const auto& c) { return c.empty(); });
}

bool KeyPattern::Matches(std::string_view series_key) const {
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
