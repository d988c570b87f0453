// The sdmx-hub executable's offline subcommands, run as a user would.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "testing/test_util.h"

namespace hub {
namespace {

using testing::ProcessRun;
ProcessRun Exec(const std::string& args) { return testing::RunHubBinary(args); }

TEST(CliTest, CheckAcceptsTheDemoFeedAndLocatesProblems) {
  testing::TempDir dir;
  ASSERT_EQ(Exec("demo-feed --out " + dir.path()).exit_code, 0);
  const std::string structures = testing::SourcePath("configs/structures");
  ProcessRun ok = Exec("check --structures " + structures + " " + dir.Sub("01_unsd_initial.xml") + " " +
                dir.Sub("02_who_revision.xml"));
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  EXPECT_EQ(ok.out, "");

  std::string body = testing::ReadFileOrDie(dir.Sub("01_unsd_initial.xml"));
  size_t at = body.find("REF_AREA=\"404\"");
  ASSERT_NE(at, std::string::npos);
  body.replace(at, 14, "REF_AREA=\"999\"");
  const int line = 1 + static_cast<int>(std::count(body.begin(), body.begin() + at, '\n'));
  testing::WriteFileOrDie(dir.Sub("bad.xml"), body);
  ProcessRun bad = Exec("check --structures " + structures + " " + dir.Sub("bad.xml"));
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.out.find(dir.Sub("bad.xml") + ":" + std::to_string(line) +
                         ": Series: code-in-codelist: REF_AREA='999' is not a code of SDMXHUB:CL_AREA(1.0)"),
            std::string::npos)
      << bad.out;
}

TEST(CliTest, CheckRejectsEveryCorpusMalformedTajikFile) {
  ProcessRun r = Exec("check --structures " + testing::CorpusPath("sdg/global/IAEG-SDGs_SDG_1.4/SDG_DSD.xml") + " " +
               testing::CorpusPath("malformed/TJ") + "/*.xml");
  EXPECT_EQ(r.exit_code, 1);
  // SDMX-ML 2.0 GenericData; their faults as SOURCES.md lists them, located.
  EXPECT_NE(r.out.find("_765bfef4_TAJSTAT_Data.xml:19: Series: code-in-codelist: REF_AREA='tj'"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("code-in-codelist: UNIT_MEASURE='PERCENT'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("_a6b77de0_"), std::string::npos) << "the partly corrected re-submission is still wrong";
}

TEST(CliTest, DemoFeedIsDeterministicAndScales) {
  testing::TempDir a, b;
  ASSERT_EQ(Exec("demo-feed --out " + a.path()).exit_code, 0);
  ASSERT_EQ(Exec("demo-feed --out " + b.path()).exit_code, 0);
  EXPECT_EQ(testing::ReadFileOrDie(a.Sub("01_unsd_initial.xml")), testing::ReadFileOrDie(b.Sub("01_unsd_initial.xml")));
  ASSERT_EQ(Exec("demo-feed --out " + a.path() + " --large 50000").exit_code, 0);
  std::string large = testing::ReadFileOrDie(a.Sub("large_50000_ss21.xml"));
  EXPECT_EQ(static_cast<size_t>(std::count_if(large.begin(), large.end(), [](char c) { return c == '\n'; })) > 50000, true);
  size_t obs = 0;
  for (size_t p = large.find("<Obs "); p != std::string::npos; p = large.find("<Obs ", p + 1)) ++obs;
  EXPECT_EQ(obs, 50000u);
}

TEST(CliTest, KafkaDevPrintsBootstrapFirst) {
  // Started in the background; its first line is the bootstrap string.
  testing::TempDir dir;
  std::string out = dir.Sub("out");
  std::string cmd = std::string(HUB_BINARY) + " kafka-dev > " + out + " 2>/dev/null & echo $!";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  int pid = 0;
  ASSERT_EQ(fscanf(p, "%d", &pid), 1);
  pclose(p);
  std::string first;
  for (int i = 0; i < 100 && first.empty(); ++i) {
    usleep(50'000);
    std::string s = testing::ReadFileOrDie(out);
    if (s.find('\n') != std::string::npos) first = s.substr(0, s.find('\n'));
  }
  kill(pid, SIGTERM);
  EXPECT_EQ(first.rfind("127.0.0.1:", 0), 0u) << first;
}

}  // namespace
}  // namespace hub
