// At the open-file limit, for real: `sdmx-hub serve` in a child process
// whose RLIMIT_NOFILE is lowered to what it holds, with connections waiting
// to be accepted and a folder drop to scan. On main it spun at 130% CPU and
// wrote 500,000 lines in 5 s (a failed accept retried at once, logged each
// time); it must back off, log once per interval with a count, and recover
// when descriptors are free again.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include "hub/http/client.h"
#include "testing/hub_process.h"
#include "testing/raw_http.h"
#include "testing/test_util.h"

namespace hub {
namespace {

using namespace std::chrono_literals;

struct LogWindow {
  size_t lines = 0;
  size_t accept_reports = 0, accept_failures = 0;  // "http accept: ... (N failures since the last report"
  size_t scan_reports = 0;                         // "folder drop: scan stopped: ..."
};

LogWindow Read(const std::string& log) {
  LogWindow w;
  static const std::regex kCount(R"(\((\d+) failures since the last report)");
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    ++w.lines;
    std::smatch m;
    if (line.find("http accept: ") != std::string::npos && std::regex_search(line, m, kCount)) {
      ++w.accept_reports;
      w.accept_failures += std::stoul(m[1]);
    }
    if (line.find("folder drop: scan stopped: ") != std::string::npos) ++w.scan_reports;
  }
  return w;
}

TEST(FdLimitTest, AtTheOpenFileLimitTheHubBacksOffReportsOncePerIntervalAndRecovers) {
  testing::TempDir dir;
  const std::string drop = dir.Sub("drop");
  const std::string config = testing::DemoConfig(
      dir, {{"accept_retry_max_ms = 1000 ", "accept_retry_max_ms = 200 "},
            {"error_report_ms = 10000 ", "error_report_ms = 1000 "},  // [http]'s, the first one
            {"# [folder_drop]", "[folder_drop]"},
            {"# dir = \"/var/lib/sdmx-hub/drop\"", "dir = \"" + drop + "\""},
            {"# poll_ms = 1000", "poll_ms = 20"},
            {"# settle_ms = 2000", "settle_ms = 50"},
            {"# retry_initial_ms = 1000", "retry_initial_ms = 20"},
            {"# retry_max_ms = 60000", "retry_max_ms = 200"},
            {"# error_report_ms = 10000", "error_report_ms = 1000"}});
  testing::HubProcess hub(dir, config);
  ASSERT_TRUE(hub.ok());
  std::filesystem::create_directories(drop + "/UNSD");

  rlimit original{};
  ASSERT_EQ(::prlimit(hub.pid(), RLIMIT_NOFILE, nullptr, &original), 0);
  rlimit low = original;
  low.rlim_cur = hub.OpenFiles();
  ASSERT_EQ(::prlimit(hub.pid(), RLIMIT_NOFILE, &low, nullptr), 0);
  // More connections than any descriptor freed since the count: the last
  // ones wait in the backlog, and every accept fails with EMFILE.
  std::vector<std::unique_ptr<testing::RawConnection>> waiting;
  for (int i = 0; i < 8; ++i) waiting.push_back(std::make_unique<testing::RawConnection>(hub.port()));
  std::this_thread::sleep_for(500ms);

  const size_t before = hub.Log().size();
  const double cpu_before = hub.CpuSeconds();
  std::this_thread::sleep_for(3s);
  const double cpu = hub.CpuSeconds() - cpu_before;
  const std::string window = hub.Log().substr(before);
  const LogWindow w = Read(window);
  ASSERT_GE(w.accept_reports, 1u) << "the hub never hit the limit: the test proves nothing\n" << window.substr(0, 3000);
  EXPECT_NE(window.find("Too many open files"), std::string::npos) << window.substr(0, 3000);
  // Two io threads reporting at most once a second, the folder drop too:
  // about 10 lines in 3 s. Upper bounds only: load makes them fewer.
  EXPECT_LE(w.lines, 20u) << window.substr(0, 3000);
  EXPECT_GE(w.scan_reports, 1u) << window.substr(0, 3000);
  // Attempts: back-off from 10 to 200 ms allows about 20 per thread in 3 s.
  EXPECT_LE(w.accept_failures, 60u) << window.substr(0, 3000);
  EXPECT_LT(cpu, 0.5) << "CPU seconds used in a 3 s window at the open-file limit";

  // Descriptors again: the waiting connections are served, and the folder
  // drop works.
  ASSERT_EQ(::prlimit(hub.pid(), RLIMIT_NOFILE, &original, nullptr), 0);
  auto health = http::Fetch("GET", hub.url() + "/healthz");
  ASSERT_TRUE(health.ok()) << health.status().ToString();
  EXPECT_EQ(health->status, 200);
  testing::WriteFileOrDie(drop + "/UNSD/feed.xml", testing::DemoRevision());
  bool done = false;
  for (auto end = std::chrono::steady_clock::now() + 60s; !done && std::chrono::steady_clock::now() < end;) {
    std::this_thread::sleep_for(20ms);
    done = std::filesystem::exists(drop + "/UNSD/done/feed.xml");
  }
  EXPECT_TRUE(done) << hub.Log().substr(before).substr(0, 3000);
}

}  // namespace
}  // namespace hub
