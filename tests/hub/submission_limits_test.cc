// What a bad file can cost: a large rejected body full of bad values gets a
// bounded answer and a bounded ledger record (the public ledger API serves
// it), each diagnostic still naming the file, line, element and rule; a
// value holding a newline is quoted on one line.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "hub/config.h"
#include "hub/http/client.h"
#include "sdmx/key_pattern.h"
#include "testing/test_hub.h"

namespace hub {
namespace {

namespace json = boost::json;

constexpr size_t kHugeValue = size_t{1} << 20;

// A demo message whose observations hold `huge` values of 1 MiB (each with a
// newline and a would-be log line in it) and `small` short bad ones.
std::string BadValues(int huge, int small) {
  sdmx::Series big, many;
  big.key = sdmx::SplitKey("A.G.SH_STA_MORT.404._T._T._T");
  many.key = sdmx::SplitKey("A.G.SH_STA_MORT.646._T._T._T");
  for (sdmx::Series* s : {&big, &many}) s->attributes = {{"UNIT_MEASURE", "PER_100000_LIVE_BIRTHS"}};
  for (int i = 0; i < huge; ++i) {
    big.observations.push_back(
        {std::to_string(1990 + i), std::string(kHugeValue, 'x') + "NEWLINE2026-01-01 info forged line",
                                {{"OBS_STATUS", "A"}},
                                0});
  }
  for (int i = 0; i < small; ++i) many.observations.push_back({std::to_string(1000 + i), "bad-" + std::to_string(i), {{"OBS_STATUS", "A"}}, 0});
  std::string body = testing::DemoMessage({big, many});
  // A character reference: a raw newline in an attribute reads as a space.
  for (size_t at = body.find("NEWLINE"); at != std::string::npos; at = body.find("NEWLINE", at)) {
    body.replace(at, 7, "&#10;");
  }
  return body;
}

TEST(SubmissionLimitsTest, ALargeRejectedBodyGetsABoundedLedgerRecord) {
  testing::TempDir dir;
  auto hub = testing::StartTestHub(dir);
  ASSERT_TRUE(hub.ok()) << hub.status().ToString();
  const std::string body = BadValues(8, 500);
  ASSERT_GT(body.size(), 8 * kHugeValue);
  auto answer = testing::Submit(**hub, body, "huge-bad", "demo-unsd-token");
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  ASSERT_EQ(answer->status, 400) << answer->body.substr(0, 1000);
  // configs/hub.toml: 200 diagnostics of at most 1 KiB per field, 64 KiB in
  // all; the JSON shows each as fields and as text, so about twice that.
  constexpr size_t kBound = 256 * 1024;
  EXPECT_LT(answer->body.size(), kBound);
  const json::value a = json::parse(answer->body);
  EXPECT_EQ(a.at("diagnostics_total").to_number<int64_t>(), 508);

  ASSERT_TRUE((*hub)->materialiser()->WaitForSubmission("huge-bad", std::chrono::seconds(60)).ok());
  auto rec = (*hub)->state()->Ledger("huge-bad");
  ASSERT_TRUE(rec.ok() && *rec);
  EXPECT_LT((*rec)->ByteSizeLong(), 100u * 1024) << "64 KiB of text plus the framing of 200 diagnostics";
  auto served = http::Fetch("GET", (*hub)->url() + "/api/v1/submissions/huge-bad");
  ASSERT_TRUE(served.ok());
  EXPECT_LT(served->body.size(), kBound);
  auto listed = http::Fetch("GET", (*hub)->url() + "/api/v1/submissions?status=rejected");
  ASSERT_TRUE(listed.ok());
  EXPECT_LT(listed->body.size(), kBound);

  // Still located, and the huge value is quoted by its head and tail, on one line.
  const json::value record = json::parse(served->body);
  const json::value& first = record.at("diagnostics").at(0);
  EXPECT_EQ(first.at("file").as_string(), "huge-bad");  // ?name=
  EXPECT_GT(first.at("line").to_number<int64_t>(), 0);
  EXPECT_EQ(first.at("element").as_string(), "Obs");
  EXPECT_FALSE(first.at("rule").as_string().empty());
  const std::string message(first.at("message").as_string());
  EXPECT_LE(message.size(), 1024u);
  EXPECT_NE(message.find("OBS_VALUE='xxxx"), std::string::npos) << message;
  EXPECT_NE(message.find(" bytes cut]..."), std::string::npos) << message;
  EXPECT_NE(message.find("x\\n2026-01-01 info forged line'"), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_EQ(std::string(first.at("text").as_string()).find('\n'), std::string::npos);
}

TEST(SubmissionLimitsTest, TheLimitsAreConfigurableAndCheckedByName) {
  testing::TempDir dir;
  auto load = [&](const std::string& ingest) {
    testing::WriteFileOrDie(dir.Sub("hub.toml"), "[ingest]\n" + ingest);
    return LoadConfig(dir.Sub("hub.toml"));
  };
  auto set = load("max_quoted_bytes = 100\nmax_diagnostics_bytes = 5000\n");
  ASSERT_TRUE(set.ok()) << set.status().ToString();
  EXPECT_EQ(set->ingest.max_quoted_bytes, 100u);
  EXPECT_EQ(set->ingest.max_diagnostics_bytes, 5000u);
  auto small = load("max_quoted_bytes = 10\n");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("ingest.max_quoted_bytes"), std::string::npos) << small.status().ToString();
  auto inverted = load("max_quoted_bytes = 2000\nmax_diagnostics_bytes = 1000\n");
  ASSERT_FALSE(inverted.ok());
  EXPECT_NE(inverted.status().message().find("ingest.max_diagnostics_bytes"), std::string::npos);
}

}  // namespace
}  // namespace hub
