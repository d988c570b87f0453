// KafkaEventLog: the EventLog on Kafka, through librdkafka.
//
// Producer: idempotent (enable.idempotence=true, acks=all), partition chosen
// by the caller (PartitionForKey), so the commit marker can count events per
// partition. A background thread serves delivery reports; each LogWriter
// tracks its own outstanding records. Reader: a consumer on assign()ed
// partitions (no group join, no committed offsets: positions live with the
// state, see Materialiser), auto.offset.reset=error so a missing offset is an
// error, never a silent skip.
//
// Topics must exist or be creatable with the Admin API (the librdkafka mock
// cluster cannot create topics: `sdmx-hub kafka-dev` creates them itself).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <thread>

#include "storage/event_log.h"

typedef struct rd_kafka_s rd_kafka_t;

namespace hub::storage {

struct KafkaEventLogOptions {
  std::string bootstrap;            // "host:port[,host:port]"; required
  LogTopics topics;
  int32_t data_partitions = 4;      // partitions when the hub creates topics.data; default 4
  int16_t replication_factor = 1;   // when the hub creates topics; default 1 (3 in production)
  std::chrono::milliseconds timeout{30'000};  // metadata, admin and delivery timeout; default 30 s
  std::string client_id = "sdmx-hub";
  // Extra librdkafka properties (security.protocol, sasl.*, ...), applied last.
  std::map<std::string, std::string> extra;
};

class KafkaEventLog final : public EventLog {
 public:
  static Result<std::unique_ptr<KafkaEventLog>> Open(const KafkaEventLogOptions& options);
  ~KafkaEventLog() override;

  Result<int32_t> PartitionCount(const std::string& topic) override;
  Result<std::unique_ptr<LogWriter>> NewWriter() override;
  Result<std::unique_ptr<LogReader>> NewReader(
      const std::vector<std::pair<TopicPartition, int64_t>>& start) override;
  Result<int64_t> EndOffset(const TopicPartition& tp) override;
  std::string Describe() const override { return "kafka:" + options_.bootstrap; }

 private:
  explicit KafkaEventLog(KafkaEventLogOptions options) : options_(std::move(options)) {}
  Status Init();
  Status EnsureTopics();

  KafkaEventLogOptions options_;
  rd_kafka_t* producer_ = nullptr;
  std::map<std::string, int32_t> partitions_;
  std::atomic<bool> stop_{false};
  std::thread poller_;
};

}  // namespace hub::storage
