// What text an SDMX message may hold, checked on the bytes before anything
// is read from them: UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing past U+10FFFF) of characters XML 1.0 allows (tab, LF, CR,
// U+0020-U+D7FF, U+E000-U+FFFD, U+10000-U+10FFFF), and in XML only the
// five predefined entities and character references to allowed characters.
// Every reader runs these (SDMX-ML and structure messages over their bytes,
// SDMX-CSV per field, SDMX-JSON over its text and its \u escapes): a value
// that passes can be stored (protobuf strings refuse invalid UTF-8) and
// written back as well-formed XML.
//
// The character check is one pass with an ASCII fast path (16 bytes per
// step with SSE2); the reference check costs one memchr for '&' on text
// without references.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sdmx {

// The first problem found in a text.
struct TextProblem {
  size_t offset = 0;        // of its first byte, in the text checked
  const char* rule = "";    // "utf-8", "xml-char" or "well-formed-xml"
  std::string message;
};

// Whether XML 1.0 allows code point `cp` in a document (the Char production).
bool IsXmlChar(uint32_t cp);

// (UTF-8 sequences are decoded by hub::DecodeUtf8, hub/base/utf8.h.)

// The first invalid UTF-8 sequence or character XML 1.0 forbids in `text`.
std::optional<TextProblem> CheckXmlChars(std::string_view text);

// The first '&' outside comments, CDATA sections and processing
// instructions that does not start &amp; &lt; &gt; &quot; &apos; or a
// character reference (&#N; / &#xH;) to a character XML allows: an
// undeclared entity (`&xxe;`; SDMX-ML admits no DTD that could declare one)
// or a bare '&'. `text` must begin outside any markup (a tag boundary).
std::optional<TextProblem> CheckXmlReferences(std::string_view text);

// CheckXmlChars, then CheckXmlReferences.
std::optional<TextProblem> CheckXmlText(std::string_view text);

// The first \u escape of a JSON text that names a character XML 1.0
// forbids (\u0001, \uFFFE) or half a surrogate pair (\uD800). Raw bytes
// are CheckXmlChars'. Any text: a backslash outside a string is the JSON
// parser's to refuse.
std::optional<TextProblem> CheckJsonEscapes(std::string_view json);

// `s` with each invalid UTF-8 sequence and each character XML forbids
// replaced by U+FFFD: for text quoted back to the sender (diagnostics),
// which must be storable and printable whatever the message held.
std::string SanitizedText(std::string_view s);

// The local name of the element whose tag holds or precedes byte `offset`
// of an XML text (the '<' before it), or "document": where a byte-level
// problem is, for a diagnostic, without parsing.
std::string ElementAt(std::string_view xml, size_t offset);

// "U+0001", "U+FFFE".
std::string CodePointName(uint32_t cp);

}  // namespace sdmx
