// UTF-8 checks shared by every layer that must not pass invalid text on:
// protobuf (proto3 `string` fields refuse invalid UTF-8 when parsed), JSON
// answers, log lines.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace hub {

// Length (1-4) of the valid UTF-8 sequence at the start of `s` (RFC 3629:
// no overlong forms, no surrogates, nothing past U+10FFFF), its code point
// in *cp; 0 when `s` does not start with one (or is empty).
size_t DecodeUtf8(std::string_view s, uint32_t* cp);

// Length of the valid UTF-8 prefix of `s` (s.size() when all of it is):
// well-formed sequences only, no overlongs, surrogates or code points past
// U+10FFFF.
size_t ValidUtf8Prefix(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return ValidUtf8Prefix(s) == s.size(); }

// `s` with each invalid byte replaced by U+FFFD, at most `max_bytes` of it
// (cut on a character boundary, "..." appended when cut).
std::string ToValidUtf8(std::string_view s, size_t max_bytes = std::string_view::npos);

}  // namespace hub
