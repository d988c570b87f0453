// KafkaMockCluster: librdkafka's mock cluster (rdkafka_mock.h), a real Kafka
// protocol peer on loopback TCP, for `sdmx-hub kafka-dev` and the tests.
// It creates the hub's topics itself (the mock has no CreateTopics).
// Limits (librdkafka 2.0): ~5 MiB log per partition, no transactions.
#pragma once

#include <memory>
#include <string>

#include "hub/base/status.h"
#include "storage/event_log.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace hub::storage {

struct KafkaMockClusterOptions {
  int brokers = 1;             // default 1
  LogTopics topics;
  int32_t data_partitions = 4;  // default 4
};

class KafkaMockCluster {
 public:
  static Result<std::unique_ptr<KafkaMockCluster>> Start(const KafkaMockClusterOptions& options);
  ~KafkaMockCluster();

  // "127.0.0.1:port,..." for bootstrap.servers.
  std::string bootstrap() const;
  // For fault injection (rd_kafka_mock_broker_set_down, push_request_errors...).
  rd_kafka_mock_cluster_t* handle() const { return cluster_; }

 private:
  KafkaMockCluster() = default;
  rd_kafka_t* rk_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
};

}  // namespace hub::storage
