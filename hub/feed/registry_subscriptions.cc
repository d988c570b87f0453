#include "hub/feed/registry_subscriptions.h"

#include <spdlog/spdlog.h>

#include <random>

#include "hub/base/iso_time.h"
#include "storage/codec.h"

namespace hub::feed {
namespace {

namespace st = sdmxhub::state::v1;

constexpr char kPrefix[] = "subscription/";

std::string NewId() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return buf;
}

// What a commit did, as a registry EventAction: Delete when it only
// deleted, Replace when it revised what was there (values, attributes,
// deletions among others), Append when it only added. (A new series counts
// as a series whose attributes changed: with new observations, that is an
// Append.)
std::string EventAction(const st::CommitRecord& c) {
  const st::RevisionCounts& r = c.revisions();
  if (r.deleted_observations() > 0 && r.new_observations() == 0 && r.changed_observations() == 0) return "Delete";
  if (r.changed_observations() > 0 || r.deleted_observations() > 0) return "Replace";
  if (r.series_attributes_changed() > 0 && r.new_observations() == 0) return "Replace";
  return "Append";
}

bool Selects(const st::RegistrySubscription& s, const st::CommitRecord& c) {
  if (c.kind() != "data") return false;
  const std::string day = IsoTimeMs(c.accepted_time_ms()).substr(0, 10);
  if (!s.start_date().empty() && day < s.start_date()) return false;
  if (!s.end_date().empty() && day > s.end_date()) return false;
  if (s.all_data()) return true;
  for (const st::RegistrySubscription::Flow& f : s.flows()) {
    if (sdmx::FlowSelector{f.agency(), f.id(), f.version()}.Matches(c.dataflow().agency(), c.dataflow().id(),
                                                                  c.dataflow().version())) {
      return true;
    }
  }
  return false;
}

}  // namespace

RegistrySubscriptions::RegistrySubscriptions(storage::VersionedState* state, RegistrySubscriptionOptions options)
    : state_(state), options_(std::move(options)) {
  if (!options_.now_ms) options_.now_ms = [] { return NowMs(); };
}

RegistrySubscriptions::~RegistrySubscriptions() { Stop(); }

std::string RegistrySubscriptions::Urn(const std::string& id) { return "urn:sdmxhub:subscription:" + id; }

sdmx::SubscriptionSpec RegistrySubscriptions::Spec(const st::RegistrySubscription& s) {
  sdmx::SubscriptionSpec out;
  out.organisation = s.organisation();
  out.http.assign(s.http().begin(), s.http().end());
  out.mail_to.assign(s.mail_to().begin(), s.mail_to().end());
  out.subscriber_assigned_id = s.subscriber_assigned_id();
  out.start_date = !s.start_date().empty() ? s.start_date() : IsoTimeMs(s.created_time_ms()).substr(0, 10);
  out.end_date = !s.end_date().empty() ? s.end_date() : "9999-12-31";
  out.all_data = s.all_data();
  for (const st::RegistrySubscription::Flow& f : s.flows()) out.flows.push_back({f.agency(), f.id(), f.version()});
  return out;
}

void RegistrySubscriptions::Start() { thread_ = std::thread([this] { Loop(); }); }

void RegistrySubscriptions::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void RegistrySubscriptions::Notify() {
  {
    std::lock_guard lock(mu_);
    woken_ = true;
  }
  wake_.notify_all();
}

Result<std::optional<st::RegistrySubscription>> RegistrySubscriptions::Load(const std::string& id) const {
  HUB_ASSIGN_OR_RETURN(std::optional<std::string> v, state_->ConnectorMeta(kPrefix + id));
  if (!v) return std::optional<st::RegistrySubscription>();
  st::RegistrySubscription s;
  if (!s.ParseFromString(*v)) return Status::Corruption("undecodable subscription " + id);
  return std::optional<st::RegistrySubscription>(std::move(s));
}

Status RegistrySubscriptions::Save(const st::RegistrySubscription& s) {
  return state_->PutConnectorMeta(kPrefix + s.id(), s.SerializeAsString());
}

Result<std::vector<st::RegistrySubscription>> RegistrySubscriptions::List() const {
  std::vector<st::RegistrySubscription> out;
  Status bad;
  HUB_RETURN_IF_ERROR(state_->ScanConnectorMeta(kPrefix, [&](const std::string& name, std::string_view v) {
    if (!out.emplace_back().ParseFromArray(v.data(), static_cast<int>(v.size()))) {
      bad = Status::Corruption("undecodable " + name);
      return false;
    }
    return true;
  }));
  HUB_RETURN_IF_ERROR(bad);
  return out;
}

