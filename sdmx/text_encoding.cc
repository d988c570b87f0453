#include "sdmx/text_encoding.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstdio>

namespace sdmx {
namespace {

// windows-1252 bytes 0x80-0x9F (the rest is ISO-8859-1); 0 = undefined.
constexpr std::array<uint16_t, 32> kCp1252 = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

void AppendUtf8(uint32_t cp, std::string* out) {
  if (cp < 0x80) {
    *out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out += static_cast<char>(0xC0 | (cp >> 6));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out += static_cast<char>(0xE0 | (cp >> 12));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out += static_cast<char>(0xF0 | (cp >> 18));
    *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// The encoding a declaration names (IANA names and the usual aliases).
std::optional<TextEncoding> ByName(std::string_view name) {
  const std::string n = Upper(name);
  if (n == "UTF-8" || n == "UTF8" || n == "US-ASCII" || n == "ASCII" || n == "ANSI_X3.4-1968") {
    return TextEncoding::kUtf8;
  }
  for (const char* alias : {"ISO-8859-1", "ISO_8859-1", "ISO8859-1", "LATIN1", "LATIN-1", "L1", "ISO-IR-100",
                            "CP819", "IBM819", "ISO_8859-1:1987"}) {
    if (n == alias) return TextEncoding::kLatin1;
  }
  if (n == "WINDOWS-1252" || n == "CP1252" || n == "X-CP1252") return TextEncoding::kWindows1252;
  return std::nullopt;
}

// The encoding="..." value of an XML declaration at the start of `head`
// (after a UTF-8 BOM), and its offset; empty when there is none.
std::string_view DeclaredEncoding(std::string_view head, size_t* offset) {
  const size_t start = head.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
  if (head.substr(start, 5) != "<?xml") return {};
  const size_t end = head.find("?>", start);
  const std::string_view decl = head.substr(start, end == std::string_view::npos ? head.size() - start : end - start);
  size_t at = decl.find("encoding");
  if (at == std::string_view::npos) return {};
  at += 8;
  while (at < decl.size() && (decl[at] == ' ' || decl[at] == '=' || decl[at] == '\t')) ++at;
  if (at >= decl.size() || (decl[at] != '"' && decl[at] != '\'')) return {};
  const size_t close = decl.find(decl[at], at + 1);
  if (close == std::string_view::npos) return {};
  *offset = start + at + 1;
  return decl.substr(at + 1, close - at - 1);
}

std::optional<TextProblem> Utf16ToUtf8(std::string_view in, bool big_endian, std::string* out) {
  auto unit = [&](size_t i) {
    const auto a = static_cast<unsigned char>(in[i]), b = static_cast<unsigned char>(in[i + 1]);
    return static_cast<uint32_t>(big_endian ? (a << 8) | b : (b << 8) | a);
  };
  size_t i = 0;
  if (in.size() >= 2 && unit(0) == 0xFEFF) i = 2;
  out->reserve(out->size() + in.size() / 2 * 3 / 2);
  for (; i + 1 < in.size(); i += 2) {
    uint32_t cp = unit(i);
    if (cp >= 0xD800 && cp <= 0xDBFF && i + 3 < in.size() && unit(i + 2) >= 0xDC00 && unit(i + 2) <= 0xDFFF) {
      cp = 0x10000 + ((cp - 0xD800) << 10) + (unit(i + 2) - 0xDC00);
      i += 2;
    } else if (cp >= 0xD800 && cp <= 0xDFFF) {
      return TextProblem{out->size(), "encoding", "a lone UTF-16 surrogate (" + CodePointName(cp) + ")"};
    }
    AppendUtf8(cp, out);
  }
  if (i < in.size()) return TextProblem{out->size(), "encoding", "UTF-16 text of an odd number of bytes"};
  return std::nullopt;
}

}  // namespace

const char* TextEncodingName(TextEncoding e) {
  switch (e) {
    case TextEncoding::kUtf8: return "UTF-8";
    case TextEncoding::kLatin1: return "ISO-8859-1";
    case TextEncoding::kWindows1252: return "windows-1252";
    case TextEncoding::kUtf16Le: return "UTF-16LE";
    case TextEncoding::kUtf16Be: return "UTF-16BE";
  }
  return "?";
}

std::optional<TextEncoding> DetectEncoding(std::string_view head, TextProblem* problem) {
  // Byte order marks, then '<' '?' in UTF-16 without one (XML 1.0, F.1).
  if (head.substr(0, 2) == "\xFF\xFE" || head.substr(0, 4) == std::string_view("<\0?\0", 4)) {
    return TextEncoding::kUtf16Le;
  }
  if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 4) == std::string_view("\0<\0?", 4)) {
    return TextEncoding::kUtf16Be;
  }
  size_t offset = 0;
  const std::string_view name = DeclaredEncoding(head, &offset);
  if (name.empty() || head.substr(0, 3) == "\xEF\xBB\xBF") return TextEncoding::kUtf8;  // the BOM wins
  if (std::optional<TextEncoding> e = ByName(name)) return e;
  const std::string n = Upper(name);
  if (n == "UTF-16" || n == "UTF-16LE" || n == "UTF-16BE") {
    *problem = {offset, "encoding", "the XML declaration says " + SanitizedText(name) +
                                        " but the document is not: send it with its byte order mark, or as UTF-8"};
    return std::nullopt;
  }
  *problem = {offset, "encoding",
              "encoding \"" + SanitizedText(name) +
                  "\" is not supported: send UTF-8 (or ISO-8859-1, windows-1252, US-ASCII, UTF-16)"};
  return std::nullopt;
}

std::optional<TextProblem> TranscodeToUtf8(std::string_view in, TextEncoding from, std::string* out) {
  switch (from) {
    case TextEncoding::kUtf8:
      out->append(in);
      return std::nullopt;
    case TextEncoding::kUtf16Le:
    case TextEncoding::kUtf16Be:
      return Utf16ToUtf8(in, from == TextEncoding::kUtf16Be, out);
    case TextEncoding::kLatin1:
    case TextEncoding::kWindows1252:
      break;
  }
  out->reserve(out->size() + in.size() + in.size() / 8);
  for (size_t i = 0; i < in.size(); ++i) {
    const size_t ascii = i;
    while (i < in.size() && static_cast<unsigned char>(in[i]) < 0x80) ++i;
    out->append(in.substr(ascii, i - ascii));  // runs of ASCII, whole
    if (i == in.size()) break;
    const auto c = static_cast<unsigned char>(in[i]);
    uint32_t cp = c;
    if (from == TextEncoding::kWindows1252 && c < 0xA0) {
      cp = kCp1252[c - 0x80];
      if (cp == 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        return TextProblem{out->size(), "encoding", std::string("byte ") + hex + " is not a windows-1252 character"};
      }
    }
    AppendUtf8(cp, out);
  }
  return std::nullopt;
}

}  // namespace sdmx
