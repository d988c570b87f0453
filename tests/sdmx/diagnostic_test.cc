// sdmx/diagnostic.h: a Diagnostics sink keeps a bounded amount of text,
// each field on one line, and counts everything.
#include "sdmx/diagnostic.h"

#include <gtest/gtest.h>

namespace sdmx {
namespace {

TEST(DiagnosticsTest, FieldsAreEscapedAndBounded) {
  Diagnostics d(DiagnosticLimits{10, 100, 10'000});
  d.Add({"feed\n.xml", 3, "Obs", "obs-value", "OBS_VALUE='" + std::string(5000, '7') + "\nforged' is not a number"});
  ASSERT_EQ(d.items().size(), 1u);
  const Diagnostic& kept = d.items()[0];
  EXPECT_EQ(kept.file, "feed\\n.xml");
  EXPECT_LE(kept.message.size(), 100u);
  EXPECT_EQ(kept.message.rfind("OBS_VALUE='777", 0), 0u) << kept.message;
  EXPECT_NE(kept.message.find("\\nforged' is not a number"), std::string::npos) << kept.message;
  EXPECT_EQ(d.ToString().find("\nforged"), std::string::npos) << "one line per diagnostic";
}

TEST(DiagnosticsTest, TotalTextIsBoundedAndTheRestCounted) {
  Diagnostics d(DiagnosticLimits{1000, 100, 1000});
  for (int i = 0; i < 500; ++i) d.Add({"f", i, "Obs", "rule", std::string(60, 'm')});
  EXPECT_EQ(d.count(), 500u);
  EXPECT_TRUE(d.truncated());
  size_t bytes = 0;
  for (const Diagnostic& x : d.items()) bytes += x.file.size() + x.element.size() + x.rule.size() + x.message.size();
  EXPECT_LE(bytes, 1000u);
  EXPECT_EQ(d.items().size(), 14u);  // 14 x 68 bytes
  EXPECT_NE(d.ToString().find("... 486 more diagnostics not shown"), std::string::npos);
  // Once full, later ones are only counted even when small: the kept ones stay the first ones.
  d.Add({"f", 0, "E", "r", "m"});
  EXPECT_EQ(d.items().size(), 14u);
}

}  // namespace
}  // namespace sdmx
