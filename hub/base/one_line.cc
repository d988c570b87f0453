#include "hub/base/one_line.h"

#include <algorithm>
#include <vector>

namespace hub {
namespace {

// Room OneLine always allows for its marker: "...[N bytes cut]..." with N
// of up to 20 digits fits in 37 bytes.
constexpr size_t kMinBytes = 40;

// Length of the UTF-8 sequence starting at text[i] when it is a valid one
// (lead byte and continuation bytes), else 0.
size_t Utf8Len(std::string_view text, size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const size_t n = c < 0x80 ? 1 : c >= 0xC2 && c <= 0xDF ? 2 : (c >> 4) == 0xE ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return 0;
  }
  return n;
}

// The unit (a valid UTF-8 sequence, or one byte) that starts at `i`.
std::string_view UnitAt(std::string_view text, size_t i) { return text.substr(i, std::max<size_t>(Utf8Len(text, i), 1)); }

// The unit that ends just before `end`: a valid sequence ending there, else
// the one byte before it.
std::string_view UnitBefore(std::string_view text, size_t end) {
  for (size_t k = 1; k <= 4 && k <= end; ++k) {
    if (Utf8Len(text, end - k) == k) return text.substr(end - k, k);
  }
  return text.substr(end - 1, 1);
}

void AppendEscaped(std::string_view unit, std::string* out) {
  static const char kHex[] = "0123456789ABCDEF";
  const auto c = static_cast<unsigned char>(unit[0]);
  if (unit.size() == 1 && (c < 0x20 || c == 0x7F)) {
    if (c == '\n') return out->append("\\n"), void();
    if (c == '\r') return out->append("\\r"), void();
    if (c == '\t') return out->append("\\t"), void();
    return out->append({'\\', 'x', kHex[c >> 4], kHex[c & 15]}), void();
  }
  const auto c1 = unit.size() > 1 ? static_cast<unsigned char>(unit[1]) : 0;
  if (unit.size() == 2 && c == 0xC2 && c1 <= 0x9F) {  // C1 controls, NEL (U+0085) among them
    return out->append({'\\', 'u', '0', '0', kHex[c1 >> 4], kHex[c1 & 15]}), void();
  }
  if (unit == "\xE2\x80\xA8") return out->append("\\u2028"), void();
  if (unit == "\xE2\x80\xA9") return out->append("\\u2029"), void();
  out->append(unit);
}

}  // namespace

std::string EscapeControls(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const std::string_view unit = UnitAt(text, i);
    AppendEscaped(unit, &out);
    i += unit.size();
  }
  return out;
}

std::string OneLine(std::string_view text, size_t max_bytes) {
  max_bytes = std::max(max_bytes, kMinBytes);
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const std::string_view unit = UnitAt(text, i);
    AppendEscaped(unit, &out);
    if (out.size() > max_bytes) break;
    i += unit.size();
  }
  if (i == text.size()) return out;
  // Too long: keep a head and a tail, each within half of what the marker
  // leaves (sized for the largest count it may show).
  const size_t room = max_bytes - (std::string_view("...[ bytes cut]...").size() + std::to_string(text.size()).size());
  std::string head;
  size_t head_end = 0;
  while (head_end < text.size()) {
    const std::string_view unit = UnitAt(text, head_end);
    std::string escaped;
    AppendEscaped(unit, &escaped);
    if (head.size() + escaped.size() > room / 2) break;
    head += escaped;
    head_end += unit.size();
  }
  std::vector<std::string> tail;  // units, last first
  size_t tail_bytes = 0, tail_start = text.size();
  while (tail_start > head_end) {
    const std::string_view unit = UnitBefore(text.substr(0, tail_start), tail_start);
    if (tail_start - unit.size() < head_end) break;
    std::string escaped;
    AppendEscaped(unit, &escaped);
    if (tail_bytes + escaped.size() > room - room / 2) break;
    tail_bytes += escaped.size();
    tail.push_back(std::move(escaped));
    tail_start -= unit.size();
  }
  head += "...[" + std::to_string(tail_start - head_end) + " bytes cut]...";
  for (auto it = tail.rbegin(); it != tail.rend(); ++it) head += *it;
  return head;
}

}  // namespace hub
