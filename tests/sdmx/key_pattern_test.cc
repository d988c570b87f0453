// KeyPattern: matching, and the skip-scan target against a brute-force
// filter over keys stored the way storage/keys.h stores them.
#include "sdmx/key_pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace sdmx {
namespace {

TEST(KeyPatternTest, ParsesV1AndMatches) {
  auto p = KeyPattern::ParseV1("A..SH_STA_MORT+SI_POV_DAY1", 3);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->Matches("A.G.SH_STA_MORT"));
  EXPECT_TRUE(p->Matches("A.N.SI_POV_DAY1"));
  EXPECT_FALSE(p->Matches("Q.G.SH_STA_MORT"));
  EXPECT_FALSE(p->Matches("A.G.SH_STA_MORTX"));
  EXPECT_FALSE(KeyPattern::ParseV1("A.G", 3).ok());
  EXPECT_FALSE(KeyPattern::ParseV1("A.G+.X", 3).ok());
}

// REST 2.x: ',' separates whole keys, '*' is any code, and missing trailing
// dimensions are wildcards.
TEST(KeyPatternTest, ParsesV2KeyListsAndShortenedKeys) {
  auto p = KeyPattern::ParseV2("M.USD.EUR,A.*.CHF", 3);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->Matches("M.USD.EUR"));
  EXPECT_TRUE(p->Matches("A.JPY.CHF"));
  EXPECT_FALSE(p->Matches("M.USD.CHF"));  // not a product of the two keys
  EXPECT_FALSE(p->Matches("A.USD.EUR"));
  auto shortened = KeyPattern::ParseV2("A.G", 4);
  ASSERT_TRUE(shortened.ok());
  EXPECT_TRUE(shortened->Matches("A.G.X.Y"));
  EXPECT_FALSE(shortened->Matches("A.N.X.Y"));
  EXPECT_TRUE(KeyPattern::ParseV2("*", 3)->MatchesAll());
  EXPECT_TRUE(KeyPattern::ParseV2("A.G,*", 3)->MatchesAll());  // one part takes everything
  EXPECT_FALSE(KeyPattern::ParseV2("A.B.C.D", 3).ok());
  EXPECT_FALSE(KeyPattern::ParseV2("A.B,,C", 3).ok());
  bool complete = true;
  EXPECT_EQ(KeyPattern::ParseV2("A.G.SH_X,A.G.SH_Y", 3)->LiteralPrefix(&complete), "A.G.");
  EXPECT_FALSE(complete);
  EXPECT_EQ(KeyPattern::ParseV2("A.G.X,Q.G.X", 3)->LiteralPrefix(&complete), "");
}

TEST(KeyPatternTest, SkipTargetLandsBeyondTheKeyAndBeforeTheNextMatch) {
  // '-' sorts before '.', so "A-B.x" < "A.x" < "A0.x": the per-dimension rule
  // must not treat joined keys as tuples.
  KeyPattern p({{"A", "A0"}, {}, {"_T"}});
  std::string t;
  ASSERT_TRUE(p.SkipTarget("A-B.X._T", &t));
  EXPECT_EQ(t, "A.");
  ASSERT_TRUE(p.SkipTarget("A.X.a", &t));
  EXPECT_EQ(t, "A.X/");  // no allowed last code sorts after 'a': past "A.X."
  ASSERT_TRUE(p.SkipTarget("A.X.1", &t));
  EXPECT_EQ(t, std::string("A.X._T\0", 7));
  EXPECT_FALSE(p.SkipTarget("B.X._T", &t));  // no allowed first code after B
}

