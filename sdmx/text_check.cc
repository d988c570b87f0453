#include "sdmx/text_check.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "hub/base/utf8.h"

namespace sdmx {
namespace {

bool IsPlainByte(unsigned char c) { return (c >= 0x20 && c < 0x80) || c == '\t' || c == '\n' || c == '\r'; }

// Offset of the first byte at or after `i` that is not printable ASCII,
// tab, LF or CR; `n` when there is none. Nearly all of an SDMX message is
// such bytes: 64 of them per step, one signed compare per 16 (bytes >= 0x80
// count as "< 0x20" with the controls), and only the flagged bytes, nearly
// all line ends, looked at one by one.
size_t SkipPlain(const char* p, size_t i, size_t n) {
#if defined(__SSE2__)
  const __m128i space = _mm_set1_epi8(0x20);
  auto flags = [&](size_t at) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + at));
    return static_cast<uint64_t>(static_cast<uint16_t>(_mm_movemask_epi8(_mm_cmplt_epi8(v, space))));
  };
  for (; i + 64 <= n; i += 64) {
    uint64_t mask = flags(i) | flags(i + 16) << 16 | flags(i + 32) << 32 | flags(i + 48) << 48;
    for (; mask != 0; mask &= mask - 1) {
      const size_t at = i + static_cast<size_t>(__builtin_ctzll(mask));
      const char c = p[at];
      if (c != '\n' && c != '\r' && c != '\t') return at;
    }
  }
#endif
  while (i < n && IsPlainByte(static_cast<unsigned char>(p[i]))) ++i;
  return i;
}

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
         c == '.' || c == ':' || static_cast<unsigned char>(c) >= 0x80;
}

// The reference starting with the '&' at text[at], if it is not allowed.
std::optional<TextProblem> CheckReference(std::string_view text, size_t at) {
  const size_t semi = text.find(';', at + 1);
  // A reference is short; looking further would only find an unrelated ';'.
  const std::string_view ref =
      semi == std::string_view::npos || semi - at > 12 ? std::string_view() : text.substr(at + 1, semi - at - 1);
  auto problem = [&](const char* rule, std::string msg) {
    return std::optional<TextProblem>(TextProblem{at, rule, std::move(msg)});
  };
  if (ref.empty()) return problem("well-formed-xml", "'&' does not start a reference: write &amp; for an ampersand");
  if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") return std::nullopt;
  if (ref[0] == '#') {
    const bool hex = ref.size() > 1 && ref[1] == 'x';
    std::string_view digits = ref.substr(hex ? 2 : 1);
    uint32_t cp = 0;
    bool ok = !digits.empty();
    for (char c : digits) {
      int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                           : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0 || cp > 0x10FFFF) {
        ok = false;
        break;
      }
      cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(d);
    }
    if (!ok) return problem("well-formed-xml", "&" + std::string(ref) + "; is not a character reference");
    if (!IsXmlChar(cp)) {
      return problem("xml-char", "&" + std::string(ref) + "; refers to " + CodePointName(cp) +
                                     ", a character XML 1.0 forbids");
    }
    return std::nullopt;
  }
  for (char c : ref) {
    if (!IsNameChar(c)) return problem("well-formed-xml", "'&' does not start a reference: write &amp; for an ampersand");
  }
  return problem("well-formed-xml", "undeclared entity &" + SanitizedText(ref) +
                                        "; (SDMX-ML may use only &amp; &lt; &gt; &quot; &apos; and character references)");
}

// Where markup that may hold a literal '&' (comment, CDATA, PI) starting at
// text[at] ends, or npos when text[at] does not start one.
size_t SkipOpaqueMarkup(std::string_view text, size_t at) {
  auto past = [&](std::string_view close, size_t from) {
    const size_t e = text.find(close, from);
    return e == std::string_view::npos ? text.size() : e + close.size();
  };
  const std::string_view rest = text.substr(at);
  if (rest.substr(0, 4) == "<!--") return past("-->", at + 4);
  if (rest.substr(0, 9) == "<![CDATA[") return past("]]>", at + 9);
  if (rest.substr(0, 2) == "<?") return past("?>", at + 2);
  return std::string_view::npos;
}

}  // namespace

bool IsXmlChar(uint32_t cp) {
  if (cp < 0x20) return cp == 0x9 || cp == 0xA || cp == 0xD;
  if (cp <= 0xD7FF) return true;
  if (cp < 0xE000) return false;  // surrogates
  if (cp <= 0xFFFD) return true;
  return cp >= 0x10000 && cp <= 0x10FFFF;
}


