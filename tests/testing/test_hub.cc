#include "testing/test_hub.h"

#include "testing/kafka_cluster.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "hub/http/client.h"

namespace hub::testing {

namespace {

std::string& LastLogArgs() {
  static std::string args;
  return args;
}

}  // namespace

Result<std::string> OnRealKafka(const std::string& config_path, const std::string& path) {
  std::string toml = ReadFileOrDie(config_path);
  const std::string from = "topic_prefix = \"\"";
  const size_t at = toml.find(from);
  if (at == std::string::npos) return Status::InvalidArgument(config_path + " has no '" + from + "'");
  toml.replace(at, from.size(), "topic_prefix = \"" + KafkaCluster::UniquePrefix() + "\"");
  toml += "\n[kafka.topic_config]\n\"max.message.bytes\" = " + std::to_string(kRealKafkaRecordLimit) + "\n";
  WriteFileOrDie(path, toml);
  return path;
}

Result<std::unique_ptr<Hub>> StartTestHubWithStructures(const TempDir& dir, const std::string& structures_dir) {
  const std::string config = DemoConfig(
      dir, {{"structures = \"" + SourcePath("configs/structures") + "\"", "structures = \"" + structures_dir + "\""}});
  return StartTestHub(dir, config);
}

Result<std::unique_ptr<Hub>> StartTestHub(const TempDir& dir, const std::string& config_path,
                                          const std::string& admin_token) {
  HubOptions o;
  o.admin_token = admin_token;
  o.data_dir = dir.Sub("data");
  o.listen = "127.0.0.1:0";
  o.config_path = config_path.empty() ? SourcePath("configs/hub.toml") : config_path;
#ifdef HUB_REAL_KAFKA
  HUB_ASSIGN_OR_RETURN(std::unique_ptr<KafkaCluster> kafka, KafkaCluster::Shared());
  o.kafka_bootstrap = kafka->bootstrap();
  // A second start in `dir` is a restart: the same topics.
  const std::string kafka_config = dir.Sub("kafka-hub.toml");
  if (!std::filesystem::exists(kafka_config)) {
    HUB_RETURN_IF_ERROR(OnRealKafka(config_path.empty() ? DemoConfig(dir) : config_path, kafka_config).status());
  }
  o.config_path = kafka_config;
#endif
  LastLogArgs() = " --config " + o.config_path + (o.kafka_bootstrap.empty() ? "" : " --kafka " + o.kafka_bootstrap);
  return Hub::Start(o);
}

std::string LogArgs() { return LastLogArgs(); }

Result<http::HttpResponse> Submit(Hub& hub, const std::string& body, const std::string& id, const std::string& token,
                                  const std::string& params, const http::FetchOptions& fetch) {
  return http::Fetch("POST", hub.url() + "/api/v1/submissions?name=" + id + params, body,
                     {{"Authorization", "Bearer " + token}, {"X-Submission-Id", id}}, fetch);
}

Result<sdmxhub::state::v1::LedgerRecord> SubmitAndWait(Hub& hub, const std::string& body, const std::string& id,
                                                       const std::string& token, const std::string& params,
                                                       std::string* receipt, std::chrono::milliseconds timeout,
                                                       const http::FetchOptions& fetch) {
  HUB_ASSIGN_OR_RETURN(http::HttpResponse r, Submit(hub, body, id, token, params, fetch));
  if (receipt) *receipt = r.body;
  if (r.status != 202) {
    return Status::Internal("submission " + id + ": " + std::to_string(r.status) + " " + r.body.substr(0, 2000));
  }
  HUB_ASSIGN_OR_RETURN(auto rec, hub.materialiser()->WaitForSubmission(id, timeout));
  if (rec.seq() == 0) return Status::Internal("submission " + id + " was not committed");
  return rec;
}

http::HttpResponse Get(Hub& hub, const std::string& path, const std::string& accept) {
  std::map<std::string, std::string> headers;
  if (!accept.empty()) headers["Accept"] = accept;
  auto r = http::Fetch("GET", hub.url() + path, "", headers);
  EXPECT_TRUE(r.ok()) << path << ": " << r.status().ToString();
  return r.ok() ? *r : http::HttpResponse{};
}

}  // namespace hub::testing