// Scans a sorted store the way VersionedState::ScanChanges does, and checks
// that the skip-scan sees exactly the keys a full filter keeps, with fewer
// visits when the pattern is selective.
TEST(KeyPatternTest, SkipScanEqualsFilterOnRandomKeys) {
  // Codes chosen to collide in byte order: prefixes of each other, '-', '_',
  // digits and letters on both sides of '.' and '/'.
  const std::vector<std::string> alphabet = {"A", "A-B", "A0", "AB", "A_", "B", "_T", "1", "10", "1-2", "Z"};
  std::mt19937 rng(42);
  for (int round = 0; round < 300; ++round) {
    const size_t dims = 1 + rng() % 4;
    std::set<std::string> stored;  // series key + '\0', as in the obs family
    for (int i = 0; i < 200; ++i) {
      std::vector<std::string> key;
      for (size_t d = 0; d < dims; ++d) key.push_back(alphabet[rng() % alphabet.size()]);
      stored.insert(JoinKey(key) + '\0');
    }
    std::vector<std::vector<std::string>> codes(dims);
    for (auto& c : codes) {
      if (rng() % 3 == 0) continue;  // wildcard
      for (const auto& a : alphabet) {
        if (rng() % 4 == 0) c.push_back(a);
      }
      if (c.empty()) c.push_back(alphabet[rng() % alphabet.size()]);
    }
    // Every other round a union (a REST 2.x key list) of 2-3 such patterns.
    std::vector<KeyPattern> parts = {KeyPattern(codes)};
    for (int extra = round % 2 ? 1 + static_cast<int>(rng() % 2) : 0; extra > 0; --extra) {
      std::vector<std::vector<std::string>> more(dims);
      for (auto& c : more) {
        if (rng() % 3 == 0) continue;
        c.push_back(alphabet[rng() % alphabet.size()]);
      }
      parts.emplace_back(std::move(more));
    }
    KeyPattern pattern = KeyPattern::AnyOf(parts);
    bool complete = false;
    const std::string prefix = pattern.LiteralPrefix(&complete);

    std::vector<std::string> expected, got;
    for (const auto& k : stored) {
      std::string key = k.substr(0, k.size() - 1);
      const bool any = std::any_of(parts.begin(), parts.end(), [&](const KeyPattern& p) { return p.Matches(key); });
      ASSERT_EQ(pattern.Matches(key), any) << key;
      if (any) {
        expected.push_back(key);
        EXPECT_EQ(k.compare(0, prefix.size(), prefix), 0) << "a match outside the literal prefix " << prefix;
      }
    }
    size_t visits = 0;
    std::string target;
    for (auto it = stored.begin(); it != stored.end();) {
      ++visits;
      std::string key = it->substr(0, it->size() - 1);
      if (pattern.Matches(key)) {
        got.push_back(key);
        ++it;
        continue;
      }
      if (!pattern.SkipTarget(key, &target)) break;
      ASSERT_GT(target, *it) << "the target must move forward from " << key;
      it = stored.lower_bound(target);
    }
    ASSERT_EQ(got, expected) << "round " << round;
    EXPECT_LE(visits, stored.size());
  }
}

TEST(KeyPatternTest, SkipScanVisitsOnlyTheMatchingRangesOfAFixedInnerDimension) {
  // The global view's shape: first dimension open, an inner one fixed.
  std::set<std::string> stored;
  for (const char* f : {"A", "M", "Q"}) {
    for (int s = 0; s < 50; ++s) {
      for (int area = 0; area < 20; ++area) {
        stored.insert(std::string(f) + ".S" + std::to_string(s) + "." + std::to_string(area) + '\0');
      }
    }
  }
  KeyPattern pattern({{}, {"S7"}, {}});
  size_t visits = 0, matched = 0;
  std::string target;
  for (auto it = stored.begin(); it != stored.end();) {
    ++visits;
    if (pattern.Matches(it->substr(0, it->size() - 1))) {
      ++matched;
      ++it;
      continue;
    }
    if (!pattern.SkipTarget(it->substr(0, it->size() - 1), &target)) break;
    it = stored.lower_bound(target);
  }
  EXPECT_EQ(matched, 60u);
  // Per first code: one miss before S7, the 20 matches, one miss after.
  EXPECT_LE(visits, matched + 2 * 3);
}

}  // namespace
}  // namespace sdmx
