#include "hub/log_format.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <chrono>

#include "hub/base/iso_time.h"
#include "hub/base/one_line.h"

namespace hub {
namespace {

bool IdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
         c == '.';
}

// `text` with every byte that is not part of valid UTF-8 replaced by U+FFFD:
// messages quote input (file names, diagnostics) and a JSON line must stay
// JSON.
std::string ValidUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    bool ok = n > 0 && i + n <= text.size() && !(n == 2 && c < 0xC2);
    for (size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(text[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(text.substr(i, n));
      i += n;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

// %* in a pattern: the message, escaped onto one line.
class EscapedMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    const std::string text = EscapeControls(std::string_view(msg.payload.data(), msg.payload.size()));
    dest.append(text.data(), text.data() + text.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<EscapedMessageFlag>(); }
};

}  // namespace

std::unique_ptr<spdlog::formatter> TextLogFormatter() {
  auto f = std::make_unique<spdlog::pattern_formatter>();
  f->add_flag<EscapedMessageFlag>('*').set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %*");
  return f;
}

std::string_view SubmissionIdIn(std::string_view message) {
  // "submission ID" opens the message or a clause ("folder drop: submission
  // ID: ..."): elsewhere (inside a quoted path) it is not ours.
  constexpr std::string_view kWord = "submission ";
  size_t at = 0;
  for (;; ++at) {
    at = message.find(kWord, at);
    if (at == std::string_view::npos) return {};
    if (at == 0 || (at >= 2 && message.substr(at - 2, 2) == ": ")) break;
  }
  std::string_view rest = message.substr(at + kWord.size());
  size_t n = 0;
  while (n < rest.size() && IdChar(rest[n])) ++n;
  // A sentence ending ("... the submission.") is not an id.
  while (n > 0 && rest[n - 1] == '.') --n;
  return rest.substr(0, n);
}

void JsonLogFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  const std::string text = ValidUtf8(std::string_view(msg.payload.data(), msg.payload.size()));
  const int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(msg.time.time_since_epoch()).count();
  const auto level = spdlog::level::to_string_view(msg.level);
  boost::json::object o{{"time", IsoTimeMs(ms)},
                        {"level", std::string_view(level.data(), level.size())},
                        {"thread", msg.thread_id},
                        {"msg", text}};
  if (std::string_view id = SubmissionIdIn(text); !id.empty()) o["submission"] = id;
  const std::string line = boost::json::serialize(o);
  dest.append(line.data(), line.data() + line.size());
  dest.push_back('\n');
}

std::unique_ptr<spdlog::formatter> JsonLogFormatter::clone() const { return std::make_unique<JsonLogFormatter>(); }

Status SetLogFormat(const std::string& format) {
  if (format == "text") {
    spdlog::set_formatter(TextLogFormatter());
  } else if (format == "json") {
    spdlog::set_formatter(std::make_unique<JsonLogFormatter>());
  } else {
    return Status::InvalidArgument("--log-format " + format + ": expected text or json");
  }
  return Status::Ok();
}

}  // namespace hub
