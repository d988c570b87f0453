// Text that came from outside (a value in a rejected file, a file name, a
// client's id) quoted into a diagnostic or a log line: on one line, and
// bounded, whatever it held. A newline in a value must not forge a line of
// the text log or of a diagnostics file, and a 40 MB value must not become
// a 40 MB ledger record.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace hub {

// `text` with every control character escaped: \n, \r and \t as such, other
// C0 controls and DEL as \xHH, C1 controls (U+0080-U+009F) and the Unicode
// line and paragraph separators (U+2028, U+2029) as \uHHHH. Everything else
// (UTF-8 or not) is kept byte for byte. Backslashes are kept too: the point
// is one line per line, not a reversible encoding.
std::string EscapeControls(std::string_view text);

// EscapeControls(text) when that fits in `max_bytes`; else its head and its
// tail around "...[N bytes cut]..." (N counted in `text`), in at most
// `max_bytes` (at most 40 when `max_bytes` is smaller than that), never
// splitting a UTF-8 sequence or an escape. Costs O(max_bytes) beyond a scan
// for the first cut, never a copy of a large `text`.
std::string OneLine(std::string_view text, size_t max_bytes);

}  // namespace hub
