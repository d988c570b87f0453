#include "testing/kafka_cluster.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "testing/test_util.h"

namespace hub::testing {
namespace {

// Runs cluster.sh with `args` (each quoted); its stdout, trimmed.
Result<std::string> Script(const std::vector<std::string>& args) {
  std::string cmd = "'" + SourcePath("tests/kafka/broker/cluster.sh") + "'";
  for (const std::string& a : args) cmd += " '" + a + "'";
  cmd += " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return Status::IoError("popen " + cmd);
  std::string out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int rc = pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  if (rc != 0) return Status::Unavailable("cluster.sh " + args[0] + " failed (" + std::to_string(rc) + "): " + out);
  return out;
}

// The last line: what start prints on stdout after any warnings on stderr.
std::string LastLine(const std::string& s) {
  const size_t nl = s.rfind('\n');
  return nl == std::string::npos ? s : s.substr(nl + 1);
}

}  // namespace

Result<std::unique_ptr<KafkaCluster>> KafkaCluster::Start(const std::string& dir, int brokers,
                                                          const std::vector<std::string>& overrides) {
  std::vector<std::string> args = {"start", dir, std::to_string(brokers)};
  args.insert(args.end(), overrides.begin(), overrides.end());
  HUB_RETURN_IF_ERROR(Script(args).status());
  std::string bootstrap = ReadFileOrDie(dir + "/bootstrap");
  while (!bootstrap.empty() && bootstrap.back() == '\n') bootstrap.pop_back();
  return std::unique_ptr<KafkaCluster>(new KafkaCluster(dir, bootstrap, true));
}

Result<std::unique_ptr<KafkaCluster>> KafkaCluster::Shared() {
  const char* dir = std::getenv("SDMX_HUB_KAFKA_DIR");
  if (!dir || !*dir) {
    return Status::Unavailable("SDMX_HUB_KAFKA_DIR is not set: run this test through ctest, whose fixture "
                               "kafka_single starts the broker");
  }
  std::string bootstrap = ReadFileOrDie(std::string(dir) + "/bootstrap");
  while (!bootstrap.empty() && bootstrap.back() == '\n') bootstrap.pop_back();
  return std::unique_ptr<KafkaCluster>(new KafkaCluster(dir, bootstrap, false));
}

KafkaCluster::~KafkaCluster() {
  if (!owned_) return;
  setenv("KAFKA_TEST_STOP_GRACE", "0", 1);  // thrown away: no clean shutdown needed
  (void)Script({"stop", dir_});
}

std::string KafkaCluster::Broker(int i) const {
  std::stringstream in(bootstrap_);
  std::string b;
  for (int at = 0; std::getline(in, b, ','); ++at) {
    if (at == i) return b;
  }
  return "";
}

Status KafkaCluster::Kill(int i) { return Script({"kill", dir_, std::to_string(i)}).status(); }

Status KafkaCluster::Restart(int i) { return Script({"restart", dir_, std::to_string(i)}).status(); }

Result<int> KafkaCluster::Leader(const std::string& topic, int partition) {
  HUB_ASSIGN_OR_RETURN(std::string out, Script({"leader", dir_, topic, std::to_string(partition)}));
  return std::stoi(LastLine(out));
}

std::string KafkaCluster::UniquePrefix() {
  static std::atomic<int> n{0};
  return "t" + std::to_string(getpid()) + "-" +
         std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() % 1000000000) + "-" +
         std::to_string(n++) + ".";
}

}  // namespace hub::testing
