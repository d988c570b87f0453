#include "hub/hub.h"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

#include "hub/base/sha256.h"
#include "hub/http/client.h"
#include "hub/http/handlers/handlers.h"
#include "sdmx/file.h"
#include "storage/embedded_event_log.h"
#include "storage/kafka_event_log.h"

namespace hub {

Result<std::unique_ptr<Hub>> Hub::Start(const HubOptions& options) {
  std::unique_ptr<Hub> hub(new Hub());
  HUB_RETURN_IF_ERROR(hub->Init(options));
  return hub;
}

Status Hub::Init(const HubOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("--data-dir is required");
  HUB_ASSIGN_OR_RETURN(config_, LoadConfig(options.config_path));
  HUB_RETURN_IF_ERROR(ParseListen(options.listen, &config_.http.host, &config_.http.port));
  config_.http.tls_cert_file = options.tls_cert;
  config_.http.tls_key_file = options.tls_key;
  config_.http.insecure_http = options.insecure_http;
  HUB_RETURN_IF_ERROR(config_.http.Validate());  // before anything is opened
  if (!options.folder_drop.empty()) config_.folder_drop.root = options.folder_drop;
  host_ = config_.http.host;
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IoError("create " + options.data_dir + ": " + ec.message());

  const storage::LogTopics topics = storage::LogTopics::WithPrefix(config_.topic_prefix);
  if (options.kafka_bootstrap.empty()) {
    storage::EmbeddedEventLogOptions lo;
    lo.path = options.data_dir + "/log";
    lo.topics = topics;
    lo.data_partitions = config_.data_partitions;
    lo.memory = config_.log_memory;
    lo.max_record_bytes = config_.max_record_bytes;
    HUB_ASSIGN_OR_RETURN(log_, storage::EmbeddedEventLog::Open(lo));
  } else {
    storage::KafkaEventLogOptions ko = config_.kafka;
    ko.max_record_bytes = config_.max_record_bytes;
    ko.bootstrap = options.kafka_bootstrap;
    ko.topics = topics;
    ko.data_partitions = config_.data_partitions;
    HUB_ASSIGN_OR_RETURN(log_, storage::KafkaEventLog::Open(ko));
  }
  storage::StateOptions so;
  so.path = options.data_dir + "/state";
  so.memory = config_.state_memory;
  HUB_ASSIGN_OR_RETURN(state_, storage::VersionedState::Open(so));
  changes_ = std::make_unique<feed::ChangeFeed>(state_.get(), config_.changes);
  chain_ = std::make_unique<storage::ChainFollower>(state_.get());
  {
    feed::RegistrySubscriptionOptions ro = config_.subscriptions;
    ro.post = [](const std::string& url, const std::string& body, std::chrono::milliseconds timeout) -> Result<int> {
      http::FetchOptions fo;
      fo.timeout = timeout;
      fo.max_response_bytes = 1 << 20;  // what a subscriber says back is not read
      HUB_ASSIGN_OR_RETURN(http::HttpResponse r, http::Fetch("POST", url, body, {{"Content-Type", "application/xml"}}, fo));
      return r.status;
    };
    subscriptions_ = std::make_unique<feed::RegistrySubscriptions>(state_.get(), std::move(ro));
  }
  state_->SetPublishListener([feed = changes_.get(), metrics = &metrics_, state = state_.get(),
                              chain = chain_.get(), subs = subscriptions_.get()](Watermark w) {
    feed->OnPublish();
    metrics->OnPublish(*state, w.value);
    chain->Notify();
    subs->Notify();
  });
  storage::MaterialiserOptions mo = config_.materialiser;
  mo.topics = topics;
  materialiser_ = std::make_unique<storage::Materialiser>(log_.get(), state_.get(), &registry_, mo);
  HUB_RETURN_IF_ERROR(materialiser_->Start());
  subscriptions_->Start();
  if (!options.kafka_bootstrap.empty()) {
    // Kafka consumers get the feed as a topic; on one machine SSE and
    // WebSocket serve it, and the embedded log has no outside readers.
    feed::ChangePublisherOptions po;
    po.topic = topics.changes;
    HUB_ASSIGN_OR_RETURN(publisher_, feed::ChangePublisher::Start(log_.get(), changes_.get(), po));
  }

  for (const ProviderConfig& p : config_.providers) HUB_RETURN_IF_ERROR(providers_.Add(p.provider, p.token_sha256));
  providers_.SetAdminToken(options.admin_token);
  config_.ingest.topics = topics;
  // Uploads and the events of submissions awaiting their verdict, in
  // unnamed files (nothing outlives the process).
  const std::string spool = options.data_dir + "/spool";
  std::filesystem::create_directories(spool, ec);
  if (ec) return Status::IoError("create " + spool + ": " + ec.message());
  config_.ingest.spool_dir = config_.http.spool_dir = spool;
  config_.ingest.on_receipt = [metrics = &metrics_](const connectors::SubmissionReceipt& r) { metrics->OnReceipt(r); };
  if (const char* fixed = std::getenv("HUB_TEST_CLOCK_MS")) {
    // Test hook: every submission loads at this time, so that two runs of
    // the same submissions produce equal digests (crash matrix).
    const int64_t t = std::atoll(fixed);
    config_.ingest.now_ms = [t] { return t; };
  }
  ingestor_ = std::make_unique<connectors::Ingestor>(log_.get(), &registry_, state_.get(), config_.ingest);
  {
    connectors::EmbargoReleaseOptions eo;
    eo.topic = topics.submissions;
    eo.flush_timeout = config_.ingest.flush_timeout;
    embargo_release_ = std::make_unique<connectors::EmbargoRelease>(log_.get(), state_.get(), eo);
    embargo_release_->Start();  // a release whose time passed while the hub was down goes now
  }
  if (!config_.structures_dir.empty()) {
    HUB_RETURN_IF_ERROR(LoadConfigStructures(config_.structures_dir, options.startup_timeout));
  }
  if (!config_.folder_drop.root.empty()) {
    // After the config structures: a file dropped before the hub stopped is
    // validated against the structures it was written for.
    folder_drop_ = std::make_unique<connectors::FolderDrop>(ingestor_.get(), &providers_, config_.folder_drop);
    HUB_RETURN_IF_ERROR(folder_drop_->Start());
  }
  if (!config_.pull.sources.empty()) {
    // After the config structures too: pulled data is read against them.
    connectors::RestPullOptions po = config_.pull;
    po.reader = config_.ingest.reader;
    po.get = [](const std::string& url, const std::map<std::string, std::string>& headers,
                const connectors::HttpGetLimits& limits) -> Result<connectors::HttpGetResponse> {
      http::FetchOptions fo;
      fo.timeout = limits.timeout;
      fo.max_response_bytes = limits.max_bytes;
      HUB_ASSIGN_OR_RETURN(http::HttpResponse r, http::Fetch("GET", url, "", headers, fo));
      connectors::HttpGetResponse out;
      out.status = r.status;
      out.headers = std::move(r.headers);
      out.body = std::move(r.body);
      return out;
    };
    rest_pull_ = std::make_unique<connectors::RestPull>(ingestor_.get(), &providers_, state_.get(), &registry_,
                                                        std::move(po));
    HUB_RETURN_IF_ERROR(rest_pull_->Start());
  }

  storage::VersionedState* state = state_.get();
  router_ = std::make_unique<http::Router>([state] { return state->watermark().value; });
  router_->EnableCache(config_.http.cache);
  router_->SetObserver([metrics = &metrics_](const std::string& method, const std::string& route, int status,
                                             double seconds) { metrics->OnRequest(method, route, status, seconds); });
  router_->SetLoadTime([state](uint64_t w) -> std::optional<int64_t> {
    auto c = state->Commit(w);
    if (!c.ok() || !*c) return std::nullopt;
    return std::max((*c)->modified_time_ms(), (*c)->accepted_time_ms());  // data written before field 11 lacks it
  });
  router_->SetCors(config_.http.cors);
  http::HandlerContext ctx{state_.get(), &registry_, materialiser_.get(), ingestor_.get(), &providers_,
                           log_->Describe(), static_cast<size_t>(config_.max_sorted_observations), &config_.views,
                           changes_.get(), log_.get(), topics, &metrics_, rest_pull_.get(), subscriptions_.get()};
  http::RegisterDataRoutes(router_.get(), ctx);
  http::RegisterAvailabilityRoutes(router_.get(), ctx);
  http::RegisterSubmissionRoutes(router_.get(), ctx);
  http::RegisterHistoryRoutes(router_.get(), ctx);
  http::RegisterVintageRoutes(router_.get(), ctx);
  http::RegisterAuditRoutes(router_.get(), ctx);
  http::RegisterEmbargoRoutes(router_.get(), ctx);
  http::RegisterRegistryRoutes(router_.get(), ctx);
  http::RegisterViewRoutes(router_.get(), ctx);
  http::RegisterChangeRoutes(router_.get(), ctx);
  http::RegisterHealthRoutes(router_.get(), ctx);
  http::RegisterExplorerRoutes(router_.get());
  http::RegisterStructureRoutes(router_.get(), ctx);  // after data: /sdmx/v1/{type} would catch /sdmx/v1/data
  config_.http.admit_body = http::AdmitSubmission(ctx);
  config_.http.on_body_progress = http::SubmissionBodyProgress(ctx);
  config_.http.stream_body = http::IsSubmissionUpload;
  HUB_ASSIGN_OR_RETURN(server_, http::HttpServer::Start(config_.http, router_.get()));
  spdlog::info("sdmx-hub serving on {} ({}; state {}; watermark {})", url(), log_->Describe(), so.path,
               state_->watermark().value);
  return Status::Ok();
}

// Config structures travel the log like any structure submission, so that a
// replay rebuilds them; the id is the content hash, so a restart with the
// same files appends nothing.
Status Hub::LoadConfigStructures(const std::string& dir, std::chrono::milliseconds timeout) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".xml") files.push_back(e.path().string());
  }
  if (ec) return Status::IoError("structures directory " + dir + ": " + ec.message());
  std::sort(files.begin(), files.end());
  const connectors::Provider config_provider{"config", {"*"}, true};
  for (const std::string& f : files) {
    HUB_ASSIGN_OR_RETURN(std::string body, sdmx::ReadFile(f));
    connectors::Submission s;
    s.body = body;
    s.name = f;
    s.submission_id = "config-" + Sha256Hex(body).substr(0, 24);
    HUB_ASSIGN_OR_RETURN(auto receipt, ingestor_->Submit(config_provider, s));
    if (receipt.outcome == connectors::SubmissionOutcome::kRejected) {
      return Status::InvalidArgument("structure file rejected:\n" + receipt.diagnostics.ToString());
    }
    HUB_ASSIGN_OR_RETURN(auto rec, materialiser_->WaitForSubmission(s.submission_id, timeout));
    if (rec.seq() == 0) {  // rejected (earlier), or failed
      return Status::InvalidArgument("structure file " + f + " was not applied (submission " + s.submission_id +
                                     (rec.failure().empty() ? ", rejected earlier" : ": " + rec.failure()) + ")");
    }
    spdlog::info("structures {} applied (submission {}, watermark {})", f, s.submission_id, rec.seq());
  }
  return Status::Ok();
}

std::string Hub::url() const {
  const bool v6 = host_.find(':') != std::string::npos;
  return (config_.http.tls_cert_file.empty() ? "http://" : "https://") + (v6 ? "[" + host_ + "]" : host_) + ":" + std::to_string(port());
}

void Hub::Stop() {
  if (rest_pull_) rest_pull_->Stop();
  if (folder_drop_) folder_drop_->Stop();
  if (server_) server_->Stop();
  if (embargo_release_) embargo_release_->Stop();
  if (subscriptions_) subscriptions_->Stop();
  publisher_.reset();
  if (materialiser_) materialiser_->Stop();
  chain_.reset();  // after the materialiser: no more notifies
}

Hub::~Hub() { Stop(); }

}  // namespace hub
