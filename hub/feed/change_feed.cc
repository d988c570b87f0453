#include "hub/feed/change_feed.h"

#include "storage/codec.h"

namespace hub::feed {

namespace st = sdmxhub::state::v1;

Result<ChangeFilter> ParseChangeFilter(const std::string& dataflow, const std::string& key) {
  ChangeFilter f;
  f.dataflow = dataflow;
  if (!key.empty()) {
    f.key_parts = static_cast<size_t>(std::count(key.begin(), key.end(), '.')) + 1;
    HUB_ASSIGN_OR_RETURN(auto p, sdmx::KeyPattern::ParseV1(key, f.key_parts));
    f.key = std::move(p);
  }
  return f;
}

namespace {

bool KeyMatches(const ChangeFilter& f, const std::string& series_key) {
  if (!f.key) return true;
  if (static_cast<size_t>(std::count(series_key.begin(), series_key.end(), '.')) + 1 != f.key_parts) return false;
  return f.key->Matches(series_key);
}

}  // namespace

Subscription::Subscription(ChangeFeed* feed, uint64_t after, ChangeFilter filter)
    : feed_(feed), cursor_(after), filter_(std::move(filter)) {}

Subscription::~Subscription() { feed_->Remove(this); }

void Subscription::SetWake(std::function<void()> wake) {
  std::lock_guard l(wake_mu_);
  wake_ = std::move(wake);
}

void Subscription::Wake() {
  std::lock_guard l(wake_mu_);
  if (wake_) wake_();
}

Result<Subscription::Batch> Subscription::Next() {
  Batch b;
  const uint64_t w = feed_->state_->watermark().value;
  if (cursor_ >= w) {
    caught_up_ = true;
    return b;
  }
  if (caught_up_ && w - cursor_ > feed_->options_.max_lag) {
    b.resume = true;  // a live subscriber that stopped keeping up
    return b;
  }
  const uint64_t last = std::min(w, cursor_ + feed_->options_.max_events_per_poll);
  for (uint64_t seq = cursor_ + 1; seq <= last; ++seq) {
    HUB_ASSIGN_OR_RETURN(auto commit, feed_->state_->Commit(seq));
    cursor_ = seq;
    if (!commit || !storage::FlowFilterMatches(filter_.dataflow, commit->dataflow())) continue;
    ChangeEvent e;
    e.commit = std::move(*commit);
    HUB_ASSIGN_OR_RETURN(st::ChangeRecord changes, feed_->state_->ChangesOf(seq));
    for (st::ChangeRecord::SeriesChange& c : *changes.mutable_series()) {
      if (KeyMatches(filter_, c.series_key())) e.series.push_back(std::move(c));
    }
    if (filter_.key && e.series.empty()) continue;  // nothing of the selection changed
    b.events.push_back(std::move(e));
  }
  if (cursor_ >= w) caught_up_ = true;
  return b;
}

ChangeFeed::ChangeFeed(const storage::VersionedState* state, ChangeFeedOptions options)
    : state_(state), options_(options) {}

Result<std::shared_ptr<Subscription>> ChangeFeed::Subscribe(uint64_t after, ChangeFilter filter) {
  std::lock_guard l(mu_);
  if (subscribers_.size() >= options_.max_subscribers) {
    return Status::Unavailable("the change feed has " + std::to_string(subscribers_.size()) +
                               " subscribers (ChangeFeedOptions.max_subscribers): retry later");
  }
  std::shared_ptr<Subscription> s(new Subscription(this, after, std::move(filter)));
  subscribers_.insert(s.get());
  return s;
}

void ChangeFeed::OnPublish() {
  std::lock_guard l(mu_);
  for (Subscription* s : subscribers_) s->Wake();
}

size_t ChangeFeed::subscribers() const {
  std::lock_guard l(mu_);
  return subscribers_.size();
}

void ChangeFeed::Remove(Subscription* s) {
  std::lock_guard l(mu_);
  subscribers_.erase(s);
}

}  // namespace hub::feed
