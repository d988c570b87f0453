// Every data file that ../shared/corpus/SOURCES.md marks "checked vs DSD
// (`shared:PATH`): OK" checks clean against that DSD and round-trips through
// every writer, read straight from
// SOURCES.md so that the list cannot drift (145 files today: SDMX-ML 2.0
// GenericData, 2.1 generic and structure-specific, SDMX-CSV, SDMX-JSON).
// SOURCES.md checked the UK files against IAEG-SDGs:SDG(1.14) although they
// cite 1.22 (not in the corpus): DataReaderOptions::any_version does the
// same. Two of those files it marks OK are not: see kKnownDisagreements.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>

#include "sdmx/check.h"
#include "sdmx/structure_reader.h"
#include "testing/round_trip.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

struct SweepCase {
  std::string data;  // corpus path
  std::string dsd;   // corpus path
};

void PrintTo(const SweepCase& c, std::ostream* os) { *os << c.data; }

std::vector<SweepCase> OkRows() {
  std::vector<SweepCase> out;
  std::ifstream in(hub::testing::CorpusPath("SOURCES.md"));
  const std::regex section(R"(^### `([^`]*)`)");
  const std::regex row(R"(^\| `([^`]*)`.*checked vs [^(]*\([^)]*\) \(`shared:([^`]*)`\): OK)");
  std::string dir, line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, section)) {
      dir = m[1].str();
      if (!dir.empty() && dir.back() == '/') dir.pop_back();
    } else if (!dir.empty() && std::regex_search(line, m, row)) {
      out.push_back({dir + "/" + m[1].str(), m[2].str()});
    }
  }
  return out;
}

// Files SOURCES.md marks OK that repeat an observation (same series key and
// period) with different values: ONS mapped two national series onto one
// global key (GB_POP_SCIERD 2012 is both 8302.9 and 3986.84956). The hub is
// right to refuse them: which value is the observation?
const std::map<std::string, const char*> kKnownDisagreements = {
    {"sdg/national/GB/sdmx-global/9.xml", "duplicate-observation"},
    {"sdg/national/GB/sdmx-global/all.xml", "duplicate-observation"},
};

const StructureSet& StructuresOf(const std::string& dsd) {
  static std::map<std::string, StructureSet> cache;
  auto it = cache.find(dsd);
  if (it != cache.end()) return it->second;
  StructureSet set;
  Diagnostics d;
  hub::Status s = LoadStructures(hub::testing::CorpusPath(dsd), {}, &set, &d);
  EXPECT_TRUE(s.ok()) << dsd << ": " << s.ToString() << "\n" << d.ToString();
  return cache[dsd] = std::move(set);
}

class CorpusSweepTest : public ::testing::TestWithParam<SweepCase> {};

TEST_P(CorpusSweepTest, FileMarkedValidChecksClean) {
  const SweepCase& c = GetParam();
  const std::string body = hub::testing::ReadFileOrDie(hub::testing::CorpusPath(c.data));
  DataReaderOptions options;
  options.any_version = true;
  Diagnostics diags;
  CheckCounts counts;
  hub::Status s = CheckMessage(body, c.data, StructuresOf(c.dsd), options, &diags, &counts);
  auto known = kKnownDisagreements.find(c.data);
  if (known == kKnownDisagreements.end()) {
    EXPECT_TRUE(s.ok()) << s.ToString();
    EXPECT_TRUE(diags.empty()) << diags.ToString();
    // And what it holds survives every writer.
    hub::testing::ExpectRoundTrips(body, c.data, StructuresOf(c.dsd), options);
    return;
  }
  ASSERT_FALSE(diags.empty()) << c.data << " is listed as a known disagreement but checks clean";
  for (const Diagnostic& d : diags.items()) EXPECT_EQ(d.rule, known->second) << d.ToString();
}

// Read as an upload arriving in pieces (DataReader over ArrivingBytes), each
// agency file gives what it gives read whole, diagnostics included.
TEST_P(CorpusSweepTest, ReadWhileArrivingGivesTheSame) {
  const SweepCase& c = GetParam();
  const std::string body = hub::testing::ReadFileOrDie(hub::testing::CorpusPath(c.data));
  DataReaderOptions options;
  options.any_version = true;
  Diagnostics whole_diags, diags;
  const hub::testing::Content whole = hub::testing::ReadContent(body, StructuresOf(c.dsd), &whole_diags, c.data, options);
  const size_t max_piece = body.size() < (64 << 10) ? 61 : 8191;  // many edges, in bounded time
  const hub::testing::Content arriving =
      hub::testing::ReadContentArriving(body, max_piece, static_cast<uint32_t>(body.size()), StructuresOf(c.dsd),
                                        &diags, c.data, options);
  EXPECT_EQ(arriving.series_count, whole.series_count);
  EXPECT_EQ(arriving.obs, whole.obs);
  EXPECT_EQ(diags.ToString(), whole_diags.ToString());
}

TEST(CorpusSweepListTest, SourcesMdListsTheFilesItMarksValid) {
  // A parse that found nothing would make the sweep vacuous.
  EXPECT_GE(OkRows().size(), 140u);
}

INSTANTIATE_TEST_SUITE_P(SourcesMd, CorpusSweepTest, ::testing::ValuesIn(OkRows()),
                         [](const ::testing::TestParamInfo<SweepCase>& info) {
                           std::string n = std::to_string(info.index) + "_" + info.param.data;
                           for (char& ch : n) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return n;
                         });

}  // namespace
}  // namespace sdmx
