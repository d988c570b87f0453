#include "connectors/embargo_release.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "hub/base/iso_time.h"
#include "storage/codec.h"

namespace hub::connectors {

namespace ev = sdmxhub::events::v1;

EmbargoRelease::EmbargoRelease(storage::EventLog* log, const storage::VersionedState* state,
                               EmbargoReleaseOptions options)
    : log_(log), state_(state), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = [] { return NowMs(); };
}

EmbargoRelease::~EmbargoRelease() { Stop(); }

void EmbargoRelease::Start() { thread_ = std::thread([this] { Loop(); }); }

void EmbargoRelease::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<int> EmbargoRelease::ReleaseDue(std::optional<int64_t>* next) {
  HUB_ASSIGN_OR_RETURN(std::vector<ev::SubmissionMarker> held, state_->HeldEmbargoes());
  const int64_t now = options_.now_ms();
  std::map<std::string, int64_t> still;  // appended_, for those still held
  std::optional<int64_t> earliest;
  int released = 0;
  std::unique_ptr<storage::LogWriter> writer;
  for (const ev::SubmissionMarker& m : held) {
    const std::string& sid = m.submission_id();
    if (m.release_time_ms() > now) {
      earliest = std::min(earliest.value_or(m.release_time_ms()), m.release_time_ms());
      continue;
    }
    if (auto it = appended_.find(sid); it != appended_.end() && now - it->second < options_.retry_after.count()) {
      still.insert(*it);  // on its way through the log
      continue;
    }
    if (!writer) {
      HUB_ASSIGN_OR_RETURN(writer, log_->NewWriter());
    }
    ev::Envelope env;
    env.mutable_release()->set_submission_id(sid);
    env.mutable_release()->set_released_time_ms(now);
    HUB_RETURN_IF_ERROR(writer->Append(options_.topic, 0, sid, storage::Serialize(&env)));
    HUB_RETURN_IF_ERROR(writer->Flush(options_.flush_timeout));
    spdlog::info("submission {}: embargo until {} ms ended, released at {} ms", sid, m.release_time_ms(), now);
    still[sid] = now;
    ++released;
  }
  appended_ = std::move(still);
  if (next) *next = earliest;
  return released;
}

void EmbargoRelease::Loop() {
  for (;;) {
    std::optional<int64_t> next;
    Result<int> r = ReleaseDue(&next);
    auto wait = options_.poll_interval;
    if (r.ok()) {
      backoff_.Succeeded();
    } else {
      // The log cannot take it (Kafka down): try again later, said once in a while.
      const Backoff::Next n = backoff_.Failed(Backoff::Clock::now());
      wait = n.delay;
      if (n.report) {
        spdlog::warn("embargo release: {} ({} failures; trying again in {} ms)", r.status().ToString(), n.report,
                     n.delay.count());
      }
    }
    if (next) {
      // Wake at the release time itself, not at the next look after it.
      wait = std::min(wait, std::chrono::milliseconds(std::max<int64_t>(0, *next - options_.now_ms())));
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, wait, [this] { return stop_; })) return;
  }
}

}  // namespace hub::connectors
