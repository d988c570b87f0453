// Issue 16.6 (readers): the XML declaration's encoding is honoured. A
// message in ISO-8859-1, windows-1252 or UTF-16 reads as the same message
// in UTF-8 would (values in UTF-8, lines where they were), read whole or
// arriving; an encoding the hub cannot read is refused, located.
#include "sdmx/text_encoding.h"

#include <gtest/gtest.h>

#include "hub/base/utf8.h"
#include "sdmx/check.h"
#include "sdmx/data_writer.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"
#include "testing/round_trip.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

// UTF-8 `s` in `to` (for the characters these tests use).
std::string Encode(std::string_view s, TextEncoding to) {
  std::string out;
  if (to == TextEncoding::kUtf16Le) out = "\xFF\xFE";
  if (to == TextEncoding::kUtf16Be) out = "\xFE\xFF";
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t len = hub::DecodeUtf8(s.substr(i), &cp);
    EXPECT_GT(len, 0u);
    i += len == 0 ? 1 : len;
    if (to == TextEncoding::kUtf16Le || to == TextEncoding::kUtf16Be) {
      EXPECT_LT(cp, 0x10000u);
      const char hi = static_cast<char>(cp >> 8), lo = static_cast<char>(cp & 0xFF);
      out += to == TextEncoding::kUtf16Le ? std::string{lo, hi} : std::string{hi, lo};
    } else if (to == TextEncoding::kWindows1252 && cp == 0x2019) {
      out += '\x92';
    } else if (to == TextEncoding::kWindows1252 && cp == 0x20AC) {
      out += '\x80';
    } else {
      EXPECT_LT(cp, 0x100u);
      out += static_cast<char>(cp);
    }
  }
  return out;
}

constexpr char kSource[] = "Enqu\xC3\xAAte d\xC3\xA9mographique";  // UTF-8 "Enquête démographique"

// A one-observation demo message whose SOURCE_DETAIL is `source`, declared
// as `declared` (UTF-8 as written), in `format`.
std::string Message(const std::string& source, const std::string& declared,
                    DataFormat format = DataFormat::kStructureSpecific21) {
  Series s;
  s.key = {"A", "G", "SH_STA_MORT", "404", "_T", "_T", "_T"};
  s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  s.observations.push_back({"2020", "342", {{"OBS_STATUS", "A"}, {"SOURCE_DETAIL", source}}, 0});
  std::string body = hub::testing::DemoMessage({s}, Action::kReplace, format);
  const std::string utf8 = "encoding=\"UTF-8\"";
  if (const size_t at = body.find(utf8); at != std::string::npos && declared != "UTF-8") {
    body.replace(at, utf8.size(), "encoding=\"" + declared + "\"");
  }
  return body;
}

// SOURCE_DETAIL as read, whole and arriving (which must agree).
std::string SourceRead(const std::string& body, Diagnostics* diags) {
  const StructureSet set = hub::testing::DemoStructures();
  const hub::testing::Content whole = hub::testing::ReadContent(body, set, diags, "enc.xml");
  Diagnostics arriving_diags;
  const hub::testing::Content arriving = hub::testing::ReadContentArriving(body, 5, 1, set, &arriving_diags, "enc.xml");
  EXPECT_EQ(arriving.obs, whole.obs);
  EXPECT_EQ(arriving_diags.ToString(), diags->ToString());
  if (whole.obs.size() != 1) return "";
  const std::string& v = whole.obs.begin()->second;
  const size_t at = v.find("SOURCE_DETAIL=");
  return at == std::string::npos ? "" : v.substr(at + 14, v.find('|', at) - at - 14);
}

TEST(TextEncodingTest, Latin1DocumentReadsAsUtf8) {
  Diagnostics diags;
  EXPECT_EQ(SourceRead(Encode(Message(kSource, "ISO-8859-1"), TextEncoding::kLatin1), &diags), kSource);
  EXPECT_TRUE(diags.empty()) << diags.ToString();
  Diagnostics lower;
  EXPECT_EQ(SourceRead(Encode(Message(kSource, "latin1"), TextEncoding::kLatin1), &lower), kSource);
}

