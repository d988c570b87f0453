// The change feed (GET /api/v1/changes): one event per applied submission,
// read from the versioned state, so that a subscriber is only a cursor (the
// last watermark it got). Resuming from any watermark replays what followed
// it with no gap and no duplicate, and a subscriber, however slow, costs
// ingest nothing: events are read at the subscriber's pace, never queued by
// the materialiser.
//
// Thread safety: ChangeFeed is thread-safe. A Subscription is used by one
// thread at a time (its connection's), apart from Wake.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "hub/base/ids.h"
#include "sdmx/key_pattern.h"
#include "storage/state.h"

namespace hub::feed {

struct ChangeFeedOptions {
  size_t max_subscribers = 1000;      // more get Unavailable (503); default 1000
  size_t max_events_per_poll = 256;   // events one Next() reads; bounds each subscriber's buffer; default 256
  // A subscriber that had caught up and then falls this many commits behind
  // is told to resume from its last id (its stream ends). Default 10,000.
  uint64_t max_lag = 10'000;
};

struct ChangeFilter {
  std::string dataflow;  // "ID", "AGENCY:ID" or "AGENCY:ID(VERSION)"; empty = every commit
  std::optional<sdmx::KeyPattern> key;  // series keys (v1 syntax); nullopt = every series
  size_t key_parts = 0;                 // dimensions the pattern was parsed for
};

// "AGENCY:ID(VERSION)"-free parse of the query: dataflow= and key= (v1 key
// syntax, e.g. "A.G.SH_STA_MORT..."); InvalidArgument on a bad key.
Result<ChangeFilter> ParseChangeFilter(const std::string& dataflow, const std::string& key);

struct ChangeEvent {
  sdmxhub::state::v1::CommitRecord commit;
  std::vector<sdmxhub::state::v1::ChangeRecord::SeriesChange> series;  // those the filter selects
};

class ChangeFeed;

class Subscription {
 public:
  ~Subscription();
  // What happened after cursor(), up to the watermark, at most
  // max_events_per_poll commits read; events the filter rejects are skipped
  // (the cursor passes them). `resume` set: the subscriber fell too far
  // behind and must reconnect from cursor().
  struct Batch {
    std::vector<ChangeEvent> events;
    bool resume = false;
  };
  Result<Batch> Next();
  uint64_t cursor() const { return cursor_; }
  // `wake` is called (from the materialiser's thread; it must not block)
  // after each commit.
  void SetWake(std::function<void()> wake);

 private:
  friend class ChangeFeed;
  Subscription(ChangeFeed* feed, uint64_t after, ChangeFilter filter);
  void Wake();

  ChangeFeed* feed_;
  uint64_t cursor_;
  ChangeFilter filter_;
  bool caught_up_ = false;
  std::mutex wake_mu_;
  std::function<void()> wake_;
};

class ChangeFeed {
 public:
  ChangeFeed(const storage::VersionedState* state, ChangeFeedOptions options);
  // Events after watermark `after`. Unavailable beyond max_subscribers.
  Result<std::shared_ptr<Subscription>> Subscribe(uint64_t after, ChangeFilter filter);
  // Wakes every subscriber: call after each published commit.
  void OnPublish();
  size_t subscribers() const;

 private:
  friend class Subscription;
  void Remove(Subscription* s);

  const storage::VersionedState* state_;
  const ChangeFeedOptions options_;
  mutable std::mutex mu_;
  std::set<Subscription*> subscribers_;
};

}  // namespace hub::feed
