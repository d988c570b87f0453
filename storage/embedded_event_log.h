// EmbeddedEventLog: the EventLog on local disk (RocksDB), for one machine.
//
// Layout: one RocksDB instance; record key = topic '\0' be32(partition)
// be64(offset), value = varint(key size) key value. Topic partition counts
// are fixed at first open and stored under "\x01topic/<name>". A Flush is
// one synced WriteBatch: records become durable and readable together.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>

#include "storage/event_log.h"
#include "storage/rocksdb_memory.h"

namespace rocksdb {
class DB;
}

namespace hub::storage {

struct EmbeddedEventLogOptions {
  std::string path;                // directory of the log (created if missing); required
  LogTopics topics;
  int32_t data_partitions = 4;     // partitions of topics.data at creation; default 4
  bool sync = true;                // fsync the WAL on every Flush; default true
  bool read_only = false;          // open an existing log for reading only (replay beside a
                                   // running hub); sees the log as it was at open; default false
  RocksMemoryOptions memory;       // memtables and block cache ([log]); see rocksdb_memory.h
  // Largest record; larger events are appended in pieces (event_chunks.h).
  // RocksDB needs no limit: default 0 = none. Set, it runs the hub as on a
  // Kafka with that limit.
  size_t max_record_bytes = 0;
};

class EmbeddedEventLog final : public EventLog {
 public:
  static Result<std::unique_ptr<EmbeddedEventLog>> Open(const EmbeddedEventLogOptions& options);
  ~EmbeddedEventLog() override;

  Result<int32_t> PartitionCount(const std::string& topic) override;
  Result<std::unique_ptr<LogWriter>> NewWriter() override;
  Result<std::unique_ptr<LogReader>> NewReader(
      const std::vector<std::pair<TopicPartition, int64_t>>& start) override;
  Result<int64_t> EndOffset(const TopicPartition& tp) override;
  Result<size_t> MaxRecordBytes(const std::string& topic) override;
  std::string Describe() const override { return "embedded:" + options_.path; }

 private:
  friend class EmbeddedLogWriter;
  friend class EmbeddedLogReader;
  explicit EmbeddedEventLog(EmbeddedEventLogOptions options);
  Status Init();
  struct Pending {
    TopicPartition tp;
    std::string key;
    std::string value;
  };
  Status Commit(const std::vector<Pending>& records);

  EmbeddedEventLogOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::mutex mu_;
  std::condition_variable appended_;
  std::map<std::string, int32_t> partitions_;  // topic -> count
  std::map<TopicPartition, int64_t> end_;      // next offset per partition (guarded by mu_)
  bool closing_ = false;
};

}  // namespace hub::storage
