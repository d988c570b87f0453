// One contract, two logs: the same tests run on the embedded (RocksDB) log
// and on Kafka, through librdkafka's mock cluster on loopback TCP; built
// with HUB_REAL_KAFKA (kafka_broker_test), on a real Apache Kafka broker.
#include "storage/event_log.h"

#include <gtest/gtest.h>

#include <map>

#include "storage/embedded_event_log.h"
#include "storage/event_chunks.h"
#include "storage/kafka_event_log.h"
#include "storage/kafka_mock_cluster.h"
#include "testing/kafka_cluster.h"
#include "testing/test_util.h"

namespace hub::storage {
namespace {

using namespace std::chrono_literals;

// Every log here takes records of 100,000 bytes at most.
constexpr size_t kRecordLimit = 100'000;

enum class Backend { kEmbedded, kKafka, kRealKafka };
const char* Name(Backend b) {
  return b == Backend::kEmbedded ? "Embedded" : b == Backend::kKafka ? "Kafka" : "RealKafka";
}
void PrintTo(Backend b, std::ostream* os) { *os << Name(b); }

class EventLogTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kKafka) {
      KafkaMockClusterOptions mo;
      mo.data_partitions = 3;
      auto c = KafkaMockCluster::Start(mo);
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      cluster_ = std::move(*c);
    } else if (GetParam() == Backend::kRealKafka) {
      auto c = testing::KafkaCluster::Shared();
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      real_ = std::move(*c);
      // The broker is shared with other tests: topics of this test's own.
      topics_ = LogTopics::WithPrefix(testing::KafkaCluster::UniquePrefix());
    }
    Reopen();
  }

  void Reopen() {
    log_.reset();
    if (GetParam() == Backend::kEmbedded) {
      EmbeddedEventLogOptions o;
      o.path = dir_.Sub("log");
      o.data_partitions = 3;
      o.max_record_bytes = kRecordLimit;
      auto l = EmbeddedEventLog::Open(o);
      ASSERT_TRUE(l.ok()) << l.status().ToString();
      log_ = std::move(*l);
    } else {
      KafkaEventLogOptions o;
      o.bootstrap = cluster_ ? cluster_->bootstrap() : real_->bootstrap();
      o.topics = topics_;
      o.data_partitions = 3;
      o.timeout = 10s;
      if (real_) {
        // Set on the topics (when this creates them) and read back from the
        // broker: the limit is the broker's word, never assumed.
        o.topic_config["max.message.bytes"] = std::to_string(kRecordLimit);
      } else {
        o.max_record_bytes = kRecordLimit;  // the mock has no DescribeConfigs
      }
      auto l = KafkaEventLog::Open(o);
      ASSERT_TRUE(l.ok()) << l.status().ToString();
      log_ = std::move(*l);
    }
  }

  // Reads until `n` records arrived or 30 s passed (a deadline only for a
  // failing test: under a full parallel ctest, a real broker once took over
  // 10 s to serve the second megabyte of the ten-piece event).
  std::vector<LogRecord> ReadN(const std::vector<std::pair<TopicPartition, int64_t>>& start, size_t n) {
    auto reader = log_->NewReader(start);
    EXPECT_TRUE(reader.ok()) << reader.status().ToString();
    std::vector<LogRecord> out;
    auto deadline = std::chrono::steady_clock::now() + 30s;
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
      Status s = (*reader)->Poll(100ms, 1000, &out);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    return out;
  }

  LogTopics topics_;
  testing::TempDir dir_;
  std::unique_ptr<KafkaMockCluster> cluster_;
  std::unique_ptr<testing::KafkaCluster> real_;
  std::unique_ptr<EventLog> log_;
};

TEST_P(EventLogTest, PartitionCounts) {
  EXPECT_EQ(*log_->PartitionCount(topics_.data), 3);
  EXPECT_EQ(*log_->PartitionCount(topics_.submissions), 1);
  EXPECT_FALSE(log_->PartitionCount("no.such.topic").ok());
}

