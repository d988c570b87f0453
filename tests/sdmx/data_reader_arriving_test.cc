// DataReader over ArrivingBytes: a message read while it arrives, in pieces
// cut anywhere (inside a tag name, a quoted value, a comment, a CRLF, a
// quoted CSV field), gives exactly what the whole message gives; an upload
// that stops short ends in a located truncation, told apart by WaitAll().
// (The corpus sweep repeats the comparison on every agency file.)
#include <gtest/gtest.h>

#include "sdmx/check.h"
#include "sdmx/data_reader.h"
#include "sdmx/xml.h"
#include "testing/round_trip.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

using hub::testing::Content;
using hub::testing::Trickle;

// Content and diagnostics read whole and read arriving in pieces of 1 to
// `max_piece` bytes, for several piece patterns.
void ExpectSameWhileArriving(const std::string& body, size_t max_piece, const StructureSet& set,
                             const std::string& name) {
  Diagnostics whole_diags;
  const Content whole = hub::testing::ReadContent(body, set, &whole_diags, name);
  for (uint32_t seed = 1; seed <= 3; ++seed) {
    Diagnostics diags;
    const Content arriving = hub::testing::ReadContentArriving(body, max_piece, seed, set, &diags, name);
    EXPECT_EQ(arriving.obs, whole.obs) << name << " seed " << seed;
    EXPECT_EQ(arriving.series_count, whole.series_count) << name << " seed " << seed;
    EXPECT_EQ(diags.ToString(), whole_diags.ToString()) << name << " seed " << seed;
  }
}

TEST(DataReaderArrivingTest, XmlCutAnywhereReadsTheSame) {
  const StructureSet set = hub::testing::DemoStructures();
  std::string body = hub::testing::OneObservation("KEN", 342);
  // Markup the scanner must step over whole, whatever piece it is cut in:
  // a comment holding a tag, a processing instruction, a quoted '>'.
  const size_t header = body.find("<message:Header>");
  ASSERT_NE(header, std::string::npos);
  body.insert(header, "<!-- not a <Series> here, nor --> <?hub note > ?>");
  const size_t series = body.find("<Series ");
  ASSERT_NE(series, std::string::npos);
  body.insert(series, "<!-- between --><?pi x?>");
  const size_t obs_status = body.find("OBS_STATUS=\"A\"");
  ASSERT_NE(obs_status, std::string::npos);
  body.replace(obs_status, 14, "OBS_STATUS=\"A\" COMMENT_OBS=\"a &gt; b, 'q' > r\"");
  Diagnostics check;
  const Content whole = hub::testing::ReadContent(body, set, &check, "edge.xml");
  ASSERT_EQ(whole.obs.size(), 1u) << check.ToString();
  ASSERT_NE(whole.obs.begin()->second.find("COMMENT_OBS=a > b, 'q' > r"), std::string::npos) << whole.obs.begin()->second;
  ExpectSameWhileArriving(body, 1, set, "edge.xml");
  ExpectSameWhileArriving(body, 7, set, "edge.xml");
}

TEST(DataReaderArrivingTest, LargeMessagesInEveryFormatReadTheSame) {
  const StructureSet set = hub::testing::DemoStructures();
  for (DataFormat f : {DataFormat::kGeneric21, DataFormat::kStructureSpecific21, DataFormat::kStructureSpecific30,
                       DataFormat::kCsv10, DataFormat::kCsv20, DataFormat::kJson20}) {
    const std::string body = hub::testing::LargeDemoMessage(3'000, f);
    ExpectSameWhileArriving(body, 512, set, "large." + std::string(FormatName(f)));
  }
}

TEST(DataReaderArrivingTest, CsvCutAnywhereReadsTheSame) {
  const StructureSet set = hub::testing::DemoStructures();
  std::string csv = hub::testing::LargeDemoMessage(40, DataFormat::kCsv20);
  // A BOM, CRLF line ends and a quoted field with a comma, a doubled quote
  // and a line break: each can be cut between two pieces.
  std::string crlf = "\xEF\xBB\xBF";
  for (char c : csv) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  const size_t header_end = crlf.find("\r\n");
  ASSERT_NE(header_end, std::string::npos);
  Diagnostics check;
  ASSERT_EQ(hub::testing::ReadContent(crlf, set, &check, "crlf.csv").obs.size(), 40u) << check.ToString();
  ExpectSameWhileArriving(crlf, 1, set, "crlf.csv");
  ExpectSameWhileArriving(crlf, 5, set, "crlf.csv");
  // A quoted multi-line value: the series' unit, on every row.
  std::string quoted = crlf;
  for (size_t at = 0; (at = quoted.find("PER_100000_LIVE_BIRTHS", at)) != std::string::npos;) {
    quoted.replace(at, 22, "\"PER_100000,\r\n\"\"LIVE\"\"_BIRTHS\"");
    at += 10;
  }
  ExpectSameWhileArriving(quoted, 3, set, "quoted.csv");
}

TEST(DataReaderArrivingTest, AnUploadCutShortEndsInALocatedTruncation) {
  const StructureSet set = hub::testing::DemoStructures();
  for (DataFormat f : {DataFormat::kStructureSpecific21, DataFormat::kCsv20}) {
    const std::string body = hub::testing::LargeDemoMessage(2'000, f);
    const size_t cut = body.size() / 2;
    Trickle trickle(body, 4096, 7, cut);
    Diagnostics diags;
    CheckCounts counts;
    hub::Status s = CheckMessage(trickle.bytes(), "cut", set, {}, &diags, &counts);
    const hub::Status upload = trickle.bytes()->WaitAll();
    EXPECT_FALSE(upload.ok());
    EXPECT_EQ(trickle.bytes()->available(), cut);
    EXPECT_NE(upload.message().find("cut at"), std::string::npos) << upload.ToString();
    // Read up to the cut, and no further.
    EXPECT_GT(counts.observations, 0u);
    EXPECT_LT(counts.observations, 2'000u);
    // SDMX-ML says where it ends; SDMX-CSV has no end marker, so only
    // WaitAll (above) tells a cut CSV upload from a short message.
    if (f == DataFormat::kStructureSpecific21) {
      EXPECT_FALSE(s.ok());
      ASSERT_FALSE(diags.items().empty());
      const Diagnostic& d = diags.items().back();
      EXPECT_EQ(d.rule, "well-formed-xml") << d.ToString();
      // Located at the cut: on the last line that arrived.
      const std::string_view in = std::string_view(body).substr(0, cut);
      EXPECT_EQ(d.line, 1 + std::count(in.begin(), in.end(), '\n')) << d.ToString();
    }
  }
}

TEST(DataReaderArrivingTest, RootElementNameWaitsForTheFirstTagOnly) {
  const std::string body = "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<!-- c --><mes:Structure xmlns:mes=\"x\">";
  Trickle xml(body, 1, 3);
  EXPECT_EQ(RootElementName(xml.bytes()), "Structure");
  // Not XML: answered from the first significant byte, not after the body.
  const std::string csv = "  STRUCTURE,STRUCTURE_ID\n";
  Trickle c(csv, 1, 3, 3);  // stops after the first byte past the spaces
  EXPECT_EQ(RootElementName(c.bytes()), "");
}

}  // namespace
}  // namespace sdmx
