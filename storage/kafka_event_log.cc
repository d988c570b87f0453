#include "storage/kafka_event_log.h"

#include <librdkafka/rdkafka.h>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>

namespace hub::storage {
namespace {

Status FromKafka(rd_kafka_resp_err_t err, const std::string& context) {
  if (!err) return Status::Ok();
  std::string msg = context + ": " + rd_kafka_err2str(err);
  switch (err) {
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
      return Status::Unavailable(msg);
    case RD_KAFKA_RESP_ERR__AUTO_OFFSET_RESET:
    case RD_KAFKA_RESP_ERR_OFFSET_OUT_OF_RANGE:
      return Status::Corruption(msg + " (an offset the hub needs is gone from the log)");
    default:
      return Status::IoError(msg);
  }
}

Status SetConf(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    return Status::InvalidArgument("librdkafka " + key + "=" + value + ": " + err);
  }
  return Status::Ok();
}

// Applies `settings`, then the user's `extra` properties (which may override
// them); destroys `conf` on error, as librdkafka leaves it to the caller.
Status Configure(rd_kafka_conf_t* conf, const std::map<std::string, std::string>& settings,
                 const std::map<std::string, std::string>& extra) {
  for (const auto* m : {&settings, &extra}) {
    for (const auto& [k, v] : *m) {
      if (Status s = SetConf(conf, k, v); !s.ok()) {
        rd_kafka_conf_destroy(conf);
        return s;
      }
    }
  }
  return Status::Ok();
}

// Outstanding deliveries of one writer. Shared with librdkafka through the
// per-message opaque, so a writer that gave up (timeout) can go away safely.
struct Tracker {
  std::mutex mu;
  std::condition_variable cv;
  int64_t outstanding = 0;
  rd_kafka_resp_err_t first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
};

void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void*) {
  auto* holder = static_cast<std::shared_ptr<Tracker>*>(m->_private);
  if (!holder) return;
  {
    std::lock_guard lock((*holder)->mu);
    if (m->err && !(*holder)->first_error) (*holder)->first_error = m->err;
    --(*holder)->outstanding;
  }
  (*holder)->cv.notify_all();
  delete holder;
}

class KafkaLogWriter final : public LogWriter {
 public:
  KafkaLogWriter(rd_kafka_t* producer, const std::map<std::string, int32_t>* partitions)
      : producer_(producer), partitions_(partitions), tracker_(std::make_shared<Tracker>()) {}

  Status Append(const std::string& topic, int32_t partition, std::string_view key,
                std::string_view value) override {
    auto it = partitions_->find(topic);
    if (it == partitions_->end() || partition < 0 || partition >= it->second) {
      return Status::InvalidArgument("no partition " + topic + "/" + std::to_string(partition));
    }
    auto* holder = new std::shared_ptr<Tracker>(tracker_);
    {
      std::lock_guard lock(tracker_->mu);
      ++tracker_->outstanding;
    }
    for (;;) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          producer_, RD_KAFKA_V_TOPIC(topic.c_str()), RD_KAFKA_V_PARTITION(partition),
          RD_KAFKA_V_KEY(const_cast<char*>(key.data()), key.size()),
          RD_KAFKA_V_VALUE(const_cast<char*>(value.data()), value.size()),
          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(holder), RD_KAFKA_V_END);
      if (!err) return Status::Ok();
      if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        // Back-pressure: wait for deliveries to drain the local queue.
        rd_kafka_poll(producer_, 50);
        continue;
      }
      delete holder;
      std::lock_guard lock(tracker_->mu);
      --tracker_->outstanding;
      return FromKafka(err, "produce to " + topic);
    }
  }

  Status Flush(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(tracker_->mu);
    if (!tracker_->cv.wait_for(lock, timeout, [&] { return tracker_->outstanding == 0; })) {
      return Status::DeadlineExceeded("kafka delivery of " + std::to_string(tracker_->outstanding) +
                                      " records not confirmed in time");
    }
    rd_kafka_resp_err_t err = tracker_->first_error;
    tracker_->first_error = RD_KAFKA_RESP_ERR_NO_ERROR;
    return FromKafka(err, "kafka delivery");
  }

 private:
  rd_kafka_t* producer_;
  const std::map<std::string, int32_t>* partitions_;
  std::shared_ptr<Tracker> tracker_;
};

class KafkaLogReader final : public LogReader {
 public:
  explicit KafkaLogReader(rd_kafka_t* consumer) : consumer_(consumer) {}
  ~KafkaLogReader() override {
    rd_kafka_consumer_close(consumer_);
    rd_kafka_destroy(consumer_);
  }