TEST_P(EventLogTest, RecordsComeBackInOrderWithConsecutiveOffsets) {
  auto writer = log_->NewWriter();
  ASSERT_TRUE(writer.ok());
  for (int i = 0; i < 30; ++i) {
    // (Built with append, not operator+: GCC 12's -Wrestrict misfires on the latter at -O3.)
    std::string key = "series-";
    key += std::to_string(i % 5);
    std::string value = "v";
    value += std::to_string(i);
    ASSERT_TRUE((*writer)->Append(topics_.data, PartitionForKey(key, 3), key, value).ok());
  }
  ASSERT_TRUE((*writer)->Flush(10s).ok());
  std::vector<std::pair<TopicPartition, int64_t>> start;
  for (int p = 0; p < 3; ++p) start.push_back({{topics_.data, p}, 0});
  std::vector<LogRecord> got = ReadN(start, 30);
  ASSERT_EQ(got.size(), 30u);
  std::map<TopicPartition, int64_t> next;
  std::map<std::string, int> last_value;
  for (const LogRecord& r : got) {
    EXPECT_EQ(r.offset, next[r.tp]++) << r.tp.ToString();
    EXPECT_EQ(r.tp.partition, PartitionForKey(r.key, 3));
    int v = std::stoi(r.value.substr(1));
    // One key stays in one partition, so its records keep their order.
    if (last_value.count(r.key)) {
      EXPECT_GT(v, last_value[r.key]);
    }
    last_value[r.key] = v;
  }
}

TEST_P(EventLogTest, ReaderStartsAtTheGivenOffset) {
  auto writer = log_->NewWriter();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE((*writer)->Append(topics_.submissions, 0, "k", std::to_string(i)).ok());
  ASSERT_TRUE((*writer)->Flush(10s).ok());
  std::vector<LogRecord> got = ReadN({{{topics_.submissions, 0}, 7}}, 3);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].offset, 7);
  EXPECT_EQ(got[0].value, "7");
  EXPECT_EQ(got[2].value, "9");
}

TEST_P(EventLogTest, FlushedRecordsSurviveReopen) {
  {
    auto writer = log_->NewWriter();
    ASSERT_TRUE((*writer)->Append(topics_.structures, 0, "k", "durable").ok());
    ASSERT_TRUE((*writer)->Flush(10s).ok());
  }
  Reopen();
  auto writer = log_->NewWriter();
  ASSERT_TRUE((*writer)->Append(topics_.structures, 0, "k", "second").ok());
  ASSERT_TRUE((*writer)->Flush(10s).ok());
  std::vector<LogRecord> got = ReadN({{{topics_.structures, 0}, 0}}, 2);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].value, "durable");
  EXPECT_EQ(got[1].value, "second");
  EXPECT_EQ(got[1].offset, 1);
}

TEST_P(EventLogTest, AnEventTenTimesTheRecordLimitTravelsInPieces) {
  auto limit = log_->MaxRecordBytes(topics_.structures);
  ASSERT_TRUE(limit.ok()) << limit.status().ToString();
  EXPECT_EQ(*limit, kRecordLimit);
  std::string event(10 * kRecordLimit + 12345, '\0');
  for (size_t i = 0; i < event.size(); ++i) event[i] = static_cast<char>(i * 2654435761u >> 13);
  auto writer = log_->NewWriter();
  auto n = AppendEvent(writer->get(), topics_.structures, 0, "dsd", event, "s1", "s1-a", *limit);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 11);
  ASSERT_TRUE((*writer)->Append(topics_.structures, 0, "after", "small").ok());
  ASSERT_TRUE((*writer)->Flush(10s).ok()) << "a record over the limit would fail here";
  std::vector<LogRecord> got = ReadN({{{topics_.structures, 0}, 0}}, 12);
  ASSERT_EQ(got.size(), 12u);
  ChunkJoiner joiner;
  std::optional<std::string> whole;
  for (int i = 0; i < 11; ++i) {
    sdmxhub::events::v1::Envelope env;
    ASSERT_TRUE(env.ParseFromString(got[i].value));
    auto r = joiner.Add(got[i].tp, got[i].offset, env.chunk());
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    if (*r) whole = std::move(*r);
  }
  ASSERT_TRUE(whole.has_value());
  EXPECT_TRUE(*whole == event);
  EXPECT_EQ(got[11].value, "small");
}

TEST_P(EventLogTest, UnknownPartitionIsRefused) {
  auto writer = log_->NewWriter();
  EXPECT_FALSE((*writer)->Append(topics_.data, 3, "k", "v").ok());
  EXPECT_FALSE(log_->NewReader({{{topics_.data, 7}, 0}}).ok());
}

#ifdef HUB_REAL_KAFKA
INSTANTIATE_TEST_SUITE_P(Logs, EventLogTest, ::testing::Values(Backend::kRealKafka),
                         [](const auto& info) { return Name(info.param); });
#else
INSTANTIATE_TEST_SUITE_P(Logs, EventLogTest, ::testing::Values(Backend::kEmbedded, Backend::kKafka),
                         [](const auto& info) { return Name(info.param); });
#endif

}  // namespace
}  // namespace hub::storage
