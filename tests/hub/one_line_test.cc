// hub/base/one_line.h: quoted text stays on one line and within its bound,
// never split inside a UTF-8 sequence or an escape.
#include "hub/base/one_line.h"

#include <gtest/gtest.h>

namespace hub {
namespace {

TEST(OneLineTest, ControlCharactersAreEscaped) {
  EXPECT_EQ(EscapeControls("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(EscapeControls(std::string("\x01\x7f", 2) + std::string(1, '\0')), "\\x01\\x7F\\x00");
  EXPECT_EQ(EscapeControls("nel\xC2\x85 ls\xE2\x80\xA8 ps\xE2\x80\xA9"), "nel\\u0085 ls\\u2028 ps\\u2029");
  // Text, UTF-8 or not, and backslashes are kept.
  EXPECT_EQ(EscapeControls("Côte d'Ivoire \\ \xff"), "Côte d'Ivoire \\ \xff");
}

TEST(OneLineTest, LongTextKeepsItsHeadAndTail) {
  EXPECT_EQ(OneLine("short\n", 100), "short\\n");
  const std::string text = "BEGIN" + std::string(100'000, 'x') + "\nEND";
  const std::string line = OneLine(text, 200);
  EXPECT_LE(line.size(), 200u);
  EXPECT_EQ(line.rfind("BEGIN", 0), 0u) << line;
  EXPECT_EQ(line.substr(line.size() - 5), "\\nEND") << line;
  EXPECT_NE(line.find("bytes cut]..."), std::string::npos) << line;
  EXPECT_EQ(line.find('\n'), std::string::npos);
  // The count is of the input's bytes left out.
  const size_t open = line.find("...["), close = line.find(" bytes cut]");
  const size_t cut = std::stoul(line.substr(open + 4, close - open - 4));
  const size_t head = open, tail = line.size() - line.find("]...") - 4;
  EXPECT_EQ(head + cut + tail, text.size() + 1) << line;  // "\n" became two bytes in the tail
}

TEST(OneLineTest, NeverSplitsASequenceOrAnEscape) {
  for (size_t max : {40, 41, 42, 43, 50, 51, 60, 61}) {
    const std::string line = OneLine(std::string(200, 'x') + "ééééé" + std::string(30, '\n'), max);
    EXPECT_LE(line.size(), max);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const std::string tail = line.substr(line.find("]...") + 4);
    EXPECT_EQ(tail.size() % 2, 0u) << tail;  // whole "\n" escapes only
    const std::string mixed = OneLine(std::string(100, 'x') + std::string(50, '\xC3') + "é" + std::string(40, 'y'), max);
    EXPECT_LE(mixed.size(), max);
  }
  const std::string tiny = OneLine(std::string(300, 'x'), 0);  // at least room for the marker
  EXPECT_EQ(tiny, std::string(9, 'x') + "...[281 bytes cut]..." + std::string(10, 'x'));
  const std::string utf8 = OneLine(std::string(90, 'x') + std::string(60, 'y') + "éééééééééééééééééééé", 60);
  EXPECT_EQ(utf8.substr(utf8.size() - 2), "é") << utf8;
  EXPECT_NE(utf8.substr(utf8.find("]...") + 4, 1), "\xA9") << "a continuation byte opens the tail";
}

}  // namespace
}  // namespace hub