sdmx::SubscriptionStatus RegistrySubscriptions::Apply(const sdmx::SubscriptionSpec& spec, sdmx::RegistryVersion version,
                                                      const std::string& owner, bool admin) {
  sdmx::SubscriptionStatus out;
  out.subscriber_assigned_id = spec.subscriber_assigned_id;
  std::lock_guard lock(store_mu_);
  std::string id;
  std::optional<st::RegistrySubscription> existing;
  if (spec.action != "Append") {
    // Replace / Delete name the subscription by the URN this hub gave it.
    const std::string prefix = Urn("");
    id = spec.registry_urn.rfind(prefix, 0) == 0 ? spec.registry_urn.substr(prefix.size()) : std::string();
    auto found = id.empty() ? Result<std::optional<st::RegistrySubscription>>(std::nullopt) : Load(id);
    if (!found.ok()) {
      out.message = found.status().ToString();
      return out;
    }
    if (!*found) {
      out.message = "no subscription " + (spec.registry_urn.empty() ? std::string("(no RegistryURN given)") : spec.registry_urn);
      return out;
    }
    if (!admin && (*found)->owner() != owner) {
      out.message = "subscription " + spec.registry_urn + " is not " + owner + "'s";
      return out;
    }
    existing = std::move(*found);
    out.urn = spec.registry_urn;
  }
  if (spec.action == "Delete") {
    Status s = state_->DeleteConnectorMeta(kPrefix + id);
    out.success = s.ok();
    if (!s.ok()) out.message = s.ToString();
    if (s.ok()) spdlog::info("registry subscription {} deleted by {}", id, owner);
    return out;
  }
  if (!spec.all_data && spec.flows.empty()) {
    out.message = "the hub notifies DataRegistrationEvents only; not " + spec.unsupported.front();
    return out;
  }
  if (!existing) {
    auto all = List();
    if (!all.ok()) {
      out.message = all.status().ToString();
      return out;
    }
    if (all->size() >= options_.max_subscriptions) {
      out.message = "the hub holds " + std::to_string(all->size()) + " subscriptions, its limit " +
                    "([subscriptions] max_subscriptions)";
      return out;
    }
    id = NewId();
  }
  st::RegistrySubscription s;
  s.set_id(id);
  s.set_owner(owner);
  if (existing) s.set_owner(existing->owner());
  s.set_organisation(spec.organisation);
  s.set_receiver(spec.sender);
  for (const std::string& u : spec.http) s.add_http(u);
  for (const std::string& m : spec.mail_to) s.add_mail_to(m);
  s.set_subscriber_assigned_id(spec.subscriber_assigned_id);
  s.set_start_date(spec.start_date);
  s.set_end_date(spec.end_date);
  s.set_all_data(spec.all_data);
  for (const sdmx::FlowSelector& f : spec.flows) {
    st::RegistrySubscription::Flow* p = s.add_flows();
    p->set_agency(f.agency);
    p->set_id(f.id);
    p->set_version(f.version);
  }
  s.set_sdmx_version(version == sdmx::RegistryVersion::k30 ? "3.0" : "2.1");
  // From now on: a replaced subscription goes on where it was.
  s.set_notified_through(existing ? existing->notified_through() : state_->watermark().value);
  s.set_created_time_ms(existing ? existing->created_time_ms() : options_.now_ms());
  if (Status st = Save(s); !st.ok()) {
    out.message = st.ToString();
    return out;
  }
  out.urn = Urn(id);
  out.success = true;
  std::string warning;
  for (const std::string& u : spec.unsupported) warning += (warning.empty() ? "" : ", ") + u;
  if (!warning.empty()) out.message = "not notified by this hub (data registration events only): " + warning;
  if (!spec.mail_to.empty()) out.message += std::string(out.message.empty() ? "" : "; ") + "NotificationMailTo is kept but no mail is sent";
  spdlog::info("registry subscription {} {} by {} ({} addresses)", id, existing ? "replaced" : "made", owner,
               spec.http.size());
  Notify();
  return out;
}