  Status Poll(std::chrono::milliseconds timeout, size_t max, std::vector<LogRecord>* out) override {
    size_t got = 0;
    int wait_ms = static_cast<int>(timeout.count());
    while (got < max) {
      rd_kafka_message_t* m = rd_kafka_consumer_poll(consumer_, wait_ms);
      if (!m) break;
      wait_ms = 0;  // drain what is already here, then return
      if (m->err) {
        rd_kafka_resp_err_t err = m->err;
        std::string where = m->rkt ? std::string(rd_kafka_topic_name(m->rkt)) + "/" + std::to_string(m->partition)
                                   : std::string("consumer");
        rd_kafka_message_destroy(m);
        if (err == RD_KAFKA_RESP_ERR__PARTITION_EOF) continue;
        return FromKafka(err, "kafka read " + where);
      }
      LogRecord r;
      r.tp = {rd_kafka_topic_name(m->rkt), m->partition};
      r.offset = m->offset;
      if (m->key) r.key.assign(static_cast<const char*>(m->key), m->key_len);
      if (m->payload) r.value.assign(static_cast<const char*>(m->payload), m->len);
      rd_kafka_message_destroy(m);
      out->push_back(std::move(r));
      ++got;
    }
    return Status::Ok();
  }

 private:
  rd_kafka_t* consumer_;
};

// What the cluster's metadata says of `topic`: its partitions (0 when it
// does not exist) and whether every one of them has a leader.
struct TopicState {
  int32_t partitions = 0;
  bool led = false;
};

Result<TopicState> DescribeTopic(rd_kafka_t* rk, const std::string& topic, int timeout_ms, const std::string& at) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, timeout_ms);
  rd_kafka_topic_destroy(rkt);
  if (err) return FromKafka(err, "kafka metadata for " + topic + " at " + at);
  TopicState s;
  if (md->topic_cnt == 1 && !md->topics[0].err) {
    s.partitions = md->topics[0].partition_cnt;
    s.led = true;
    for (int i = 0; i < s.partitions; ++i) s.led = s.led && md->topics[0].partitions[i].leader >= 0;
  }
  rd_kafka_metadata_destroy(md);
  return s;
}

// A topic's configs as the broker holds them (its own and the defaults it
// inherits). Unimplemented (the mock cluster has no Admin API) comes back
// as such, for the caller to decide.
Result<std::map<std::string, std::string>> DescribeTopicConfigs(rd_kafka_t* rk, const std::string& topic,
                                                                int timeout_ms) {
  rd_kafka_ConfigResource_t* res = rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, topic.c_str());
  rd_kafka_AdminOptions_t* opts = rd_kafka_AdminOptions_new(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS);
  char err[512];
  rd_kafka_AdminOptions_set_request_timeout(opts, timeout_ms, err, sizeof err);
  rd_kafka_queue_t* q = rd_kafka_queue_new(rk);
  rd_kafka_DescribeConfigs(rk, &res, 1, opts, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, timeout_ms + 1000);
  Result<std::map<std::string, std::string>> out = Status::Unavailable("kafka: describing topic " + topic + " timed out");
  if (ev) {
    if (rd_kafka_resp_err_t e = rd_kafka_event_error(ev); e) {
      out = e == RD_KAFKA_RESP_ERR__UNSUPPORTED_FEATURE || e == RD_KAFKA_RESP_ERR_UNSUPPORTED_VERSION
                ? Status::NotImplemented("kafka DescribeConfigs: " + std::string(rd_kafka_err2str(e)))
                : FromKafka(e, "kafka DescribeConfigs " + topic);
    } else {
      size_t n = 0;
      const rd_kafka_ConfigResource_t** rs =
          rd_kafka_DescribeConfigs_result_resources(rd_kafka_event_DescribeConfigs_result(ev), &n);
      if (n != 1) {
        out = Status::IoError("kafka DescribeConfigs " + topic + ": " + std::to_string(n) + " resources answered");
      } else if (rd_kafka_resp_err_t re = rd_kafka_ConfigResource_error(rs[0]); re) {
        out = re == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART
                  ? Status::NotFound("kafka DescribeConfigs " + topic + ": " + rd_kafka_err2str(re))
                  : FromKafka(re, "kafka DescribeConfigs " + topic);
      } else {
        std::map<std::string, std::string> configs;
        size_t cn = 0;
        const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(rs[0], &cn);
        for (size_t i = 0; i < cn; ++i) {
          const char* v = rd_kafka_ConfigEntry_value(entries[i]);
          configs[rd_kafka_ConfigEntry_name(entries[i])] = v ? v : "";
        }
        out = std::move(configs);
      }
    }
    rd_kafka_event_destroy(ev);
  }
  rd_kafka_queue_destroy(q);
  rd_kafka_AdminOptions_destroy(opts);
  rd_kafka_ConfigResource_destroy(res);
  return out;
}

}  // namespace

