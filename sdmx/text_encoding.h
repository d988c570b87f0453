// Character encodings of incoming messages. The readers work on UTF-8; a
// message in another encoding is transcoded to UTF-8 first, whole
// (DataReader::Open, ReadStructureMessage): an upload in a legacy encoding
// is read once it has all arrived, which the HTTP body limit bounds.
//
// The encoding is told by a byte order mark, else (SDMX-ML) by the XML
// declaration's encoding="..." (XML 1.0, 4.3.3 and appendix F), else it is
// UTF-8. Supported: UTF-8, US-ASCII (read as UTF-8, of which it is a
// subset), ISO-8859-1 (latin1), windows-1252 and UTF-16 (LE/BE, with a BOM
// or an XML declaration in UTF-16). Anything else is refused: reading it as
// UTF-8 would garble every non-ASCII character.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sdmx/text_check.h"

namespace sdmx {

enum class TextEncoding { kUtf8, kLatin1, kWindows1252, kUtf16Le, kUtf16Be };
const char* TextEncodingName(TextEncoding e);

// How many leading bytes DetectEncoding needs (the BOM and an XML
// declaration fit well within): give it this many, or all there are.
constexpr size_t kEncodingHeadBytes = 512;

// The encoding of a message from its first bytes. An unknown encoding name
// in the XML declaration: nullopt and *problem (rule "encoding", offset of
// the name).
std::optional<TextEncoding> DetectEncoding(std::string_view head, TextProblem* problem);

// `in`, in `from`, as UTF-8 into *out (a BOM dropped). A byte or sequence
// that is not a character in `from` (an undefined windows-1252 byte, a
// lone UTF-16 surrogate, an odd final byte): the problem (rule "encoding"),
// its offset into *out, which then holds the text before it, so that a
// caller can locate it (lines are kept: transcoding keeps every line end).
std::optional<TextProblem> TranscodeToUtf8(std::string_view in, TextEncoding from, std::string* out);

}  // namespace sdmx
