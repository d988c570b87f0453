// `sdmx-hub replay --data-dir DIR [--kafka BOOTSTRAP] --into DIR2`: rebuilds
// the state from the event log alone into a fresh directory and prints its
// digest, which must equal `sdmx-hub digest --data-dir DIR` for the same log.
#include <spdlog/spdlog.h>

#include <filesystem>
#include <iostream>

#include "hub/cli/commands.h"
#include "hub/config.h"
#include "storage/audit_chain.h"
#include "storage/embedded_event_log.h"
#include "storage/kafka_event_log.h"

namespace hub::cli {
namespace {

Status RunReplay(const std::string& data_dir, const std::string& kafka, const std::string& into,
                 const std::string& config_path, std::string* digest) {
  HUB_ASSIGN_OR_RETURN(HubConfig config, LoadConfig(config_path));
  const storage::LogTopics topics = storage::LogTopics::WithPrefix(config.topic_prefix);
  std::unique_ptr<storage::EventLog> log;
  if (kafka.empty()) {
    storage::EmbeddedEventLogOptions o;
    o.path = data_dir + "/log";
    o.topics = topics;
    o.read_only = true;
    HUB_ASSIGN_OR_RETURN(log, storage::EmbeddedEventLog::Open(o));
  } else {
    storage::KafkaEventLogOptions o = config.kafka;
    o.bootstrap = kafka;
    o.topics = topics;
    HUB_ASSIGN_OR_RETURN(log, storage::KafkaEventLog::Open(o));
  }
  std::error_code ec;
  if (std::filesystem::exists(into + "/state", ec)) {
    return Status::AlreadyExists(into + "/state exists: replay builds a fresh state");
  }
  std::filesystem::create_directories(into, ec);
  storage::StateOptions so;
  so.path = into + "/state";
  HUB_ASSIGN_OR_RETURN(auto state, storage::VersionedState::Open(so));
  storage::StructureRegistry registry;
  storage::MaterialiserOptions mo;
  mo.topics = topics;
  storage::Materialiser materialiser(log.get(), state.get(), &registry, mo);
  // The end of the log as it is now: replay everything before it.
  std::map<storage::TopicPartition, int64_t> end;
  for (const std::string& topic : topics.All()) {
    HUB_ASSIGN_OR_RETURN(int32_t n, log->PartitionCount(topic));
    for (int32_t p = 0; p < n; ++p) {
      const storage::TopicPartition tp{topic, p};
      HUB_ASSIGN_OR_RETURN(end[tp], log->EndOffset(tp));
    }
  }
  HUB_RETURN_IF_ERROR(materialiser.Start());
  HUB_RETURN_IF_ERROR(materialiser.WaitForPositions(end, std::chrono::hours(1)));
  materialiser.Stop();
  // The audit trail is derived from the state: the same history, the same chain.
  HUB_ASSIGN_OR_RETURN(uint64_t links, storage::ExtendChain(state.get()));
  spdlog::info("replayed {} into {}: watermark {}, {} commits linked into the audit trail", log->Describe(), so.path,
               state->watermark().value, links);
  HUB_ASSIGN_OR_RETURN(*digest, state->Digest());
  return Status::Ok();
}

}  // namespace

int Replay(const std::string& data_dir, const std::string& kafka, const std::string& into,
           const std::string& config_path) {
  std::string digest;
  Status s = RunReplay(data_dir, kafka, into, config_path, &digest);
  if (!s.ok()) {
    std::cerr << "replay: " << s.ToString() << "\n";
    return 1;
  }
  std::cout << digest << "\n";
  return 0;
}

}  // namespace hub::cli