Result<std::unique_ptr<KafkaEventLog>> KafkaEventLog::Open(const KafkaEventLogOptions& options) {
  if (options.bootstrap.empty()) return Status::InvalidArgument("KafkaEventLogOptions.bootstrap is empty");
  if (options.data_partitions < 1) return Status::InvalidArgument("KafkaEventLogOptions.data_partitions must be >= 1");
  std::unique_ptr<KafkaEventLog> log(new KafkaEventLog(options));
  HUB_RETURN_IF_ERROR(log->Init());
  return log;
}

Status KafkaEventLog::Init() {
  // First a handle for metadata and the Admin API: the topics must exist
  // and their limits be known before the producer is made to fit them.
  rd_kafka_conf_t* admin_conf = rd_kafka_conf_new();
  HUB_RETURN_IF_ERROR(Configure(admin_conf,
                                {{"bootstrap.servers", options_.bootstrap},
                                 {"client.id", options_.client_id + "-admin"},
                                 {"socket.nagle.disable", "true"}},
                                options_.extra));
  char err[512];
  admin_ = rd_kafka_new(RD_KAFKA_PRODUCER, admin_conf, err, sizeof err);
  if (!admin_) {
    rd_kafka_conf_destroy(admin_conf);
    return Status::InvalidArgument(std::string("kafka client: ") + err);
  }
  HUB_RETURN_IF_ERROR(EnsureTopics());
  HUB_RETURN_IF_ERROR(CheckTopics());
  size_t batch = 1'000'000;  // librdkafka's default batch.size
  for (const auto& [topic, limit] : max_record_bytes_) batch = std::min(batch, limit);

  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options_.bootstrap},
      {"client.id", options_.client_id},
      {"enable.idempotence", "true"},
      {"acks", "all"},
      {"linger.ms", "5"},
      // A topic's max.message.bytes limits a whole record batch, not one
      // record: batches no larger than the smallest limit (one record of
      // up to the limit still goes alone).
      {"batch.size", std::to_string(batch)},
      // Submissions are small bursts awaited by a flush: Nagle's algorithm
      // would hold their last segment for a delayed ACK (~40 ms on loopback).
      {"socket.nagle.disable", "true"},
      {"message.timeout.ms", std::to_string(options_.timeout.count())},
  };
  HUB_RETURN_IF_ERROR(Configure(conf, settings, options_.extra));
  rd_kafka_conf_set_dr_msg_cb(conf, OnDelivery);
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, sizeof err);
  if (!producer_) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(std::string("kafka producer: ") + err);
  }
  poller_ = std::thread([this] {
    while (!stop_.load()) rd_kafka_poll(producer_, 100);
  });
  return Status::Ok();
}

