// The kill -9 failure matrix (design.md §6): a child `sdmx-hub serve` is
// killed with SIGKILL at the N-th passage through a crash point in ingest,
// the event log, the materialiser or HTTP; it is restarted, the provider
// resubmits with the same submission ids, and the state digest must equal
// that of a clean run of the same submissions: nothing lost, nothing twice.
// Built with HUB_REAL_KAFKA (kafka_broker_test), the hubs run on the real
// Kafka broker ctest started, each run on topics of its own, and the matrix
// leaves out the embedded log's own crash points.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <thread>

#include "hub/http/client.h"
#include "testing/kafka_cluster.h"
#include "testing/test_hub.h"
#include "testing/test_util.h"

extern char** environ;

namespace hub {
namespace {

using namespace std::chrono_literals;

// One `sdmx-hub serve` child process on an ephemeral port.
class Child {
 public:
  // Starts serve; returns false if it died before listening (a crash point
  // hit during start-up).
  bool Start(const std::string& data_dir, const std::string& crash_spec, const std::string& config) {
    int fds[2];
    if (pipe(fds) != 0) return false;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    std::vector<std::string> env = {"HUB_TEST_CLOCK_MS=1767225600000"};
    if (!crash_spec.empty()) env.push_back("HUB_CRASH_POINT=" + crash_spec);
    for (char** e = environ; *e; ++e) {
      if (std::string_view(*e).rfind("HUB_", 0) != 0) env.emplace_back(*e);
    }
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<std::string> args = {HUB_BINARY, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0",
                                     "--config", config};
#ifdef HUB_REAL_KAFKA
    auto kafka = testing::KafkaCluster::Shared();
    if (!kafka.ok()) {
      ADD_FAILURE() << kafka.status().ToString();
      return false;
    }
    args.push_back("--kafka");
    args.push_back((*kafka)->bootstrap());
#endif
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int rc = posix_spawn(&pid_, HUB_BINARY, &fa, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      return false;
    }
    // First stdout line: "sdmx-hub listening on http://127.0.0.1:PORT".
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    size_t at = line.find("http://");
    if (at == std::string::npos) return false;
    url_ = line.substr(at);
    return true;
  }

  // Reaps the child; true if it was killed by SIGKILL without our help.
  bool DiedOfSigkill() {
    int status = 0;
    if (pid_ <= 0) return false;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    return false;
  }

  void Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
  }

  ~Child() {
    if (pid_ > 0) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }

  const std::string& url() const { return url_; }

