// Issue 16.6 (readers): text an SDMX message may not hold is refused with a
// located diagnostic before anything is read from it, in every reader and
// both ways of reading (whole, and arriving in pieces): invalid UTF-8,
// characters XML 1.0 forbids (raw, as &#1;, as JSON \u0001), undeclared
// entities and duplicated attributes (pugixml lets the last two through).
#include "sdmx/text_check.h"

#include <gtest/gtest.h>

#include "sdmx/check.h"
#include "sdmx/data_writer.h"
#include "sdmx/demo_feed.h"
#include "sdmx/structure_reader.h"
#include "testing/round_trip.h"
#include "testing/test_util.h"

namespace sdmx {
namespace {

TEST(TextCheckTest, Utf8AndXmlChars) {
  EXPECT_FALSE(CheckXmlChars("plain ASCII, tabs\t, lines\r\n, caf\xC3\xA9, \xF0\x9F\x98\x80 and \x7F"));
  // Long enough for the vector path, the problem past its first blocks.
  const std::string padding(100, 'x');
  auto at = [](std::string_view text) {
    std::optional<TextProblem> p = CheckXmlChars(text);
    return p ? std::string(p->rule) + "@" + std::to_string(p->offset) : std::string("ok");
  };
  EXPECT_EQ(at(padding + "\x01"), "xml-char@100");
  EXPECT_EQ(at(padding + "caf\xE9"), "utf-8@103");               // ISO-8859-1 é
  EXPECT_EQ(at(padding + "\xC3"), "utf-8@100");                  // cut sequence
  EXPECT_EQ(at(padding + "\xC0\xAF"), "utf-8@100");              // overlong '/'
  EXPECT_EQ(at(padding + "\xED\xA0\x80"), "utf-8@100");          // U+D800
  EXPECT_EQ(at(padding + "\xF4\x90\x80\x80"), "utf-8@100");      // past U+10FFFF
  EXPECT_EQ(at(padding + "\xEF\xBF\xBE"), "xml-char@100");       // U+FFFE
  EXPECT_EQ(at(padding + "\x1F" + padding), "xml-char@100");
  EXPECT_EQ(CheckXmlChars("\x0B")->message, "U+000B is a character XML 1.0 forbids");
}

TEST(TextCheckTest, References) {
  EXPECT_FALSE(CheckXmlReferences("<a x=\"&amp;&lt;&gt;&quot;&apos;&#233;&#xE9;&#x1F600;\">R&amp;D</a>"));
  EXPECT_FALSE(CheckXmlReferences("<!-- R&D --><![CDATA[ & ]]><?pi & ?><a/>"));
  auto rule = [](std::string_view text) {
    std::optional<TextProblem> p = CheckXmlReferences(text);
    return p ? std::string(p->rule) + "@" + std::to_string(p->offset) : std::string("ok");
  };
  EXPECT_EQ(rule("<a x=\"&xxe;\"/>"), "well-formed-xml@6");
  EXPECT_EQ(rule("<!-- & --><a>&xxe;</a>"), "well-formed-xml@13");
  EXPECT_EQ(rule("<a>R&D</a>"), "well-formed-xml@4");
  EXPECT_EQ(rule("<a>&#1;</a>"), "xml-char@3");
  EXPECT_EQ(rule("<a>&#xD800;</a>"), "xml-char@3");
  EXPECT_EQ(rule("<a>&#0;</a>"), "xml-char@3");
  EXPECT_EQ(rule("<a>&#X41;</a>"), "well-formed-xml@3");  // 'x' only
  EXPECT_EQ(rule("<a>&#x110000;</a>"), "xml-char@3");
  EXPECT_NE(CheckXmlReferences("<a>&xxe;</a>")->message.find("undeclared entity &xxe;"), std::string::npos);
}

TEST(TextCheckTest, JsonEscapes) {
  EXPECT_FALSE(CheckJsonEscapes(R"({"a":"\u00e9\t\\u0001\ud83d\ude00"})"));
  EXPECT_EQ(CheckJsonEscapes(R"({"a":"x\u0001"})")->offset, 7u);
  EXPECT_TRUE(CheckJsonEscapes(R"({"a":"\uFFFF"})"));
  EXPECT_TRUE(CheckJsonEscapes(R"({"a":"\udc00"})"));
}

TEST(TextCheckTest, SanitizedTextIsValid) {
  EXPECT_EQ(SanitizedText("caf\xE9\x01!"), "caf\xEF\xBF\xBD\xEF\xBF\xBD!");
  Diagnostics diags;
  diags.Add({"f\xFF", 1, "Obs\xE9", "utf-8", "bad \x01"});
  EXPECT_FALSE(CheckXmlChars(diags.ToString()));
}

// A one-series demo message in `format` whose SOURCE_DETAIL (a string
// attribute) is PLACEHOLDER.
std::string Write(DataFormat format) {
  Series s;
  s.key = {"A", "G", "SH_STA_MORT", "404", "_T", "_T", "_T"};
  s.attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  s.observations.push_back({"2020", "342", {{"OBS_STATUS", "A"}, {"SOURCE_DETAIL", "PLACEHOLDER"}}, 0});
  return hub::testing::DemoMessage({s}, Action::kReplace, format);
}

// The line of the first `what` in `body`.
int LineOf(const std::string& body, const std::string& what) {
  const size_t at = body.find(what);
  EXPECT_NE(at, std::string::npos) << what;
  return 1 + static_cast<int>(std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string Replace(std::string body, const std::string& what, const std::string& with) {
  const size_t at = body.find(what);
  EXPECT_NE(at, std::string::npos) << what;
  return at == std::string::npos ? body : body.replace(at, what.size(), with);
}

struct BadCase {
  const char* name;
  DataFormat format;
  std::string replace;  // what replaces `what` (PLACEHOLDER unless given)
  const char* rule;
  const char* element;
  const char* message_part;
  std::string what = "PLACEHOLDER";
  int line_offset = 0;  // the problem's line, from the line of `what`
};

void PrintTo(const BadCase& c, std::ostream* os) { *os << c.name; }

class RefusedTextTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(RefusedTextTest, IsRefusedLocatedReadWholeOrArriving) {
  const BadCase& c = GetParam();
  const std::string written = Write(c.format);
  const std::string body = Replace(written, c.what, c.replace);
  const StructureSet set = hub::testing::DemoStructures();
  Diagnostics diags;
  // The reader's status, not just a diagnostic: ingest appends nothing of a
  // message whose reading ended in error.
  EXPECT_FALSE(CheckMessage(body, "bad.msg", set, {}, &diags).ok()) << c.name;
  ASSERT_FALSE(diags.empty()) << c.name << " was accepted";
  const Diagnostic& d = diags.items().front();
  EXPECT_EQ(d.rule, c.rule) << diags.ToString();
  EXPECT_EQ(d.file, "bad.msg");
  EXPECT_EQ(d.line, LineOf(written, c.what) + c.line_offset) << diags.ToString();
  EXPECT_EQ(d.element, c.element) << diags.ToString();
  EXPECT_NE(d.message.find(c.message_part), std::string::npos) << d.ToString();
  EXPECT_FALSE(CheckXmlChars(diags.ToString())) << "diagnostics must be clean text";
  if (c.format == DataFormat::kJson20) return;  // SDMX-JSON is read whole anyway
  for (uint32_t seed = 1; seed <= 2; ++seed) {
    Diagnostics arriving;
    (void)hub::testing::ReadContentArriving(body, 7, seed, set, &arriving, "bad.msg");
    EXPECT_EQ(arriving.ToString(), diags.ToString()) << "seed " << seed;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Readers, RefusedTextTest,
    ::testing::Values(
        BadCase{"CharRefU0001", DataFormat::kStructureSpecific21, "a&#1;b", "xml-char", "Obs", "U+0001"},
        BadCase{"RawU0001", DataFormat::kStructureSpecific21, "a\x01z", "xml-char", "Obs", "U+0001"},
        BadCase{"RawUFFFE", DataFormat::kStructureSpecific30, "a\xEF\xBF\xBE", "xml-char", "Obs", "U+FFFE"},
        BadCase{"CharRefSurrogate", DataFormat::kGeneric21, "&#xD800;", "xml-char", "Value", "U+D800"},
        BadCase{"Latin1ByteInUtf8Document", DataFormat::kStructureSpecific21, "Enqu\xEAte", "utf-8", "Obs", "0xEA"},
        BadCase{"Latin1ByteInGeneric", DataFormat::kGeneric21, "Enqu\xEAte", "utf-8", "Value", "0xEA"},
        BadCase{"UndeclaredEntity", DataFormat::kStructureSpecific21, "&xxe;", "well-formed-xml", "Obs", "&xxe;"},
        BadCase{"BareAmpersand", DataFormat::kStructureSpecific21, "R&D", "well-formed-xml", "Obs", "&amp;"},
        BadCase{"DuplicateObsAttribute", DataFormat::kStructureSpecific21, "x\" NATURE=\"C\" NATURE=\"E",
                "well-formed-xml", "Obs", "NATURE appears twice"},
        BadCase{"DuplicateObsAttribute30", DataFormat::kStructureSpecific30, "x\" NATURE=\"C\" NATURE=\"E",
                "well-formed-xml", "Obs", "NATURE appears twice"},
        BadCase{"DuplicateGenericValue", DataFormat::kGeneric21, "x\" value=\"y", "well-formed-xml", "Value",
                "value appears twice"},
        BadCase{"DuplicateSeriesAttribute", DataFormat::kStructureSpecific21,
                "UNIT_MEASURE=\"PT\" UNIT_MEASURE=\"PT\"", "well-formed-xml", "Series", "UNIT_MEASURE appears twice",
                "UNIT_MEASURE=\"PER_100000_LIVE_BIRTHS\""},
        BadCase{"EntityInHeader", DataFormat::kStructureSpecific21, "<message:ID>&xxe;", "well-formed-xml", "ID",
                "&xxe;", "<message:ID>"},
        BadCase{"ControlAfterTheDataSet", DataFormat::kStructureSpecific21, "</message:DataSet>\n<!-- \x02 -->",
                "xml-char", "document", "U+0002", "</message:DataSet>", 1},
        BadCase{"CsvRawU0001", DataFormat::kCsv20, "a\x01z", "xml-char", "SOURCE_DETAIL", "U+0001"},
        BadCase{"CsvLatin1", DataFormat::kCsv10, "Enqu\xEAte", "utf-8", "SOURCE_DETAIL", "0xEA"},
        BadCase{"JsonEscapedU0001", DataFormat::kJson20, "a\\u0001", "xml-char", "string", "U+0001"},
        BadCase{"JsonEscapedUFFFF", DataFormat::kJson20, "a\\uffff", "xml-char", "string", "U+FFFF"},
        BadCase{"JsonLoneSurrogate", DataFormat::kJson20, "a\\ud800z", "xml-char", "string", "U+D800"},
        BadCase{"JsonLatin1", DataFormat::kJson20, "Enqu\xEAte", "utf-8", "string", "0xEA"}),
    [](const ::testing::TestParamInfo<BadCase>& info) { return std::string(info.param.name); });

// What XML allows still reads, to the character.
TEST(AcceptedTextTest, ReferencesAndNonAsciiReadAsTheirCharacters) {
  const StructureSet set = hub::testing::DemoStructures();
  std::string body = Replace(Write(DataFormat::kStructureSpecific21), "PLACEHOLDER", "R&amp;D &#233;t&#xE9; \xC3\xA9 \xF0\x9F\x98\x80 a&#9;b");
  body = Replace(body, "<Series", "<!-- R&D & <things> --><Series");
  Diagnostics diags;
  const hub::testing::Content c = hub::testing::ReadContent(body, set, &diags, "ok.xml");
  EXPECT_TRUE(diags.empty()) << diags.ToString();
  ASSERT_EQ(c.obs.size(), 1u);
  EXPECT_NE(c.obs.begin()->second.find("SOURCE_DETAIL=R&D \xC3\xA9t\xC3\xA9 \xC3\xA9 \xF0\x9F\x98\x80 a\tb"),
            std::string::npos)
      << c.obs.begin()->second;
}

// Structure messages go through the same checks (ParseXml).
TEST(StructureTextTest, StructureMessagesAreCheckedToo) {
  const std::string demo = DemoStructureMessage();
  const size_t name = demo.find("<com:Name xml:lang=\"en\">Frequency</com:Name>");
  ASSERT_NE(name, std::string::npos);
  const int line = 1 + static_cast<int>(std::count(demo.begin(), demo.begin() + static_cast<std::ptrdiff_t>(name), '\n'));
  struct Case {
    std::string from, to, rule, element;
  };
  for (const Case& c : {Case{"Frequency</com:Name>", "&xxe;</com:Name>", "well-formed-xml", "Name"},
                        Case{"Frequency</com:Name>", "Fr&#1;</com:Name>", "xml-char", "Name"},
                        Case{"Frequency</com:Name>", "Fr\xE9quence</com:Name>", "utf-8", "Name"},
                        Case{"<com:Name xml:lang=\"en\">Frequency", "<com:Name xml:lang=\"en\" xml:lang=\"fr\">Frequency",
                             "well-formed-xml", "Name"}}) {
    StructureSet set;
    Diagnostics diags;
    EXPECT_FALSE(ReadStructureMessage(Replace(demo, c.from, c.to), "s.xml", {}, &set, &diags).ok()) << c.to;
    ASSERT_FALSE(diags.empty()) << c.to;
    EXPECT_EQ(diags.items()[0].rule, c.rule) << diags.ToString();
    EXPECT_EQ(diags.items()[0].line, line) << diags.ToString();
    EXPECT_EQ(diags.items()[0].element, c.element) << diags.ToString();
    EXPECT_TRUE(set.empty());
  }
}

}  // namespace
}  // namespace sdmx
