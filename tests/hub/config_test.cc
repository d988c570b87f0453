// configs/hub.toml as an operator writes it: the [kafka] section and the
// log's record limit.
#include "hub/config.h"

#include <gtest/gtest.h>

#include <fstream>

#include "testing/test_util.h"

namespace hub {
namespace {

Result<HubConfig> Load(const testing::TempDir& dir, const std::string& text) {
  std::ofstream(dir.Sub("hub.toml")) << text;
  return LoadConfig(dir.Sub("hub.toml"));
}

TEST(ConfigTest, KafkaSectionSetsTheClientTopicsAndRetention) {
  testing::TempDir dir;
  auto c = Load(dir, R"([log]
max_record_bytes = 65536
[kafka]
replication_factor = 3
timeout_ms = 5000
client_id = "hub-a"
allow_finite_retention = true
[kafka.properties]
"security.protocol" = "SASL_SSL"
"sasl.mechanisms" = "PLAIN"
"message.max.bytes" = 2000000
"enable.ssl.certificate.verification" = false
[kafka.topic_config]
"min.insync.replicas" = 2
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->max_record_bytes, 65536u);
  EXPECT_EQ(c->kafka.replication_factor, 3);
  EXPECT_EQ(c->kafka.timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c->kafka.client_id, "hub-a");
  EXPECT_TRUE(c->kafka.allow_finite_retention);
  const std::map<std::string, std::string> props = {{"security.protocol", "SASL_SSL"},
                                                    {"sasl.mechanisms", "PLAIN"},
                                                    {"message.max.bytes", "2000000"},
                                                    {"enable.ssl.certificate.verification", "false"}};
  EXPECT_EQ(c->kafka.extra, props);
  EXPECT_EQ(c->kafka.topic_config, (std::map<std::string, std::string>{{"min.insync.replicas", "2"}}));
}

TEST(ConfigTest, KafkaDefaultsKeepHistoryAndBadSettingsAreNamed) {
  testing::TempDir dir;
  auto d = Load(dir, "[log]\ndata_partitions = 2\n");
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->max_record_bytes, 0u);
  EXPECT_FALSE(d->kafka.allow_finite_retention);
  EXPECT_TRUE(d->kafka.extra.empty());

  auto small = Load(dir, "[log]\nmax_record_bytes = 1000\n");
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("log.max_record_bytes must be 0"), std::string::npos);
  auto typo = Load(dir, "[kafka]\nretention = 1\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.status().message().find("retention"), std::string::npos) << typo.status().message();
  auto list = Load(dir, "[kafka.properties]\n\"bootstrap.servers\" = [\"a\"]\n");
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.status().message().find("kafka.properties.bootstrap.servers must be a string"), std::string::npos)
      << list.status().message();
}

// The shipped file reads, and says what the defaults are.
TEST(ConfigTest, TheShippedConfigReads) {
  auto c = LoadConfig(std::string(HUB_SOURCE_DIR) + "/configs/hub.toml");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->kafka.replication_factor, 1);
  EXPECT_EQ(c->max_record_bytes, 0u);
}

}  // namespace
}  // namespace hub