 private:
  pid_t pid_ = -1;
  std::string url_;
};

struct Submission {
  std::string id, token, body;
};

std::vector<Submission> Submissions() {
  std::string bad = testing::DemoInitial();
  bad.replace(bad.find("REF_AREA=\"404\""), 14, "REF_AREA=\"999\"");
  return {{"c-initial", "demo-unsd-token", testing::DemoInitial()},
          {"c-bad", "demo-unsd-token", bad},
          {"c-revision", "demo-who-token", testing::DemoRevision()}};
}

// Posts every submission (stopping if the child dies), then waits for each
// to be committed or rejected. Returns false if the child died meanwhile.
bool SubmitAll(const Child& child, const std::vector<Submission>& subs) {
  for (const Submission& s : subs) {
    auto r = http::Fetch("POST", child.url() + "/api/v1/submissions", s.body,
                         {{"Authorization", "Bearer " + s.token}, {"X-Submission-Id", s.id}});
    if (!r.ok()) return false;
  }
  for (const Submission& s : subs) {
    for (int i = 0;; ++i) {
      auto r = http::Fetch("GET", child.url() + "/api/v1/submissions/" + s.id);
      if (!r.ok()) return false;
      if (r->status == 200 && r->body.find("\"accepted\"") == std::string::npos) break;
      if (i > 400) {
        ADD_FAILURE() << s.id << " never applied: " << r->body;
        return true;
      }
      std::this_thread::sleep_for(25ms);
    }
  }
  return true;
}

std::string Digest(const std::string& data_dir) { return testing::HubBinaryOutput("digest --data-dir " + data_dir); }

// Runs the submissions against a hub armed with `crash_spec`; restarts it
// (unarmed) after the crash and resubmits. Returns the final digest.
std::string RunSubmissions(const std::string& data_dir, const std::string& config, const std::string& crash_spec,
                           bool* crashed) {
  const std::vector<Submission> subs = Submissions();
  *crashed = false;
  {
    Child armed;
    bool up = armed.Start(data_dir, crash_spec, config);
    bool done = up && SubmitAll(armed, subs);
    if (!done) {
      for (int i = 0; i < 200 && !*crashed; ++i) {
        *crashed = armed.DiedOfSigkill();
        if (!*crashed) std::this_thread::sleep_for(10ms);
      }
    } else {
      *crashed = armed.DiedOfSigkill();
      armed.Stop();
    }
  }
  Child clean;
  EXPECT_TRUE(clean.Start(data_dir, "", config));
  EXPECT_TRUE(SubmitAll(clean, subs));
  clean.Stop();
  return Digest(data_dir);
}

// configs/hub.toml with every buffer of a submission's way small, so that
// the demo files take the paths of a large feed (and can be killed between
// their steps): events held 64 KiB, then appended as they are validated,
// 64 KiB between flushes, before the verdict; the materialiser holding
// 64 KiB of events (the rest read back from the log) and applying a data
// submission as it arrives past 64 KiB, before its marker, 2,000
// observations per chunk in 64 KiB batches;
// and the log taking records of 16 KiB at most, as a Kafka topic with that
// max.message.bytes would, so that the structure message (135 KB) goes in
// pieces that a kill can fall between.
std::string SmallBatchConfig(const testing::TempDir& dir) {
  return testing::DemoConfig(dir, {{"max_record_bytes = 0 ", "max_record_bytes = 16384 "},
                                   {"max_batch_bytes = 67108864", "max_batch_bytes = 65536"},
                                   {"spool_memory_bytes = 8388608", "spool_memory_bytes = 65536"},
                                   {"append_batch_bytes = 8388608", "append_batch_bytes = 65536"},
                                   {"max_held_event_bytes = 16777216", "max_held_event_bytes = 65536"},
                                   {"apply_chunk_observations = 25000", "apply_chunk_observations = 2000"},
                                   {"apply_early_bytes = 8388608", "apply_early_bytes = 65536"}});
}

class CrashTest : public ::testing::TestWithParam<const char*> {};

TEST_P(CrashTest, StateAfterKillAndRestartEqualsACleanRun) {
  testing::TempDir dir;
  std::string clean_config = SmallBatchConfig(dir), crash_config = clean_config;
#ifdef HUB_REAL_KAFKA
  // Two logs: each run on topics of its own.
  auto a = testing::OnRealKafka(clean_config, dir.Sub("clean.toml"));
  auto b = testing::OnRealKafka(clean_config, dir.Sub("crash.toml"));
  ASSERT_TRUE(a.ok() && b.ok()) << a.status().ToString() << b.status().ToString();
  clean_config = *a;
  crash_config = *b;
#endif
  bool crashed = false;
  const std::string clean = RunSubmissions(dir.Sub("clean"), clean_config, "", &crashed);
  ASSERT_FALSE(crashed);
  ASSERT_EQ(clean.size(), 64u) << clean;
  const std::string after = RunSubmissions(dir.Sub("crash"), crash_config, GetParam(), &crashed);
  EXPECT_TRUE(crashed) << "crash point " << GetParam() << " was never reached";
  EXPECT_EQ(after, clean) << "after kill -9 at " << GetParam();
}

// Hit counts: at start-up the config structures are one submission (2 log
// writes, its message in 9 pieces); then the initial file (1,075 series),
// the rejected one, the revision.
std::vector<const char*> KillPoints() {
  std::vector<const char*> points = {
      "ingest.before_append:1", "ingest.before_append:2", "ingest.before_append:3",
      "ingest.after_data_flush:1", "ingest.after_data_flush:2", "ingest.after_data_flush:3",
      "ingest.after_marker_flush:1", "ingest.after_marker_flush:2", "ingest.after_marker_flush:3",
      "ingest.after_rejected_flush:1",
      "materialiser.handle:2", "materialiser.handle:5", "materialiser.handle:500", "materialiser.handle:1078",
      "materialiser.handle:1200", "materialiser.before_apply_write:1",
      "materialiser.before_apply_write:2", "materialiser.before_apply_write:3",
      "materialiser.after_apply_write:2", "materialiser.after_apply_write:3",
      "materialiser.before_rejected_write:1", "http.after_handle:1", "http.after_handle:3",
      // Between the batches of one submission (the initial file takes several).
      "materialiser.before_partial_write:1", "materialiser.after_partial_write:1",
      "materialiser.after_partial_write:3",
      // Between the append batches of one submission.
      "ingest.after_batch_flush:1", "ingest.after_batch_flush:4"};
#ifndef HUB_REAL_KAFKA
  // The embedded log's own: before and after its synced writes.
  for (const char* p : {"log.before_write:1", "log.before_write:3", "log.before_write:4", "log.after_write:4",
                        "log.after_write:5", "log.after_write:7"}) {
    points.push_back(p);
  }
#endif
  return points;
}

INSTANTIATE_TEST_SUITE_P(
    KillMatrix, CrashTest, ::testing::ValuesIn(KillPoints()),
    [](const ::testing::TestParamInfo<const char*>& info) {
      std::string n = info.param;
      for (char& c : n) {
        if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
      }
      return n;
    });

}  // namespace
}  // namespace hub
