// A hub for tests: started in-process on a free loopback port, and fed
// submissions over HTTP as a provider would. For tests linked with hub/.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "hub/http/client.h"
#include "hub/http/message.h"
#include "hub/hub.h"
#include "testing/test_util.h"

namespace hub::testing {

// A hub with its data in `dir`/data, configured by `config_path` (default
// configs/hub.toml; see DemoConfig for variants), with `admin_token` if set.
// Built with HUB_REAL_KAFKA (kafka_broker_test): on the real broker ctest
// started (KafkaCluster::Shared), on topics of its own whose records take
// kRealKafkaRecordLimit bytes at most (OnRealKafka); started again in the
// same `dir`, on the same topics (a restart).
Result<std::unique_ptr<Hub>> StartTestHub(const TempDir& dir, const std::string& config_path = "",
                                          const std::string& admin_token = "");
// StartTestHub with the demo configuration reading its structures from
// `structures_dir` instead of configs/structures.
Result<std::unique_ptr<Hub>> StartTestHubWithStructures(const TempDir& dir, const std::string& structures_dir);
// What `sdmx-hub replay` needs to read the log of the last hub StartTestHub
// started: " --config FILE [--kafka BOOTSTRAP]".
std::string LogArgs();

// The record limit of topics on the real broker: 150,000 bytes, a tenth of
// Rwanda's DSD (1.5 MB), which then travels in pieces.
inline constexpr size_t kRealKafkaRecordLimit = 150'000;
// `config_path` rewritten to `path` for a hub on a shared real broker: a
// topic prefix of its own, and topics created with max.message.bytes =
// kRealKafkaRecordLimit. Returns `path`.
Result<std::string> OnRealKafka(const std::string& config_path, const std::string& path);

// POSTs `body` to /api/v1/submissions as the holder of `token`, with
// submission id `id` and `params` added to the query: the answer (202 once
// appended to the log), without waiting for the commit. `fetch`: e.g. the
// CA file of an HTTPS hub.
Result<http::HttpResponse> Submit(Hub& hub, const std::string& body, const std::string& id, const std::string& token,
                                  const std::string& params = "", const http::FetchOptions& fetch = {});

// POSTs `body` to /api/v1/submissions as the holder of `token`, with
// submission id `id` and `params` ("&action=Replace...") added to the query;
// fails unless it is accepted (202) and committed within `timeout`. The
// ledger record; `receipt`, when set, gets the 202's body.
Result<sdmxhub::state::v1::LedgerRecord> SubmitAndWait(Hub& hub, const std::string& body, const std::string& id,
                                                       const std::string& token, const std::string& params = "",
                                                       std::string* receipt = nullptr,
                                                       std::chrono::milliseconds timeout = std::chrono::seconds(60),
                                                       const http::FetchOptions& fetch = {});

// GET `path` (with an Accept header unless empty) from `hub`; a failed
// request is a test failure and gives an empty response.
http::HttpResponse Get(Hub& hub, const std::string& path, const std::string& accept = "");

}  // namespace hub::testing
