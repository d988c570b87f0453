// Hub: one running SDMX Hub, wired from its parts: event log (embedded or
// Kafka), versioned state, structure registry, materialiser, ingest (HTTP
// push and, when configured, folder drop and REST pull), HTTP.
// `sdmx-hub serve` runs one; the end-to-end tests run one in-process on
// port 0. Start() returns once the config structures are applied and the
// listener is bound. Stop() (or the destructor) shuts down in reverse order.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "connectors/embargo_release.h"
#include "connectors/folder_drop.h"
#include "connectors/ingest.h"
#include "connectors/providers.h"
#include "connectors/rest_pull.h"
#include "hub/config.h"
#include "hub/feed/change_feed.h"
#include "hub/feed/change_publisher.h"
#include "hub/feed/registry_subscriptions.h"
#include "storage/audit_chain.h"
#include "hub/http/metrics.h"
#include "hub/http/router.h"
#include "hub/http/server.h"
#include "storage/event_log.h"
#include "storage/materialiser.h"
#include "storage/state.h"
#include "storage/structure_registry.h"

namespace hub {

struct HubOptions {
  std::string data_dir;                  // state (and embedded log) directory; required
  std::string listen = "127.0.0.1:8080";  // HOST:PORT; port 0 = any free port
  std::string config_path;               // configs/hub.toml; empty = defaults
  std::string kafka_bootstrap;           // empty = embedded event log
  std::string admin_token;               // may submit structures and any data; empty = none
  std::string tls_cert, tls_key;         // PEM files: serve HTTPS; empty = plain HTTP
  bool insecure_http = false;            // allow plain HTTP on a non-loopback address
  std::string folder_drop;               // the folder-drop root; overrides [folder_drop] dir
  std::chrono::milliseconds startup_timeout{120'000};  // config structures applied within; default 120 s
};

class Hub {
 public:
  static Result<std::unique_ptr<Hub>> Start(const HubOptions& options);
  ~Hub();
  void Stop();

  uint16_t port() const { return server_->port(); }
  std::string url() const;  // "http://host:port" or "https://host:port"
  storage::VersionedState* state() const { return state_.get(); }
  storage::Materialiser* materialiser() const { return materialiser_.get(); }
  storage::EventLog* log() const { return log_.get(); }
  const storage::StructureRegistry* registry() const { return &registry_; }
  connectors::Ingestor* ingestor() const { return ingestor_.get(); }
  const http::Router* router() const { return router_.get(); }
  // Null on the embedded log.
  const feed::ChangePublisher* change_publisher() const { return publisher_.get(); }
  storage::ChainFollower* chain() { return chain_.get(); }
  feed::RegistrySubscriptions* subscriptions() const { return subscriptions_.get(); }
  // Null unless the config has a [folder_drop] section.
  const connectors::FolderDrop* folder_drop() const { return folder_drop_.get(); }
  // Null unless the config has [[pull]] entries. Not const: PullOnce() pulls now.
  connectors::RestPull* rest_pull() const { return rest_pull_.get(); }

 private:
  Hub() = default;
  Status Init(const HubOptions& options);
  Status LoadConfigStructures(const std::string& dir, std::chrono::milliseconds timeout);

  HubConfig config_;
  std::string host_;
  std::unique_ptr<storage::EventLog> log_;
  std::unique_ptr<storage::VersionedState> state_;
  // After the state (it reads it), before the materialiser and the server
  // (they call it): destroyed in between.
  std::unique_ptr<feed::ChangeFeed> changes_;
  http::HubMetrics metrics_;
  // On Kafka only: the feed on the sdmx.changes topic (uses log_ and changes_).
  std::unique_ptr<feed::ChangePublisher> publisher_;
  storage::StructureRegistry registry_;
  std::unique_ptr<storage::Materialiser> materialiser_;
  std::unique_ptr<storage::ChainFollower> chain_;  // links each commit into the audit trail
  std::unique_ptr<feed::RegistrySubscriptions> subscriptions_;  // SDMX registry notifications
  connectors::ProviderDirectory providers_;
  std::unique_ptr<connectors::Ingestor> ingestor_;
  // Submits through the ingestor: stopped first, destroyed before it.
  std::unique_ptr<connectors::EmbargoRelease> embargo_release_;  // ends embargoes on time
  std::unique_ptr<connectors::FolderDrop> folder_drop_;
  std::unique_ptr<connectors::RestPull> rest_pull_;  // likewise
  std::unique_ptr<http::Router> router_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace hub