bool RegistrySubscriptions::Deliver(const std::string& id, Retry* retry) {
  st::RegistrySubscription sub;
  {
    std::lock_guard lock(store_mu_);
    auto s = Load(id);
    if (!s.ok() || !*s) return true;  // deleted meanwhile
    sub = std::move(**s);
  }
  // Notes how far it got: after each notification (a crash re-sends as
  // little as it can) and at the end, not per commit it skips (a write per
  // commit per subscription).
  uint64_t through = sub.notified_through();
  auto note = [&]() -> bool {
    std::lock_guard lock(store_mu_);
    auto s = Load(id);
    if (!s.ok() || !*s || (*s)->notified_through() >= through) return true;
    (*s)->set_notified_through(through);
    if (Status st = Save(**s); !st.ok()) {
      spdlog::warn("registry subscription {}: {}", id, st.ToString());
      retry->next = Backoff::Clock::now() + options_.retry.initial;
      return false;
    }
    return true;
  };
  const uint64_t top = state_->watermark().value;
  for (size_t n = 0; n < options_.max_commits_per_round && through < top; ++n) {
    const uint64_t seq = through + 1;
    auto commit = state_->Commit(seq);
    if (!commit.ok()) {
      spdlog::warn("registry subscription {}: reading commit {}: {}", id, seq, commit.status().ToString());
      retry->next = Backoff::Clock::now() + options_.retry.initial;
      note();
      return false;
    }
    if (!*commit || !Selects(sub, **commit)) {
      through = seq;
      continue;
    }
    {
      std::lock_guard lock(store_mu_);
      auto s = Load(id);
      if (!s.ok() || !*s) return true;  // deleted while this round went on: nothing more
    }
    const sdmx::RegistryVersion v = sub.sdmx_version() == "3.0" ? sdmx::RegistryVersion::k30 : sdmx::RegistryVersion::k21;
    const std::string body = sdmx::WriteNotifyRegistryEvent(
        v, {"N" + id + "-" + std::to_string(seq), IsoTimeMs(options_.now_ms()), options_.sender, sub.receiver()},
        {IsoTimeMs((*commit)->accepted_time_ms()), (*commit)->submission_id(), Urn(id), EventAction(**commit)});
    for (const std::string& url : sub.http()) {
      Result<int> status = options_.post(url, body, options_.timeout);
      if (status.ok() && *status >= 200 && *status < 300) continue;
      failed_.fetch_add(1);
      const std::string why = status.ok() ? "HTTP " + std::to_string(*status) : status.status().ToString();
      const Backoff::Next next = retry->backoff.Failed(Backoff::Clock::now());
      retry->next = Backoff::Clock::now() + next.delay;
      if (next.report) {
        spdlog::warn("registry subscription {}: notifying {} of watermark {} failed ({}; {} failures): retrying in {} ms",
                     id, url, seq, why, next.report, next.delay.count());
      }
      note();
      return false;
    }
    delivered_.fetch_add(1);
    retry->backoff.Succeeded();
    through = seq;
    if (!note()) return false;
  }
  return note();
}

void RegistrySubscriptions::Loop() {
  for (;;) {
    auto subs = List();
    auto wait = options_.idle_poll;
    if (subs.ok()) {
      std::map<std::string, Retry> kept;
      for (const st::RegistrySubscription& s : *subs) {
        Retry& r = kept.try_emplace(s.id(), Retry{Backoff(options_.retry), {}}).first->second;
        if (auto it = retries_.find(s.id()); it != retries_.end()) r = std::move(it->second);
        const auto now = Backoff::Clock::now();
        if (r.next > now) {
          wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(r.next - now));
          continue;
        }
        if (!Deliver(s.id(), &r)) {
          wait = std::min(wait, std::chrono::duration_cast<std::chrono::milliseconds>(r.next - Backoff::Clock::now()));
        } else if (s.notified_through() < state_->watermark().value) {
          wait = std::chrono::milliseconds(0);  // more than a round's worth
        }
      }
      retries_ = std::move(kept);
    } else {
      spdlog::warn("registry subscriptions: {}", subs.status().ToString());
    }
    std::unique_lock lock(mu_);
    if (wake_.wait_for(lock, std::max(wait, std::chrono::milliseconds(0)), [this] { return stop_ || woken_; }) && stop_) {
      return;
    }
    woken_ = false;
  }
}

}  // namespace hub::feed
