// HubConfig: the top-level configuration (configs/hub.toml), the only place
// that reads configs/. Every field has a default; unknown keys are errors
// (a typo must not silently fall back to a default).
#pragma once

#include <string>
#include <vector>

#include "connectors/folder_drop.h"
#include "connectors/ingest.h"
#include "connectors/providers.h"
#include "connectors/rest_pull.h"
#include "hub/http/server.h"
#include "hub/feed/change_feed.h"
#include "hub/feed/registry_subscriptions.h"
#include "hub/views/view_options.h"
#include "storage/kafka_event_log.h"
#include "storage/materialiser.h"
#include "storage/rocksdb_memory.h"

namespace hub {

struct ProviderConfig {
  connectors::Provider provider;
  std::string token_sha256;
};

struct HubConfig {
  // Structure messages (*.xml) submitted at start; relative paths resolve
  // against the config file's directory. Default: none.
  std::string structures_dir;
  http::HttpOptions http;                // [http]
  // [http] max_sorted_observations: a data query whose sort= cannot stream
  // holds its selection in memory, up to this many observations (else 413).
  int64_t max_sorted_observations = 2'000'000;
  std::string topic_prefix;              // [log] topic_prefix; default ""
  int32_t data_partitions = 4;           // [log] data_partitions; default 4
  storage::RocksMemoryOptions log_memory;    // [log] memtable_bytes, block_cache_bytes (embedded log)
  // [log] max_record_bytes: the largest record the hub writes (larger events
  // go in pieces); default 0 = the log's own limit (Kafka: read from the
  // broker; embedded: none).
  size_t max_record_bytes = 0;
  // [kafka] replication_factor, timeout_ms, client_id, allow_finite_retention,
  // [kafka.properties] (any librdkafka property: security.protocol, sasl.*,
  // ssl.*), [kafka.topic_config] (configs of topics the hub creates).
  // Used with `serve --kafka`; bootstrap, topics and partitions come from
  // the command line and [log].
  storage::KafkaEventLogOptions kafka;
  storage::RocksMemoryOptions state_memory;  // [state] memtable_bytes, block_cache_bytes
  connectors::IngestOptions ingest;      // [ingest]
  storage::MaterialiserOptions materialiser;  // [materialiser]
  std::vector<ProviderConfig> providers; // [[providers]]
  views::ViewOptions views;              // [views], [[views.rules]]
  feed::ChangeFeedOptions changes;       // [changes]
  feed::RegistrySubscriptionOptions subscriptions;  // [subscriptions]
  // [folder_drop] dir, poll_ms, settle_ms, max_file_bytes. Off (empty root)
  // unless the section is present; a relative dir resolves against the
  // config file's directory.
  connectors::FolderDropOptions folder_drop;
  // [[pull]] name, provider, url, dataflows, interval_ms, overlap_ms,
  // timeout_ms, max_response_bytes: the REST pull sources (only `sources`
  // is read here; the Hub supplies the client and the reader limits). Off
  // unless some entry is present.
  connectors::RestPullOptions pull;
};

// Reads `path` (TOML). An empty path gives the defaults.
Result<HubConfig> LoadConfig(const std::string& path);

// "127.0.0.1:8080", "[::1]:8080" -> host and port.
Status ParseListen(const std::string& listen, std::string* host, uint16_t* port);

}  // namespace hub