std::optional<TextProblem> CheckXmlChars(std::string_view text) {
  const char* p = text.data();
  const size_t n = text.size();
  for (size_t i = 0; (i = SkipPlain(p, i, n)) < n;) {
    uint32_t cp = 0;
    const size_t len = hub::DecodeUtf8(text.substr(i, 4), &cp);
    if (len == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02X", static_cast<unsigned char>(p[i]));
      return TextProblem{i, "utf-8", std::string("invalid UTF-8: byte ") + hex + " does not start a valid sequence"};
    }
    if (!IsXmlChar(cp)) return TextProblem{i, "xml-char", CodePointName(cp) + " is a character XML 1.0 forbids"};
    i += len;
  }
  return std::nullopt;
}

std::optional<TextProblem> CheckXmlReferences(std::string_view text) {
  const char* amp = static_cast<const char*>(std::memchr(text.data(), '&', text.size()));
  if (amp == nullptr) return std::nullopt;  // the common case: one memchr
  const bool opaque_markup = text.find("<!") != std::string_view::npos || text.find("<?") != std::string_view::npos;
  if (!opaque_markup) {  // every '&' is in a value or text: each must be a reference
    for (size_t at = static_cast<size_t>(amp - text.data()); at != std::string_view::npos;
         at = text.find('&', at + 1)) {
      if (auto p = CheckReference(text, at)) return p;
    }
    return std::nullopt;
  }
  for (size_t at = 0; (at = text.find_first_of("<&", at)) != std::string_view::npos;) {
    if (text[at] == '<') {
      const size_t end = SkipOpaqueMarkup(text, at);
      at = end == std::string_view::npos ? at + 1 : end;
      continue;
    }
    if (auto p = CheckReference(text, at)) return p;
    ++at;
  }
  return std::nullopt;
}

std::optional<TextProblem> CheckXmlText(std::string_view text) {
  if (auto p = CheckXmlChars(text)) return p;
  return CheckXmlReferences(text);
}

std::optional<TextProblem> CheckJsonEscapes(std::string_view json) {
  auto hex4 = [&](size_t at, uint32_t* v) {
    if (at + 4 > json.size()) return false;
    *v = 0;
    for (size_t i = at; i < at + 4; ++i) {
      const char c = json[i];
      const int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                                         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
      if (d < 0) return false;
      *v = *v * 16 + static_cast<uint32_t>(d);
    }
    return true;
  };
  for (size_t at = json.find('\\'); at != std::string_view::npos; at = json.find('\\', at)) {
    if (at + 1 >= json.size() || json[at + 1] != 'u') {
      at += 2;  // \" \\ \n ...: the escaped character is not a new escape
      continue;
    }
    uint32_t cp = 0;
    if (!hex4(at + 2, &cp)) return std::nullopt;  // the JSON parser refuses it
    size_t len = 6;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      uint32_t low = 0;
      if (json.substr(at + 6, 2) == "\\u" && hex4(at + 8, &low) && low >= 0xDC00 && low <= 0xDFFF) {
        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        len = 12;
      }
    }
    if (!IsXmlChar(cp)) {
      return TextProblem{at, "xml-char", "\\u" + std::string(json.substr(at + 2, 4)) + " is " + CodePointName(cp) +
                                             (cp >= 0xD800 && cp <= 0xDFFF ? ", half a surrogate pair" : "") +
                                             ", a character XML 1.0 forbids"};
    }
    at += len;
  }
  return std::nullopt;
}

std::string SanitizedText(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    const size_t len = hub::DecodeUtf8(s.substr(i, 4), &cp);
    if (len == 0 || !IsXmlChar(cp)) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      i += len == 0 ? 1 : len;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::string ElementAt(std::string_view xml, size_t offset) {
  offset = std::min(offset, xml.size());
  // A tag is short: look back a little, not through a whole text node.
  const size_t from = offset > 4096 ? offset - 4096 : 0;
  const size_t lt = xml.substr(from, offset - from).rfind('<');
  if (lt == std::string_view::npos) return "document";
  size_t b = from + lt + 1;
  if (b < xml.size() && xml[b] == '/') ++b;
  size_t e = b;
  while (e < xml.size() && e - b < 64 && IsNameChar(xml[e])) ++e;
  std::string_view name = xml.substr(b, e - b);
  if (const size_t colon = name.find(':'); colon != std::string_view::npos) name = name.substr(colon + 1);
  return name.empty() ? "document" : SanitizedText(name);
}

std::string CodePointName(uint32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

}  // namespace sdmx
