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
// Topics: the hub creates missing ones with the configured partitions and
// replication and retention.ms = retention.bytes = -1 (the log is the
// system of record: nothing may age out of it). An existing input topic
// that would delete history (finite retention, or cleanup.policy compact)
// is refused unless allow_finite_retention. The largest record is read
// from the broker (DescribeConfigs: the topic's max.message.bytes) and the
// producer's message.max.bytes; larger events go in pieces (event_chunks.h).
// The librdkafka mock cluster has no Admin API: `sdmx-hub kafka-dev`
// creates its topics itself, and the limits are the producer's.
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
  // Extra topic configs when the hub creates a topic (e.g. min.insync.replicas).
  std::map<std::string, std::string> topic_config;
  // Largest record to write; 0 (default) = what the broker and producer allow.
  size_t max_record_bytes = 0;
  // Start even on an existing topic whose retention or compaction would
  // delete history. Default false: the hub refuses, naming the topic.
  bool allow_finite_retention = false;
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
  Result<size_t> MaxRecordBytes(const std::string& topic) override;
  std::string Describe() const override { return "kafka:" + options_.bootstrap; }

 private:
  explicit KafkaEventLog(KafkaEventLogOptions options) : options_(std::move(options)) {}
  Status Init();
  Status EnsureTopics();
  // Reads each input topic's configs: the record limit, and whether its
  // retention would delete history.
  Status CheckTopics();

  KafkaEventLogOptions options_;
  rd_kafka_t* admin_ = nullptr;     // metadata, Admin API, offsets
  rd_kafka_t* producer_ = nullptr;  // records (NewWriter)
  std::map<std::string, int32_t> partitions_;
  std::map<std::string, size_t> max_record_bytes_;  // by topic; set by CheckTopics
  std::atomic<bool> stop_{false};
  std::thread poller_;
};

}  // namespace hub::storage
