#include "storage/embedded_event_log.h"

#include <rocksdb/db.h>
#include <rocksdb/write_batch.h>

#include <limits>

#include "hub/base/crash_point.h"
#include "storage/keys.h"
#include "storage/rocksdb_status.h"

namespace hub::storage {
namespace {

std::string RecordPrefix(const TopicPartition& tp) {
  std::string k = tp.topic;
  k += '\0';
  PutFixed32BE(&k, static_cast<uint32_t>(tp.partition));
  return k;
}

std::string RecordKey(const TopicPartition& tp, int64_t offset) {
  std::string k = RecordPrefix(tp);
  PutFixed64BE(&k, static_cast<uint64_t>(offset));
  return k;
}

std::string TopicMetaKey(const std::string& topic) { return "\x01topic/" + topic; }

}  // namespace

class EmbeddedLogWriter final : public LogWriter {
 public:
  explicit EmbeddedLogWriter(EmbeddedEventLog* log) : log_(log) {}
  Status Append(const std::string& topic, int32_t partition, std::string_view key,
                std::string_view value) override {
    auto it = log_->partitions_.find(topic);
    if (it == log_->partitions_.end() || partition < 0 || partition >= it->second) {
      return Status::InvalidArgument("no partition " + topic + "/" + std::to_string(partition));
    }
    const size_t limit = log_->options_.max_record_bytes;
    if (limit > 0 && key.size() + value.size() > limit) {
      // As Kafka refuses it (MSG_SIZE_TOO_LARGE): a test with a limit set
      // shows that nothing relies on records the log would not take.
      return Status::InvalidArgument("record of " + std::to_string(key.size() + value.size()) + " bytes to " + topic +
                                     " is over the log's limit of " + std::to_string(limit));
    }
    pending_.push_back({{topic, partition}, std::string(key), std::string(value)});
    return Status::Ok();
  }
  Status Flush(std::chrono::milliseconds) override {
    Status s = log_->Commit(pending_);
    pending_.clear();
    return s;
  }

 private:
  EmbeddedEventLog* log_;
  std::vector<EmbeddedEventLog::Pending> pending_;
};

class EmbeddedLogReader final : public LogReader {
 public:
  EmbeddedLogReader(EmbeddedEventLog* log, std::map<TopicPartition, int64_t> next)
      : log_(log), next_(std::move(next)) {}

  Status Poll(std::chrono::milliseconds timeout, size_t max, std::vector<LogRecord>* out) override {
    std::map<TopicPartition, int64_t> end;
    {
      std::unique_lock lock(log_->mu_);
      auto has_new = [&] {
        for (const auto& [tp, off] : next_) {
          auto it = log_->end_.find(tp);
          if (it != log_->end_.end() && it->second > off) return true;
        }
        return log_->closing_;
      };
      log_->appended_.wait_for(lock, timeout, has_new);
      end = log_->end_;
    }
    size_t added = 0;
    for (auto& [tp, off] : next_) {
      int64_t stop = end.count(tp) ? end[tp] : 0;
      if (off >= stop) continue;
      std::unique_ptr<rocksdb::Iterator> it(log_->db_->NewIterator(rocksdb::ReadOptions()));
      const std::string prefix = RecordPrefix(tp);
      for (it->Seek(RecordKey(tp, off)); it->Valid() && off < stop && added < max; it->Next(), ++added) {
        rocksdb::Slice k = it->key();
        if (!k.starts_with(prefix)) break;
        int64_t got = static_cast<int64_t>(DecodeFixed64BE(k.data() + prefix.size()));
        if (got != off) {
          return Status::Corruption("embedded log " + tp.ToString() + ": expected offset " +
                                    std::to_string(off) + ", found " + std::to_string(got));
        }
        std::string_view v(it->value().data(), it->value().size());
        uint64_t key_size = 0;
        if (!GetVarint64(&v, &key_size) || key_size > v.size()) {
          return Status::Corruption("embedded log " + tp.ToString() + " offset " + std::to_string(off));
        }
        out->push_back({tp, off, std::string(v.substr(0, key_size)), std::string(v.substr(key_size))});
        ++off;
      }
      HUB_RETURN_IF_ERROR(FromRocks(it->status(), "embedded log read"));
      if (added >= max) break;
    }
    return Status::Ok();
  }

