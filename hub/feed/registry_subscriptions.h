// RegistrySubscriptions: SDMX registry subscriptions (SDMX-ML
// RegistryInterface, sdmx/registry_interface.h), the notification a portal
// that speaks SDMX rather than SSE, WebSocket or Kafka can take.
//
// A portal POSTs a SubmitSubscriptionsRequest (POST /api/v1/registry, with a
// provider's or the admin's token: the hub will POST to the addresses it
// names, so not anyone may name them). Each subscription to
// DataRegistrationEvents (all, or dataflows by URN or wildcarded Ref) is
// kept in the state's meta family with the watermark it has been notified
// through, starting at the watermark it was made at. For every later commit
// of data that it selects (its dataflow, within the ValidityPeriod by the
// commit's date) this thread POSTs a NotifyRegistryEvent (RegistrationID =
// the submission, EventAction Append | Replace | Delete by what the commit
// did) to each NotificationHTTP address, in commit order: a subscriber
// answering other than 2xx, or not at all within `timeout`, is tried again
// after a back-off that doubles up to `retry.max`, and nothing later is sent
// to it before that commit is. Delivery is at least once: a crash between a
// POST and noting it sends that notification again. An embargoed submission
// notifies when it is released (that is its commit).
//
// Thread-safe: Apply and List from the HTTP threads, the delivery loop on
// its own thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "hub/base/backoff.h"
#include "hub/base/status.h"
#include "sdmx/registry_interface.h"
#include "storage/state.h"

namespace hub::feed {

struct RegistrySubscriptionOptions {
  std::string sender = "SDMXHUB";  // the Sender of answers and notifications
  // Delay before a failed notification is tried again: `initial`, doubling
  // up to `max`; failures logged at most every `report_every`.
  // [subscriptions] retry_initial_ms (1 s), retry_max_ms (5 min), error_report_ms (1 min).
  BackoffOptions retry{std::chrono::milliseconds(1'000), std::chrono::milliseconds(300'000),
                       std::chrono::milliseconds(60'000)};
  std::chrono::milliseconds timeout{10'000};  // per notification POST; [subscriptions] timeout_ms
  size_t max_subscriptions = 1'000;           // more are refused; [subscriptions] max_subscriptions
  size_t max_request_bytes = 1 << 20;         // a larger request is refused (413); [subscriptions] max_request_bytes
  size_t max_commits_per_round = 1'000;       // read per subscription before the others get a turn
  std::chrono::milliseconds idle_poll{1'000};  // look again this often without a wake
  // POSTs `body` (application/xml) to `url` within `timeout`: the HTTP
  // status, or why there was none. The hub sets it (http::Fetch).
  std::function<Result<int>(const std::string& url, const std::string& body, std::chrono::milliseconds timeout)> post;
  std::function<int64_t()> now_ms;  // default: the wall clock
};

class RegistrySubscriptions {
 public:
  RegistrySubscriptions(storage::VersionedState* state, RegistrySubscriptionOptions options);
  ~RegistrySubscriptions();

  void Start();
  void Stop();
  void Notify();  // a commit was published

  // Carries out one SubscriptionRequest made with `owner`'s token (`admin`:
  // may replace or delete anyone's).
  sdmx::SubscriptionStatus Apply(const sdmx::SubscriptionSpec& spec, sdmx::RegistryVersion version,
                                 const std::string& owner, bool admin);
  Result<std::vector<sdmxhub::state::v1::RegistrySubscription>> List() const;
  const RegistrySubscriptionOptions& options() const { return options_; }

  static std::string Urn(const std::string& id);
  // A stored subscription as the registry interface shows it (an open
  // ValidityPeriod as from its creation day to 9999-12-31).
  static sdmx::SubscriptionSpec Spec(const sdmxhub::state::v1::RegistrySubscription& s);

  uint64_t delivered() const { return delivered_.load(); }
  uint64_t failed_attempts() const { return failed_.load(); }

 private:
  struct Retry {
    Backoff backoff;
    Backoff::Clock::time_point next{};
  };
  void Loop();
  // Delivers what `id` has pending, up to max_commits_per_round commits;
  // false when a POST failed (then `retry` says when to go on).
  bool Deliver(const std::string& id, Retry* retry);
  Result<std::optional<sdmxhub::state::v1::RegistrySubscription>> Load(const std::string& id) const;
  Status Save(const sdmxhub::state::v1::RegistrySubscription& sub);

  storage::VersionedState* state_;
  RegistrySubscriptionOptions options_;
  mutable std::mutex store_mu_;  // a subscription's read-modify-write (Apply, Deliver)
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false, woken_ = false;
  std::map<std::string, Retry> retries_;  // by subscription id; the loop's own
  std::atomic<uint64_t> delivered_{0}, failed_{0};
  std::thread thread_;
};

}  // namespace hub::feed
