// What a bad file can cost the folder drop: a name too long to be kept with
// its diagnostics is rejected once, with the reason, not retried forever; a
// file that cannot be moved is retried after a growing back-off and logged
// once per interval with a count, not once per poll.
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>

#include "connectors/drop_files.h"
#include "hub/config.h"
#include "testing/folder_drop_fixture.h"

namespace hub {
namespace {

using namespace std::chrono_literals;
using connectors::SubmissionIdFor;
using FolderDropLimitsTest = testing::FolderDropFixture;
using testing::Names;

size_t CountLines(const std::string& text, const std::string& with) {
  size_t n = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) n += line.find(with) != std::string::npos;
  return n;
}

TEST_F(FolderDropLimitsTest, ANameTooLongIsRejectedOnceWithTheReason) {
  const std::string inbox = Inbox("UNSD");
  const std::string good = testing::DemoRevision(), bad = good.substr(0, 5000);
  // 244 bytes: no room for "<name>.diagnostics.txt" in 255. The bad one
  // stayed in the inbox on main, read and submitted again at every poll.
  const std::string bad_name = std::string(240, 'b') + ".xml", good_name = std::string(240, 'g') + ".xml";
  testing::WriteFileOrDie(inbox + "/" + bad_name, bad);
  testing::WriteFileOrDie(inbox + "/" + good_name, good);
  const std::string bad_short = connectors::drop_files::ShortName(bad_name, 234);
  const std::string good_short = connectors::drop_files::ShortName(good_name, 234);
  EXPECT_EQ(bad_short.size(), 234u);
  EXPECT_EQ(bad_short.substr(bad_short.size() - 4), ".xml");
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/" + bad_short + ".diagnostics.txt"));
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/" + good_short + ".diagnostics.txt"));
  ASSERT_TRUE(WaitForFile(inbox + "/rejected/" + good_short));
  EXPECT_EQ(testing::ReadFileOrDie(inbox + "/rejected/" + bad_short), bad);
  const std::string why = testing::ReadFileOrDie(inbox + "/rejected/" + bad_short + ".diagnostics.txt");
  EXPECT_NE(why.find(inbox + "/" + bad_name + ":0: File: max-name-bytes: the file name has 244 bytes"),
            std::string::npos)
      << why;
  // Not read, not submitted, and nothing left to retry.
  for (const std::string& body : {good, bad}) {
    auto rec = hub_->state()->Ledger(SubmissionIdFor("UNSD", body));
    ASSERT_TRUE(rec.ok());
    EXPECT_FALSE(rec->has_value());
  }
  WaitPastSettle();
  EXPECT_EQ(Names(inbox), std::vector<std::string>{"rejected"});
  EXPECT_EQ(Names(inbox + "/rejected").size(), 4u);
}

TEST_F(FolderDropLimitsTest, AFileThatCannotBeMovedBacksOffAndIsReportedOncePerInterval) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  hub_.reset();
  StartHub(268435456, {{"# retry_initial_ms = 1000", "retry_initial_ms = 20"},
                       {"# retry_max_ms = 60000", "retry_max_ms = 200"},
                       {"# error_report_ms = 10000", "error_report_ms = 1000"}});
  const std::string inbox = Inbox("UNSD");
  testing::WriteFileOrDie(inbox + "/rejected", "a file where the rejected/ folder should be");
  const std::string bad = testing::DemoInitial().substr(0, 5000);
  const std::string id = SubmissionIdFor("UNSD", bad);
  testing::WriteFileOrDie(inbox + "/bad.xml", bad);
  ASSERT_EQ(WaitForSubmission(id).marker().status(), sdmxhub::events::v1::STATUS_REJECTED);

  // Three seconds of a move that keeps failing: with polls every 20 ms, main
  // read, submitted and logged the file some 150 times. A back-off from 20
  // to 200 ms allows at most 1 + 4 + 3000/200 = 20 attempts, whatever the
  // load (which only makes them fewer), and one report a second.
  const std::string before = log.str();
  std::this_thread::sleep_for(3s);
  const std::string window = log.str().substr(before.size());
  const size_t attempts = CountLines(window, "submission " + id + ": already known");
  const size_t reports = CountLines(window, "bad.xml stays in the inbox");
  EXPECT_LE(attempts, 20u) << window.substr(0, 3000);
  EXPECT_GE(attempts, 1u) << "the file is still retried";
  EXPECT_LE(reports, 4u) << window.substr(0, 3000);
  EXPECT_NE(window.find(" failures since the last report): "), std::string::npos) << window.substr(0, 3000);
  EXPECT_EQ(Names(inbox), (std::vector<std::string>{"bad.xml", "rejected"}));

  // Once the obstacle is gone the next attempt moves it, with its reasons.
  std::filesystem::remove(inbox + "/rejected");
  EXPECT_TRUE(WaitForFile(inbox + "/rejected/bad.xml.diagnostics.txt"));
  EXPECT_TRUE(WaitForFile(inbox + "/rejected/bad.xml"));
  hub_.reset();
  spdlog::set_default_logger(previous);
}

TEST(FolderDropLimitsConfigTest, LimitsAreCheckedByName) {
  testing::TempDir dir;
  auto load = [&](const std::string& more) {
    testing::WriteFileOrDie(dir.Sub("hub.toml"), "[folder_drop]\ndir = \"drop\"\n" + more);
    return LoadConfig(dir.Sub("hub.toml"));
  };
  auto ok = load("max_name_bytes = 100\nretry_initial_ms = 5\nretry_max_ms = 50\nerror_report_ms = 500\n");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->folder_drop.max_name_bytes, 100u);
  EXPECT_EQ(ok->folder_drop.retry.initial, 5ms);
  EXPECT_EQ(ok->folder_drop.retry.max, 50ms);
  EXPECT_EQ(ok->folder_drop.retry.report_every, 500ms);
  auto long_names = load("max_name_bytes = 250\n");
  ASSERT_FALSE(long_names.ok());
  EXPECT_NE(long_names.status().message().find("folder_drop.max_name_bytes"), std::string::npos);
  auto inverted = load("retry_initial_ms = 500\nretry_max_ms = 50\n");
  ASSERT_FALSE(inverted.ok());
  EXPECT_NE(inverted.status().message().find("folder_drop.retry_max_ms"), std::string::npos);
  auto http = LoadConfig([&] {
    testing::WriteFileOrDie(dir.Sub("http.toml"), "[http]\naccept_retry_initial_ms = 0\n");
    return dir.Sub("http.toml");
  }());
  ASSERT_FALSE(http.ok());
  EXPECT_NE(http.status().message().find("http.accept_retry_initial_ms"), std::string::npos);
}

}  // namespace
}  // namespace hub
