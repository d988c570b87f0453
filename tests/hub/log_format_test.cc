// Structured logs: the JSON form is valid JSON whatever the message holds,
// and every line a submission causes (accepted, committed, rejected,
// refused, resubmitted) carries its id in the "submission" field.
#include "hub/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <boost/json.hpp>
#include <map>
#include <sstream>

#include "hub/http/client.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

TEST(LogFormatTest, SubmissionIdIsTheWordAfterSubmission) {
  EXPECT_EQ(SubmissionIdIn("submission abc-1: accepted 3 series"), "abc-1");
  EXPECT_EQ(SubmissionIdIn("folder drop: submission drop-UNSD-0a1b: feed.xml accepted"), "drop-UNSD-0a1b");
  EXPECT_EQ(SubmissionIdIn("submission s.1 from UNSD committed"), "s.1");
  EXPECT_EQ(SubmissionIdIn("submission (no id): refused"), "");
  EXPECT_EQ(SubmissionIdIn("nothing was left of the submission."), "");
  EXPECT_EQ(SubmissionIdIn("materialiser: watermark 3"), "");
  EXPECT_EQ(SubmissionIdIn("folder drop: ignoring /drop/submission x: not a provider"), "");
}

TEST(LogFormatTest, JsonLinesParseWhateverTheMessageHolds) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(std::make_unique<JsonLogFormatter>());
  spdlog::logger logger("t", sink);
  logger.warn("submission q-1: diagnostic \"quoted\"\nsecond line\t\\ {}{}", "é", "\xff\xc3");
  const std::string text = out.str();
  const json::value v = json::parse(text);
  EXPECT_EQ(v.at("level").as_string(), "warning");
  EXPECT_EQ(v.at("submission").as_string(), "q-1");
  // Bytes that are not UTF-8 (a file name in Latin-1, a cut sequence) become U+FFFD.
  EXPECT_EQ(v.at("msg").as_string(), "submission q-1: diagnostic \"quoted\"\nsecond line\t\\ é\uFFFD\uFFFD");
  EXPECT_EQ(v.at("time").as_string().size(), 24u);  // 2026-11-23T10:00:00.000Z
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

TEST(LogFormatTest, TextLinesEscapeWhatCouldForgeALine) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(TextLogFormatter());
  spdlog::logger logger("t", sink);
  logger.warn("folder drop: {} stays", "/drop/UNSD/a\n2026-01-01T00:00:00.000 info forged\r\u2028.xml");
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_NE(text.find(" warning folder drop: /drop/UNSD/a\\n2026-01-01T00:00:00.000 info forged\\r\\u2028.xml stays\n"),
            std::string::npos)
      << text;
}

// A hub logging as `serve` does (text): a rejected value holding a newline,
// and a name holding one, stay on their lines.
TEST(LogFormatTest, ClientInputCannotForgeTextLogLines) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(TextLogFormatter());
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("text", sink));
  {
    testing::TempDir dir;
    auto hub = testing::StartTestHub(dir);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    std::string bad = testing::OneObservation("404", 5);
    const size_t at = bad.find("OBS_VALUE=\"5\"");
    ASSERT_NE(at, std::string::npos);
    bad.replace(at, 13, "OBS_VALUE=\"5&#10;2026-01-01T00:00:00.000 info forged-by-value\"");
    auto r = http::Fetch("POST", (*hub)->url() + "/api/v1/submissions?name=x%0A2026-01-01T00:00:00.000%20info%20forged-by-name",
                         bad, {{"Authorization", "Bearer demo-unsd-token"}, {"X-Submission-Id", "forge-1"}});
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r->status, 400) << r->body;
    ASSERT_TRUE((*hub)->materialiser()->WaitForSubmission("forge-1", std::chrono::seconds(30)).ok());
  }
  spdlog::set_default_logger(previous);
  const std::string text = out.str();
  EXPECT_NE(text.find("forged-by-value"), std::string::npos) << text;
  EXPECT_NE(text.find("forged-by-name"), std::string::npos) << text;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    EXPECT_NE(line.rfind("2026-01-01T00:00:00.000 info forged", 0), 0u) << "a forged line: " << line;
  }
}

TEST(LogFormatTest, EveryLineASubmissionCausesCarriesItsId) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  sink->set_formatter(std::make_unique<JsonLogFormatter>());
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("json", sink));
  {
    testing::TempDir dir;
    auto hub = testing::StartTestHub(dir);
    ASSERT_TRUE(hub.ok()) << hub.status().ToString();
    const std::string one = testing::OneObservation("404", 5);
    ASSERT_TRUE(testing::SubmitAndWait(**hub, one, "log-ok", "demo-unsd-token").ok());
    ASSERT_EQ(testing::Submit(**hub, one, "log-ok", "demo-unsd-token")->status, 202);  // known: no-op, the first answer
    ASSERT_EQ(testing::Submit(**hub, one.substr(0, one.size() / 2), "log-bad", "demo-unsd-token")->status, 400);
    ASSERT_TRUE((*hub)->materialiser()->WaitForSubmission("log-bad", std::chrono::seconds(30)).ok());
    ASSERT_EQ(testing::Submit(**hub, one, "log-403", "demo-knbs-token")->status, 403);
    ASSERT_EQ(testing::Submit(**hub, one, "log-401", "wrong-token")->status, 401);
  }
  spdlog::set_default_logger(previous);

  std::map<std::string, std::vector<std::string>> lines;  // submission -> messages
  std::istringstream in(out.str());
  for (std::string line; std::getline(in, line);) {
    json::value v = json::parse(line);  // every line is one JSON object
    const std::string msg(v.at("msg").as_string());
    for (const char* id : {"log-ok", "log-bad", "log-403", "log-401"}) {
      if (msg.find(id) == std::string::npos) continue;
      ASSERT_TRUE(v.as_object().contains("submission")) << line;
      EXPECT_EQ(v.at("submission").as_string(), id) << line;
    }
    if (v.as_object().contains("submission")) lines[std::string(v.at("submission").as_string())].push_back(msg);
  }
  auto has = [&](const std::string& id, const std::string& word) {
    for (const std::string& m : lines[id]) {
      if (m.find(word) != std::string::npos) return true;
    }
    return false;
  };
  EXPECT_TRUE(has("log-ok", "accepted"));
  EXPECT_TRUE(has("log-ok", "committed"));
  EXPECT_TRUE(has("log-ok", "already known"));
  EXPECT_TRUE(has("log-bad", "rejected"));
  EXPECT_TRUE(has("log-403", "refused"));
  EXPECT_TRUE(has("log-401", "refused"));
}

}  // namespace
}  // namespace hub
