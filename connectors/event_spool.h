// EventSpool: the events one submission will append, held from when they
// are validated until its verdict (nothing is appended before it: a bad
// message appends no data), in bounded memory: past `memory_bytes` they go
// on to an unnamed temporary file, read back in order when appended. Not
// thread-safe; one per submission.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "hub/base/status.h"

namespace hub::connectors {

class EventSpool {
 public:
  // `dir`: where the file goes (empty: the system's temporary directory).
  EventSpool(std::string dir, size_t memory_bytes);
  ~EventSpool();
  EventSpool(const EventSpool&) = delete;
  EventSpool& operator=(const EventSpool&) = delete;

  Status Add(std::string_view topic, std::string_view key, std::string_view value);
  size_t count() const { return count_; }
  // Calls `fn(topic, key, value)` for every event, in the order added,
  // stopping at the first error.
  using Visitor = std::function<Status(std::string_view topic, std::string_view key, std::string_view value)>;
  Status ForEach(const Visitor& fn) const;

 private:
  Status Spill();
  // Calls `fn` for the whole records of `data`; *used = the bytes they take.
  static Status Parse(std::string_view data, const Visitor& fn, size_t* used);

  std::string dir_;
  size_t memory_bytes_;
  std::string buffer_;  // records not spilled yet: 3 x (u32 length, bytes)
  int fd_ = -1;
  size_t file_bytes_ = 0;
  size_t count_ = 0;
};

}  // namespace hub::connectors
