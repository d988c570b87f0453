// `sdmx-hub serve` and `sdmx-hub kafka-dev`: long-running, stopped by SIGINT/SIGTERM.
#include <signal.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "hub/cli/commands.h"
#include "storage/kafka_mock_cluster.h"

namespace hub::cli {

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int Serve(const HubOptions& options) {
  auto hub = Hub::Start(options);
  if (!hub.ok()) {
    spdlog::error("serve: {}", hub.status().ToString());
    return 1;
  }
  std::cout << "sdmx-hub listening on " << (*hub)->url() << std::endl;
  int sig = WaitForShutdownSignal();
  spdlog::info("signal {}: shutting down", sig);
  (*hub)->Stop();
  return 0;
}

int KafkaDev(int brokers, int data_partitions, const std::string& topic_prefix) {
  storage::KafkaMockClusterOptions o;
  o.brokers = brokers;
  o.data_partitions = data_partitions;
  o.topics = storage::LogTopics::WithPrefix(topic_prefix);
  auto cluster = storage::KafkaMockCluster::Start(o);
  if (!cluster.ok()) {
    spdlog::error("kafka-dev: {}", cluster.status().ToString());
    return 1;
  }
  // The contract: the bootstrap string is the first line on stdout.
  std::cout << (*cluster)->bootstrap() << std::endl;
  spdlog::info("kafka-dev: {} mock broker(s), topics created; Ctrl-C to stop", brokers);
  WaitForShutdownSignal();
  return 0;
}

}  // namespace hub::cli