 private:
  EmbeddedEventLog* log_;
  std::map<TopicPartition, int64_t> next_;
};

Result<std::unique_ptr<EmbeddedEventLog>> EmbeddedEventLog::Open(const EmbeddedEventLogOptions& options) {
  if (options.path.empty()) return Status::InvalidArgument("EmbeddedEventLogOptions.path is empty");
  if (options.data_partitions < 1 || options.data_partitions > 1024) {
    return Status::InvalidArgument("EmbeddedEventLogOptions.data_partitions must be 1..1024");
  }
  std::unique_ptr<EmbeddedEventLog> log(new EmbeddedEventLog(options));
  HUB_RETURN_IF_ERROR(log->Init());
  return log;
}

EmbeddedEventLog::EmbeddedEventLog(EmbeddedEventLogOptions options) : options_(std::move(options)) {}

Status EmbeddedEventLog::Init() {
  rocksdb::Options opts;
  opts.create_if_missing = !options_.read_only;
  BoundMemory(options_.memory, &opts, {&opts});
  rocksdb::DB* db = nullptr;
  rocksdb::Status opened = options_.read_only ? rocksdb::DB::OpenForReadOnly(opts, options_.path, &db)
                                              : rocksdb::DB::Open(opts, options_.path, &db);
  HUB_RETURN_IF_ERROR(FromRocks(opened, "open event log " + options_.path));
  db_.reset(db);
  rocksdb::WriteBatch created;
  for (const std::string& topic : options_.topics.All()) {
    std::string v;
    rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), TopicMetaKey(topic), &v);
    int32_t count;
    if (s.ok()) {
      count = static_cast<int32_t>(DecodeFixed32BE(v.data()));
    } else if (s.IsNotFound() && options_.read_only) {
      return Status::NotFound("event log " + options_.path + " has no topic " + topic);
    } else if (s.IsNotFound()) {
      // Only data is keyed by series; structures and markers keep one total order.
      count = topic == options_.topics.data ? options_.data_partitions : 1;
      std::string enc;
      PutFixed32BE(&enc, static_cast<uint32_t>(count));
      created.Put(TopicMetaKey(topic), enc);
    } else {
      return FromRocks(s, "event log metadata");
    }
    partitions_[topic] = count;
    for (int32_t p = 0; p < count; ++p) {
      TopicPartition tp{topic, p};
      std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions()));
      std::string upper = RecordPrefix(tp);
      PutFixed64BE(&upper, ~0ULL);
      it->SeekForPrev(upper);
      const std::string prefix = RecordPrefix(tp);
      end_[tp] = it->Valid() && it->key().starts_with(prefix)
                     ? static_cast<int64_t>(DecodeFixed64BE(it->key().data() + prefix.size())) + 1
                     : 0;
    }
  }
  if (created.Count() > 0) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    HUB_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &created), "event log metadata"));
  }
  return Status::Ok();
}

EmbeddedEventLog::~EmbeddedEventLog() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
  }
  appended_.notify_all();
}

Result<int32_t> EmbeddedEventLog::PartitionCount(const std::string& topic) {
  auto it = partitions_.find(topic);
  if (it == partitions_.end()) return Status::NotFound("no topic " + topic);
  return it->second;
}

Result<size_t> EmbeddedEventLog::MaxRecordBytes(const std::string& topic) {
  if (!partitions_.contains(topic)) return Status::NotFound("no topic " + topic);
  return options_.max_record_bytes > 0 ? options_.max_record_bytes : std::numeric_limits<size_t>::max();
}

Result<int64_t> EmbeddedEventLog::EndOffset(const TopicPartition& tp) {
  std::lock_guard lock(mu_);
  auto it = end_.find(tp);
  if (it == end_.end()) return Status::NotFound("no partition " + tp.ToString());
  return it->second;
}

Result<std::unique_ptr<LogWriter>> EmbeddedEventLog::NewWriter() {
  if (options_.read_only) return Status::InvalidArgument("event log " + options_.path + " is open read-only");
  return std::unique_ptr<LogWriter>(new EmbeddedLogWriter(this));
}

Result<std::unique_ptr<LogReader>> EmbeddedEventLog::NewReader(
    const std::vector<std::pair<TopicPartition, int64_t>>& start) {
  std::map<TopicPartition, int64_t> next;
  for (const auto& [tp, off] : start) {
    auto it = partitions_.find(tp.topic);
    if (it == partitions_.end() || tp.partition < 0 || tp.partition >= it->second) {
      return Status::InvalidArgument("no partition " + tp.ToString());
    }
    if (off < 0) return Status::InvalidArgument("negative offset for " + tp.ToString());
    next[tp] = off;
  }
  return std::unique_ptr<LogReader>(new EmbeddedLogReader(this, std::move(next)));
}

Status EmbeddedEventLog::Commit(const std::vector<Pending>& records) {
  if (records.empty()) return Status::Ok();
  // Offsets are assigned here, under the lock, so that they are consecutive
  // and become visible only once the batch is durable.
  std::lock_guard lock(mu_);
  rocksdb::WriteBatch batch;
  std::map<TopicPartition, int64_t> next = end_;
  for (const Pending& r : records) {
    std::string v;
    PutVarint64(&v, r.key.size());
    v += r.key;
    v += r.value;
    batch.Put(RecordKey(r.tp, next[r.tp]++), v);
  }
  rocksdb::WriteOptions wo;
  wo.sync = options_.sync;
  CrashPoint("log.before_write");
  HUB_RETURN_IF_ERROR(FromRocks(db_->Write(wo, &batch), "event log append"));
  CrashPoint("log.after_write");
  end_ = std::move(next);
  appended_.notify_all();
  return Status::Ok();
}

}  // namespace hub::storage