TEST(TextEncodingTest, Windows1252DocumentReadsItsCurlyQuote) {
  const std::string source = "l\xE2\x80\x99" "enqu\xC3\xAAte \xE2\x82\xAC";  // l’enquête €
  Diagnostics diags;
  EXPECT_EQ(SourceRead(Encode(Message(source, "windows-1252"), TextEncoding::kWindows1252), &diags), source);
  EXPECT_TRUE(diags.empty()) << diags.ToString();
}

TEST(TextEncodingTest, Utf16WithABomReadsAsUtf8) {
  for (TextEncoding e : {TextEncoding::kUtf16Le, TextEncoding::kUtf16Be}) {
    const std::string body = Encode(Message(kSource, "UTF-16"), e);
    Diagnostics diags;
    EXPECT_EQ(SourceRead(body, &diags), kSource) << TextEncodingName(e);
    EXPECT_TRUE(diags.empty()) << diags.ToString();
    EXPECT_EQ(RootElementName(body), "StructureSpecificData");
  }
  // SDMX-CSV has no declaration: a BOM says it.
  Diagnostics diags;
  EXPECT_EQ(SourceRead(Encode(Message(kSource, "UTF-8", DataFormat::kCsv20), TextEncoding::kUtf16Le), &diags), kSource);
  EXPECT_TRUE(diags.empty()) << diags.ToString();
}

TEST(TextEncodingTest, UsAsciiIsUtf8) {
  Diagnostics diags;
  EXPECT_EQ(SourceRead(Message("plain", "US-ASCII"), &diags), "plain");
  EXPECT_TRUE(diags.empty()) << diags.ToString();
}

// The case: ISO-8859-1 bytes in a message that does not say so.
TEST(TextEncodingTest, Latin1BytesUndeclaredAreRefusedLocated) {
  const std::string body = Encode(Message(kSource, "UTF-8"), TextEncoding::kLatin1);
  const int line = 1 + static_cast<int>(std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(body.find("<Obs")), '\n'));
  Diagnostics diags;
  EXPECT_EQ(SourceRead(body, &diags), "");
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags.items()[0].ToString().rfind("enc.xml:" + std::to_string(line) + ": Obs: utf-8: ", 0), 0u)
      << diags.ToString();
}

TEST(TextEncodingTest, UnknownEncodingAndUndefinedBytesAreRefusedLocated) {
  Diagnostics diags;
  EXPECT_EQ(SourceRead(Message("x", "Shift_JIS"), &diags), "");
  ASSERT_FALSE(diags.empty());
  EXPECT_EQ(diags.items()[0].rule, "encoding");
  EXPECT_EQ(diags.items()[0].line, 1);
  EXPECT_NE(diags.items()[0].message.find("Shift_JIS"), std::string::npos);

  // 0x81 is no windows-1252 character.
  std::string body = Message("PLACEHOLDER", "windows-1252");
  body.replace(body.find("PLACEHOLDER"), 11, "a\x81z");
  Diagnostics undefined;
  EXPECT_EQ(SourceRead(body, &undefined), "");
  ASSERT_FALSE(undefined.empty());
  EXPECT_EQ(undefined.items()[0].rule, "encoding");
  EXPECT_EQ(undefined.items()[0].element, "Obs");
  EXPECT_NE(undefined.items()[0].message.find("0x81"), std::string::npos);
}

// Structure messages too: names in windows-1252 and ISO-8859-1 read as UTF-8.
TEST(TextEncodingTest, StructureMessagesInLegacyEncodings) {
  std::string demo = DemoStructureMessage();
  demo.replace(demo.find(">Frequency<"), 11, ">Fr\xC3\xA9quence \xE2\x80\x99<");
  demo.replace(demo.find("encoding=\"UTF-8\""), 16, "encoding=\"windows-1252\"");
  StructureSet set;
  Diagnostics diags;
  ASSERT_TRUE(ReadStructureMessage(Encode(demo, TextEncoding::kWindows1252), "s.xml", {}, &set, &diags).ok())
      << diags.ToString();
  const Codelist* freq = set.FindCodelist({"SDMXHUB", "CL_FREQ", "1.0"});
  ASSERT_NE(freq, nullptr);
  EXPECT_EQ(freq->name, "Fr\xC3\xA9quence \xE2\x80\x99");
}

}  // namespace
}  // namespace sdmx
