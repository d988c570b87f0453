#include "connectors/submission_progress.h"

#include "hub/base/iso_time.h"

namespace hub::connectors {

void SubmissionProgress::Update(const std::string& id, ProgressSnapshot snapshot) {
  snapshot.updated_ms = NowMs();
  Listener listener;
  {
    std::lock_guard lock(mu_);
    auto [it, fresh] = live_.try_emplace(id);
    if (!fresh && it->second.provider != snapshot.provider) return;
    it->second = snapshot;
    listener = listener_;
  }
  if (listener) listener(id, snapshot);
}

void SubmissionProgress::Received(const std::string& id, const std::string& provider, uint64_t total,
                                  uint64_t received) {
  ProgressSnapshot snapshot;
  Listener listener;
  {
    std::lock_guard lock(mu_);
    auto [it, fresh] = live_.try_emplace(id);
    if (!fresh && (it->second.phase != "receiving" || it->second.provider != provider)) return;
    it->second.phase = "receiving";
    it->second.provider = provider;
    it->second.bytes_total = total;
    it->second.bytes_done = received;
    it->second.updated_ms = NowMs();
    snapshot = it->second;
    listener = listener_;
  }
  if (listener) listener(id, snapshot);
}

void SubmissionProgress::Erase(const std::string& id, const std::string& provider) {
  std::lock_guard lock(mu_);
  auto it = live_.find(id);
  if (it != live_.end() && it->second.provider == provider) live_.erase(it);
}

void SubmissionProgress::EraseIfIn(const std::string& id, const std::string& phase, const std::string& provider) {
  std::lock_guard lock(mu_);
  auto it = live_.find(id);
  if (it != live_.end() && it->second.phase == phase && it->second.provider == provider) live_.erase(it);
}

std::optional<ProgressSnapshot> SubmissionProgress::Get(const std::string& id) const {
  std::lock_guard lock(mu_);
  auto it = live_.find(id);
  if (it == live_.end()) return std::nullopt;
  return it->second;
}

void SubmissionProgress::SetListener(Listener listener) {
  std::lock_guard lock(mu_);
  listener_ = std::move(listener);
}

}  // namespace hub::connectors
