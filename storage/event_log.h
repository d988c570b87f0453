// EventLog: the hub's durable, partitioned, append-only log. Two
// implementations with one contract (tests/storage/event_log_test.cc runs the
// same suite on both):
//   - KafkaEventLog (kafka_event_log.h): librdkafka, scales past one machine;
//   - EmbeddedEventLog (embedded_event_log.h): RocksDB on local disk, the
//     single-machine default.
//
// Contract: records of one partition are read in append order with
// consecutive offsets starting at 0; a record is readable only after the
// LogWriter::Flush that covered it returned OK; after Flush returns OK the
// record survives a crash of the process. Thread-safe; writers and readers
// are each used by one thread at a time.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "hub/base/status.h"

namespace hub::storage {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
  std::string ToString() const { return topic + "/" + std::to_string(partition); }
};

struct LogRecord {
  TopicPartition tp;
  int64_t offset = 0;
  std::string key;
  std::string value;
};

// Topic names; the prefix lets several hubs share one Kafka cluster.
struct LogTopics {
  std::string data = "sdmx.data";
  std::string structures = "sdmx.structures";
  std::string submissions = "sdmx.submissions";
  // Output only: the change feed's events, for Kafka consumers (one
  // partition, key = watermark). The hub never reads it back as input.
  std::string changes = "sdmx.changes";

  static LogTopics WithPrefix(const std::string& prefix) {
    return {prefix + "sdmx.data", prefix + "sdmx.structures", prefix + "sdmx.submissions", prefix + "sdmx.changes"};
  }
  // The topics the materialiser reads (its input).
  std::vector<std::string> All() const { return {data, structures, submissions}; }
  // Every topic a Kafka deployment needs: the input and `changes`.
  std::vector<std::string> Created() const { return {data, structures, submissions, changes}; }
};

// Appends records; Flush makes them durable and visible. One per submission.
class LogWriter {
 public:
  virtual ~LogWriter() = default;
  // Queues one record. Fails fast on an unknown topic/partition.
  virtual Status Append(const std::string& topic, int32_t partition, std::string_view key,
                        std::string_view value) = 0;
  // Waits until every record appended through this writer is durable, or
  // fails (retryable when the log is unreachable). After a failure, some of
  // the records may still land: callers make them harmless (see attempt_id).
  virtual Status Flush(std::chrono::milliseconds timeout) = 0;
};

// Reads assigned partitions from given offsets onwards.
class LogReader {
 public:
  virtual ~LogReader() = default;
  // Waits up to `timeout` for records and appends at most `max` to `out`.
  // OK with nothing appended on timeout. A gap in the log (e.g. Kafka
  // retention dropped an offset we still needed) is an error, never skipped.
  // On an error, `out` still holds the records read before it, in order:
  // they are consumed, and the caller handles them.
  virtual Status Poll(std::chrono::milliseconds timeout, size_t max, std::vector<LogRecord>* out) = 0;
};

class EventLog {
 public:
  virtual ~EventLog() = default;
  virtual Result<int32_t> PartitionCount(const std::string& topic) = 0;
  virtual Result<std::unique_ptr<LogWriter>> NewWriter() = 0;
  // A reader of exactly the given partitions, starting at the given offsets.
  virtual Result<std::unique_ptr<LogReader>> NewReader(
      const std::vector<std::pair<TopicPartition, int64_t>>& start) = 0;
  // The offset the next record of `tp` will get (the log end), as durable now.
  virtual Result<int64_t> EndOffset(const TopicPartition& tp) = 0;
  // The largest record (key and value, with the log's own headers) that
  // `topic` takes: Kafka's is the smaller of the topic's max.message.bytes
  // and the producer's message.max.bytes. Larger events go in pieces
  // (event_chunks.h).
  virtual Result<size_t> MaxRecordBytes(const std::string& topic) = 0;
  // A short description for logs and /healthz ("embedded:/data/log", "kafka:host:9092").
  virtual std::string Describe() const = 0;
};

// The partition of a record key: stable across processes and implementations
// (FNV-1a), so that a series always lands in the same partition.
int32_t PartitionForKey(std::string_view key, int32_t partitions);

}  // namespace hub::storage
