// Log output of the hub: spdlog, one line per event on stderr, as text
// (default, for people) or as JSON objects (`serve --log-format json`, for
// log collectors): {"time":"...Z","level":"info","thread":N,"msg":"...",
// "submission":"ID"}. Every line about a submission names it as
// "submission ID" in its message (ingest, materialiser, connectors); the
// JSON form lifts that id into its own field, so that one query finds every
// line a submission caused.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>

#include "hub/base/status.h"

namespace hub {

class JsonLogFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override;
  std::unique_ptr<spdlog::formatter> clone() const override;
};

// The text form: "2026-11-23T10:00:00.000 info message", the message with
// its control characters escaped (hub::EscapeControls): messages quote
// client input (values, file names), which must not forge lines.
std::unique_ptr<spdlog::formatter> TextLogFormatter();

// The id following the first "submission " in `message`, or "".
std::string_view SubmissionIdIn(std::string_view message);

// Sets the default logger's format: "text" or "json"; InvalidArgument
// otherwise.
Status SetLogFormat(const std::string& format);

}  // namespace hub
