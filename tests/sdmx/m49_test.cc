#include "sdmx/m49.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace sdmx {
namespace {

// The table is a tree rooted at World: unique codes, every parent a region,
// every country reaching World through its regions.
TEST(M49Test, RegionsFormOneTreeUnderWorld) {
  std::map<std::string, std::string> parent;
  std::set<std::string> regions;
  for (const M49Area& a : M49Areas()) {
    EXPECT_TRUE(parent.emplace(a.code, a.parent).second) << "duplicate code " << a.code;
    if (*a.parent) regions.insert(a.parent);
  }
  size_t countries = 0;
  for (const auto& [code, up] : parent) {
    if (code == "1") {
      EXPECT_EQ(up, "");
      continue;
    }
    EXPECT_TRUE(parent.count(up)) << code << " has unknown parent " << up;
    countries += !regions.count(code);
    std::string at = code;
    for (int depth = 0; at != "1" && depth < 6; ++depth) at = parent[at];
    EXPECT_EQ(at, "1") << code << " does not reach World";
  }
  EXPECT_GE(countries, 245u);
  EXPECT_LE(countries, 250u);
  // Spot checks against the published geoscheme.
  EXPECT_EQ(parent["404"], "14");   // Kenya: Eastern Africa
  EXPECT_EQ(parent["14"], "202");   // Eastern Africa: Sub-Saharan Africa
  EXPECT_EQ(parent["202"], "2");    // Sub-Saharan Africa: Africa
  EXPECT_EQ(parent["76"], "5");     // Brazil: South America
  EXPECT_EQ(parent["5"], "419");    // South America: Latin America and the Caribbean
  EXPECT_EQ(parent["840"], "21");   // United States: Northern America
  EXPECT_EQ(parent["356"], "34");   // India: Southern Asia
}

TEST(M49Test, GroupingsNameKnownAreas) {
  std::set<std::string> codes;
  for (const M49Area& a : M49Areas()) codes.insert(a.code);
  std::map<std::string, size_t> sizes;
  for (const M49Grouping& g : M49Groupings()) {
    EXPECT_FALSE(codes.count(g.code)) << g.code << " collides with an M49 code";
    for (const char* m : g.members) EXPECT_TRUE(codes.count(m)) << g.code << ": unknown member " << m;
    sizes[g.code] = g.members.size();
  }
  EXPECT_EQ(sizes["LDC"], 44u);
  EXPECT_EQ(sizes["LLDC"], 32u);
  EXPECT_EQ(sizes.count("SDG_SSA"), 1u);
}

}  // namespace
}  // namespace sdmx