Status KafkaEventLog::CheckTopics() {
  char buf[64];
  size_t size = sizeof buf;
  size_t producer_limit = 1'000'000;  // librdkafka's default, if it will not say
  if (rd_kafka_conf_get(rd_kafka_conf(admin_), "message.max.bytes", buf, &size) == RD_KAFKA_CONF_OK) {
    producer_limit = std::stoull(buf);
  }
  // librdkafka's mock cluster (ids "mockCluster<hex>") never answers
  // DescribeConfigs: asking would only wait out the timeout.
  bool mock = false;
  if (char* id = rd_kafka_clusterid(admin_, static_cast<int>(options_.timeout.count()))) {
    mock = std::string_view(id).starts_with("mockCluster");
    rd_kafka_mem_free(admin_, id);
  }
  const std::vector<std::string> inputs = options_.topics.All();
  for (const std::string& topic : options_.topics.Created()) {
    size_t limit = producer_limit;
    if (options_.max_record_bytes > 0) limit = std::min(limit, options_.max_record_bytes);
    Result<std::map<std::string, std::string>> configs =
        Result<std::map<std::string, std::string>>(Status::NotImplemented("the librdkafka mock cluster"));
    // A topic just created may be unknown to the broker asked for a moment.
    const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
    while (!mock) {
      configs = DescribeTopicConfigs(admin_, topic, static_cast<int>(options_.timeout.count()));
      if (configs.status().code() != StatusCode::kNotFound || std::chrono::steady_clock::now() > deadline) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (configs.status().code() == StatusCode::kNotImplemented) {
      if (topic == options_.topics.data) {
        spdlog::warn("kafka: {} cannot describe its topics ({}): records up to the producer's {} bytes, retention "
                     "not checked", options_.bootstrap, configs.status().message(), limit);
      }
      max_record_bytes_[topic] = limit;
      continue;
    }
    HUB_RETURN_IF_ERROR(configs.status());
    auto get = [&](const char* name) {
      auto it = configs->find(name);
      return it == configs->end() ? std::string() : it->second;
    };
    if (std::string m = get("max.message.bytes"); !m.empty()) limit = std::min<size_t>(limit, std::stoull(m));
    max_record_bytes_[topic] = limit;
    const std::string retention_ms = get("retention.ms"), retention_bytes = get("retention.bytes"),
                      cleanup = get("cleanup.policy");
    const bool deletes = (!retention_ms.empty() && retention_ms != "-1") ||
                         (!retention_bytes.empty() && retention_bytes != "-1") ||
                         cleanup.find("compact") != std::string::npos;
    // `changes` is the hub's output, replayable from the state: any
    // retention the operator likes.
    if (std::find(inputs.begin(), inputs.end(), topic) == inputs.end()) continue;
    if (deletes && !options_.allow_finite_retention) {
      return Status::InvalidArgument(
          "kafka topic " + topic + " would delete the hub's history (retention.ms=" + retention_ms +
          ", retention.bytes=" + retention_bytes + ", cleanup.policy=" + cleanup +
          "): the log is the system of record. Set retention.ms=-1 and retention.bytes=-1 with cleanup.policy=delete "
          "on it, or start with [kafka] allow_finite_retention = true");
    }
    if (deletes) {
      spdlog::warn("kafka topic {} may delete history (retention.ms={}, retention.bytes={}, cleanup.policy={}): "
                   "allowed by allow_finite_retention", topic, retention_ms, retention_bytes, cleanup);
    }
  }
  return Status::Ok();
}

Result<size_t> KafkaEventLog::MaxRecordBytes(const std::string& topic) {
  auto it = max_record_bytes_.find(topic);
  if (it == max_record_bytes_.end()) return Status::NotFound("no topic " + topic);
  return it->second;
}

Status KafkaEventLog::EnsureTopics() {
  const int timeout_ms = static_cast<int>(options_.timeout.count());
  std::vector<std::string> missing;
  for (const std::string& topic : options_.topics.Created()) {
    HUB_ASSIGN_OR_RETURN(TopicState state, DescribeTopic(admin_, topic, timeout_ms, options_.bootstrap));
    if (state.partitions > 0) {
      partitions_[topic] = state.partitions;
    } else {
      missing.push_back(topic);
    }
  }
  if (missing.empty()) return Status::Ok();

  std::vector<rd_kafka_NewTopic_t*> new_topics;
  char err[512];
  for (const std::string& t : missing) {
    int parts = t == options_.topics.data ? options_.data_partitions : 1;
    rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(t.c_str(), parts, options_.replication_factor, err, sizeof err);
    if (!nt) {
      for (auto* x : new_topics) rd_kafka_NewTopic_destroy(x);
      return Status::InvalidArgument("kafka topic " + t + ": " + err);
    }
    new_topics.push_back(nt);
    // The log is the system of record: nothing ages out of it.
    std::map<std::string, std::string> configs = {
        {"retention.ms", "-1"}, {"retention.bytes", "-1"}, {"cleanup.policy", "delete"}};
    for (const auto& [k, v] : options_.topic_config) configs[k] = v;
    for (const auto& [k, v] : configs) rd_kafka_NewTopic_set_config(nt, k.c_str(), v.c_str());
  }
  rd_kafka_queue_t* q = rd_kafka_queue_new(admin_);
  rd_kafka_CreateTopics(admin_, new_topics.data(), new_topics.size(), nullptr, q);
  rd_kafka_event_t* ev = rd_kafka_queue_poll(q, timeout_ms);
  Status result = Status::Ok();
  if (!ev) {
    result = Status::Unavailable("kafka: creating topics timed out");
  } else if (rd_kafka_event_error(ev)) {
    result = FromKafka(rd_kafka_event_error(ev), "kafka CreateTopics");
  } else {
    const rd_kafka_CreateTopics_result_t* res = rd_kafka_event_CreateTopics_result(ev);
    size_t n = 0;
    const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &n);
    for (size_t i = 0; i < n && result.ok(); ++i) {
      rd_kafka_resp_err_t e = rd_kafka_topic_result_error(results[i]);
      if (e && e != RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
        result = FromKafka(e, std::string("kafka create topic ") + rd_kafka_topic_result_name(results[i]));
      }
    }
  }
  if (ev) rd_kafka_event_destroy(ev);
  rd_kafka_queue_destroy(q);
  for (auto* t : new_topics) rd_kafka_NewTopic_destroy(t);
  if (!result.ok()) return result;
  for (const std::string& t : missing) {
    partitions_[t] = t == options_.topics.data ? options_.data_partitions : 1;
  }
  // Created is not yet known everywhere: wait until the metadata shows every
  // partition of them, so that the first produce finds its leader.
  const auto deadline = std::chrono::steady_clock::now() + options_.timeout;
  for (const std::string& t : missing) {
    for (;;) {
      Result<TopicState> state = DescribeTopic(admin_, t, timeout_ms, options_.bootstrap);
      if (state.ok() && state->partitions == partitions_[t] && state->led) break;
      if (std::chrono::steady_clock::now() > deadline) {
        return Status::Unavailable("kafka: topic " + t + " was created but has no leader for every partition yet");
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  return Status::Ok();
}

KafkaEventLog::~KafkaEventLog() {
  if (producer_) {
    rd_kafka_flush(producer_, static_cast<int>(options_.timeout.count()));
    stop_ = true;
    if (poller_.joinable()) poller_.join();
    rd_kafka_destroy(producer_);
  }
  if (admin_) rd_kafka_destroy(admin_);
}

Result<int32_t> KafkaEventLog::PartitionCount(const std::string& topic) {
  auto it = partitions_.find(topic);
  if (it == partitions_.end()) return Status::NotFound("no topic " + topic);
  return it->second;
}

Result<int64_t> KafkaEventLog::EndOffset(const TopicPartition& tp) {
  int64_t low = 0, high = 0;
  rd_kafka_resp_err_t e = rd_kafka_query_watermark_offsets(admin_, tp.topic.c_str(), tp.partition, &low, &high,
                                                           static_cast<int>(options_.timeout.count()));
  HUB_RETURN_IF_ERROR(FromKafka(e, "kafka end offset of " + tp.ToString()));
  return high;
}

Result<std::unique_ptr<LogWriter>> KafkaEventLog::NewWriter() {
  return std::unique_ptr<LogWriter>(new KafkaLogWriter(producer_, &partitions_));
}

Result<std::unique_ptr<LogReader>> KafkaEventLog::NewReader(
    const std::vector<std::pair<TopicPartition, int64_t>>& start) {
  for (const auto& [tp, off] : start) {
    auto it = partitions_.find(tp.topic);
    if (it == partitions_.end() || tp.partition < 0 || tp.partition >= it->second) {
      return Status::InvalidArgument("no partition " + tp.ToString());
    }
    if (off < 0) return Status::InvalidArgument("negative offset for " + tp.ToString());
  }
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::map<std::string, std::string> settings = {
      {"bootstrap.servers", options_.bootstrap},
      {"client.id", options_.client_id + "-reader"},
      // Required by librdkafka for a consumer; assign() never joins the group.
      {"group.id", options_.client_id + "-materialiser"},
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", "error"},
      {"enable.partition.eof", "false"},
      // The broker answers a fetch as soon as data arrives or after this:
      // freshness (accepted -> visible) is bounded by it when the log is idle.
      {"fetch.wait.max.ms", "10"},
      {"socket.nagle.disable", "true"},
      // What a reader prefetches ahead of the materialiser: librdkafka's
      // default (64 MiB per reader, and a spilled submission's read-back is a
      // second reader) took the hub past its memory bound on a 1 GB feed.
      // Any [kafka.properties] setting overrides it.
      {"queued.max.messages.kbytes", "8192"},
  };
  HUB_RETURN_IF_ERROR(Configure(conf, settings, options_.extra));
  char err[512];
  rd_kafka_t* consumer = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
  if (!consumer) {
    rd_kafka_conf_destroy(conf);
    return Status::InvalidArgument(std::string("kafka consumer: ") + err);
  }
  rd_kafka_poll_set_consumer(consumer);
  auto reader = std::make_unique<KafkaLogReader>(consumer);
  rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(static_cast<int>(start.size()));
  for (const auto& [tp, off] : start) {
    rd_kafka_topic_partition_list_add(list, tp.topic.c_str(), tp.partition)->offset = off;
  }
  rd_kafka_resp_err_t e = rd_kafka_assign(consumer, list);
  rd_kafka_topic_partition_list_destroy(list);
  HUB_RETURN_IF_ERROR(FromKafka(e, "kafka assign"));
  return std::unique_ptr<LogReader>(std::move(reader));
}

}  // namespace hub::storage
