// A real Apache Kafka cluster (KRaft mode) on loopback for tests: the broker
// jars come from Maven Central (tests/kafka/broker/fetch.sh, cached), and
// tests/kafka/broker/cluster.sh starts them on free ports. Either started
// by the test (and stopped when this goes away), or the one ctest started
// for a group of tests (the fixture kafka_single in tests/CMakeLists.txt),
// whose directory the environment names.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "hub/base/status.h"

namespace hub::testing {

class KafkaCluster {
 public:
  // Starts `brokers` brokers with their data in `dir` (created), with extra
  // server.properties lines `overrides` ("key=value").
  static Result<std::unique_ptr<KafkaCluster>> Start(const std::string& dir, int brokers,
                                                     const std::vector<std::string>& overrides = {});
  // The single broker ctest's fixture started: $SDMX_HUB_KAFKA_DIR. Not
  // stopped by this object. An error when the variable is unset: a test
  // that needs the real broker fails without it, never skips.
  static Result<std::unique_ptr<KafkaCluster>> Shared();
  ~KafkaCluster();

  const std::string& bootstrap() const { return bootstrap_; }
  // "127.0.0.1:PORT" of broker `i` (node id i, 0-based).
  std::string Broker(int i) const;
  Status Kill(int i);     // kill -9
  Status Restart(int i);  // same ports and data
  // The node id leading topic/partition, -1 when none.
  Result<int> Leader(const std::string& topic, int partition);
  // A prefix for topic names no other test on the same cluster uses.
  static std::string UniquePrefix();

 private:
  KafkaCluster(std::string dir, std::string bootstrap, bool owned)
      : dir_(std::move(dir)), bootstrap_(std::move(bootstrap)), owned_(owned) {}
  std::string dir_, bootstrap_;
  bool owned_;
};

}  // namespace hub::testing
